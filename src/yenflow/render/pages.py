"""What the dashboard and the report show: pages made of panels, each panel
one view with its parameters, the table to draw and how.

Adding a view to a page is one line: ``Panel("wealth")`` draws every table
of the view with its own chart hints (or shows "not available in this
build" until the view is registered). ``Panel(view, params, table=…,
chart=Chart(…))`` picks one table and draws it another way; ``note`` says
what stands in for what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

from yenflow.views.result import Chart

PanelKind = Literal["auto", "chart", "table", "cards"]


@dataclass(frozen=True)
class Panel:
    view: str
    params: Mapping[str, Any] = field(default_factory=dict)
    table: str | None = None  # None: the main table (every table for kind "auto")
    kind: PanelKind = "auto"
    chart: Chart | None = None  # None: the table's own hint
    title: str | None = None
    note: str = ""  # what stands in for what, shown under the panel
    where: Mapping[str, Any] = field(default_factory=dict)  # rows to draw: column == value (or in a tuple)
    drop: Mapping[str, Any] = field(default_factory=dict)  # rows not to draw: column in a tuple (e.g. a total)
    max_rows: int = 60
    latest_first: bool = False  # list a snapshot's last rows, newest first (vintages)
    with_table: bool = False  # a chart panel also lists its rows
    wide: bool = False  # spans the page's width (a table with many or long text columns)


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    intro: str
    panels: tuple[Panel, ...]
    controls: tuple[str, ...] = ()  # view parameters offered as page controls (besides as_of)


HEDGE_START = "2018-04-03"  # SOFR's first fixing: the hedged-yield history starts here

PAGES: tuple[Page, ...] = (
    Page("overview", "Overview", "The three questions answered from the latest data, the latest week at a glance and "
         "the freshness of every source.", (
             Panel("answer", kind="cards"),
             Panel("flows", {"last": 26}, title="Foreigners' net buying of Japanese securities, last 26 weeks "
                                                "(MOF weekly, ¥bn, + = buying)"),
             Panel("flows", {"last": 26, "side": "resident"},
                   title="Japanese residents' net buying of foreign securities, last 26 weeks (MOF weekly, ¥bn)"),
             Panel("monitor", table="flows", kind="table", title="The latest MOF week at a glance (¥bn)", wide=True),
             Panel("monitor", table="levels", kind="table", title="Markets: latest levels and changes", wide=True),
             Panel("status", kind="table", title="Freshness of every source", wide=True),
         )),
    Page("flows", "Flows", "MOF portfolio flows: weekly and monthly, rolling sums against the band of their own "
         "history, year to date, and who is buying by investor type.", (
             Panel("flow_history", {"years": 5}, table="history"),
             Panel("flow_history", {"ytd_years": 5}, table="ytd_by_year"),
             Panel("flow_history", {"weekly": False, "years": 15}, table="history"),
             Panel("rotation", {"years": 15}),
             Panel("investor_history", {"years": 15}),
             Panel("investors", kind="table", wide=True),
             Panel("equity_flows", {"weeks": 104}, table="weekly",
                   title="Who buys Japanese stocks: JPX weekly net buying by investor type, TSE Prime (¥bn)"),
             Panel("by_country", table="ranking"),
         ), controls=("side", "asset")),
    Page("rates", "Rates", "Both curves today against a month and a year ago, UST−JGB spreads by tenor, and the "
         "10- and 30-year JGB since 1974.", (
             Panel("curves", table="curves"),
             Panel("spreads", chart=Chart("bar", x="measure", y=("value_bp",), y_title="spread / slope, bp",
                                          zero_line=True, events=False), with_table=True),
             Panel("spread_history", {"years": 10}),
             Panel("series_values", {"series_ids": "jgb.9y,jgb.10y,jgb.30y"},
                   title="10- and 30-year JGB yields since 1974 (MOF, %)",
                   chart=Chart("line", y=("jgb.9y", "jgb.10y", "jgb.30y"), y_title="yield, %",
                               labels=(("jgb.9y", "JGB 9Y"), ("jgb.10y", "JGB 10Y"), ("jgb.30y", "JGB 30Y"))),
                   note="MOF's constant-maturity file starts in 1974-09 with tenors up to 9 years; the 10Y starts in "
                        "1986-07 and the 30Y in 1999-09, so the 9Y stands in for the 10Y before 1986."),
             Panel("inflation", table="history"),
             Panel("boj_decisions", kind="table", title="BOJ policy-rate decisions"),
         )),
    Page("hedging", "Hedging", "FX-hedged yields both ways — a yen investor in USTs and a dollar investor in JGBs — "
         "their hedge costs decomposed, and break-evens.", (
             Panel("hedge", {"side": "jp", "start": HEDGE_START}, title="Yen investor in USTs: hedged and unhedged "
                   "yield vs the JGB (% p.a.)"),
             Panel("hedge", {"side": "jp", "start": HEDGE_START},
                   chart=Chart("line", y=("hedge_cost", "short_rate_diff", "basis_effect", "cross_term"),
                               y_title="% p.a.", zero_line=True),
                   title="Yen investor's hedge cost, decomposed (% p.a.; cost = rate gap + basis + cross term)"),
             Panel("hedge", {"side": "us", "start": HEDGE_START}, title="Dollar investor in JGBs: hedged yield vs the "
                   "UST (% p.a.)"),
             Panel("hedge", {"side": "jp"}, kind="table", title="Today's decomposition: yen investor in USTs"),
             Panel("hedge", {"side": "us"}, kind="table", title="Today's decomposition: dollar investor in JGBs"),
             Panel("breakeven", chart=Chart("bar", x="tenor", y=("gap_bp",), group="hedge_ratio", zero_line=True,
                                            y_title="break-even JGB yield − JGB yield, bp", events=False),
                   with_table=True, wide=True,
                   title="Break-evens by tenor and hedge ratio (+ = the hedged UST still beats the JGB)"),
         ), controls=("bond_tenor", "hedge_tenor", "basis_bp", "hedge_ratio")),
    Page("carry", "Carry & positioning", "The USD/JPY carry trade: carry, realised vol, carry/vol, the carry index "
         "with its drawdowns shaded, and CFTC positioning.", (
             Panel("carry", {"history": True}, table="history",
                   chart=Chart("line", y=("carry_index",), secondary=("usdjpy",), y_title="carry index (long USD/short JPY)",
                               secondary_title="USD/JPY, JPY per USD", shade=("drawdowns", "peak_date", "trough_date"),
                               labels=(("carry_index", "carry index"), ("usdjpy", "USD/JPY"))),
                   title="Carry index (long USD/short JPY) and USD/JPY; the largest drawdowns shaded, peak to trough"),
             Panel("carry", {"history": True}, table="history",
                   chart=Chart("line", y=("carry_pp", "vol63_pct"), secondary=("carry_to_vol63",), y_title="% p.a.",
                               secondary_title="carry / vol, ratio",
                               labels=(("carry_pp", "carry r$ − r¥"), ("vol63_pct", "63-day realised vol"),
                                       ("carry_to_vol63", "carry / vol"))),
                   title="Carry (r$ − r¥), realised vol and carry/vol"),
             Panel("carry", table="drawdowns", kind="table", wide=True),
             Panel("cot", {"weeks": 260}, where={"report": "tff"},
                   chart=Chart("line", x="ref_date", y=("net_contracts",), group="group", zero_line=True,
                               y_title="net position, contracts (+ = long yen)"),
                   title="CFTC yen futures: net positions by trader group (TFF, contracts)"),
             Panel("cot", {"weeks": 1}, kind="table", title="CFTC: the latest report", wide=True),
             Panel("fx_monthly", {"last": 120}),
             Panel("carry_size", table="components", with_table=True, wide=True),
         )),
    Page("stress", "Stress", "JGB auction demand, the MOF intervention ledger and who buys JGBs.", (
             Panel("auctions", {"last": 36}, where={"tenor": ("10y", "20y", "30y", "40y")}, chart=Chart("line", x="auction_date", y=("bid_to_cover",), group="tenor",
                                                        y_title="bid-to-cover, ratio"),
                   title="JGB auctions: bid-to-cover by tenor (low = weak demand)"),
             Panel("auctions", {"last": 2}, kind="table", title="The latest auctions", wide=True),
             Panel("intervention", {"by": "month"}, chart=Chart("bar", x="period", y=("net_yen_bought",), zero_line=True,
                                                               y_title="yen bought (+) / sold (−), ¥100m"),
                   title="MOF FX intervention by month (¥100m; + = yen bought)"),
             Panel("intervention", {"by": "episode", "last": 12}, kind="table", latest_first=True,
                   title="Intervention episodes, the latest first (¥100m)"),
             Panel("jgb_buyers", {"last": 24}, chart=Chart("bar", x="month", y=("super_long",), group="investor",
                                                           zero_line=True, y_title="net buying, ¥bn"),
                   title="Who buys super-long JGBs (over 10 years): JSDA OTC net buying by investor type (¥bn)"),
             Panel("jgb_buyers", {"last": 1}, kind="table", title="JSDA: the latest month by maturity (¥bn)"),
         )),
    Page("holdings", "Holdings & wealth", "Who holds what: Japan's Treasury holdings, JGBs by holder, and Japan's "
         "overseas wealth.", (
             Panel("holdings", {"months": 300}, table="japan_ust",
                   chart=Chart("line", y=("holdings_usd_bn",), secondary=("share_of_foreign_pct",), y_title="USD bn",
                               secondary_title="share of all foreign holdings, %",
                               labels=(("holdings_usd_bn", "Japan's UST holdings"),
                                       ("share_of_foreign_pct", "share of foreign holdings")))),
             Panel("holdings", table="jgb_holders", drop={"holder": ("total",)},
                   chart=Chart("bar", x="holder", y=("share_pct", "share_pct_year_ago"), events=False,
                               y_title="share of JGBs outstanding, %", x_title="holder",
                               labels=(("share_pct", "latest"), ("share_pct_year_ago", "a year earlier"))),
                   with_table=True),
             Panel("holdings", table="ust_summary", kind="table", wide=True),
             Panel("wealth", {"last": 40}, table="position"),
             Panel("wealth", {"last": 40}, table="portfolio"),
             Panel("wealth", table="holders", drop={"holder": ("total",)}, with_table=True),
             Panel("wealth", {"last": 40}, table="us_bilateral"),
             Panel("wealth", table="seed_check", kind="table", wide=True),
         )),
    Page("story", "Story", "The five charts this story is told with, each from the data in the store; where a view "
         "is not in this build, the stand-in is named.", (
             Panel("rotation", {"years": 20}, title="1. Asset-class rotation: 12-month net buying by Japanese and "
                                                     "foreign investors (¥tn)"),
             Panel("value_growth", {"last": 1300}, table="relative",
                   chart=Chart("line", y=("ratio",), secondary=("rel_ret_252d_pct",), y_title="TOPIX Value / Growth, rebased to 100",
                               secondary_title="1-year relative return, %",
                               labels=(("ratio", "Value / Growth"), ("rel_ret_252d_pct", "1-year relative return"))),
                   title="2. Value vs growth: TOPIX Value relative to TOPIX Growth",
                   note="TOPIX Value and Growth closes come from third-party re-exports loaded with `yenflow import` "
                        "(README); JPX publishes no official file here."),
             Panel("hedge", {"side": "us", "start": HEDGE_START},
                   title="3. The carry trade for a dollar investor in FX-hedged 10Y JGBs (% p.a.)",
                   note="The hedge is a 3M FX forward rolled, priced from overnight SOFR and TONA (or the OECD 3M "
                        "interbank rate) standing in for 3M OIS; basis 0 unless set on the Hedging page."),
             Panel("hedge", {"side": "jp", "start": HEDGE_START},
                   chart=Chart("line", y=("hedge_cost", "hedged_yield", "local_yield"), y_title="% p.a.",
                               labels=(("hedge_cost", "hedge cost"), ("hedged_yield", "hedged 10Y UST"),
                                       ("local_yield", "unhedged 10Y UST"))),
                   title="4. Yen hedging costs for a Japanese investor in 10Y USTs (% p.a.)",
                   note="Overnight SOFR and TONA (or, without TONA in the store, the OECD 3M interbank rate) stand in "
                        "for 3M OIS; no cross-currency basis (the store has none)."),
             Panel("wealth", {"last": 40}, table="position", title="5. Japan's overseas wealth: the net external "
                   "position (¥tn)"),
             Panel("episode", {"preset": "aug-2024"}, table="markets", kind="table", wide=True,
                   title="The August-2024 carry unwind: markets over the episode and before it"),
         )),
    Page("outlook", "Scenarios & signals", "What-if scenarios for repatriation and the signals that would flag it.", (
             *(Panel("scenario_run", table="fan", where={"variable": variable},
                     chart=Chart("line", x="date", y=("q50",), lines=("q25", "q75"), band=("q05", "q95"), y_title=unit,
                                 zero_line=True, events=False,
                                 labels=(("q50", "median path"), ("q25", "25th percentile"), ("q75", "75th percentile"),
                                         ("q05", "5–95 % of paths"))),
                     title=f"Scenario (baseline preset): {what}, quantiles across paths ({unit})")
               for variable, what, unit in (("repatriation_jpy.total", "cumulative repatriation by Japanese investors",
                                             "¥tn"),
                                            ("usdjpy", "USD/JPY", "JPY per USD"),
                                            ("jgb10", "10-year JGB yield", "%"))),
             Panel("scenario_run", table="sensitivity", where={"outcome": "repatriation_jpy.total"},
                   chart=Chart("bar", x="parameter", y=("swing",), y_title="swing of the median, ¥tn", zero_line=True,
                               events=False),
                   title="What drives cumulative repatriation: swing of the median from the low to the high value "
                         "of each parameter (¥tn)"),
             Panel("scenario_run", table="horizon", kind="table", wide=True),
             Panel("scenario_presets", kind="table", wide=True),
             Panel("signals", {"last": 260}, table="composite"),
             Panel("signals", {"last": 260, "components": True}, wide=True,
                   title="The sell-Japan composite: each component's z-score over time"),
         )),
    Page("data", "Data", "The catalog, the sources and their freshness, and every vintage of any series.", (
             Panel("status", kind="table", title="Sources: freshness against each publisher's calendar", wide=True),
             Panel("vintages", {"series_id": "mof.weekly.foreign.total.net"}, kind="table", max_rows=40,
                   latest_first=True),
             Panel("catalog", {"limit": 0}, kind="table", max_rows=80, wide=True),  # the CSV link gives every series
             Panel("sources", kind="table"),
         ), controls=("series_id", "date", "query")),
)


def page(slug: str) -> Page:
    for p in PAGES:
        if p.slug == slug:
            return p
    raise KeyError(slug)


#: the report's sections: a title and the (page, panel index) pairs it shows, in order
REPORT_SECTIONS: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("The answer", (("overview", 0),)),
    ("This week", (("overview", 1), ("overview", 2), ("overview", 3), ("overview", 4))),
    ("The story in five charts", (("story", 0), ("story", 1), ("story", 2), ("story", 3), ("story", 4))),
    ("Flows, rates, carry and stress", (("flows", 0), ("flows", 4), ("rates", 0), ("rates", 2), ("carry", 0),
                                        ("carry", 3), ("stress", 0), ("holdings", 1))),
    ("Sources", (("overview", 5),)),
)
