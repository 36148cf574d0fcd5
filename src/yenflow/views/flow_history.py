"""Flows over time, for charts: one MOF flow with its rolling sum, a band of
its own history and the calendar-year running sums; the rotation between
asset classes; residents' foreign bond buying by investor type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from yenflow.views.flows import ASSETS, SIDES, UNITS, Unit, flow_series_id
from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams, opt
from yenflow.views.registry import view

#: ¥1tn = 10,000 × ¥100m (MOF's unit)
JPY_100M_PER_TN = 10_000.0

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult


@dataclass(frozen=True)
class FlowHistoryParams(ViewParams):
    weekly: bool = opt(True, "Weekly (default) or monthly MOF data", cli="--weekly/--monthly")
    side: Literal["foreign", "resident"] = opt("foreign", "foreign: non-residents buying Japan; resident: Japanese buying abroad")
    asset: Literal["equity", "bonds", "bills", "subtotal", "total"] = opt("total", "equity, bonds, bills, subtotal or total")
    years: int = opt(5, "Years of history to show (0 = all)", minimum=0, maximum=40)
    band_window: int | None = opt(None, "Periods in the band's trailing window (default 156 weeks / 60 months)", minimum=8)
    unit: Unit = opt("bn", "Display unit: bn (¥bn) or tn (¥tn); MOF publishes ¥100m")
    ytd_years: int = opt(5, "Calendar years in the year-to-date comparison", minimum=1, maximum=20)


@view("flow_history", FlowHistoryParams, "One MOF flow over time: each week (month), its 13-week (12-month) sum "
      "against the 10–90 % band of its own trailing history, and year-to-date running sums by year.",
      "yenflow flow-history --side resident --asset bonds --years 3")
def flow_history(market: "Market", p: FlowHistoryParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics.bands import running_sum_by_year, trailing_quantiles
    from yenflow.analytics.flows import cumulative_ytd, rolling_sums
    from yenflow.views.result import Chart, Table

    sid = flow_series_id(p.weekly, p.side, p.asset)
    s = market.need(sid, "the flow history", role="flow").dropna()
    n = 13 if p.weekly else 12
    window = p.band_window or (156 if p.weekly else 60)
    divisor, unit_name = UNITS[p.unit]
    summed = rolling_sums(s, (n,), "weekly" if p.weekly else "monthly")[f"sum_{n}"]
    band = trailing_quantiles(summed, window)
    frame = pd.DataFrame({"value": s, f"sum_{n}": summed, "band_p10": band["p10"], "band_p50": band["p50"],
                          "band_p90": band["p90"], "ytd": cumulative_ytd(s)}) / divisor
    if p.years:
        frame = frame.loc[frame.index[-1] - pd.DateOffset(years=p.years):]
    frame.index.name = "week_to" if p.weekly else "month"
    period = "week" if p.weekly else "month"
    units = {frame.index.name: "date", **{c: unit_name for c in frame.columns}}
    whose = "Japanese" if p.side == "foreign" else "foreign"
    what = f"all {whose} securities" if p.asset == "total" else f"{whose} {ASSETS[p.asset]}"
    who = "Foreigners'" if p.side == "foreign" else "Japanese residents'"
    title = f"{who} net buying of {what} (MOF {'weekly' if p.weekly else 'monthly'}, {unit_name}, + = buying)"
    sum_label = f"{n}-{period} sum"
    chart = Chart("bar", y=("value",), lines=(f"sum_{n}",), band=("band_p10", "band_p90"),
                  y_title=f"net buying, {unit_name}", zero_line=True,
                  labels=(("value", f"each {period}"), (f"sum_{n}", sum_label),
                          ("band_p10", f"{sum_label}: 10–90 % of the last {window} {period}s")))
    by_year = running_sum_by_year(s, p.ytd_years, p.weekly) / divisor
    by_year.index.name = "week_of_year" if p.weekly else "month_of_year"
    ytd_units = {by_year.index.name: "week" if p.weekly else "month", **{c: unit_name for c in by_year.columns}}
    ytd_chart = Chart("line", y=tuple(by_year.columns), y_title=f"cumulative net buying, {unit_name}", zero_line=True,
                      x_title=("week of the year (weeks ending Saturday)" if p.weekly else "month of the year"),
                      events=False)
    conventions = [
        f"{sid}: {SIDES[p.side]}, {ASSETS[p.asset]}; + = net buying, − = net selling; {unit_name} (MOF publishes ¥100m)",
        f"sum_{n}: trailing {n} {period}s, all present; band: 10th, 50th and 90th percentiles of the sum_{n} values "
        f"of the trailing {window} {period}s to each date (linear interpolation; at least half the window)",
        "ytd: calendar-year running sum (a week counts in the year of its Saturday); the year-to-date table lays the "
        "last years side by side",
    ]
    tables = [Table("history", frame, units, kind="series", title=title, date_column=frame.index.name, chart=chart),
              Table("ytd_by_year", by_year, ytd_units, kind="snapshot",
                    title=f"{who} net buying of {what}: year to date, by year ({unit_name})", chart=ytd_chart)]
    return make_result(market, "flow_history", title, p, tables, conventions)


ROTATION = (
    ("resident_equity", "mof.monthly.resident.equity.net", "Japanese → foreign equity"),
    ("resident_bonds", "mof.monthly.resident.bonds.net", "Japanese → foreign bonds"),
    ("foreign_equity", "mof.monthly.foreign.equity.net", "Foreigners → Japanese equity"),
    ("foreign_bonds", "mof.monthly.foreign.bonds.net", "Foreigners → Japanese bonds"),
)


@dataclass(frozen=True)
class RotationParams(ViewParams):
    years: int = opt(10, "Years of history to show (0 = all)", minimum=0, maximum=40)
    months: int = opt(12, "Months in the rolling sum", minimum=1, maximum=60)


@view("rotation", RotationParams, "Asset-class rotation: 12-month sums of Japanese residents' foreign equity and "
      "bond buying and foreigners' Japanese equity and bond buying (¥tn).", "yenflow rotation --years 5")
def rotation(market: "Market", p: RotationParams) -> "ViewResult":
    from yenflow.views.result import Chart, Table

    frame = _rolling_tn(market, {name: sid for name, sid, _ in ROTATION}, "monthly flow", p.months, p.years,
                        "no MOF monthly flows in the store; run `yenflow update mof.securities_monthly`")
    units = {"month": "date", **{c: "JPY tn" for c in frame.columns}}
    labels = tuple((name, label) for name, _, label in ROTATION if name in frame.columns)
    title = f"Asset-class rotation: {p.months}-month net buying (MOF monthly, ¥tn)"
    conventions = [f"{p.months}-month sums of MOF monthly net purchases, ¥tn (MOF publishes ¥100m); + = net buying; "
                   "resident = Japanese investors buying foreign securities, foreign = non-residents buying Japanese ones",
                   "bonds = long-term debt securities; MOF moved investment funds from debt to equity in 2014-01"]
    chart = Chart("line", y=tuple(frame.columns), y_title=f"{p.months}-month net buying, ¥tn", zero_line=True,
                  labels=labels)
    table = Table("rotation", frame, units, kind="series", title=title, date_column="month", chart=chart)
    return make_result(market, "rotation", title, p, [table], conventions)


def _rolling_tn(market: "Market", ids: dict[str, str], role: str, months: int, years: int,
                missing: str) -> "pd.DataFrame":
    """``months``-month rolling sums of monthly ¥100m flows in ¥tn, one column per key of ``ids``, last ``years``."""
    import pandas as pd

    from yenflow.analytics.flows import rolling_sums

    market.load(ids.values())
    cols = {}
    for name, sid in ids.items():
        s = market.get(sid, role=role)
        if s is not None and not s.dropna().empty:
            cols[name] = rolling_sums(s.dropna(), (months,), "monthly")[f"sum_{months}"] / JPY_100M_PER_TN
    if not cols:
        raise MissingInputError(missing)
    frame = pd.DataFrame(cols).sort_index()
    if years:
        frame = frame.loc[frame.index[-1] - pd.DateOffset(years=years):]
    frame.index.name = "month"
    return frame


INVESTOR_TYPES = ("banks", "life_insurers", "trust_accounts", "investment_trusts")
INVESTOR_NAMES = {"banks": "Banks", "life_insurers": "Life insurers", "trust_accounts": "Trust accounts (≈ pensions)",
                  "investment_trusts": "Investment trusts"}


@dataclass(frozen=True)
class InvestorHistoryParams(ViewParams):
    asset: Literal["equity", "bonds", "bills"] = opt("bonds", "equity, bonds (long-term debt) or bills")
    years: int = opt(10, "Years of history to show (0 = all)", minimum=0, maximum=40)
    months: int = opt(12, "Months in the rolling sum", minimum=1, maximum=60)


@view("investor_history", InvestorHistoryParams, "Japanese residents' net buying of foreign securities by investor "
      "type over time: banks, life insurers, trust accounts (≈ pensions), investment trusts (12-month sums, ¥tn).",
      "yenflow investor-history --asset bonds")
def investor_history(market: "Market", p: InvestorHistoryParams) -> "ViewResult":
    from yenflow.views.result import Chart, Table

    ids = {inv: f"mof.investor.{p.asset}.{inv}.net" for inv in INVESTOR_TYPES}
    frame = _rolling_tn(market, ids, "investor flow", p.months, p.years,
                        "no by-investor series; run `yenflow update mof.securities_by_investor`")
    units = {"month": "date", **{c: "JPY tn" for c in frame.columns}}
    title = f"Who is buying abroad: {p.months}-month net buying of foreign {p.asset} by investor type (¥tn)"
    conventions = [f"MOF monthly by investor type (monthb2/3/4), {p.months}-month sums in ¥tn; + = net buying abroad, "
                   "− = net selling (money coming home); trust_accounts ≈ pension money managed by trust banks"]
    chart = Chart("line", y=tuple(frame.columns), y_title=f"{p.months}-month net buying, ¥tn", zero_line=True,
                  labels=tuple((c, INVESTOR_NAMES[c]) for c in frame.columns))
    table = Table("investor_history", frame, units, kind="series", title=title, date_column="month", chart=chart)
    return make_result(market, "investor_history", title, p, [table], conventions)
