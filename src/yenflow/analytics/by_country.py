"""Portfolio flows by counterpart economy (pure): who is buying or selling, ranked.

Input: a frame of BoP flows in **JPY 100m**, index ``ref_date`` (month or
quarter end), one column per BOJ economy code (``us``, ``gb``, ``ci``…,
regions ``as``/``na``/``ep``…, and ``all`` = the BoP total of every
counterpart), e.g. the ``bop.country.liabilities.total.<cc>.net`` series.
Outputs are **JPY bn** (÷ 10). Sign: the series' own (``net`` = acquisition −
disposition, + = net buying by the side: liabilities = non-residents buying
Japanese securities, assets = residents buying foreign ones).

**Counterpart = the economy of the transactor**, the party the Japanese
resident dealt with (a London broker executing for a US fund counts as U.K.),
not the final investor nor the issuer. So "US investors bought ¥x" overstates
what the data say: "US-located transactors".

* :func:`rank_economies` — one period (or the sum of the last ``window``
  periods): each economy's flow, its share of the BoP total
  :math:`100 \\cdot x_c / x_{all}` in % (shares of a *net* total may exceed
  100 % or be negative when other economies sell), its rank by flow (1 = the
  largest net buyer), and its kind (``economy``; ``region``; ``residual`` =
  rest of the world, international organisations, unallocated; ``group`` =
  OECD, ASEAN, EU, Eastern Europe: overlapping groupings).
* :func:`economy_history` — one economy over time with its share of the
  total, 3- and 12-period sums, "largest since" and the BoP total beside it.
* :func:`beside_its` — the BoP total next to MOF's ITS total for the same
  month (ITS: designated major investors, contract basis; BoP: all
  residents, settlement basis, incl. short-term debt) and the difference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

JPY_100M_PER_BN = 10.0
REGIONS = ("as", "na", "cs", "oc", "ep", "me", "af")
RESIDUALS = ("ot", "ii", "rw")
GROUPS = ("oe", "aa", "eu", "ee")
TOTAL = "all"


def kind_of(code: str) -> str:
    """'total' | 'region' | 'residual' | 'group' | 'economy' for a BOJ economy code."""
    code = code.lower()
    if code == TOTAL:
        return "total"
    for kind, codes in (("region", REGIONS), ("residual", RESIDUALS), ("group", GROUPS)):
        if code in codes:
            return kind
    return "economy"


def _frame(flows: "pd.DataFrame") -> "pd.DataFrame":
    import pandas as pd

    if not isinstance(flows.index, pd.DatetimeIndex):
        raise ValueError("`flows` must be indexed by ref_date (DatetimeIndex)")
    if TOTAL not in flows.columns:
        raise ValueError(f"`flows` needs the BoP total column {TOTAL!r}")
    return flows.sort_index().astype("float64")


def _window_sum(x: "pd.DataFrame", at: "pd.Timestamp", window: int) -> "pd.Series":
    """Sum of the ``window`` periods ending at ``at`` per column; NaN if any is missing."""
    pos = x.index.get_loc(at)
    if pos + 1 < window:
        raise ValueError(f"{window} periods ending {at:%Y-%m-%d} reach before the first period "
                         f"{x.index[0]:%Y-%m-%d}")
    block = x.iloc[pos + 1 - window: pos + 1]
    return block.sum(min_count=window)


def rank_economies(flows: "pd.DataFrame", at: object = None, window: int = 1,
                   names: "Mapping[str, str] | None" = None, kinds: tuple[str, ...] = ("economy",)
                   ) -> "pd.DataFrame":
    """Economies ranked by their flow at ``at`` (default: the latest period with a
    total), summed over the last ``window`` periods.

    Columns: ``code``, ``economy`` (name), ``kind``, ``flow_jpy_bn``,
    ``share_of_total_pct``, ``rank``; rows of the requested ``kinds`` only,
    largest net buyer first. ``attrs``: ``ref_date``, ``window``,
    ``total_jpy_bn`` (the BoP total over the same periods), ``unit``.
    """
    import pandas as pd

    x = _frame(flows)
    when = x[TOTAL].last_valid_index() if at is None else pd.Timestamp(at)  # type: ignore[arg-type]
    if when is None or when not in x.index:
        raise ValueError(f"{at} is not a period of the flows" if at is not None else "no BoP total in `flows`")
    sums = _window_sum(x, when, window) / JPY_100M_PER_BN
    total = float(sums[TOTAL])
    rows = pd.DataFrame({"code": sums.index, "flow_jpy_bn": sums.to_numpy()})
    rows["kind"] = [kind_of(c) for c in rows["code"]]
    rows["economy"] = [(names or {}).get(c, c.upper()) for c in rows["code"]]
    rows = rows[rows["kind"].isin(kinds) & rows["flow_jpy_bn"].notna()]
    rows = rows.sort_values("flow_jpy_bn", ascending=False, kind="stable").reset_index(drop=True)
    rows["share_of_total_pct"] = 100.0 * rows["flow_jpy_bn"] / total if total else float("nan")
    rows["rank"] = range(1, len(rows) + 1)
    out = rows[["rank", "code", "economy", "kind", "flow_jpy_bn", "share_of_total_pct"]]
    out.attrs.update({"ref_date": when, "window": window, "total_jpy_bn": total, "unit": "JPY bn"})
    return out


def economy_history(flows: "pd.DataFrame", code: str, windows: tuple[int, ...] = (3, 12)) -> "pd.DataFrame":
    """One economy per period: ``flow_jpy_bn``, ``total_jpy_bn`` (the BoP total),
    ``share_of_total_pct``, ``sum_<k>p_jpy_bn`` (rolling sums over ``k``
    periods, NaN unless all ``k`` are present) and ``largest_since`` (the last
    earlier period with a flow at least as large in the same direction; NaT =
    a record: :func:`yenflow.analytics.context.since`)."""
    from yenflow.analytics.context import since

    x = _frame(flows)
    if code not in x.columns:
        raise ValueError(f"no flows for economy {code!r}; known: {', '.join(sorted(x.columns))}")
    flow = x[code] / JPY_100M_PER_BN
    total = x[TOTAL] / JPY_100M_PER_BN
    out = flow.to_frame("flow_jpy_bn")
    out["total_jpy_bn"] = total
    out["share_of_total_pct"] = 100.0 * flow / total.where(total != 0)
    for k in windows:
        out[f"sum_{k}p_jpy_bn"] = flow.rolling(k, min_periods=k).sum()
    out["largest_since"] = since(flow, "largest").reindex(out.index)
    out = out[out["flow_jpy_bn"].notna()]
    out.index.name = "ref_date"
    out.attrs["unit"] = "JPY bn"
    return out


def beside_its(bop_total: "pd.Series", its_total: "pd.Series") -> "pd.DataFrame":
    """``bop_jpy_bn``, ``its_jpy_bn`` and ``bop_minus_its_jpy_bn`` on the
    months both have (inputs in JPY 100m)."""
    b = bop_total.dropna().astype("float64") / JPY_100M_PER_BN
    i = its_total.dropna().astype("float64") / JPY_100M_PER_BN
    out = b.to_frame("bop_jpy_bn").join(i.to_frame("its_jpy_bn"), how="inner")
    out["bop_minus_its_jpy_bn"] = out["bop_jpy_bn"] - out["its_jpy_bn"]
    out.index.name = "ref_date"
    out.attrs["unit"] = "JPY bn"
    return out
