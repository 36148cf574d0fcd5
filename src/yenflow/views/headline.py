"""Headline figures a user quotes: USD/JPY monthly averages (the Federal
Reserve's G.5 method) and the BOJ's policy-rate decisions with both the
decision date and the date the new rate took effect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from yenflow.views.market import make_result
from yenflow.views.params import ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult


@dataclass(frozen=True)
class FxMonthlyParams(ViewParams):
    last: int = opt(24, "Months to show", minimum=1, maximum=1200)


@view("fx_monthly", FxMonthlyParams, "USD/JPY monthly averages of the daily noon buying rates (the Fed's G.5 method), "
      "with the month's high, low, last fixing and number of fixings.", "yenflow fx-monthly --last 12")
def fx_monthly(market: "Market", p: FxMonthlyParams) -> "ViewResult":
    import pandas as pd

    from yenflow.views.result import Chart, Table

    s = market.need("fx.usdjpy", "the monthly averages", role="daily USD/JPY (H.10 noon buying rate)").dropna()
    g = s.groupby(s.index.to_period("M"))
    out = pd.DataFrame({"average": g.mean(), "high": g.max(), "low": g.min(), "last_fixing": g.last(),
                        "fixings": g.size()})
    out.index = out.index.to_timestamp(how="end").normalize()
    out.index.name = "month"
    out = out.tail(p.last)
    warnings = []
    last_month = out.index[-1]
    if s.index[-1] < last_month - pd.Timedelta(days=3):
        warnings.append(f"{last_month:%Y-%m} is incomplete: fixings to {s.index[-1]:%Y-%m-%d} only")
    units = {"month": "date", "average": "JPY per USD", "high": "JPY per USD", "low": "JPY per USD",
             "last_fixing": "JPY per USD", "fixings": "count"}
    conventions = ["average: simple mean of the month's H.10 noon buying rates in New York (FRED DEXJPUS), business "
                   "days with a fixing only — the Federal Reserve's G.5 method; yenflow computes it (the G.5 release "
                   "itself is not read)", "months are labelled by their last day"]
    title = "USD/JPY monthly averages (JPY per USD)"
    table = Table("fx_monthly", out, units, kind="series", title=title, date_column="month",
                  decimals={"average": 4, "high": 2, "low": 2, "last_fixing": 2},
                  chart=Chart("line", y=("average",), y_title="JPY per USD"))
    return make_result(market, "fx_monthly", title, p, [table], conventions, warnings)


@dataclass(frozen=True)
class BojParams(ViewParams):
    pass


@view("boj_decisions", BojParams, "BOJ policy-rate decisions: the Monetary Policy Meeting's decision date, the date "
      "the new target took effect, the target and the change.", "yenflow boj", cli="boj")
def boj_decisions(market: "Market", p: BojParams) -> "ViewResult":
    import pandas as pd

    from yenflow.views.result import Table

    obs = market.observations(["rate.boj.policy_target"], role="BOJ policy-rate target").sort_values("ref_date")
    out = pd.DataFrame({"decided": pd.to_datetime(obs["released"]).to_numpy(),
                        "effective": pd.to_datetime(obs["ref_date"]).to_numpy(),
                        "target_pct": obs["value"].to_numpy()})
    out["change_bp"] = out["target_pct"].diff() * 100
    units = {"decided": "date", "effective": "date", "target_pct": "%", "change_bp": "bp"}
    conventions = ["decided: the Monetary Policy Meeting's announcement (JST); effective: the first day of the new "
                   "target (the store's reference date), usually the next business day",
                   "the BOJ publishes no policy-rate series: yenflow ships a table of MPM decisions "
                   "(`boj.policy_rate`), revised like any source when it changes",
                   "targets: the uncollateralized overnight call rate target (or the policy-rate balance rate under "
                   "negative rates, 2016-02 → 2024-03)"]
    title = "BOJ policy-rate decisions"
    return make_result(market, "boj_decisions", title, p,
                       [Table("decisions", out, units, title=title, date_column="effective")], conventions)
