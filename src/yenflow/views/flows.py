"""MOF securities flows, residents' flows by investor type and JSDA's "who buys
JGBs": values, rolling sums and their context (percentile, "largest since",
streaks, records)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

SIDES = {"foreign": "non-residents' net purchases of Japanese securities (inward, BoP liabilities)",
         "resident": "residents' net purchases of foreign securities (outward, BoP assets)"}
ASSETS = {"equity": "equity & investment fund shares", "bonds": "long-term debt securities",
          "bills": "short-term debt securities", "total": "all securities",
          "subtotal": "equity + long-term debt (MOF's subtotal 小計, as published)",
          "debt": "long- + short-term debt (derived by yenflow: MOF publishes no such total)"}
#: display units: divisor from the stored JPY 100m, unit name
UNITS = {"bn": (10.0, "JPY bn"), "tn": (10_000.0, "JPY tn")}  # ¥1bn = 10 × ¥100m; ¥1tn = 10,000 × ¥100m
#: MOF moved investment funds from debt to equity in January 2014: ranks start there by default
RECLASSIFICATION = "2014-01-01"
MONEY_COLUMNS = ("value", "sum_3", "sum_12", "sum_4", "sum_13", "sum_52", "ytd", "fytd")

Unit = Literal["bn", "tn"]


@dataclass(frozen=True)
class FlowsParams(ViewParams):
    weekly: bool = opt(True, "Weekly (default) or monthly MOF data", cli="--weekly/--monthly")
    side: Literal["foreign", "resident"] = opt("foreign", "foreign: non-residents buying Japan; resident: Japanese buying abroad")
    asset: Literal["equity", "bonds", "bills", "debt", "subtotal", "total"] = opt(
        "total", "equity, bonds (long-term debt), bills (short-term debt), debt (bonds + bills, derived), "
                 "subtotal (MOF's stocks and bonds) or total")
    last: int = opt(12, "Rows to show", minimum=1, maximum=5000)
    window: int | None = opt(None, "Percentile over the last N values (default: every value in the ranking history)", minimum=2)
    full_history: bool = opt(False, "Rank against the full history since 2005 (default: since the 2014-01 reclassification)")
    reconcile: bool = opt(False, "Weekly vs monthly per month, with the gap and why")
    series: str | None = opt(None, "Any flow series id in JPY 100m instead (e.g. mof.investor.bonds.life_insurers.net, "
                                   "bop.pi.assets.total.net, jsda.net_buying.foreigners.super_long)")
    unit: Unit = opt("bn", "Display unit: bn (¥bn) or tn (¥tn); MOF publishes ¥100m")


def flow_series_id(weekly: bool, side: str, asset: str) -> str:
    return f"mof.{'weekly' if weekly else 'monthly'}.{side}.{asset}.net"


def context_frame(s: "pd.Series", last: int, weekly: bool, window: int | None, rank_start: str | None,
                  unit: Unit) -> "tuple[pd.DataFrame, dict[str, str]]":
    """The context table with money columns in the display unit; and the units."""
    from yenflow.analytics import flows

    table = flows.context_table(s, last=last, weekly=weekly, window=window, rank_start=rank_start)
    divisor, unit_name = UNITS[unit]
    money = [c for c in table.columns if c in MONEY_COLUMNS]
    out = table[money] / divisor
    for c in ("percentile", "zscore", "largest_since", "streak", "record"):
        out[c] = table[c]
    units = {c: unit_name for c in money}
    units.update(percentile="percentile", zscore="z", largest_since="date", streak="count", record="text")
    return out, units


def _rank_words(p: FlowsParams, s: "pd.Series", rank_start: str | None) -> str:
    from yenflow.analytics.context import TIE_RULE, describe_window

    window = describe_window(p.window, rank_start or s.index.min(), "values")
    return (f"percentile, zscore (156 weeks / 60 months), largest_since and record rank each row among {window}; "
            f"{TIE_RULE}; largest_since = last earlier date with a purchase (sale) at least as large, blank = "
            "the largest in that history; only data up to each row is used")


@view("flows", FlowsParams, "MOF portfolio flows with rolling sums and context (percentile, \"largest since\", "
      "streaks, records); --reconcile compares weekly and monthly.", "yenflow flows --monthly --side foreign --asset total --last 24")
def flows(market: "Market", p: FlowsParams) -> "ViewResult":
    if p.reconcile:
        return _reconcile(market, p)
    if p.series:
        return _any_series(market, p)
    import pandas as pd

    from yenflow.analytics import flows as fa
    from yenflow.sources.mof.its_common import breaks_for
    from yenflow.views.result import Chart, Table

    sid = flow_series_id(p.weekly, p.side, p.asset)
    ids = [sid] + (["fx.usdjpy"] if not p.weekly else [])
    market.load(ids)
    s = market.need(sid, "the flows table", role="flow").dropna()
    rank_start = None if p.full_history else RECLASSIFICATION
    out, units = context_frame(s, p.last, p.weekly, p.window, rank_start, p.unit)
    warnings = []
    if not p.weekly:
        fx = market.get("fx.usdjpy", role="month-average USD/JPY for $bn")
        if fx is not None:
            out.insert(1, "value_usd_bn", fa.monthly_usd(s, fx).reindex(out.index))
            units["value_usd_bn"] = "USD bn"
            if out["value_usd_bn"].isna().any():
                warnings.append("value_usd_bn is blank for months with fewer than 10 USD/JPY fixings in the store")
    if p.weekly:
        spans = market.observations([sid]).set_index("ref_date")["period_start"]
        out.insert(0, "week_from", pd.to_datetime(out.index.map(spans)))
        units["week_from"] = "date"
    out.index.name = "week_to" if p.weekly else "month"
    units[out.index.name] = "date"
    start = out.index.min()
    found = [(pd.Timestamp(d), text) for d, text in breaks_for(sid) if pd.Timestamp(d) >= s.index.min()]
    crossing = [f"series break {d:%Y-%m}: {text}" for d, text in found if d >= start]
    earlier = sorted({f"{d:%Y-%m}" for d, _ in found if d < start})
    divisor, unit_name = UNITS[p.unit]
    conventions = [
        f"{sid}: {SIDES[p.side]}, {ASSETS[p.asset]}; + = net buying, − = net selling",
        f"amounts in {unit_name} (MOF publishes ¥100m; ÷{divisor:g})" + ("; $bn at the month's average USD/JPY (DEXJPUS)" if not p.weekly else ""),
        ("sum_4/13/52: trailing 4/13/52 weeks" if p.weekly else "sum_3/12: trailing 3/12 months")
        + "; ytd: calendar year; fytd: fiscal year from April; streak: consecutive weeks (months) of the same sign",
        _rank_words(p, s, rank_start),
        ("weekly: designated major investors, contract basis, Sunday–Saturday weeks dated by their Saturday; "
         "MOF revises recent weeks" if p.weekly else "monthly: designated major investors; revised in later releases"),
        *([f"series breaks before this window (see `yenflow series {sid}`): {', '.join(earlier)}"] if earlier else []),
    ]
    warnings += crossing
    who = "Foreigners' net buying of Japanese" if p.side == "foreign" else "Japanese residents' net buying of foreign"
    title = f"{who} {ASSETS[p.asset]} — MOF {'weekly' if p.weekly else 'monthly'} ({unit_name})"
    chart = Chart("bar", y=("value",), y_title=f"net buying, {unit_name}", zero_line=True)
    table = Table("flows", out, units, kind="series", title=title, date_column=out.index.name, chart=chart)
    return make_result(market, "flows", title, p, [table], conventions, warnings)


def _reconcile(market: "Market", p: FlowsParams) -> "ViewResult":
    from yenflow.analytics import flows as fa
    from yenflow.views.result import Table

    market.load([flow_series_id(True, p.side, p.asset), flow_series_id(False, p.side, p.asset)])
    w = market.need(flow_series_id(True, p.side, p.asset), "the reconciliation", role="weekly flow")
    m = market.need(flow_series_id(False, p.side, p.asset), "the reconciliation", role="monthly flow")
    out = fa.reconcile_weekly_monthly(w, m, detail=True, split="weekdays").tail(p.last)
    divisor, unit_name = UNITS[p.unit]
    money = ["weeks_ending_in_month", "weeks_pro_rata", "monthly", "gap", "gap_ending"]
    out[money] = out[money] / divisor
    out.index.name = "month"
    units = {c: unit_name for c in money}
    units.update(month="date", gap_pct_of_monthly="%", gap_ending_pct_of_monthly="%", n_weeks="count",
                 boundary_weekdays="count", why="text")
    places = 1 if p.unit == "bn" else 4
    decimals = {c: places for c in money} | {"gap_pct_of_monthly": 2, "gap_ending_pct_of_monthly": 2}
    conventions = [
        f"amounts in {unit_name}; weeks_ending_in_month: weeks whose Saturday falls in the month; weeks_pro_rata: each "
        "Sunday–Saturday week split over its Monday–Friday trading days (1/5 each; weekends carry no trading); "
        "gap = monthly − pro rata; gap_ending = monthly − weeks ending in the month",
        "both files come from the same designated major investors on a contract basis: in months made of whole weeks "
        "they agree to rounding; elsewhere the gap is the trading in the weeks that straddle month ends "
        "(boundary_weekdays), which an even split cannot place, plus revisions the weekly file has not yet taken",
    ]
    title = f"MOF weekly vs monthly, {p.side} {p.asset} ({unit_name})"
    table = Table("reconciliation", out, units, kind="series", title=title, date_column="month", decimals=decimals)
    return make_result(market, "flows", title, p, [table], conventions)


def _any_series(market: "Market", p: FlowsParams) -> "ViewResult":
    from yenflow.views.result import Chart, Table

    sid = str(p.series)
    s = market.need(sid, "the flows table", role="flow").dropna()
    if s.attrs.get("unit") != "JPY 100m":
        raise MissingInputError(f"{sid} is in {s.attrs.get('unit')!r}; the flows table takes flows in JPY 100m")
    weekly = s.attrs.get("frequency") == "weekly"
    rank_start = None if p.full_history or not sid.startswith(("mof.", "bop.")) else RECLASSIFICATION
    out, units = context_frame(s, p.last, weekly, p.window, rank_start, p.unit)
    out.index.name = "date"
    units["date"] = "date"
    unit_name = UNITS[p.unit][1]
    conventions = [f"{sid}: {s.attrs.get('name')}; {unit_name} (stored in ¥100m)",
                   (market.details(sid).get("description") or "").strip(), _rank_words(p, s, rank_start)]
    title = f"{sid} ({unit_name})"
    table = Table("flows", out, units, kind="series", title=title, date_column="date",
                  chart=Chart("bar", y=("value",), y_title=unit_name, zero_line=True))
    return make_result(market, "flows", title, p, [table], conventions)


INVESTOR_ASSETS = {"equity": "equity & investment fund shares", "bonds": "long-term debt securities",
                   "bills": "short-term debt securities"}


@dataclass(frozen=True)
class InvestorsParams(ViewParams):
    asset: Literal["equity", "bonds", "bills"] = opt("bonds", "equity, bonds (long-term debt) or bills (short-term debt)")
    unit: Unit = opt("bn", "bn (¥bn) or tn (¥tn)")
    full_history: bool = opt(False, "Rank against the full history since 2005 (default: since the 2014-01 reclassification)")


@view("investors", InvestorsParams, "Residents' net purchases of foreign securities by investor type (banks, lifers, "
      "pensions…), latest month with 3/12-month sums: who is bringing money home.", "yenflow investors --asset bonds")
def investors(market: "Market", p: InvestorsParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics.context import TIE_RULE
    from yenflow.analytics.flows import latest_context
    from yenflow.views.result import Table

    ids = market.ids(f"mof.investor.{p.asset}.", pattern=r"\.net$")
    if not ids:
        raise MissingInputError("no by-investor series; run `yenflow update mof.securities_by_investor`")
    market.load(ids)
    divisor, unit_name = UNITS[p.unit]
    rank_start = None if p.full_history else RECLASSIFICATION
    rows, latest = [], []
    for sid in ids:
        s = market.series(sid, role="investor flow").dropna()
        if s.empty:
            continue
        r = latest_context(s, weekly=False, rank_start=rank_start)
        latest.append(r["date"])
        rows.append({"investor": sid.split(".")[3], "month": r["date"], "net": r["value"] / divisor,
                     "sum_3m": r["sum_3"] / divisor, "sum_12m": r["sum_12"] / divisor, "fytd": r["fytd"] / divisor,
                     "percentile": r["percentile"], "largest_since": r["largest_since"], "streak": r["streak"],
                     "record": r["record"]})
    frame = pd.DataFrame(rows).sort_values("sum_12m").reset_index(drop=True)
    units = {"investor": "text", "month": "date", "net": unit_name, "sum_3m": unit_name, "sum_12m": unit_name,
             "fytd": unit_name, "percentile": "percentile", "largest_since": "date", "streak": "count", "record": "text"}
    warnings = []
    newest = max(latest)
    old = sorted({r["investor"] for r in rows if r["month"] < newest})
    if old:
        warnings.append(f"{', '.join(old)}: latest month older than {newest:%Y-%m}")
    conventions = [
        f"residents' net purchases of foreign {INVESTOR_ASSETS[p.asset]} by investor type (MOF monthb2/3/4), "
        f"{unit_name}; + = net buying abroad, − = net selling (money coming home)",
        f"sorted by the 12-month sum; percentile and largest_since rank the latest month among every month "
        f"{'since 2005' if p.full_history else 'since the 2014-01 reclassification'}; {TIE_RULE}",
        "trust_accounts ≈ pension money managed by trust banks; categories changed in 2007-10 and investment funds "
        "moved to equity in 2014-01 (see `yenflow series mof.investor`)",
    ]
    title = f"Japanese investors' net buying of foreign {p.asset} by type ({unit_name}; − = selling, money coming home)"
    table = Table("investors", frame, units, title=title, date_column="month")
    return make_result(market, "investors", title, p, [table], conventions, warnings)


JSDA_INVESTORS = ("foreigners", "insurers", "city_banks", "regional_banks", "trust_banks", "investment_trusts")
JSDA_BUCKETS = ("super_long", "long", "medium", "coupon", "tbill")


@dataclass(frozen=True)
class JgbBuyersParams(ViewParams):
    last: int = opt(6, "Months to show", minimum=1, maximum=600)
    unit: Unit = opt("bn", "bn (¥bn) or tn (¥tn)")


@view("jgb_buyers", JgbBuyersParams, "Who buys JGBs: JSDA OTC net buying by foreigners, insurers and banks per "
      "maturity bucket.", "yenflow jgb-buyers --last 6")
def jgb_buyers(market: "Market", p: JgbBuyersParams) -> "ViewResult":
    import pandas as pd

    from yenflow.views.result import Table

    ids = [f"jsda.net_buying.{inv}.{b}" for inv in JSDA_INVESTORS for b in JSDA_BUCKETS]
    market.load(ids)
    divisor, unit_name = UNITS[p.unit]
    frames = {(sid.split(".")[2], sid.split(".")[3]): market.series(sid, role="JSDA net buying") / divisor
              for sid in ids if market.has(sid)}
    if not frames:
        raise MissingInputError("no JSDA series; run `yenflow update jsda.bond_trading`")
    months = sorted({d for s in frames.values() for d in s.index})[-p.last:]
    rows = []
    for month in months:
        for inv in JSDA_INVESTORS:
            rec: dict[str, object] = {"month": month, "investor": inv}
            for b in JSDA_BUCKETS:
                if (inv, b) in frames:
                    rec[b] = frames[(inv, b)].get(month)
            if len(rec) > 2:
                rows.append(rec)
    frame = pd.DataFrame(rows)
    units = {"month": "date", "investor": "text", **{b: unit_name for b in JSDA_BUCKETS}}
    conventions = [
        f"JSDA OTC bond trading by investor type, {unit_name} face value; yenflow flips JSDA's sign (sales − purchases) "
        "so + = net buying",
        "super_long: over 10 years; long: about 10 years; medium: 2–6 years; coupon: the three together (coupon-bearing "
        "JGBs, derived by yenflow); tbill: treasury discount bills — kept apart: foreigners' T-bill trading is large and "
        "says little about demand for JGBs",
        "OTC trading only (excludes auctions and BOJ operations); insurers = life & non-life",
    ]
    title = f"JGB net buying by investor type, JSDA OTC ({unit_name}, + = net buying)"
    return make_result(market, "jgb_buyers", title, p, [Table("jgb_buyers", frame, units, title=title, date_column="month")],
                       conventions)

