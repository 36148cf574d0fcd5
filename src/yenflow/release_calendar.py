"""When each publisher releases its next figure (sources.md release calendars).

A source is *stale* when the release of the period after its last
observation was due more than ``grace`` business days ago and the store
still does not have it. Release lags are in business days after the end of
the period (Mon–Fri; public holidays of Tokyo and New York are not modelled,
which the grace days absorb).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Calendar:
    period: str  # pandas offset alias of the period end: "B", "W-SAT", "W-TUE", "ME", "QE"
    lag_bdays: int  # business days from the period end to the release
    note: str
    #: business days from a figure's reference date to its *first* publication, when that
    #: comes earlier than the file yenflow reads (auction results: the same day on MOF's
    #: result page, in the workbook weeks later); None = ``lag_bdays``
    published_lag_bdays: int | None = None

    @property
    def known_lag_bdays(self) -> int:
        return self.lag_bdays if self.published_lag_bdays is None else self.published_lag_bdays


CALENDARS: dict[str, Calendar] = {
    "mof.jgb_yields": Calendar("B", 1, "MOF, 09:30 JST the next business day"),
    "ustreasury.par_curve": Calendar("B", 0, "Treasury, same evening (≈18:00 ET)"),
    "fred": Calendar("B", 2, "FRED, H.10/H.15 next business day (OECD monthly series lag ~1 month)"),
    "mof.securities_weekly": Calendar("W-SAT", 4, "MOF, 08:50 JST Thursday after the Sun–Sat week"),
    "mof.securities_monthly": Calendar("ME", 8, "MOF, 08:50 JST around the 8th–12th of the next month"),
    "mof.securities_by_investor": Calendar("ME", 8, "MOF, with the monthly release"),
    "mof.bop_portfolio": Calendar("ME", 30, "MOF/BOJ BoP, about the 8th business day of the second month"),
    "mof.jgb_auctions": Calendar("ME", 25, "MOF workbook, refreshed about monthly (results public the same day, 12:35 JST)",
                                 published_lag_bdays=0),
    "mof.intervention": Calendar("QE", 30, "MOF daily detail, published about five weeks after the quarter"),
    "ustreasury.tic": Calendar("ME", 35, "TIC, about the 15th–18th of the second month"),
    "cftc.tff": Calendar("W-TUE", 3, "CFTC, Friday 15:30 ET for Tuesday positions"),
    "cftc.legacy": Calendar("W-TUE", 3, "CFTC, Friday 15:30 ET for Tuesday positions"),
    "boj.api": Calendar("B", 1, "BOJ, refreshed daily about 08:50 JST"),
    "boj.flow_of_funds": Calendar("QE", 60, "BOJ flow of funds, about 11 weeks after the quarter"),
    "jsda.bond_trading": Calendar("ME", 15, "JSDA, about the 20th of the next month"),
    "nikkei.stock_average": Calendar("B", 1, "Nikkei, after the Tokyo close"),
    "boj.bop_flat": Calendar("ME", 30, "BOJ/MOF BoP flat file, about the 8th business day of the second month "
                             "(its regional quarters come later, about 4½ months after the quarter)"),
    "boj.fof_flat": Calendar("QE", 60, "BOJ flow of funds, about 11 weeks after the quarter"),
    "boj.flat_files": Calendar("QE", 60, "BOJ IIP, about 3 months after the quarter"),
    "imf.pip": Calendar("2QE", 180, "IMF PIP (ex-CPIS), about 9 months after end-June / end-December"),
    "mof.bop_by_area": Calendar("QE", 95, "MOF regional BoP, about 4½ months after the quarter"),
    "statbureau.cpi": Calendar("ME", 20, "Statistics Bureau, national CPI about the 3rd Friday of the next month"),
    "bis.lbs": Calendar("QE", 90, "BIS locational banking statistics, about four months after the quarter"),
    "jpx.investor_types": Calendar("W-FRI", 4, "JPX, the 4th business day of the next week (15:30 JST)"),
}


def next_release(name: str, last_obs: "pd.Timestamp") -> "pd.Timestamp | None":
    """When the period after ``last_obs`` is due to be published (None: no calendar)."""
    import pandas as pd

    cal = CALENDARS.get(name)
    if cal is None:
        return None
    next_period_end = pd.Timestamp(last_obs) + pd.tseries.frequencies.to_offset(cal.period)
    return next_period_end + pd.offsets.BDay(cal.lag_bdays)


def is_stale(name: str, last_obs: "pd.Timestamp | None", today: "pd.Timestamp", grace_bdays: int = 2) -> bool | None:
    """True when a release is overdue by more than ``grace_bdays``; None without a calendar."""
    import pandas as pd

    if name not in CALENDARS:
        return None
    if last_obs is None:
        return True
    due = next_release(name, last_obs)
    return pd.Timestamp(today) > due + pd.offsets.BDay(grace_bdays)


def known_from(name: str, ref_dates: "pd.Series") -> "pd.Series":
    """The date each figure of source ``name`` became public: the end of the
    publisher's period holding its reference date (a daily intervention record
    is published with its quarter) plus the release lag in business days; or,
    where the calendar gives a first publication
    (:attr:`Calendar.published_lag_bdays`, e.g. auction results the same day),
    the reference date plus that lag.

    Used for point-in-time reads when the store has no ``released`` date.
    Sources without a calendar (user imports) are taken as known on their
    reference date.
    """
    import pandas as pd

    import numpy as np

    dates = pd.to_datetime(pd.Series(ref_dates)).dt.normalize()
    cal = CALENDARS.get(name)
    if cal is None or dates.empty:
        return dates
    if cal.published_lag_bdays is None and cal.period != "B":  # to the period's end (identity for period-end dates)
        from pandas.tseries.frequencies import to_offset

        dates = pd.Series(pd.DatetimeIndex(dates) + to_offset(cal.period).base * 0, index=dates.index)
    if cal.known_lag_bdays == 0:
        return dates
    # numpy's business-day arithmetic, rolled back from weekends: the same as
    # adding pandas' BDay(n) (Saturday + 4 business days = Thursday), vectorised
    days = dates.to_numpy().astype("datetime64[D]")
    out = np.busday_offset(days, cal.known_lag_bdays, roll="backward")
    return pd.Series(out.astype("datetime64[ns]"), index=dates.index)
