"""The size of the yen carry trade as a range of components (methods.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams
from yenflow.views.registry import view

if TYPE_CHECKING:
    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult


@dataclass(frozen=True)
class CarrySizeParams(ViewParams):
    pass


@view("carry_size", CarrySizeParams, "The yen carry trade as a range, never one number: CFTC futures in ¥ and $, "
      "BIS on-balance-sheet lenses, the BIS Bulletin's ¥40 tn / $250 bn line and the seed's $160–500 bn, with "
      "what each covers and misses.", "yenflow carry-size")
def carry_size(market: "Market", p: CarrySizeParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics import carry_size as cs
    from yenflow.views.result import Chart, Table

    market.load([*cs.COMPONENTS, "fx.usdjpy"])
    spot = market.need("fx.usdjpy", "the carry-size conversions", role="USD/JPY for ¥ ↔ $")
    latest, lacking = {}, []
    for sid, spec in cs.COMPONENTS.items():
        s = market.get(sid, role=spec.label)
        s = s.dropna() if s is not None else None
        if s is None or s.empty:
            lacking.append((spec.label, f"{sid} is not in the store (run `yenflow update`)"))
            continue
        latest[sid] = (s.index[-1], float(s.iloc[-1]))
    if not latest:
        raise MissingInputError("no carry-size component in the store: run `yenflow update cftc.tff cftc.legacy "
                                "bis.lbs` (or `--from DIR`)")
    table = cs.carry_size_table(latest, spot)
    lacking += list(cs.LACKING.items())
    warnings = [f"{r.component}: ¥/$ conversion uses {r.fx}" for r in table.itertuples() if "stale" in str(r.fx)]
    conventions = [
        "¥ tn = 10^12 yen, $ bn = 10^9 dollars; futures: net contracts × ¥12,500,000 (CME yen future), $ at the "
        "report date's USD/JPY (H.10 noon, last fixing on or before); negative = net short yen (the carry side)",
        "BIS LBS: amounts outstanding at quarter end, USD m as published → $ bn; ¥ at the quarter-end USD/JPY; "
        "all currencies and instruments, so an upper bound, not yen carry as such",
        "BIS Bulletin No 90 (27 Aug 2024): \"a rough middle ballpark of ¥40 trillion ($250 billion) going into the "
        "event\", on- and off-balance sheet; a dated published estimate drawn as a reference line",
        "seed: \"anywhere between $160 billion and $500 billion\" (no source); its ¥ is derived at the latest USD/JPY",
        *cs.seed_against(table),
    ]
    units = {"component": "text", "kind": "text", "as_of": "date", "jpy_tn": "JPY tn", "usd_bn": "USD bn",
             "usd_bn_high": "USD bn", "fx": "text", "covers": "text", "misses": "text"}
    missing = pd.DataFrame(lacking, columns=["component", "why"])
    tables = [
        Table("components", table, units, title="The yen carry trade: components, each on its latest date",
              date_column="as_of", decimals={"jpy_tn": 2, "usd_bn": 1, "usd_bn_high": 1},
              chart=Chart("bar", x="component", y=("usd_bn",), y_title="$ bn", zero_line=True, events=False)),
        Table("lacking", missing, {"component": "text", "why": "text"},
              title="Components the store does not have"),
    ]
    return make_result(market, "carry_size", "The size of the yen carry trade", p, tables, conventions, warnings)
