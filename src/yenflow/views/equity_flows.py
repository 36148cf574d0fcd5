"""Who buys Japanese stocks: JPX weekly trading by investor type beside MOF's weekly foreign equity flows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

Section = Literal["prime", "standard", "growth", "tokyo_nagoya"]
MOF_FOREIGN_EQUITY = "mof.weekly.foreign.equity.net"


@dataclass(frozen=True)
class EquityFlowsParams(ViewParams):
    section: Section = opt("prime", "JPX market section")
    weeks: int = opt(13, "Weeks to show", minimum=1, maximum=1000)
    unit: Literal["jpy_bn", "usd_bn"] = opt("jpy_bn", "Unit of the flows: ¥bn, or $bn at each week's USD/JPY")


@view("equity_flows", EquityFlowsParams, "Who buys Japanese stocks: JPX weekly net buying by investor type "
      "(foreigners, individuals, business companies as the buyback proxy, trust banks…) beside MOF's weekly "
      "foreign equity flows.", "yenflow equity-flows --weeks 8")
def equity_flows(market: "Market", p: EquityFlowsParams) -> "ViewResult":
    from yenflow.analytics import equity_flows as ef
    from yenflow.sources.jpx.investor_types import SECTION_NAMES
    from yenflow.views.result import Chart, Table

    prefix = f"jpx.investor.{p.section}."
    ids = {t: f"{prefix}{t}.net" for t in ef.DEFAULT_TYPES}
    market.load([*ids.values(), MOF_FOREIGN_EQUITY, "fx.usdjpy"])
    jpx = {t: market.series(sid, role="JPX net buying by investor type") for t, sid in ids.items() if market.has(sid)}
    if "foreigners" not in jpx or jpx["foreigners"].dropna().empty:
        raise MissingInputError(
            f"no JPX investor-type series for {SECTION_NAMES[p.section]} ({prefix}*); load JPX's weekly files with "
            "`yenflow update jpx.investor_types --from DIR`, or the J-Quants export with "
            "`yenflow import-reexport FILE --source jpx.investor_types`")
    mof = market.get(MOF_FOREIGN_EQUITY, role="MOF weekly foreign equity flows")
    weekly = ef.weekly_table(jpx, mof)
    warnings = []
    unit, unit_name = "JPY bn", "¥bn"
    shown = weekly.tail(p.weeks)
    sums = ef.period_sums(weekly, (4, 13, 52))
    if p.unit == "usd_bn":
        fx = market.need("fx.usdjpy", "$ conversion", role="USD/JPY for $bn")
        usd = ef.to_usd_bn(weekly, fx)
        sums = ef.period_sums(usd, (4, 13, 52))
        shown = usd.assign(mof_week_end=weekly["mof_week_end"]).tail(p.weeks) if "mof_week_end" in weekly else usd.tail(p.weeks)
        unit, unit_name = "USD bn", "$bn"
        if usd["foreigners"].tail(p.weeks).isna().any():
            warnings.append("some weeks have no USD/JPY fixing within 7 days of the week end: their $ values are empty")
    third = sorted({str(market.details(sid)["notes"]) for sid in ids.values()
                    if market.has(sid) and market.info(sid)["user_imported"]})
    if third:
        warnings.append("JPX figures come from a third-party re-export, not a JPX download: " + third[0])
    jpx_end = jpx["foreigners"].dropna().index[-1]
    if mof is not None and len(mof.dropna()) and (mof.dropna().index[-1] - jpx_end).days > 14:
        warnings.append(f"JPX data end {jpx_end:%Y-%m-%d}; MOF's weekly flows run to {mof.dropna().index[-1]:%Y-%m-%d}")
    conventions = [
        f"JPX trading by type of investors, {SECTION_NAMES[p.section]}, value: net buying = purchases − sales, "
        f"thousand yen as published, shown in {unit_name}; + = net buying; week_end = the week's last trading day",
        f"MOF: non-residents' net acquisition of Japanese equity and investment fund shares (week.csv), ¥100m → "
        f"{unit_name}; Sunday–Saturday weeks, matched to the JPX week ending in them (mof_week_end)",
        "business_cos (事業法人) is the usual proxy for corporate buybacks",
        *[f"JPX vs MOF: {d}" for d in ef.DIFFERENCES],
        "sums: the last 4, 13 and 52 weeks in the store (weeks = how many were present)",
    ]
    if p.unit == "usd_bn":
        conventions.append("$bn: each week's ¥ flow at the last USD/JPY fixing (H.10 noon) on or before its end")
    col_units = {c: unit for c in shown.columns} | {"week_end": "date", "mof_week_end": "date"}
    sums.index.name = "window"
    tables = [
        Table("weekly", shown, col_units, kind="series", date_column="week_end",
              title=f"Net buying of Japanese equities by investor type ({unit_name}, + = net buying)",
              decimals={c: 1 for c in shown.columns if c != "mof_week_end"},
              chart=Chart("bar", y=tuple(c for c in ("foreigners", "individuals", "business_cos", "mof_foreigners")
                                         if c in shown), y_title=unit_name, zero_line=True)),
        Table("sums", sums, {c: unit for c in sums.columns} | {"window": "text", "weeks": "count"},
              title=f"Net buying over the last 4, 13 and 52 weeks ({unit_name})", decimals={c: 1 for c in sums.columns}),
    ]
    return make_result(market, "equity_flows", "Who buys Japanese stocks", p, tables, conventions, warnings)
