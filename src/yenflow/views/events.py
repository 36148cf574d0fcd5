"""Market events to mark on time-series charts: BOJ policy decisions,
MOF FX intervention days and weak JGB auctions, each dated and labelled.

Dates: a BOJ decision is dated by its announcement (the ``released`` date of
``rate.boj.policy_target``; the new target takes effect on the observation's
``ref_date``); an intervention by its JST trade date; an auction by its
auction date. With ``as_of``, only events known by then are listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams, check_range, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

EventKind = Literal["boj", "intervention", "weak_auction"]
KIND_NAMES = {"boj": "BOJ decision", "intervention": "MOF intervention", "weak_auction": "Weak JGB auction"}
#: auctions whose weak results are marked by default: the benchmark coupon tenors
WATCHED_TENORS = ("10y", "20y", "30y", "40y")
JPY_100M_PER_BN = 10.0


@dataclass(frozen=True)
class EventsParams(ViewParams):
    kinds: tuple[EventKind, ...] = opt(("boj", "intervention", "weak_auction"),
                                       "Event kinds: boj, intervention, weak_auction (comma-separated)")
    auction_tenors: tuple[str, ...] = opt(WATCHED_TENORS, "Auction tenors whose weak results are marked (2y … 40y)")
    start: date | None = opt(None, "First date (YYYY-MM-DD)")
    end: date | None = opt(None, "Last date (YYYY-MM-DD)")

    def check(self) -> None:
        check_range(self.start, self.end)


def boj_decisions(market: "Market") -> "pd.DataFrame":
    """One row per policy-rate decision: announced (decision date), effective, target and change (%)."""
    import pandas as pd

    if not market.has("rate.boj.policy_target"):
        return pd.DataFrame(columns=["date", "kind", "label", "value", "unit"])
    obs = market.observations(["rate.boj.policy_target"], role="BOJ policy decisions").sort_values("ref_date")
    prev = obs["value"].shift(1)
    rows = []
    for (_, r), before in zip(obs.iterrows(), prev):
        announced = pd.Timestamp(r["released"]) if pd.notna(r["released"]) else pd.Timestamp(r["ref_date"])
        verb = ("sets" if pd.isna(before) else "raises" if r["value"] > before else
                "cuts" if r["value"] < before else "keeps")
        rows.append({"date": announced, "kind": KIND_NAMES["boj"], "value": float(r["value"]), "unit": "%",
                     "label": f"BOJ {verb} its policy rate target to {r['value']:.2f} % "
                              f"(effective {pd.Timestamp(r['ref_date']):%Y-%m-%d})"})
    return pd.DataFrame(rows)


def intervention_days(market: "Market") -> "pd.DataFrame":
    import pandas as pd

    from yenflow.views.intervention import operations

    try:
        ops = operations(market)
    except MissingInputError:
        return pd.DataFrame(columns=["date", "kind", "label", "value", "unit"])
    ops = ops[ops["direction"] != "other"]
    day = ops.groupby(["date", "direction"], as_index=False)["amount"].sum()
    words = {"yen_buying": "bought yen", "yen_selling": "sold yen"}
    return pd.DataFrame({
        "date": pd.to_datetime(day["date"]), "kind": KIND_NAMES["intervention"],
        "value": day["amount"] / JPY_100M_PER_BN, "unit": "JPY bn",
        "label": [f"MOF {words[d]}: ¥{a / JPY_100M_PER_BN:,.0f}bn" for d, a in zip(day["direction"], day["amount"])],
    })


def weak_auctions(market: "Market", tenors: tuple[str, ...]) -> "pd.DataFrame":
    import pandas as pd

    from yenflow.analytics.auctions import auction_metrics
    from yenflow.views.auctions import auction_table

    try:
        table = auction_table(market)
    except MissingInputError:
        return pd.DataFrame(columns=["date", "kind", "label", "value", "unit"])
    table = table[table["tenor"].isin(tenors)]
    m = auction_metrics(table)
    weak = m[m["weak"].astype(bool)]
    labels = []
    for _, r in weak.iterrows():
        why = []
        if r["weak_btc"]:
            why.append(f"bid-to-cover {r['bid_to_cover']:.2f}, percentile {r['btc_pct_12']:.0f} of the last 13")
        if r["wide_tail"]:
            tail = f"{r['tail_price']:.2f} yen" if pd.notna(r["tail_price"]) else f"{r['tail_bp']:.1f} bp"
            why.append(f"tail {tail}")
        labels.append(f"Weak {r['tenor'].upper()} JGB auction: {'; '.join(why)}")
    return pd.DataFrame({"date": pd.to_datetime(weak["auction_date"]), "kind": KIND_NAMES["weak_auction"],
                         "value": weak["bid_to_cover"].astype(float), "unit": "ratio", "label": labels})


@view("events", EventsParams, "Events to mark on charts: BOJ policy decisions, MOF intervention days, weak JGB "
      "auctions — dated and labelled.", "yenflow events --kinds boj,intervention")
def events(market: "Market", p: EventsParams) -> "ViewResult":
    import pandas as pd

    from yenflow.views.result import Chart, Table

    parts = []
    if "boj" in p.kinds:
        parts.append(boj_decisions(market))
    if "intervention" in p.kinds:
        parts.append(intervention_days(market))
    if "weak_auction" in p.kinds:
        parts.append(weak_auctions(market, tuple(t if t.endswith("y") else f"{t}y" for t in p.auction_tenors)))
    frame = pd.concat([x for x in parts if len(x)], ignore_index=True) if any(len(x) for x in parts) else \
        pd.DataFrame(columns=["date", "kind", "label", "value", "unit"])
    frame["date"] = pd.to_datetime(frame["date"])
    if market.as_of is not None:
        frame = frame[frame["date"] <= pd.Timestamp(market.as_of.date())]
    if p.start is not None:
        frame = frame[frame["date"] >= pd.Timestamp(p.start)]
    if p.end is not None:
        frame = frame[frame["date"] <= pd.Timestamp(p.end)]
    frame = frame.sort_values(["date", "kind"], kind="stable").reset_index(drop=True)[["date", "kind", "label", "value", "unit"]]
    warnings = []
    found = set(frame["kind"])
    for k in p.kinds:
        if KIND_NAMES[k] not in found:
            warnings.append(f"no {KIND_NAMES[k].lower()} events in the store"
                            + (" (import MOF's intervention history: see README)" if k == "intervention" else ""))
    units = {"date": "date", "kind": "text", "label": "text", "value": "", "unit": "text"}
    conventions = [
        "BOJ decision: dated by the announcement (released date of rate.boj.policy_target), value = the new target in %",
        "MOF intervention: JST trade date, value = yen bought (+) or sold, JPY bn, summed per day and direction",
        "weak JGB auction: the lowest or second-lowest bid-to-cover of 13, or the longest or second-longest tail "
        f"(`yenflow auctions`); tenors {', '.join(p.auction_tenors)}; value = bid-to-cover",
    ]
    table = Table("events", frame, units, title="Events", date_column="date", chart=Chart("events", y=("value",)))
    return make_result(market, "events", "Events: BOJ decisions, intervention, weak auctions", p, [table],
                       conventions, warnings)
