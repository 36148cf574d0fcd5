"""Yield curves on dates (today vs a month and a year ago) and the history of
UST−JGB spreads by tenor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from yenflow.views.inputs import JGB_TENORS, jgb_curve, ust_curve
from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

UST_TENORS = (1, 2, 3, 5, 7, 10, 20, 30)
#: the comparison dates: label → calendar days before the curve's latest date
LOOKBACKS = {"latest": 0, "1m_ago": 30, "1y_ago": 365}


@dataclass(frozen=True)
class CurvesParams(ViewParams):
    date: date | None = opt(None, "Date of the latest curve (default: the latest with a 10Y yield)")


def _on_or_before(curve: "pd.DataFrame", day: "pd.Timestamp") -> "tuple[pd.Timestamp | None, pd.Series | None]":
    """The last row dated on or before ``day`` that has a 10Y yield."""
    rows = curve.loc[:day].dropna(subset=["10Y"])
    if rows.empty:
        return None, None
    return rows.index[-1], rows.iloc[-1]


@view("curves", CurvesParams, "UST and JGB yield curves today, a month and a year ago (%), with the date of each.",
      "yenflow curves --date 2024-08-05")
def curves(market: "Market", p: CurvesParams) -> "ViewResult":
    import pandas as pd

    from yenflow.views.result import Chart, Table

    ust, jgb = ust_curve(market, UST_TENORS), jgb_curve(market, JGB_TENORS)
    tenors = sorted({int(c[:-1]) for c in (*ust.columns, *jgb.columns)})
    frame = pd.DataFrame({"tenor": [f"{t}Y" for t in tenors], "years": [float(t) for t in tenors]})
    labels, dates, warnings = [], [], []
    for name, curve in (("jgb", jgb), ("ust", ust)):
        if "10Y" not in curve:
            raise MissingInputError(f"no {name.upper()} 10Y yield in the store")
        anchor = pd.Timestamp(p.date) if p.date else curve["10Y"].dropna().index[-1]
        for label, days in LOOKBACKS.items():
            when, row = _on_or_before(curve, anchor - pd.Timedelta(days=days))
            col = f"{name}_{label}"
            frame[col] = [None if row is None else row.get(f"{t}Y") for t in tenors]
            frame[col] = frame[col].astype("float64")
            dates.append({"curve": col, "date": when})
            labels.append((col, f"{name.upper()} {when:%Y-%m-%d}" if when is not None else f"{name.upper()} (none)"))
            if label == "latest" and p.date and when is not None and (anchor - when).days > 7:
                warnings.append(f"{name.upper()} curve dated {when:%Y-%m-%d}, {(anchor - when).days} days before "
                                f"{anchor:%Y-%m-%d}: no later yields stored")
    ycols = tuple(c for c in frame.columns if c.startswith(("jgb_", "ust_")))
    units = {"tenor": "text", "years": "years", **{c: "%" for c in ycols}}
    date_frame = pd.DataFrame(dates)
    conventions = [
        "JGB: MOF constant-maturity yields (semiannual compounding); UST: Treasury par curve (bond-equivalent), "
        "H.15 CMT after the last par file; in %",
        "each curve on the last date on or before the date asked (latest, 30 and 365 calendar days earlier) with a 10Y "
        "yield; tenors a curve does not publish are blank",
    ]
    chart = Chart("line", x="years", y=ycols, y_title="yield, %", x_title="maturity, years", labels=tuple(labels),
                  events=False)
    jl = dates[0]["date"]
    title = f"Yield curves: JGB (MOF) and UST (Treasury), latest {jl:%Y-%m-%d}" if jl is not None else "Yield curves"
    tables = [Table("curves", frame, units, title=title, chart=chart),
              Table("curve_dates", date_frame, {"curve": "text", "date": "date"}, title="Date of each curve",
                    date_column="date")]
    return make_result(market, "curves", title, p, tables, conventions, warnings)


@dataclass(frozen=True)
class SpreadHistoryParams(ViewParams):
    years: int = opt(10, "Years of history to the latest date (0 = all)", minimum=0, maximum=60)


@view("spread_history", SpreadHistoryParams, "UST−JGB yield spreads by tenor over time (bp).",
      "yenflow spread-history --years 5")
def spread_history(market: "Market", p: SpreadHistoryParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics import spreads as sp
    from yenflow.views.result import Chart, Table

    ust, jgb = ust_curve(market, sp.DEFAULT_TENORS), jgb_curve(market, sp.DEFAULT_TENORS)
    frame = sp.tenor_spreads(ust, jgb)
    if frame.empty:
        raise MissingInputError("no date has a UST and a JGB yield of the same tenor")
    if p.years:
        frame = frame.loc[frame.index[-1] - pd.DateOffset(years=p.years):]
    frame.index.name = "date"
    units = {"date": "date", **{c: "bp" for c in frame.columns}}
    labels = tuple((c, c.removeprefix("ust_jgb_").removesuffix("_bp").upper()) for c in frame.columns)
    conventions = ["UST (Treasury par, then H.15 CMT) minus JGB (MOF constant maturity) yield of the same tenor, in bp; "
                   "blank where either curve has no yield that day (holidays differ)"]
    title = "UST − JGB yield spread by tenor (bp)"
    table = Table("spreads", frame, units, kind="series", title=title, date_column="date",
                  chart=Chart("line", y=tuple(frame.columns), y_title="UST − JGB, bp", labels=labels, zero_line=True))
    return make_result(market, "spread_history", title, p, [table], conventions)
