"""Flow statistics for MOF securities flows (and any flow series), methods.md §11.

Inputs: pandas Series indexed by ``ref_date`` — the Saturday ending a MOF
Sunday→Saturday week, or a month's last day (``mof.weekly.*``,
``mof.monthly.*``). No I/O.

* Units: **JPY 100m** (億円), the store's unit; outputs carry
  ``attrs["unit"]``. :func:`jpy_bn`, :func:`jpy_tn`, :func:`monthly_usd`
  convert, and refuse a Series whose ``attrs["unit"]`` is something else.
* Sign: the series' own. MOF nets are MOF's published figures, acquisition −
  disposition, so **+ = net buying** by the side in the id (``foreign`` =
  non-residents buying Japanese securities, ``resident`` = residents buying
  foreign ones), with the same sign throughout the files (since 2005).
* Per-date statistics use only data up to each date (no look-ahead): take
  ``.iloc[-1]`` for the latest value, ``.loc[date]`` for a given one;
  :func:`streak` and :func:`is_record` answer for the latest (or ``at``).
* NaN = not published: left out of every window and comparison, NaN (or
  ``""``/NaT/0) on its own row. Rolling sums need every period present.
* Equity and long-term-debt series break at 2014-01 (investment funds moved
  to equity): pass ``s.loc["2014":]`` for their percentiles and records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

UNIT = "JPY 100m"
JPY_100M_PER_BN = 10.0  # 10 × ¥100m = ¥1bn
Freq = Literal["weekly", "monthly"]


def _dated(s: "pd.Series") -> "pd.Series":
    """Float values on a sorted DatetimeIndex; duplicate dates are an error."""
    import pandas as pd

    x = s.astype("float64")
    x.index = pd.DatetimeIndex(x.index)
    if x.index.has_duplicates:
        raise ValueError(f"duplicate dates: {list(x.index[x.index.duplicated()][:3])}")
    return x.sort_index()


def _tag(x: "Any", unit: str) -> "Any":
    x.attrs["unit"] = unit
    return x


def _per_valid(s: "pd.Series", fn: "Callable[[pd.Series], pd.Series]") -> "pd.Series":
    """``fn`` applied to the non-NaN values; NaN rows come back as NaN."""
    x = _dated(s)
    return fn(x.dropna()).reindex(x.index)


# ------------------------------------------------------------------ sums


def infer_freq(s: "pd.Series") -> Freq:
    """'monthly' if every date is a month end, at least 28 days apart; else 'weekly'."""
    idx = _dated(s).dropna().index
    gaps = idx.to_series().diff().dt.days.dropna()
    return "monthly" if len(idx) and idx.is_month_end.all() and (gaps >= 28).all() else "weekly"


def _grid(idx: "pd.DatetimeIndex", freq: Freq) -> "pd.DatetimeIndex":
    """Every week (7 days apart) or month end from the first date to the last."""
    import pandas as pd

    if idx.empty:
        return idx
    if freq == "monthly" and not idx.is_month_end.all():
        raise ValueError("monthly dates must be month ends")
    if freq == "weekly" and ((idx - idx[0]).days % 7 != 0).any():
        raise ValueError("weekly dates must be whole weeks apart (the Saturdays ending MOF weeks)")
    return pd.date_range(idx[0], idx[-1], freq="ME" if freq == "monthly" else "7D")


def rolling_sums(s: "pd.Series", windows: tuple[int, ...] = (4, 13, 52),
                 freq: Freq | None = None) -> "pd.DataFrame":
    """Sums over the last N weeks (or months), the current one included.

    Column ``sum_<N>``, in the input unit (JPY 100m). N counts calendar
    periods, not rows: **all N must be present**, so a window reaching before
    the first observation, or over a missing or NaN week, is NaN (never a
    partial sum). ``freq`` is inferred when None (:func:`infer_freq`).
    """
    import pandas as pd

    x = _dated(s)
    valid = x.dropna()
    full = valid.reindex(_grid(valid.index, freq or infer_freq(valid)))
    out = pd.DataFrame({f"sum_{n}": full.rolling(n, min_periods=n).sum() for n in windows}, index=full.index)
    return _tag(out.reindex(x.index), s.attrs.get("unit", UNIT))


def _cumulate(s: "pd.Series", fiscal: bool) -> "pd.Series":
    x = _dated(s)
    year = x.index.year - ((x.index.month < 4) if fiscal else 0)
    return _tag(x.groupby(year).cumsum(), s.attrs.get("unit", UNIT))


def cumulative_ytd(s: "pd.Series") -> "pd.Series":
    """Calendar-year-to-date running sum. A week belongs to the year of its
    Saturday: Sun 2025-12-28 → Sat 2026-01-03 counts wholly in 2026."""
    return _cumulate(s, fiscal=False)


def cumulative_fytd(s: "pd.Series") -> "pd.Series":
    """Japanese fiscal-year-to-date running sum; FY *Y* = April *Y* → March
    *Y*+1. A week belongs to the FY of its Saturday: Sun 2026-03-29 → Sat
    2026-04-04 opens FY2026."""
    return _cumulate(s, fiscal=True)


# ------------------------------------------------------------------ units


def _convert(s: "pd.Series", divisor: float, unit: str) -> "pd.Series":
    if s.attrs.get("unit", UNIT) != UNIT:
        raise ValueError(f"expected a series in {UNIT}, got attrs['unit'] = {s.attrs['unit']!r}")
    return _tag(s.astype("float64") / divisor, unit)


def jpy_bn(s: "pd.Series") -> "pd.Series":
    """JPY 100m → JPY bn (÷ 10)."""
    return _convert(s, JPY_100M_PER_BN, "JPY bn")


def jpy_tn(s: "pd.Series") -> "pd.Series":
    """JPY 100m → JPY tn (÷ 10,000: ¥1tn = 10,000 × ¥100m)."""
    return _convert(s, 10_000.0, "JPY tn")


def monthly_usd(monthly: "pd.Series", usdjpy_daily: "pd.Series", min_fixings: int = 10) -> "pd.Series":
    """Monthly flows (JPY 100m) in USD bn at the month's **average** USD/JPY:
    ``value × 1e8 / avg / 1e9``, avg = mean of the daily fixings (JPY per
    USD, e.g. FRED DEXJPUS) in the calendar month of ``ref_date``; NaN when
    the month has fewer than ``min_fixings`` (a part month would bias it)."""
    x = _dated(_convert(monthly, 1.0, UNIT))
    fx = _dated(usdjpy_daily).dropna()
    stats = fx.groupby(fx.index.to_period("M")).agg(["mean", "count"])
    avg = stats["mean"].where(stats["count"] >= min_fixings)
    out = x * 1e8 / avg.reindex(x.index.to_period("M")).to_numpy() / 1e9
    return _tag(out.rename(monthly.name), "USD bn")



# ------------------------------------------------------------------ context per date


def percentile_rank(s: "pd.Series", window: int | None = None) -> "pd.Series":
    """Percentile (0–100) of each value among the values up to it, all
    history or the last ``window`` observations, the value itself included;
    ties count half (:func:`yenflow.analytics.context.percentile`)."""
    from yenflow.analytics import context

    return _per_valid(s, lambda x: context.percentile(x, window=window))


def zscore(s: "pd.Series", window: int = 156, min_periods: int = 26) -> "pd.Series":
    """(x − mean) / sample std (ddof = 1) over the last ``window``
    observations, x included (156 weeks ≈ 3 years); NaN with fewer than
    ``min(min_periods, window)`` of them or a zero std."""
    from yenflow.analytics import context

    return _per_valid(s, lambda x: context.zscore(x, window=window, min_periods=min(min_periods, window)))


def largest_since(s: "pd.Series") -> "pd.Series":
    """For each value v: the last earlier date with a value ≥ v if v > 0
    ("largest net buying since …"), ≤ v if v < 0 ("largest net selling
    since …"). Ties count (an equal value is no record). NaT for v ≠ 0 = a
    record in that direction (or the first value); NaT for v = 0 or NaN
    (:func:`yenflow.analytics.context.since`)."""
    from yenflow.analytics import context

    return _per_valid(s, lambda x: context.since(x, "largest"))


def streaks(s: "pd.Series") -> "pd.Series":
    """Signed length of the run of same-sign values ending at each date (+3 =
    third straight net purchase, −2 = second straight net sale). A zero or NaN
    value is 0 and breaks the run; gaps between dates do not."""
    import numpy as np
    import pandas as pd

    x = _dated(s)
    sign, out = np.sign(x.to_numpy()), np.zeros(len(x), dtype=int)
    for i, sg in enumerate(sign):
        if sg == 0 or np.isnan(sg):
            continue
        out[i] = int(sg) + (out[i - 1] if i and np.sign(out[i - 1]) == sg else 0)
    return pd.Series(out, index=x.index)


def record_flag(s: "pd.Series") -> "pd.Series":
    """'record high' / 'record low' where a value is strictly above / below
    every earlier one, else '' (ties and the first value are no records)."""
    import numpy as np
    import pandas as pd

    x = _dated(s)
    hi, lo = x.cummax().ffill().shift(1), x.cummin().ffill().shift(1)
    return pd.Series(np.where(x > hi, "record high", np.where(x < lo, "record low", "")), index=x.index)


def _upto(s: "pd.Series", at: object) -> "pd.Series":
    """History up to ``at`` (a date of ``s``) or to the latest published value."""
    import pandas as pd

    x = _dated(s)
    if at is not None:
        if pd.Timestamp(at) not in x.index:  # type: ignore[arg-type]
            raise ValueError(f"{at} is not a date of the series")
        x = x.loc[: pd.Timestamp(at)]  # type: ignore[arg-type]
    if x.last_valid_index() is None:
        raise ValueError("the series has no published value" + (f" up to {at}" if at is not None else ""))
    return x.loc[: x.last_valid_index()]


def streak(s: "pd.Series", at: object = None) -> "tuple[int, int, pd.Timestamp | None]":
    """(sign, length, start date) of the run ending at the latest value (or
    ``at``): sign +1 = net buying, −1 = net selling. A zero value is no run:
    ``(0, 0, None)``. Zero and NaN break runs (:func:`streaks`)."""
    x = _upto(s, at)
    k = int(streaks(x).iloc[-1])
    return (0, 0, None) if k == 0 else ((1 if k > 0 else -1), abs(k), x.index[-abs(k)])


def is_record(s: "pd.Series", at: object = None) -> str | None:
    """'record high' / 'record low' / None for the latest value (or ``at``)
    against the whole history before it (:func:`record_flag`)."""
    return str(record_flag(_upto(s, at)).iloc[-1]) or None


def context_table(s: "pd.Series", last: int = 12, weekly: bool = True,
                  window: int | None = None, rank_start: object = None) -> "pd.DataFrame":
    """The last ``last`` values with their context, one row each (NaN dropped).

    ``value``; rolling sums ``sum_4/13/52`` (weekly) or ``sum_3/12``
    (monthly); ``ytd``, ``fytd`` — all JPY 100m; ``percentile`` (over the
    values from ``rank_start`` — all history when None — or the last
    ``window`` of them); ``zscore`` (156 weeks / 60 months); ``largest_since``
    (NaT = the largest since ``rank_start``, or zero); ``streak``; ``record``.
    Each row uses only data up to its own date (no look-ahead); the rank
    statistics are computed for the rows returned only
    (:mod:`yenflow.analytics.context`).
    """
    import pandas as pd

    from yenflow.analytics import context

    s = _dated(s).dropna()
    freq: Freq = "weekly" if weekly else "monthly"
    df = pd.concat([s.rename("value"), rolling_sums(s, (4, 13, 52) if weekly else (3, 12), freq)], axis=1)
    df["ytd"], df["fytd"] = cumulative_ytd(s), cumulative_fytd(s)
    df = df.tail(last) if last > 0 else df.iloc[:0]
    at = df.index
    ranked = s.loc[pd.Timestamp(rank_start):] if rank_start is not None else s  # type: ignore[misc]
    shown = at[at.isin(ranked.index)]
    df["percentile"] = context.percentile(ranked, at=shown, window=window)
    df["zscore"] = context.zscore(ranked, at=shown, window=156 if weekly else 60)
    df["largest_since"] = context.since(ranked, "largest", at=shown)
    df["streak"] = context.streak(s, at=at)
    df["record"] = context.record(ranked, at=shown).reindex(at).fillna("")
    return _tag(df, UNIT)


def latest_context(s: "pd.Series", weekly: bool = True, rank_start: object = None) -> "dict[str, Any]":
    """:func:`context_table`'s columns for the latest value only, computed
    directly (a table of 17 investor types or 5 flows needs one row each):
    the same rules, a fraction of the work."""
    import numpy as np
    import pandas as pd

    from yenflow.analytics import context

    x = _dated(s).dropna()
    if x.empty:
        raise ValueError("the series has no published value")
    v, idx = x.to_numpy(), x.index
    last = idx[-1]
    step = pd.Timedelta(days=7) if weekly else None
    out: dict[str, Any] = {"date": last, "value": float(v[-1])}
    for n in ((4, 13, 52) if weekly else (3, 12)):
        tail = idx[-n:]
        if len(tail) < n:
            whole = False
        elif weekly:
            whole = tail[0] == last - step * (n - 1)  # type: ignore[operator]
        else:
            whole = (tail[-1].to_period("M") - tail[0].to_period("M")).n == n - 1
        out[f"sum_{n}"] = float(v[-n:].sum()) if whole else float("nan")
    fy_start = pd.Timestamp(last.year - (last.month < 4), 4, 1)
    out["ytd"] = float(v[idx >= pd.Timestamp(last.year, 1, 1)].sum())
    out["fytd"] = float(v[idx >= fy_start].sum())
    ranked = x.loc[pd.Timestamp(rank_start):] if rank_start is not None else x  # type: ignore[misc]
    r = ranked.to_numpy()
    if len(r) and ranked.index[-1] == last:  # the context rules on arrays, for the last position only
        i = np.array([len(r) - 1])
        whole = np.zeros(1, np.int64)
        window = 156 if weekly else 60
        out["percentile"] = float(context.percentile_at(r, i, whole)[0])
        out["zscore"] = float(context.zscore_at(r, i, np.maximum(0, i + 1 - window))[0])
        found = int(context.since_at(r, i, whole, "largest")[0])
        out["largest_since"] = ranked.index[found] if found >= 0 else pd.NaT
        out["record"] = context.record_at(r, i, whole)[0]
    else:  # the latest value lies before rank_start: nothing to rank it against
        out.update(percentile=float("nan"), zscore=float("nan"), largest_since=pd.NaT, record="")
    out["streak"] = int(context.streak_at(v, np.array([len(v) - 1]))[0])
    return out


# ------------------------------------------------------------------ weekly vs monthly

GAP_ROUNDING = ("rounding: the weeks ending in the month cover exactly its weekdays, and the gap is within "
                "the rounding of the published figures (±0.5 ¥100m each)")
GAP_ALIGNED = ("beyond rounding although the weeks cover exactly the month's weekdays: weekend contracts, "
               "late reports or a revision one file has not taken yet")
GAP_BOUNDARY = ("{n} weekday(s) of weeks straddling the month's ends lie across its boundaries: the split of those "
                "weeks' trading between the two months is unknown (the even split is an estimate)")


def _week_days(w: "pd.Series", split: str) -> "pd.DataFrame":
    """One row per day of each Sunday–Saturday week ending on ``w``'s dates."""
    import numpy as np
    import pandas as pd

    sat = np.repeat(w.index.to_numpy(), 7)
    day = pd.DatetimeIndex(sat - np.tile(np.arange(6, -1, -1), len(w)).astype("timedelta64[D]"))
    weekday = np.asarray(day.day_of_week < 5)
    share = weekday / 5.0 if split == "weekdays" else np.full(len(day), 1 / 7)
    return pd.DataFrame({"day_m": day.to_period("M"), "sat_m": pd.DatetimeIndex(sat).to_period("M"),
                         "alloc": np.repeat(w.to_numpy(), 7) * share, "weekday": weekday})


def reconcile_weekly_monthly(weekly: "pd.Series", monthly: "pd.Series", detail: bool = False,
                             split: Literal["days", "weekdays"] = "weekdays") -> "pd.DataFrame":
    """Weekly flows summed per calendar month against the monthly figure (JPY 100m).

    ``weeks_ending_in_month``: weeks whose Saturday is in the month.
    ``weeks_pro_rata``: each Sunday–Saturday week split over the months of its
    Monday–Friday trading days, 1/5 each (``split="days"``: 1/7 per calendar
    day, which puts weekend days' share of a week's trading in the wrong month).
    ``gap`` = monthly − pro rata; ``gap_pct_of_monthly`` = 100·gap/|monthly|.
    ``detail=True`` adds ``n_weeks``, ``gap_ending`` (monthly − weeks ending in
    the month) and its %, ``boundary_weekdays`` (Mon–Fri days in those weeks
    but not in the month, or the reverse; Japanese holidays counted) and
    ``why``. Rows: months of ``monthly`` whose every day lies in a week of
    ``weekly``. Both files come from the same designated major investors on a
    contract basis: in months of whole weeks (2009-02, 2015-02, 2026-02) they
    agree to ±2, and nearly so where only weekend days differ; elsewhere the
    gap is the timing of flows in the straddling weeks (plus revisions).
    """
    import numpy as np
    import pandas as pd

    w = _dated(weekly).dropna()
    _grid(w.index, "weekly")  # weeks must be 7 days apart
    d = _week_days(w, split)
    days = d.groupby("day_m").size()
    m = _dated(monthly).dropna()
    m.index = m.index.to_period("M")
    ending = w.groupby(w.index.to_period("M")).agg(["sum", "count"])
    out = pd.DataFrame({"weeks_ending_in_month": ending["sum"], "weeks_pro_rata": d.groupby("day_m")["alloc"].sum(),
                        "monthly": m}).reindex(m.index.intersection(days.index[days == days.index.days_in_month]))
    pct = 100 / out["monthly"].abs().replace(0, np.nan)
    out["gap"] = out["monthly"] - out["weeks_pro_rata"]
    out["gap_pct_of_monthly"] = out["gap"] * pct
    if detail:
        mis = d[(d["day_m"] != d["sat_m"]) & d["weekday"]]
        edge = mis["day_m"].value_counts().add(mis["sat_m"].value_counts(), fill_value=0)
        out["n_weeks"] = ending["count"].reindex(out.index).astype(int)
        out["gap_ending"] = out["monthly"] - out["weeks_ending_in_month"]
        out["gap_ending_pct_of_monthly"] = out["gap_ending"] * pct
        out["boundary_weekdays"] = edge.reindex(out.index).fillna(0).astype(int)
        tolerance = 0.5 * (out["n_weeks"] + 1)  # each published figure rounded to ¥100m
        out["why"] = [GAP_BOUNDARY.format(n=n) if n else GAP_ROUNDING if abs(g) <= tol else GAP_ALIGNED
                      for n, g, tol in zip(out["boundary_weekdays"], out["gap_ending"], tolerance)]
    out.index = out.index.to_timestamp(how="end").normalize()
    out.index.name = "month"
    return _tag(out, UNIT)
