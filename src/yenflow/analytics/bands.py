"""Ranges of a series' own history for charts: trailing quantile bands and
calendar-year running sums laid side by side.

Quantiles use linear interpolation between order statistics (numpy's
default): the 10th percentile of a window of 156 weekly sums is the value
below which 10 % of them lie. The window ends at each row and includes it,
so a band never uses data published after the row's date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def trailing_quantiles(s: "pd.Series", window: int, quantiles: tuple[float, ...] = (0.1, 0.5, 0.9),
                       min_periods: int | None = None) -> "pd.DataFrame":
    """Quantiles of the last ``window`` non-missing values up to each row
    (columns ``p10``, ``p50``, ``p90``…); NaN until ``min_periods`` (default
    half the window) values exist. Missing rows stay missing."""
    import pandas as pd

    valid = s.dropna()
    roll = valid.rolling(window, min_periods=min_periods or max(2, window // 2))
    out = pd.DataFrame({f"p{round(q * 100):02d}": roll.quantile(q, interpolation="linear") for q in quantiles})
    return out.reindex(s.index)


def running_sum_by_year(s: "pd.Series", years: int, weekly: bool) -> "pd.DataFrame":
    """Calendar-year running sums, one column per year (the last ``years``),
    indexed by week of the year (1 = the first week ending in the year) or by
    month (1–12). A missing period leaves the rest of that year blank: the sum
    is never carried over a gap."""
    import pandas as pd

    x = s.sort_index()
    x = x.reindex(pd.date_range(x.index[0], x.index[-1], freq="7D" if weekly else "ME"))
    frame = pd.DataFrame({"value": x.to_numpy(), "year": x.index.year})
    if weekly:
        frame["period"] = (x.index.day_of_year - 1) // 7 + 1
    else:
        frame["period"] = x.index.month
    frame["ytd"] = frame.groupby("year")["value"].transform(lambda v: v.cumsum().where(v.notna().cumprod().astype(bool)))
    wide = frame.pivot(index="period", columns="year", values="ytd")
    wide = wide[[c for c in wide.columns][-years:]]
    wide.columns = [str(c) for c in wide.columns]
    return wide
