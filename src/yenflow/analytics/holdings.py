"""Holdings analytics (pure): who holds USTs and JGBs, and how that changes.

Inputs are pandas Series indexed by ``ref_date`` (a DatetimeIndex, one value
per period), e.g. ``tic.holdings.japan`` (TIC major foreign holders, **USD
bn**, end of month) or the BOJ Flow of Funds ``fof.jgb.<holder>`` series
(**JPY 100m**, end of quarter); or the tidy observation frame
(``series_id, ref_date, value``) for the helpers that take one.

* :func:`change_over` — level change over *k* calendar months,
  :math:`\\Delta_k x_t = x_t - x_{t-k}`, matched by calendar month (NaN when
  the month *k* back is absent): units of the input.
* :func:`share` — :math:`100 \\cdot part_t / total_t` on common dates, in %.
* :func:`japan_ust` — Japan's holdings, monthly change and share of all
  foreign holdings (USD bn, USD bn, %).
* :func:`jgb_shares` — each holder's share of the JGB amount outstanding,
  ``<prefix>.<holder>.share`` in % (BOJ share = ``fof.jgb.boj.share``,
  foreigners' share = ``fof.jgb.overseas.share``).
* :func:`holdings_table` — latest level, 1/3/12-month changes, and the
  "highest since" / "lowest since" dates of the latest value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd


def dated_values(s: "pd.Series", arg: str) -> "pd.Series":
    """Sorted, NaN-free copy; ValueError naming ``arg`` if the index is not dates."""
    import pandas as pd

    if not isinstance(s.index, pd.DatetimeIndex):
        raise ValueError(f"`{arg}` must be indexed by ref_date (DatetimeIndex)")
    out = s.dropna().astype("float64").sort_index()
    if out.index.has_duplicates:
        raise ValueError(f"`{arg}` has duplicate dates")
    return out


def series_from_observations(obs: "pd.DataFrame", series_id: str) -> "pd.Series":
    """One series of a tidy observation frame as a Series indexed by ref_date."""
    rows = obs[obs["series_id"] == series_id]
    s = rows.set_index("ref_date")["value"].rename(series_id)
    s.index.name = "ref_date"
    return dated_values(s, series_id)


def change_over(s: "pd.Series", months: int) -> "pd.Series":
    """``x_t − x_{t−months}``, the earlier value taken from the same calendar
    month ``months`` back (NaN when absent). At most one value per month."""
    import pandas as pd

    x = dated_values(s, "s")
    periods = x.index.to_period("M")
    if periods.has_duplicates:
        raise ValueError("`s` has more than one value in a month; resample it first")
    by_month = pd.Series(x.to_numpy(), index=periods)
    earlier = by_month.reindex(periods - months).to_numpy()
    return pd.Series(x.to_numpy() - earlier, index=x.index, name=s.name)


def monthly_change(s: "pd.Series") -> "pd.Series":
    """Month-on-month change of a monthly level series (units of the input)."""
    return change_over(s, 1)


def share(part: "pd.Series", total: "pd.Series") -> "pd.Series":
    """``100 · part / total`` in %, on the dates both have (total ≠ 0)."""
    p, t = dated_values(part, "part"), dated_values(total, "total")
    joined = p.to_frame("part").join(t.to_frame("total"), how="inner")
    joined = joined[joined["total"] != 0]
    return (100.0 * joined["part"] / joined["total"]).rename(part.name)


def japan_ust(japan: "pd.Series", foreign_total: "pd.Series | None" = None) -> "pd.DataFrame":
    """Japan's UST holdings (TIC, USD bn): level, monthly change and, given the
    all-countries total (TIC 'Grand Total'), Japan's share of foreign holdings."""
    x = dated_values(japan, "japan")
    out = x.to_frame("holdings_usd_bn")
    out["change_1m_usd_bn"] = monthly_change(x)
    if foreign_total is not None:
        out["share_of_foreign_pct"] = share(x, foreign_total).reindex(out.index)
    return out


def jgb_shares(obs: "pd.DataFrame", prefix: str = "fof.jgb") -> "pd.DataFrame":
    """Each holder's share (%) of ``<prefix>.total`` as tidy rows
    ``<prefix>.<holder>.share``; input is the Flow of Funds observation frame."""
    import pandas as pd

    total_id = f"{prefix}.total"
    total = series_from_observations(obs, total_id)
    if total.empty:
        raise ValueError(f"`obs` has no {total_id!r} rows")
    ids = sorted(
        sid for sid in obs["series_id"].unique()
        if sid.startswith(prefix + ".") and sid.count(".") == prefix.count(".") + 1
        and sid != total_id
    )
    frames = []
    for sid in ids:
        pct = share(series_from_observations(obs, sid), total)
        frames.append(pd.DataFrame({"series_id": f"{sid}.share", "ref_date": pct.index,
                                    "value": pct.to_numpy()}))
    cols = ["series_id", "ref_date", "value"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def boj_jgb_share(obs: "pd.DataFrame", prefix: str = "fof.jgb") -> "pd.Series":
    """BOJ holdings as % of JGBs outstanding (Flow of Funds)."""
    return share(series_from_observations(obs, f"{prefix}.boj"),
                 series_from_observations(obs, f"{prefix}.total"))


def foreign_jgb_share(obs: "pd.DataFrame", prefix: str = "fof.jgb") -> "pd.Series":
    """Overseas (non-resident) holdings as % of JGBs outstanding (Flow of Funds)."""
    return share(series_from_observations(obs, f"{prefix}.overseas"),
                 series_from_observations(obs, f"{prefix}.total"))


def extreme_since(s: "pd.Series", *, highest: bool) -> "pd.Timestamp":
    """Date of the last earlier value above (``highest``) or below the latest
    value: the latest value is the highest/lowest *since* then. NaT when it
    is a record over the whole series."""
    import pandas as pd

    x = dated_values(s, "s")
    if x.empty:
        raise ValueError("`s` is empty")
    last, prior = x.iloc[-1], x.iloc[:-1]
    beyond = prior[prior > last] if highest else prior[prior < last]
    return beyond.index[-1] if len(beyond) else pd.NaT


def holdings_table(series: "Mapping[str, pd.Series]") -> "pd.DataFrame":
    """One row per series: latest ``ref_date`` and ``value``, ``chg_1m``,
    ``chg_3m``, ``chg_12m`` (level changes over calendar months, NaN when
    the earlier month is absent, e.g. 1m for quarterly series), and
    ``max_since`` / ``min_since``: the latest value is the highest / lowest
    since that date (NaT = highest / lowest of the whole series)."""
    import pandas as pd

    rows = []
    for name, s in series.items():
        x = dated_values(s, name)
        if x.empty:
            continue
        rows.append({
            "series_id": name,
            "ref_date": x.index[-1],
            "value": float(x.iloc[-1]),
            "chg_1m": float(change_over(x, 1).iloc[-1]),
            "chg_3m": float(change_over(x, 3).iloc[-1]),
            "chg_12m": float(change_over(x, 12).iloc[-1]),
            "max_since": extreme_since(x, highest=True),
            "min_since": extreme_since(x, highest=False),
        })
    cols = ["series_id", "ref_date", "value", "chg_1m", "chg_3m", "chg_12m",
            "max_since", "min_since"]
    return pd.DataFrame(rows, columns=cols)
