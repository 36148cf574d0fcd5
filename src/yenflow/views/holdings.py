"""Who holds what: Japan's Treasury holdings (TIC) and JGBs by holder (BOJ flow of funds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import Table, ViewResult

TIC_IDS = ("tic.holdings.japan", "tic.holdings.china", "tic.holdings.uk", "tic.holdings.total",
           "tic.holdings.foreign_official")
#: JGB holders that do not overlap (the BOJ is carved out of "financial institutions")
JGB_HOLDERS = ("boj", "private_financial_institutions", "central_government", "local_governments",
               "social_security_funds", "nonfinancial_corporations", "households", "npish", "overseas")


@dataclass(frozen=True)
class HoldingsParams(ViewParams):
    months: int = opt(13, "Months of Japan's Treasury holdings to show", minimum=1, maximum=600)


def jgb_holders(levels: "pd.DataFrame") -> "pd.DataFrame":
    """Non-overlapping JGB holders per date (JPY 100m): the flow of funds'
    financial institutions include the BOJ, so "private_financial_institutions"
    = financial institutions − BOJ; whatever the holders do not add up to is
    "other (residual)"."""
    import pandas as pd

    cols = {c.removeprefix("fof.jgb."): levels[c] for c in levels.columns}
    out = pd.DataFrame(index=levels.index)
    for h in JGB_HOLDERS:
        if h == "private_financial_institutions":
            if "financial_institutions" in cols and "boj" in cols:
                out[h] = cols["financial_institutions"] - cols["boj"]
        elif h in cols:
            out[h] = cols[h]
    if "total" in cols:
        out["other_residual"] = cols["total"] - out.sum(axis=1)
        out["total"] = cols["total"]
    return out


@view("holdings", HoldingsParams, "Who holds what: Japan's UST holdings (TIC) and JGB holdings by holder "
      "(BOJ flow of funds), with shares that add to 100 %.", "yenflow holdings")
def holdings(market: "Market", p: HoldingsParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics import holdings as h
    from yenflow.views.result import Table

    tables: list[Table] = []
    market.load(list(TIC_IDS))
    conventions = []
    if market.has("tic.holdings.japan"):
        total = market.get("tic.holdings.total", role="TIC foreign total")
        ust = h.japan_ust(market.series("tic.holdings.japan", role="TIC Japan"), total)
        china = market.get("tic.holdings.china", role="TIC China")
        if china is not None:
            ust["china_usd_bn"] = china.reindex(ust.index)
        ust.index.name = "month"
        summary = h.holdings_table({k: market.series(k, role="TIC holder") for k in TIC_IDS if market.has(k)})
        tables.append(Table("ust_summary", summary, {"series_id": "text", "ref_date": "date", "value": "USD bn",
                                                     "chg_1m": "USD bn", "chg_3m": "USD bn", "chg_12m": "USD bn",
                                                     "max_since": "date", "min_since": "date"},
                            title="US Treasury holdings, TIC (USD bn, month-end; custody-based)", date_column="ref_date"))
        tail = ust.tail(p.months)
        tables.append(Table("japan_ust", tail, {c: ("%" if "share" in c or "pct" in c else "USD bn") for c in tail.columns}
                            | {"month": "date"}, kind="series", date_column="month",
                            title="Japan's UST holdings (USD bn) and share of all foreign holdings (%)"))
        conventions.append("TIC: custody-based (Treasuries held in Japanese custody, whoever owns them); month-end, USD bn")
    fof_ids = market.ids("fof.jgb.")
    if fof_ids:
        obs = market.observations(fof_ids, role="flow of funds JGB holders")
        levels = obs.pivot(index="ref_date", columns="series_id", values="value")
        holders = jgb_holders(levels)
        latest = holders.index.max()
        year_ago = latest - pd.offsets.QuarterEnd(4)
        tot = holders["total"]
        rows = []
        for col in [c for c in holders.columns if c != "total"]:
            rows.append({"holder": col, "amount_jpy_tn": holders.loc[latest, col] / 1e4,
                         "share_pct": 100 * holders.loc[latest, col] / tot[latest],
                         "share_pct_year_ago": (100 * holders.loc[year_ago, col] / tot[year_ago]
                                                if year_ago in holders.index else float("nan"))})
        rows.append({"holder": "total", "amount_jpy_tn": tot[latest] / 1e4, "share_pct": 100.0,
                     "share_pct_year_ago": 100.0 if year_ago in holders.index else float("nan")})
        jgb = pd.DataFrame(rows)
        jgb.insert(1, "date", latest)
        tables.append(Table("jgb_holders", jgb, {"holder": "text", "date": "date", "amount_jpy_tn": "JPY tn",
                                                 "share_pct": "%", "share_pct_year_ago": "%"},
                            title=f"JGBs (incl. T-bills and FILP) by holder, BOJ flow of funds, {latest:%Y-%m-%d} "
                                  "(JPY tn; % of the total)", date_column="date"))
        conventions.append("JGB holders do not overlap and add to 100 %: the BOJ is shown apart from private financial "
                           "institutions (the flow of funds' financial institutions minus the BOJ); other_residual = "
                           "the total minus the holders listed")
    if not tables:
        raise MissingInputError("no TIC or flow-of-funds series; run `yenflow update ustreasury.tic boj.flow_of_funds`")
    return make_result(market, "holdings", "Holdings", p, tables, conventions)
