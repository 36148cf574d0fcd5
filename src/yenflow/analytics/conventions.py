"""Market conventions for the USD/JPY analytics, kept in one place.

Every analytics function takes an optional ``conventions`` argument; ``None``
means :data:`DEFAULTS`. To override, build a new object::

    from dataclasses import replace
    same_basis = replace(DEFAULTS, usd_day_count="ACT/365F")

Units used throughout :mod:`yenflow.analytics`:

* rates, yields, hedge costs, carry and the cross-currency basis ``b`` are in
  **% per annum** (``3.65`` means 3.65 %);
* spreads are in **bp** wherever the name ends in ``_bp`` (1 pp = 100 bp);
* USD/JPY spot ``S`` is **yen per dollar**; forward points are in pips of
  0.01 yen;
* the basis ``b`` is quoted per annum on the JPY leg, ACT/365F; **negative =
  dollar premium** (a negative ``b`` raises the yen investor's hedging cost and
  the dollar investor's pickup).

Day counts: USD money-market rates (SOFR, OIS, bills) accrue ACT/360; JPY rates
(TONA, TIBOR, OIS) ACT/365F. Hedge tenors default to fixed day counts
("1M" = 30 days, "3M" = 91 days); :func:`tenor_days` gives actual calendar days
from a start date instead (no business-day or spot-lag adjustment).

This module also holds the two alignment rules the analytics share: daily
rates are carried forward *as of* a date (:func:`asof_align`), and monthly
averages are put on daily dates without look-ahead
(:func:`align_monthly_to_daily`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

DAY_COUNT_BASIS: Mapping[str, int] = MappingProxyType({"ACT/360": 360, "ACT/365F": 365})
"""Denominator ``B`` of each supported day count (year fraction = days / B)."""

BP_PER_PP = 100.0
"""Basis points per percentage point."""

_TENOR_RE = re.compile(r"^\s*(\d+)\s*([DWMY])\s*$", re.IGNORECASE)

_FIXED_TENOR_DAYS = {"1W": 7, "1M": 30, "2M": 61, "3M": 91, "6M": 182, "9M": 273, "12M": 365, "1Y": 365}


@dataclass(frozen=True)
class Conventions:
    """Day counts, tenor lengths and staleness limits used by the analytics.

    Parameters
    ----------
    usd_day_count, jpy_day_count:
        ``"ACT/360"`` or ``"ACT/365F"``; defaults USD ACT/360, JPY ACT/365F.
    tenor_days:
        Fixed day counts for tenor labels (``"1M"`` → 30, ``"3M"`` → 91, ...).
    compound_basis:
        Days per year used to compound a ``d``-day return, ``(1+x)^(B/d)``.
    max_stale_days:
        A forward-filled daily rate older than this many calendar days is
        treated as missing (covers Golden Week and year-end closures).
    """

    usd_day_count: str = "ACT/360"
    jpy_day_count: str = "ACT/365F"
    tenor_days: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(dict(_FIXED_TENOR_DAYS)))
    compound_basis: int = 365
    max_stale_days: int = 10

    def __post_init__(self) -> None:
        for name in ("usd_day_count", "jpy_day_count"):
            value = getattr(self, name)
            if value not in DAY_COUNT_BASIS:
                raise ValueError(f"`{name}` must be one of {sorted(DAY_COUNT_BASIS)}, got {value!r}")

    @property
    def usd_basis(self) -> int:
        """``B$``: 360 for ACT/360."""
        return DAY_COUNT_BASIS[self.usd_day_count]

    @property
    def jpy_basis(self) -> int:
        """``B¥``: 365 for ACT/365F."""
        return DAY_COUNT_BASIS[self.jpy_day_count]


DEFAULTS = Conventions()
"""The house conventions (USD ACT/360, JPY ACT/365F, 1M = 30d, 3M = 91d)."""


def resolve(conventions: Conventions | None) -> Conventions:
    """Return ``conventions`` or :data:`DEFAULTS` when ``None``."""
    return DEFAULTS if conventions is None else conventions


def tenor_days(
    tenor: str | int,
    start: pd.Timestamp | pd.DatetimeIndex | None = None,
    conventions: Conventions | None = None,
) -> int | pd.Series:
    """Length in calendar days of a hedge tenor.

    Parameters
    ----------
    tenor:
        A label such as ``"1M"``, ``"3M"``, ``"1Y"`` or an explicit day count.
    start:
        ``None`` → the fixed count from ``conventions.tenor_days`` (``"3M"`` → 91).
        A date or DatetimeIndex → *actual* days from each start to the same day
        ``n`` months later (month-end clipped), e.g. 2024-01-31 + 1M → 29 days.

    Returns
    -------
    int, or a Series of ints indexed by ``start`` when ``start`` is an index.
    """
    if isinstance(tenor, int):
        if tenor <= 0:
            raise ValueError(f"`tenor` in days must be positive, got {tenor}")
        return tenor
    match = _TENOR_RE.match(str(tenor))
    if match is None:
        raise ValueError(f"`tenor` must look like '1M', '3M', '1Y' or be an int of days, got {tenor!r}")
    n, unit = int(match.group(1)), match.group(2).upper()
    if start is None:
        label = f"{n}{unit}"
        if unit == "D":
            return n
        if label not in resolve(conventions).tenor_days:
            raise ValueError(f"no fixed day count for tenor {label!r}; pass `start` for actual days")
        return int(resolve(conventions).tenor_days[label])
    return _actual_days(n, unit, start)


def _actual_days(n: int, unit: str, start: pd.Timestamp | pd.DatetimeIndex) -> int | pd.Series:
    import pandas as pd

    offset = {
        "D": pd.DateOffset(days=n),
        "W": pd.DateOffset(weeks=n),
        "M": pd.DateOffset(months=n),
        "Y": pd.DateOffset(years=n),
    }[unit]
    if isinstance(start, pd.DatetimeIndex):
        days = (start + offset) - start
        return pd.Series(days.days.astype("int64"), index=start, name="days")
    return int((pd.Timestamp(start) + offset - pd.Timestamp(start)).days)


def asof_align(series: pd.Series, index: pd.DatetimeIndex, max_stale_days: int | None = None) -> pd.Series:
    """Value of ``series`` known on each date of ``index`` (last observation carried forward).

    Rates are step-like, so a holiday in one market takes the previous
    fixing. A value is used on or after its own date only (never backwards), and
    only while it is at most ``max_stale_days`` calendar days old; older or not
    yet observed → NaN. NaN observations in ``series`` are ignored.
    """
    import numpy as np
    import pandas as pd

    clean = series.dropna().sort_index()
    clean = clean[~clean.index.duplicated(keep="last")]
    index = pd.DatetimeIndex(index)
    if clean.empty:
        return pd.Series(np.nan, index=index, name=series.name)
    pos = clean.index.searchsorted(index, side="right") - 1
    values = np.where(pos >= 0, clean.to_numpy(dtype=float)[np.clip(pos, 0, None)], np.nan)
    if max_stale_days is not None and len(clean):
        obs_dates = clean.index.to_numpy()[np.clip(pos, 0, None)]
        age = (index.to_numpy() - obs_dates) / np.timedelta64(1, "D")
        values = np.where(age > max_stale_days, np.nan, values)
    return pd.Series(values, index=index, name=series.name)


def align_monthly_to_daily(
    monthly: pd.Series,
    daily_index: pd.DatetimeIndex,
    lag_months: int = 0,
) -> pd.Series:
    """Put a monthly-average rate (e.g. FRED ``IR3TIB01JPM156N``) on daily dates.

    A monthly OECD figure is the *average over month m*; it cannot be known
    before month m has ended. The rule here:

    * the month is read from each date's calendar month (dated at month start,
      as FRED does, or at month end, as the store does — the day is ignored);
    * the value for month ``m`` is used on every daily date in month
      ``m + 1 + lag_months`` and after, until a newer month takes over (last
      published month carried forward, never looked ahead);
    * ``lag_months=0`` ("known once the month is over") is the default;
      ``lag_months=1`` mimics the OECD/FRED publication delay of roughly a
      month for real-time (as-first-available) backtests.

    Example: with ``lag_months=0`` the July-2024 average (0.166 % in the FRED
    file, dated 2024-07-01) applies from 2024-08-01 to 2024-08-31, and the
    August average (0.255 %) from 2024-09-01.

    Returns
    -------
    Series on ``daily_index`` (NaN before the first usable month).
    """
    import pandas as pd

    if lag_months < 0:
        raise ValueError(f"`lag_months` must be >= 0 (a negative lag looks ahead), got {lag_months}")
    clean = monthly.dropna()
    months = pd.DatetimeIndex(clean.index).to_period("M")
    usable_from = (months + 1 + lag_months).to_timestamp(how="start")
    known = pd.Series(clean.to_numpy(dtype=float), index=usable_from, name=monthly.name)
    return asof_align(known, pd.DatetimeIndex(daily_index), max_stale_days=None)


def bond_tenor_label(tenor: str | int | float) -> str:
    """Normalise a bond tenor to ``"<n>Y"``: ``10`` → ``"10Y"``, ``"10y"`` → ``"10Y"``.

    Bare numbers are years. Month tenors (``"3M"``) and labels such as
    ``"DGS10"`` or ``"10Y_yield"`` are rejected with a ValueError.
    """
    text = str(tenor).strip().upper()
    if text.endswith("Y"):
        text = text[:-1]
    try:
        years = float(text)
    except ValueError:
        raise ValueError(f"bond tenor must look like 10, '10', '10Y' (years), got {tenor!r}") from None
    if years <= 0:
        raise ValueError(f"bond tenor must be positive, got {tenor!r}")
    return f"{years:g}Y"
