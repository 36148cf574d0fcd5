"""MOF FX intervention: the ledger by day, month, year or episode (methods.md §13)."""

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


def operations(market: "Market") -> "pd.DataFrame":
    """Signed operations: MOF's official daily series, with a user-imported
    history (``user.intervention.<pair>.amount``) filling dates the official
    file in the store does not cover."""
    from yenflow.analytics.intervention import operations_from_series

    ids = market.ids(pattern=r"^(user\.)?intervention\.[a-z]{3}jpy\.amount$")
    if not ids:
        raise MissingInputError(
            "no intervention series in the store; run `yenflow update mof.intervention`, or import MOF's history "
            "(see README: `yenflow import … --series user.intervention.usdjpy.amount`)")
    obs = market.observations(ids, role="intervention operations")
    obs["official"] = ~obs["series_id"].str.startswith("user.")
    obs["series_id"] = obs["series_id"].str.removeprefix("user.")
    obs = obs.sort_values("official", ascending=False).drop_duplicates(["series_id", "ref_date"])
    return operations_from_series(obs.sort_values("ref_date")).reset_index(drop=True)


@dataclass(frozen=True)
class InterventionParams(ViewParams):
    by: Literal["day", "month", "year", "period", "episode"] = opt(
        "episode", "Group by day, calendar month, year, MOF reporting period (settlement month) or episode")
    last: int | None = opt(None, "Only the last N rows", minimum=1)


@view("intervention", InterventionParams, "MOF FX intervention ledger: amounts, direction, cumulative yen bought/sold, "
      "USD/JPY around episodes.", "yenflow intervention --by episode")
def intervention(market: "Market", p: InterventionParams) -> "ViewResult":
    from yenflow.analytics import intervention as iv
    from yenflow.views.result import Table

    ops = operations(market)
    if p.by == "episode":
        out = iv.episodes(ops)
        fx = market.get("fx.usdjpy", role="USD/JPY around episodes")
        if fx is not None:
            out = iv.episode_fx(out, fx)
        date_col = "start"
    else:
        out = iv.ledger(ops, p.by)
        date_col = "period"
    if p.last:
        out = out.tail(p.last).reset_index(drop=True)
    units = {c: ("date" if c in ("start", "end", "period", "period_start", "period_end") or c.endswith("_date") else
                 "JPY per USD" if c.startswith("usdjpy") else "%" if c.endswith("_pct") else
                 "count" if c in ("days",) else "text" if c in ("direction", "pairs") else "JPY 100m")
             for c in out.columns}
    conventions = [
        "amounts in JPY 100m (億円); yen_bought = USD (or other currency) sold for yen; yen_sold = the reverse",
        "episode: intervention days in one direction at most 3 business days apart" if p.by == "episode" else
        "period: MOF's reporting months — operations settled in the month (T+2 on days Tokyo and New York are both "
        "open), labelled by the month's last day; period_start → period_end: the trade dates they cover"
        if p.by == "period" else f"calendar {p.by}s labelled by their last day (period_start = the first); MOF's own "
        "monthly totals count settlements instead (`--by period`), so they can straddle two calendar months",
        "usdjpy_before: last H.10 noon fixing before the first day; usdjpy_after: 5 business days after the first day "
        "(JST trade dates vs New York noon fixings)",
        "history before MOF's official daily CSV is loaded: a user import of MOF's daily record (see README)",
    ]
    title = f"MOF FX intervention by {p.by} (JPY 100m)"
    return make_result(market, "intervention", title, p, [Table("intervention", out, units, title=title, date_column=date_col)],
                       conventions)
