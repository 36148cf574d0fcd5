"""Flow statistics for MOF securities flows (and any flow series).

Inputs are pandas Series of net flows indexed by ``ref_date`` (a week's
Saturday or a month's last day), in the store's unit, JPY 100m (億円); the
sign is the series' own (MOF: net = acquisition − disposition, + = net
buying by the side named in the series id). Every statistic for a date uses
only data up to that date (no look-ahead). No I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

JPY_100M_PER_BN = 10.0  # 10 × ¥100m = ¥1bn


def rolling_sums(s: "pd.Series", windows: tuple[int, ...] = (4, 13, 52)) -> "pd.DataFrame":
    """Sums over the last N observations (weeks or months); NaN until N exist."""
    import pandas as pd

    return pd.DataFrame({f"sum_{n}": s.rolling(n, min_periods=n).sum() for n in windows})


def cumulative_ytd(s: "pd.Series") -> "pd.Series":
    """Calendar-year-to-date cumulative sum (a week belongs to the year of its Saturday)."""
    return s.groupby(s.index.year).cumsum()


def cumulative_fytd(s: "pd.Series") -> "pd.Series":
    """Japanese fiscal-year-to-date (April–March) cumulative sum; FY named by its April year."""
    fy = s.index.year - (s.index.month < 4)
    return s.groupby(fy).cumsum()


def to_usd_bn(monthly_jpy_100m: "pd.Series", usdjpy_daily: "pd.Series") -> "pd.Series":
    """JPY 100m → USD bn at each month's average USD/JPY (yen per dollar):
    value × 1e8 / avg / 1e9. Months without a fixing give NaN."""
    fx = usdjpy_daily.dropna()
    avg = fx.groupby(fx.index.to_period("M")).mean()
    rate = monthly_jpy_100m.index.to_period("M").map(avg)
    out = monthly_jpy_100m * 1e8 / rate.to_numpy(dtype=float) / 1e9
    out.attrs["unit"] = "USD bn"
    return out


def percentile_rank(s: "pd.Series", window: int | None = None) -> "pd.Series":
    """Percentile (0–100) of each value among the values up to it (the last
    ``window`` if given, itself included); ties count half."""
    import numpy as np
    import pandas as pd

    x = s.to_numpy(dtype=float)
    out = np.full(len(x), np.nan)
    for i in range(len(x)):
        if np.isnan(x[i]):
            continue
        lo = 0 if window is None else max(0, i + 1 - window)
        h = x[lo : i + 1]
        h = h[~np.isnan(h)]
        out[i] = 100.0 * ((h < x[i]).sum() + 0.5 * (h == x[i]).sum()) / len(h)
    return pd.Series(out, index=s.index)


def zscore(s: "pd.Series", window: int = 156) -> "pd.Series":
    """(x − mean) / std over the trailing ``window`` values including x (min 26)."""
    roll = s.rolling(window, min_periods=min(26, window))
    return (s - roll.mean()) / roll.std()


def largest_since(s: "pd.Series") -> "pd.Series":
    """For each date: the last earlier date with a value at least as large (for a
    net purchase, v > 0) or at least as negative (for a net sale, v < 0).
    ``NaT`` with a positive/negative value means a record; 0 gives NaT."""
    import numpy as np
    import pandas as pd

    x, dates = s.to_numpy(dtype=float), s.index
    out = []
    for i, v in enumerate(x):
        hit = pd.NaT
        if v != 0 and not np.isnan(v):
            prev = x[:i]
            mask = prev >= v if v > 0 else prev <= v
            idx = np.flatnonzero(mask)
            hit = dates[idx[-1]] if len(idx) else pd.NaT
        out.append(hit)
    return pd.Series(pd.DatetimeIndex(out), index=s.index)


def streaks(s: "pd.Series") -> "pd.Series":
    """Signed length of the run of same-sign values ending at each date
    (+3 = third straight net purchase, −2 = second straight net sale; 0 breaks)."""
    import numpy as np
    import pandas as pd

    sign = np.sign(s.to_numpy(dtype=float))
    out = np.zeros(len(sign))
    for i, sg in enumerate(sign):
        if sg == 0 or np.isnan(sg):
            continue
        out[i] = sg + (out[i - 1] if i and np.sign(out[i - 1]) == sg else 0)
    return pd.Series(out.astype(int), index=s.index)


def record_flag(s: "pd.Series") -> "pd.Series":
    """'record high' / 'record low' where a value exceeds every earlier one."""
    import numpy as np
    import pandas as pd

    prev_max = s.cummax().shift(1)
    prev_min = s.cummin().shift(1)
    flag = np.where(s > prev_max, "record high", np.where(s < prev_min, "record low", ""))
    return pd.Series(flag, index=s.index)


def context_table(s: "pd.Series", last: int = 12, weekly: bool = True, window: int | None = None) -> "pd.DataFrame":
    """The last ``last`` values with rolling sums (4/13/52 weeks or 3/12 months),
    year- and fiscal-year-to-date sums, percentile (full history, or the last
    ``window`` values), z-score, 'largest since', streak and record flag."""
    import pandas as pd

    s = s.dropna().sort_index()
    sums = rolling_sums(s, (4, 13, 52) if weekly else (3, 12))
    df = pd.concat([s.rename("value"), sums], axis=1)
    df["ytd"] = cumulative_ytd(s)
    df["fytd"] = cumulative_fytd(s)
    df["percentile"] = percentile_rank(s, window)
    df["zscore"] = zscore(s, 156 if weekly else 60)
    df["largest_since"] = largest_since(s)
    df["streak"] = streaks(s)
    df["record"] = record_flag(s)
    return df.tail(last)


def reconcile_weekly_monthly(weekly: "pd.Series", monthly: "pd.Series", period_start: "pd.Series | None" = None) -> "pd.DataFrame":
    """Per month: the sum of weeks whose Saturday falls in the month, the sum
    with each Sunday–Saturday week split pro rata by its days in each month,
    the monthly figure, and the gaps. Expected gaps: weeks straddle month ends;
    the weekly survey covers designated major investors on a contract basis
    and is revised in later releases, the monthly adds reporters and revisions."""
    import numpy as np
    import pandas as pd

    w = weekly.dropna()
    by_end = w.groupby(w.index.to_period("M")).sum()
    days = pd.DataFrame({"value": np.repeat(w.to_numpy() / 7.0, 7)},
                        index=np.concatenate([pd.date_range(d - pd.Timedelta(days=6), d) for d in w.index]))
    pro_rata = days["value"].groupby(days.index.to_period("M")).sum()
    m = monthly.dropna()
    m.index = m.index.to_period("M")
    out = pd.DataFrame({"weeks_ending_in_month": by_end, "weeks_pro_rata": pro_rata, "monthly": m}).dropna()
    out["gap"] = out["monthly"] - out["weeks_pro_rata"]
    out["gap_pct_of_monthly"] = 100 * out["gap"] / out["monthly"].abs()
    out.index = out.index.to_timestamp(how="end").normalize()
    return out
