"""JGB auction demand: bid-to-cover and tails against each tenor's history (methods.md §12)."""

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

AUCTION_FIELDS = ("issue_number", "coupon", "offered", "bids", "accepted", "bid_to_cover",
                  "avg_price", "min_price", "avg_yield", "max_yield", "tail_price", "tail_bp")
TENOR_ORDER = ("2y", "5y", "10y", "20y", "30y", "40y", "jgbi10y", "gx5y", "gx10y")
Tenor = Literal["2", "5", "10", "20", "30", "40"]


def auction_table(market: "Market") -> "pd.DataFrame":
    """One row per auction, rebuilt from the stored ``auction.jgb.<tenor>.<field>`` series."""
    import numpy as np
    import pandas as pd

    ids = market.ids("auction.jgb.")
    if not ids:
        raise MissingInputError("no JGB auction series in the store; run `yenflow update mof.jgb_auctions`")
    obs = market.observations(ids, role="JGB auction results", columns=("ref_date", "value"))
    codes, uniques = pd.factorize(obs["series_id"])
    parts = [str(u).split(".", 3) for u in uniques]  # auction.jgb.<tenor>.<field>: split each id once
    tenor = np.array([q[2] for q in parts], dtype=object)[codes]
    field = np.array([q[3] for q in parts], dtype=object)[codes]
    # one value per (security, date, field): a plain unstack, no aggregation
    table = (obs.assign(tenor=tenor, field=field).set_index(["tenor", "ref_date", "field"])["value"]
             .unstack("field").reset_index())
    table.columns.name = None
    table = table.rename(columns={"ref_date": "auction_date"})
    table["auction_date"] = pd.to_datetime(table["auction_date"])
    table["auction_type"] = table["tenor"].map(lambda t: "yield" if t.startswith(("40y", "gx")) else "price")
    for col in AUCTION_FIELDS:
        if col not in table:
            table[col] = float("nan")
    table["issue_number"] = table["issue_number"].astype("Int64")
    return table.sort_values(["tenor", "auction_date"]).reset_index(drop=True)


@dataclass(frozen=True)
class AuctionsParams(ViewParams):
    tenor: str | None = opt(None, "Security: 2, 5, 10, 20, 30, 40 (years), or another stored one such as jgbi10y, tb3m")
    last: int = opt(6, "Auctions per tenor", minimum=1, maximum=1000)
    all_tenors: bool = opt(False, "Include discontinued securities (4Y, 6Y, TB…)")


@view("auctions", AuctionsParams, "JGB auction demand: bid-to-cover and tails against each tenor's history, "
      "\"weakest/strongest since\", weak-auction flags.", "yenflow auctions --tenor 10 --last 6")
def auctions(market: "Market", p: AuctionsParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics.auctions import latest_auctions
    from yenflow.analytics.context import TIE_RULE
    from yenflow.views.params import ParamError
    from yenflow.views.result import Table

    table = auction_table(market)
    tenor = f"{p.tenor}y" if p.tenor and p.tenor.isdigit() else p.tenor
    known = sorted(table["tenor"].unique(), key=lambda t: (TENOR_ORDER.index(t) if t in TENOR_ORDER else 99, t))
    if tenor is not None and tenor not in known:
        raise ParamError("--tenor", f"{p.tenor!r} has no auctions in the store; one of: "
                                    f"{', '.join(t.removesuffix('y') if t[:-1].isdigit() else t for t in known)}")
    if tenor is None and not p.all_tenors:  # securities auctioned in the year before the latest auction
        recent = table.groupby("tenor")["auction_date"].max() >= table["auction_date"].max() - pd.Timedelta(days=365)
        table = table[table["tenor"].map(recent)]
    out = latest_auctions(table, tenor, p.last)
    cols = ["tenor", "auction_date", "issue_number", "bid_to_cover", "btc_pct_12", "btc_pct_all", "btc_weakest_since",
            "btc_strongest_since", "tail_price", "tail_bp", "tail_widest_since", "avg_yield", "max_yield", "weak"]
    out = out[[c for c in cols if c in out.columns]]
    rank = {t: i for i, t in enumerate(TENOR_ORDER)}
    out = out.sort_values(["tenor", "auction_date"], key=lambda c: c.map(rank).fillna(99) if c.name == "tenor" else c)
    out = out.reset_index(drop=True)
    units = {"tenor": "text", "auction_date": "date", "issue_number": "", "bid_to_cover": "ratio",
             "btc_pct_12": "percentile", "btc_pct_all": "percentile", "btc_weakest_since": "date",
             "btc_strongest_since": "date", "tail_price": "JPY per 100", "tail_bp": "bp", "tail_widest_since": "date",
             "avg_yield": "%", "max_yield": "%", "weak": "yes/no"}
    conventions = [
        "bid_to_cover = competitive bids / bids accepted; tail_price = average − lowest accepted price (JPY per 100); "
        "tail_bp = (highest − average accepted yield) × 100",
        f"btc_pct_12 / _all: percentile among itself and the previous 12 / all auctions of the tenor (low = weak "
        f"demand); {TIE_RULE}",
        "btc_weakest_since / btc_strongest_since: the last earlier auction with a bid-to-cover as low / as high "
        "(blank = the lowest / highest on record); tail_widest_since: the last earlier auction with a tail as long",
        "weak: the lowest or second-lowest bid-to-cover of those 13 auctions, or the longest or second-longest tail; "
        "40Y and GX bonds are uniform-yield auctions with no tail",
        "source: MOF all-auctions workbook (jgb_historical_data.xls) and same-day result pages; amounts in JPY 100m",
    ]
    title = "JGB auctions (bid-to-cover ratio; tails in JPY per 100 and bp; yields in %)"
    return make_result(market, "auctions", title, p, [Table("auctions", out, units, title=title, date_column="auction_date")],
                       conventions)
