"""Inflation and ex-post real rates (pure functions on pandas Series).

Conventions
-----------
* Monthly price indices are dated at the month's last day (``ref_date``).
* Year-on-year change in % of an index ``P``:

  .. math:: \\pi_t = 100\\,(P_t / P_{t-12} - 1)

  computed **within one base** (one series) only; NaN where the month a year
  earlier is missing (e.g. US CPI for October 2025, never published).
* **Across bases** (the Statistics Bureau rebases every five years: 2020 base,
  then the 2025 base from the August-2026 release), the y/y of a month comes from
  the preferred piece that has both the month and the month a year earlier —
  newest base first; within a base the 3-decimal by-item file before the
  1-decimal long-term series. Indices of different bases are never divided by
  each other. The Bureau's own published y/y uses the unrounded index, which the
  3-decimal file reproduces; y/y from the 1-decimal long-term series can differ
  from the rate published at the time by ±0.1 pp (rounding, and rebasing of old
  months). Each value carries the label of the piece it came from.
* A chained level index (:func:`chain_index`) links the bases where they
  overlap: an older piece is rescaled by the ratio of the mean levels over the
  months both pieces cover, so the chained index is on the preferred base.
* Ex-post real rate in percentage points: nominal rate (% p.a.) at the month's
  end minus the y/y inflation of that month. It uses realised, not expected,
  inflation ("ex-post") and mixes an instantaneous rate with a 12-month change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_CPI_ID = re.compile(r"^cpi\.jp\.base(\d{4})\.(longterm\.)?([a-z_]+)$")


def yoy(index: "pd.Series") -> "pd.Series":
    """12-month % change of a monthly index, on every month-end from its first to its last
    month; NaN where the month or the month a year earlier is missing."""
    import pandas as pd

    s = index.dropna()
    s = pd.Series(s.to_numpy(dtype="float64"), index=s.index.to_period("M"))
    if s.empty:
        return pd.Series(dtype="float64", name="yoy_pct")
    months = pd.period_range(s.index.min(), s.index.max(), freq="M")  # a missing month stays a NaN row
    cur, prev = s.reindex(months), s.reindex(months - 12)
    out = 100.0 * (cur.to_numpy() / prev.to_numpy() - 1.0)
    return pd.Series(out, index=months.to_timestamp(how="end").normalize(), name="yoy_pct")


def cpi_pieces(series: "dict[str, pd.Series]", item: str) -> "list[tuple[str, pd.Series]]":
    """The Japan CPI series of one item (``core``…) across bases, in splice order:
    newest base first, within a base the 3-decimal file before the long-term series.
    ``series`` maps catalog ids (``cpi.jp.base2020.core``…) to their values."""
    found = []
    for sid, s in series.items():
        m = _CPI_ID.match(sid)
        if m and m[3] == item:
            found.append(((-int(m[1]), bool(m[2])), sid, s))
    return [(sid, s) for _, sid, s in sorted(found, key=lambda t: t[0])]


def splice_yoy(pieces: "Sequence[tuple[str, pd.Series]]") -> "pd.DataFrame":
    """y/y (%) per month from the first piece (in the given order) that has both months.

    Returns columns ``yoy_pct`` and ``source`` (the piece's label), month-end dates.
    """
    import pandas as pd

    parts = []
    for label, s in pieces:
        y = yoy(s).dropna()
        parts.append(pd.DataFrame({"yoy_pct": y, "source": label}))
    if not parts:
        return pd.DataFrame(columns=["yoy_pct", "source"])
    out = parts[0]
    for p in parts[1:]:
        out = pd.concat([out, p[~p.index.isin(out.index)]])
    return out.sort_index()


def chain_index(pieces: "Sequence[tuple[str, pd.Series]]") -> "pd.DataFrame":
    """One level index on the first piece's base, older pieces linked where they overlap.

    .. math:: P^{chain}_t = P^{old}_t \\cdot \\overline{P^{new}}_O / \\overline{P^{old}}_O

    with :math:`O` the months both cover (means over :math:`O`). A piece that does
    not overlap what is already chained cannot be linked and raises ValueError.
    Columns ``index`` and ``source``.
    """
    import pandas as pd

    if not pieces:
        return pd.DataFrame(columns=["index", "source"])
    label, first = pieces[0]
    out = pd.DataFrame({"index": first.dropna(), "source": label})
    for label, s in pieces[1:]:
        s = s.dropna()
        common = out.index.intersection(s.index)
        if common.empty:
            raise ValueError(f"{label} does not overlap the chained index: cannot link it")
        factor = out.loc[common, "index"].mean() / s[common].mean()
        extra = s[~s.index.isin(out.index)] * factor
        out = pd.concat([out, pd.DataFrame({"index": extra, "source": f"{label} (linked ×{factor:.6f})"})])
    return out.sort_index()


def real_rate(nominal_pct: "pd.Series", inflation_yoy_pct: "pd.Series") -> "pd.Series":
    """Ex-post real rate in pp: nominal (% p.a.) − y/y inflation (%), aligned on dates."""
    a, b = nominal_pct.align(inflation_yoy_pct, join="outer")
    return (a - b).rename("real_pp")


def inflation_table(jp_yoy: "dict[str, pd.DataFrame]", us_yoy: "pd.Series", rates: "dict[str, pd.Series]",
                    months: "pd.DatetimeIndex") -> "pd.DataFrame":
    """Monthly table: Japan y/y by measure, US y/y, nominal rates at month end and
    the ex-post real rates.

    ``jp_yoy``: measure (``headline``, ``core``, ``core_core``…) → :func:`splice_yoy`
    output. ``rates``: ``boj_target``, ``effr``, ``jgb_10y``, ``ust_10y`` → the values
    in force at each month end (% p.a.; e.g. :func:`yenflow.analytics.conventions.asof_align`
    on ``months``). Real rates: BOJ target − core y/y, EFFR − US y/y,
    JGB 10y − core y/y, UST 10y − US y/y (pp).
    """
    import pandas as pd

    t = pd.DataFrame(index=months)
    for name, df in jp_yoy.items():
        t[f"jp_{name}_yoy"] = df["yoy_pct"].reindex(months)
    t["us_cpi_yoy"] = us_yoy.reindex(months)
    for name, s in rates.items():
        t[name] = s.reindex(months)
    core = t.get("jp_core_yoy")
    if core is not None and "boj_target" in t:
        t["real_boj_target"] = real_rate(t["boj_target"], core)
    if "effr" in t:
        t["real_effr"] = real_rate(t["effr"], t["us_cpi_yoy"])
    if core is not None and "jgb_10y" in t:
        t["real_jgb_10y"] = real_rate(t["jgb_10y"], core)
    if "ust_10y" in t:
        t["real_ust_10y"] = real_rate(t["ust_10y"], t["us_cpi_yoy"])
    t.index.name = "month_end"
    return t
