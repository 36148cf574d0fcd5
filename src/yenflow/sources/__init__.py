"""Registry of sources: name -> "module:Class", imported only when used."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yenflow.sources.base import Source

SOURCES: dict[str, str] = {
    "mof.jgb_yields": "yenflow.sources.mof.jgb_yields:MofJgbYields",
    "ustreasury.par_curve": "yenflow.sources.ustreasury.yield_curve:UsTreasuryParCurve",
    "fred": "yenflow.sources.fred.series:FredSeries",
    "mof.securities_weekly": "yenflow.sources.mof.securities_weekly:MofSecuritiesWeekly",
    "mof.securities_monthly": "yenflow.sources.mof.securities_monthly:MofSecuritiesMonthly",
    "mof.securities_by_investor": "yenflow.sources.mof.securities_by_investor:MofSecuritiesByInvestor",
    "mof.bop_portfolio": "yenflow.sources.mof.bop_portfolio:MofBopPortfolio",
    "mof.jgb_auctions": "yenflow.sources.mof.auctions:MofJgbAuctions",
    "mof.jgb_auction_pages": "yenflow.sources.mof.auction_results_page:MofAuctionResultPages",
    "mof.intervention": "yenflow.sources.mof.intervention:MofIntervention",
    "ustreasury.tic": "yenflow.sources.ustreasury.tic:UsTicHoldings",
    "cftc.tff": "yenflow.sources.cftc.cot:CftcTff",
    "cftc.legacy": "yenflow.sources.cftc.cot:CftcLegacy",
    "boj.api": "yenflow.sources.boj.api:BojApi",
    "boj.policy_rate": "yenflow.sources.boj.policy:BojPolicyRate",
    "boj.flow_of_funds": "yenflow.sources.boj.flow_of_funds:BojFlowOfFunds",
    "jsda.bond_trading": "yenflow.sources.jsda.bond_trading:JsdaBondTrading",
    "nikkei.stock_average": "yenflow.sources.nikkei.stock_average:NikkeiStockAverage",
    "boj.bop_flat": "yenflow.sources.boj.bop_flat:BojBopFlat",
    "boj.fof_flat": "yenflow.sources.boj.fof_flat:BojFofFlat",
    "boj.flat_files": "yenflow.sources.boj.other_flat:BojOtherFlatFiles",
    "imf.pip": "yenflow.sources.imf.pip:ImfPip",
    "mof.bop_by_area": "yenflow.sources.mof.bop_by_area:MofBopByArea",
    "statbureau.cpi": "yenflow.sources.statbureau.cpi:StatBureauCpi",
    "bis.lbs": "yenflow.sources.bis.lbs:BisLbs",
    "jpx.investor_types": "yenflow.sources.jpx.investor_types:JpxInvestorTypes",
}


def list_sources() -> list[str]:
    return list(SOURCES)


def get_source(name: str) -> "Source":
    """Instantiate the source registered as ``name``."""
    try:
        target = SOURCES[name]
    except KeyError:
        from yenflow.errors import YenflowError

        raise YenflowError(
            f"unknown source {name!r}; known sources: {', '.join(SOURCES)}"
        ) from None
    module, cls = target.split(":")
    return getattr(import_module(module), cls)()
