"""The answer: three cards — is Japanese money coming home, are foreigners
selling Japan, is the carry trade unwinding — each a direction, the figures
behind it with their dates and percentiles, and the rule that turned the
figures into the direction (docs/answer.md). Every threshold is a parameter.

Each figure casts a vote: +1 when it points to "yes" (money coming home,
foreigners selling, carry unwinding), −1 when it points to "no", 0 when it is
inside the neutral band or missing. A card reads "yes" when the votes for
yes outnumber the others by at least ``margin`` and at least half the figures
vote; "no" the other way round; otherwise "mixed".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

JPY_100M_PER_BN = 10.0
WORDS = {
    "home": ("coming home", "not coming home", "mixed"),
    "foreign": ("selling Japan", "buying Japan", "mixed"),
    "carry": ("unwinding", "not unwinding", "mixed"),
}
QUESTIONS = {
    "home": "Is Japanese money coming home?",
    "foreign": "Are foreigners selling Japan?",
    "carry": "Is the yen carry trade unwinding?",
}


@dataclass(frozen=True)
class AnswerParams(ViewParams):
    flow_band_bn: float = opt(500.0, "Neutral band for 13-week MOF flow sums, ¥bn: smaller sums vote neither way",
                              minimum=0, maximum=100_000)
    investor_band_bn: float = opt(1000.0, "Neutral band for the 12-month sum of Japanese institutions' foreign bond "
                                          "purchases, ¥bn", minimum=0, maximum=100_000)
    pickup_band_bp: float = opt(25.0, "Neutral band for the hedged and unhedged UST−JGB 10y pickup, bp",
                                minimum=0, maximum=500)
    unhedged_hurdle_bp: float = opt(100.0, "Unhedged UST−JGB 10y pickup that pays for the currency risk, bp",
                                    minimum=0, maximum=1000)
    fx_move_pct: float = opt(3.0, "USD/JPY 1-month fall (%) that counts as carry unwinding (a rise as much: not)",
                             minimum=0, maximum=50)
    drawdown_pct: float = opt(5.0, "Carry-index drawdown from its peak (%) that counts as unwinding",
                              minimum=0, maximum=100)
    carry_to_vol: float = opt(0.2, "Carry/vol below this counts as vulnerable (unwinding); above 0.5 as not",
                              minimum=0, maximum=5)
    cot_change_contracts: float = opt(20_000.0, "Rise over 4 reports in leveraged funds' net yen position "
                                                "(short covering) that counts as unwinding, contracts", minimum=0)
    auction_weak_share: float = opt(0.34, "Share of weak JGB auctions over the last 3 months that counts as selling",
                                    minimum=0, maximum=1)
    composite_band: float = opt(0.5, "Neutral band for the sell-Japan composite (z): above it votes selling, below "
                                     "minus it votes buying", minimum=0, maximum=5)
    margin: int = opt(2, "Votes by which one side must lead for a yes/no answer", minimum=1, maximum=5)


@dataclass
class Card:
    key: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    def add(self, figure: str, value: float | None, unit: str, date: Any, vote: int | None, rule: str,
            percentile: float | None = None) -> None:
        """``vote=None``: a figure shown for context that never votes."""
        self.rows.append({"question": QUESTIONS[self.key], "figure": figure, "value": value, "unit": unit,
                          "date": date, "percentile": percentile, "vote": vote, "rule": rule})

    @property
    def voters(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["vote"] is not None]

    def direction(self, margin: int) -> str:
        yes = sum(r["vote"] > 0 for r in self.voters)
        no = sum(r["vote"] < 0 for r in self.voters)
        voting = yes + no
        enough = voting * 2 >= max(len(self.voters), 1)
        y, n, m = WORDS[self.key]
        if enough and yes - no >= margin:
            return y
        if enough and no - yes >= margin:
            return n
        return m


def _band_vote(x: float | None, band: float, sign: int = 1) -> int:
    """+sign when x > band, −sign when x < −band, 0 inside (or missing)."""
    if x is None or x != x:
        return 0
    return sign if x > band else -sign if x < -band else 0


def _flow(market: "Market", sid: str) -> "dict[str, Any] | None":
    from yenflow.analytics.flows import latest_context
    from yenflow.views.flows import RECLASSIFICATION

    s = market.get(sid, role="answer")
    if s is None or s.dropna().empty:
        return None
    weekly = s.attrs.get("frequency") == "weekly"
    return latest_context(s, weekly=weekly, rank_start=RECLASSIFICATION)


def _sum13_percentile(market: "Market", sid: str) -> float | None:
    """Percentile of the latest 13-week sum among all 13-week sums since 2014."""
    from yenflow.analytics import context
    from yenflow.analytics.flows import rolling_sums
    from yenflow.views.flows import RECLASSIFICATION

    s = market.get(sid)
    if s is None:
        return None
    sums = rolling_sums(s.dropna(), (13,), "weekly")["sum_13"].dropna().loc[RECLASSIFICATION:]
    return None if sums.empty else float(context.percentile(sums, at=[sums.index[-1]]).iloc[0])


def _weekly_flows(market: "Market", p: AnswerParams, card: Card, ref: "pd.Timestamp",
                  flows: tuple[tuple[str, str], ...], rule: str) -> None:
    """One vote per MOF weekly net-purchase series: its 13-week sum against ±``flow_band_bn`` (+ = net buying)."""
    band = p.flow_band_bn * JPY_100M_PER_BN
    for label, sid in flows:
        c = _flow(market, sid)
        if c is None:
            continue
        v = c["sum_13"]
        card.add(label, v / JPY_100M_PER_BN, "JPY bn", c["date"], _band_vote(v, band, sign=-1),
                 rule.format(b=f"{p.flow_band_bn:g}"), _sum13_percentile(market, sid))
        _age(card, label, c["date"], ref, 14)


def _home(market: "Market", p: AnswerParams, card: Card, ref: "pd.Timestamp") -> None:
    _weekly_flows(market, p, card, ref, (
        ("Residents' net purchases of foreign long-term bonds, 13 weeks", "mof.weekly.resident.bonds.net"),
        ("Residents' net purchases of foreign equity, 13 weeks", "mof.weekly.resident.equity.net")),
        "selling abroad beyond −¥{b}bn = coming home; buying beyond +¥{b}bn = not")
    big = ("banks", "life_insurers", "trust_accounts", "investment_trusts")
    total, dates, parts = 0.0, [], []
    for inv in big:
        c = _flow(market, f"mof.investor.bonds.{inv}.net")
        if c is not None and c["sum_12"] == c["sum_12"]:
            total += c["sum_12"]
            dates.append(c["date"])
            parts.append(f"{inv} {c['sum_12'] / JPY_100M_PER_BN:+,.0f}")
    if dates:
        card.add("Banks, life insurers, pensions (trust accounts) and investment trusts: foreign bonds, 12 months",
                 total / JPY_100M_PER_BN, "JPY bn", min(dates), _band_vote(total, p.investor_band_bn * JPY_100M_PER_BN, -1),
                 f"net selling beyond −¥{p.investor_band_bn:g}bn = coming home ({'; '.join(parts)} ¥bn)")
        _age(card, "MOF flows by investor type", min(dates), ref, 75)
    hedged, unhedged, when = _pickups(market)
    if hedged is not None:
        card.add("Yen investor: FX-hedged UST 10y minus JGB 10y (3M rolling hedge)", hedged, "bp", when,
                 _band_vote(hedged, p.pickup_band_bp, sign=-1),
                 f"hedged USTs yield less than JGBs by more than {p.pickup_band_bp:g} bp = an incentive to come home")
        hurdle = p.unhedged_hurdle_bp
        card.add("Yen investor: unhedged UST 10y minus JGB 10y", unhedged, "bp", when,
                 _band_vote(unhedged - hurdle if unhedged is not None else None, p.pickup_band_bp, sign=-1),
                 f"below {hurdle - p.pickup_band_bp:g} bp the unhedged pickup no longer pays for the currency risk "
                 f"(coming home); above {hurdle + p.pickup_band_bp:g} bp it still does (not)")
        _age(card, "UST−JGB pickups", when, ref, 7)



def _pickups(market: "Market") -> "tuple[float | None, float | None, Any]":
    from yenflow.views.rates import HedgeParams, hedge

    try:
        r = hedge(market, HedgeParams(as_of=market.as_of))
    except MissingInputError:
        return None, None, None
    t = r.frame()
    when = t.loc["local_yield", "date"]
    hedged = float(t.loc["pickup_bp", "value"])
    unhedged = (float(t.loc["local_yield", "value"]) - float(t.loc["jgb_10y", "value"])) * 100
    return hedged, unhedged, when


def _foreign(market: "Market", p: AnswerParams, card: Card, ref: "pd.Timestamp") -> None:
    band = p.flow_band_bn * JPY_100M_PER_BN
    _weekly_flows(market, p, card, ref, (
        ("Foreigners' net purchases of Japanese equity, 13 weeks", "mof.weekly.foreign.equity.net"),
        ("Foreigners' net purchases of Japanese long-term debt, 13 weeks", "mof.weekly.foreign.bonds.net"),
        ("Foreigners' net purchases of Japanese short-term debt, 13 weeks", "mof.weekly.foreign.bills.net")),
        "net selling beyond −¥{b}bn = selling Japan; buying beyond +¥{b}bn = buying")
    jsda = [market.get(f"jsda.net_buying.foreigners.{b}", role="answer") for b in ("super_long", "long")]
    if all(s is not None and not s.dropna().empty for s in jsda):
        both = (jsda[0] + jsda[1]).dropna()  # type: ignore[operator]
        last3 = both.tail(3)
        v = float(last3.sum())
        card.add("Foreigners' OTC net buying of long and super-long JGBs (JSDA), 3 months", v / JPY_100M_PER_BN, "JPY bn",
                 last3.index[-1], _band_vote(v, band, sign=-1),
                 "JSDA OTC trading, + = net buying; net selling beyond the band = selling Japan")
        _age(card, "JSDA", last3.index[-1], ref, 75)
    weak = _weak_auctions(market, ref)
    if weak is not None:
        share, n, last = weak
        vote = 1 if share >= p.auction_weak_share else -1 if share == 0 else 0
        card.add(f"Weak JGB auctions (2–40Y) in the 3 months to {ref:%Y-%m-%d}", share * 100, "%", last, vote,
                 f"at least {p.auction_weak_share:.0%} of {n} auctions weak (bottom 2 of 13 bid-to-cover or top 2 tails) "
                 "= demand failing; none weak = demand holding")
    comp = _composite(market, ref)
    if comp is not None:
        value, pct, when = comp
        band = p.composite_band
        card.add("Sell-Japan composite (`yenflow signals`), as known on the answer's date", value, "z", when,
                 _band_vote(value, band), f"above +{band:g} = pressure to sell Japan; below −{band:g} = the opposite "
                 "(weighted mean of 9 standardised components; percentile among its values of 3 years)", pct)


def _composite(market: "Market", ref: "pd.Timestamp") -> "tuple[float, float | None, Any] | None":
    """The composite on the answer's date (or the business day before), as known then, and its 3-year percentile."""
    import pandas as pd

    from yenflow.analytics import context
    from yenflow.analytics.signals import default_weights
    from yenflow.views.signals import build

    sig = build(market, ref, ref, default_weights())
    comp = sig.composite.loc[:ref].dropna()
    if comp.empty or (ref - comp.index[-1]).days > 4:
        return None
    pct = context.percentile(comp, at=[comp.index[-1]], window="1095D", min_periods=252)
    return float(comp.iloc[-1]), (float(pct.iloc[0]) if len(pct) and pd.notna(pct.iloc[0]) else None), comp.index[-1]



def _weak_auctions(market: "Market", ref: "pd.Timestamp") -> "tuple[float, int, Any] | None":
    import pandas as pd

    from yenflow.analytics.auctions import auction_metrics
    from yenflow.views.auctions import auction_table

    try:
        table = auction_table(market)
    except MissingInputError:
        return None
    table = table[table["tenor"].isin(["2y", "5y", "10y", "20y", "30y", "40y"])]
    recent = table[(table["auction_date"] > ref - pd.Timedelta(days=92)) & (table["auction_date"] <= ref)]
    if recent.empty:
        return None
    m = auction_metrics(table, last=int(recent.groupby("tenor").size().max()))
    m = m[(m["auction_date"] > ref - pd.Timedelta(days=92)) & (m["auction_date"] <= ref)]
    return float(m["weak"].mean()), len(m), m["auction_date"].max()


def _carry(market: "Market", p: AnswerParams, card: Card, ref: "pd.Timestamp") -> None:
    import pandas as pd

    from yenflow.views.carry import carry_frame, cot_frame

    try:
        f = carry_frame(market)
    except MissingInputError:
        f = None
    if f is not None:
        hist = f["history"]
        spot = hist["usdjpy"].dropna().loc[:ref]
        if len(spot):
            now, when = float(spot.iloc[-1]), spot.index[-1]
            then = spot.loc[: when - pd.Timedelta(days=30)]
            if len(then):
                move = (now / float(then.iloc[-1]) - 1) * 100
                card.add("USD/JPY change over 1 month", move, "%", when, _band_vote(move, p.fx_move_pct, sign=-1),
                         f"the yen up more than {p.fx_move_pct:g} % (USD/JPY down) = unwinding; down as much = not")
            _age(card, "USD/JPY", when, ref, 7)
        ctv = hist["carry_to_vol63"].dropna().loc[:ref]
        if len(ctv):
            v = float(ctv.iloc[-1])
            vote = 1 if v < p.carry_to_vol else -1 if v > 0.5 else 0
            card.add("Carry / 63-day realised vol", v, "ratio", ctv.index[-1], vote,
                     f"below {p.carry_to_vol:g} = carry no longer pays for the risk (vulnerable); above 0.5 = attractive")
        dd = hist["drawdown_pct"].dropna().loc[:ref]
        if len(dd):
            v = float(dd.iloc[-1])
            vote = 1 if v <= -p.drawdown_pct else -1 if v > -1 else 0
            card.add("Carry index (long USD/short JPY) drawdown from its peak", v, "%", dd.index[-1], vote,
                     f"deeper than −{p.drawdown_pct:g} % = unwinding; within 1 % of the peak = not")
    try:
        cot = cot_frame(market, 5)
    except MissingInputError:
        cot = None
    if cot is not None:
        lev = cot[(cot["report"] == "tff") & (cot["group"] == "lev_funds")].sort_values("ref_date")
        if len(lev) >= 5:
            change = float(lev["net_contracts"].iloc[-1] - lev["net_contracts"].iloc[0])
            card.add("CFTC leveraged funds' net yen position, change over 4 reports", change, "contracts",
                     lev["ref_date"].iloc[-1], _band_vote(change, p.cot_change_contracts, sign=1),
                     f"shorts cut by more than {p.cot_change_contracts:,.0f} contracts = unwinding; added as many = not",
                     float(lev["net_percentile"].iloc[-1]) if lev["net_percentile"].iloc[-1] == lev["net_percentile"].iloc[-1] else None)
            _age(card, "CFTC positioning", lev["ref_date"].iloc[-1], ref, 14)
    ops = _recent_intervention(market, ref)
    if ops is not None:
        amount, last = ops
        card.add("MOF yen-buying intervention in the last 3 months", amount / JPY_100M_PER_BN, "JPY bn", last,
                 None, "context only (no vote): intervention marks a stretched yen, not an unwind by itself")


def _recent_intervention(market: "Market", ref: "pd.Timestamp") -> "tuple[float, Any] | None":
    import pandas as pd

    from yenflow.views.intervention import operations

    try:
        ops = operations(market)
    except MissingInputError:
        return None
    recent = ops[(pd.to_datetime(ops["date"]) > ref - pd.Timedelta(days=92)) & (pd.to_datetime(ops["date"]) <= ref)]
    bought = recent[recent["direction"] == "yen_buying"]
    if bought.empty:
        return 0.0, None
    return float(bought["amount"].sum()), pd.Timestamp(bought["date"].max())


def _age(card: Card, label: str, date: Any, ref: "pd.Timestamp", days: int) -> None:
    """A figure older than ``days`` at the answer's date is named as stale and loses its vote."""
    import pandas as pd

    if date is not None and (ref - pd.Timestamp(date)).days > days:
        card.stale.append(f"{label}: latest {pd.Timestamp(date):%Y-%m-%d}, {(ref - pd.Timestamp(date)).days} days "
                          f"before {ref:%Y-%m-%d} (no vote)")
        for r in card.rows:
            if r["vote"] is not None and r["date"] is not None and pd.Timestamp(r["date"]) <= pd.Timestamp(date) \
                    and (ref - pd.Timestamp(r["date"])).days > days:
                r["vote"] = 0


@view("answer", AnswerParams, "The three questions answered from the latest data: is Japanese money coming home, "
      "are foreigners selling Japan, is the carry trade unwinding — each with its evidence and rule.", "yenflow answer")
def answer(market: "Market", p: AnswerParams) -> "ViewResult":
    import pandas as pd

    from yenflow.views.monitor import monitor_date
    from yenflow.views.result import Table

    market.load(["mof.weekly.resident.bonds.net", "mof.weekly.resident.equity.net", "mof.weekly.foreign.equity.net",
                 "mof.weekly.foreign.bonds.net", "mof.weekly.foreign.bills.net", "fx.usdjpy", "rate.sofr",
                 *market.ids("mof.investor.bonds."), *market.ids("jsda.net_buying.foreigners."), *market.ids("cot.jpy."),
                 "jgb.10y", "ust.par.10y", "ust.cmt.10y", "rate.jpy.tona", "user.rate.jpy.tona", "rate.jpy.3m_interbank"])
    ref = monitor_date(market)
    cards = {k: Card(k) for k in QUESTIONS}
    _home(market, p, cards["home"], ref)
    _foreign(market, p, cards["foreign"], ref)
    _carry(market, p, cards["carry"], ref)
    if not any(c.rows for c in cards.values()):
        raise MissingInputError("no data to answer from: run `yenflow update` (or `yenflow update --from DIR`)")
    summary, evidence, warnings = [], [], []
    for key, card in cards.items():
        direction = card.direction(p.margin)
        yes = sum(r["vote"] > 0 for r in card.voters)
        no = sum(r["vote"] < 0 for r in card.voters)
        summary.append({"question": QUESTIONS[key], "answer": direction,
                        "statement": _statement(key, direction, card), "votes_yes": yes, "votes_no": no,
                        "figures": len(card.voters), "stale_inputs": "; ".join(card.stale)})
        evidence += card.rows
        warnings += [f"{QUESTIONS[key]} {s}" for s in card.stale]
    cards_t = pd.DataFrame(summary)
    ev = pd.DataFrame(evidence)
    tables = [
        Table("answers", cards_t, {"question": "text", "answer": "text", "statement": "text", "votes_yes": "count",
                                   "votes_no": "count", "figures": "count", "stale_inputs": "text"},
              title=f"The answer, from the data to {ref:%Y-%m-%d}"),
        Table("evidence", ev, {"question": "text", "figure": "text", "value": "", "unit": "text", "date": "date",
                               "percentile": "percentile", "vote": "", "rule": "text"},
              title="The figures behind each answer (vote: +1 yes, −1 no, 0 neutral, blank = context only)", date_column="date",
              decimals={"value": 1, "percentile": 0}),
    ]
    conventions = [
        f"each figure votes +1 (yes), −1 (no) or 0 (inside its neutral band, or stale: older than 2 weeks for weekly "
        f"and daily data, 75 days for monthly); an answer is yes/no when that side leads "
        f"by at least {p.margin} votes and at least half the figures vote, else mixed (rules and thresholds: docs/answer.md; "
        "every threshold is an option of `yenflow answer`)",
        "flows: MOF weekly (designated major investors), + = net buying; percentiles rank the 13-week sum among all "
        "13-week sums since 2014-01; by investor type: MOF monthly (monthb3), 12-month sums",
        "pickups: UST (Treasury par/H.15) vs JGB (MOF) 10y, the yen investor's 3M rolling hedge from overnight SOFR and "
        "TONA (or the OECD 3M interbank fallback), basis 0: see `yenflow hedge`",
        "carry: `yenflow carry` (SOFR vs TONA/fallback; realised vol), CFTC: `yenflow cot` (TFF leveraged funds)",
    ]
    title = "Is Japanese money coming home? Are foreigners selling Japan? Is the carry trade unwinding?"
    return make_result(market, "answer", title, p, tables, conventions, warnings)


def _statement(key: str, direction: str, card: Card) -> str:
    """One plain sentence with the two figures that weigh most (by |vote|, in order)."""
    lead = [r for r in card.voters if r["vote"] != 0][:2] or card.rows[:2]
    facts = "; ".join(f"{r['figure'].split(',')[0]} {_fmt(r['value'], r['unit'])}" for r in lead)
    return f"{direction[0].upper()}{direction[1:]}: {facts}."


def _fmt(v: float | None, unit: str) -> str:
    if v is None or v != v:
        return "n/a"
    if unit == "JPY bn":
        return f"¥{v:+,.0f}bn"
    if unit == "bp":
        return f"{v:+.0f} bp"
    if unit == "%":
        return f"{v:+.1f} %"
    if unit == "contracts":
        return f"{v:+,.0f} contracts"
    return f"{v:.2f}"
