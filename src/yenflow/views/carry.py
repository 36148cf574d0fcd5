"""The USD/JPY carry monitor and CFTC yen positioning (methods.md §5–6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yenflow.views.inputs import Smoothing, jpy_leg, usd_leg
from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ViewParams, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult


@dataclass(frozen=True)
class CarryParams(ViewParams):
    usd_rate: str | None = opt(None, "USD money-market series (default rate.sofr, ACT/360)")
    jpy_rate: str | None = opt(None, "JPY money-market series (default: TONA if stored, then the OECD 3M interbank)")
    smoothing: Smoothing = opt("none", "Overnight legs: none (the daily fixing accrues, as in a carry index) or median5")
    history: bool = opt(False, "Add the daily history table (the main table for --format csv)")
    top: int = opt(8, "Largest drawdowns to list", minimum=1, maximum=50)


def carry_frame(market: "Market", usd_rate: str | None = None, jpy_rate: str | None = None,
                smoothing: Smoothing = "none") -> "dict[str, Any]":
    """The daily carry history (USD/JPY, carry, vols, carry/vol, carry index)
    and the legs used: shared by the carry view, the monitor and the answer."""
    import pandas as pd

    from yenflow.analytics import carry as c

    market.load(["fx.usdjpy", "rate.sofr", "rate.jpy.tona", "user.rate.jpy.tona", "rate.jpy.3m_interbank"])
    spot = market.need("fx.usdjpy", "the carry monitor", role="spot USD/JPY").dropna()
    r_usd = usd_leg(market, "sofr", usd_rate, smoothing)
    r_jpy = jpy_leg(market, spot.index, jpy_rate, smoothing)
    diff = c.carry(r_usd.rate, r_jpy.rate.dropna())
    vol21, vol63 = c.realised_vol(spot, 21), c.realised_vol(spot, 63)
    on_spot = spot.index  # one row per USD/JPY fixing (aligning on it beats a union of five indexes)
    hist = pd.DataFrame({"usdjpy": spot, "carry_pp": diff.reindex(on_spot), "vol21_pct": vol21.reindex(on_spot),
                         "vol63_pct": vol63.reindex(on_spot),
                         "carry_to_vol63": c.carry_to_vol(diff, vol63).reindex(on_spot)}, index=on_spot)
    index = c.carry_index(spot, r_usd.rate, r_jpy.rate.dropna())
    hist["carry_index"] = index["index"]
    hist["drawdown_pct"] = (index["index"] / index["index"].cummax() - 1) * 100
    hist.index.name = "date"
    return {"history": hist, "index": index["index"], "usd": r_usd, "jpy": r_jpy}


@view("carry", CarryParams, "USD/JPY carry monitor: carry, realised vol, carry/vol, the carry index and its largest "
      "drawdowns.", "yenflow carry")
def carry(market: "Market", p: CarryParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics import carry as c
    from yenflow.views.result import Chart, Table

    f = carry_frame(market, p.usd_rate, p.jpy_rate, p.smoothing)
    hist, index = f["history"], f["index"]
    usable = hist.dropna(subset=["carry_pp", "vol63_pct"])
    if usable.empty:
        raise MissingInputError("no date has USD/JPY, both money-market legs and 63 days of spot history")
    last, when = usable.iloc[-1], usable.index[-1]
    idx_when = index.index[-1]
    latest = pd.DataFrame([
        ("USD/JPY", last["usdjpy"], "JPY per USD", when),
        ("carry r$ − r¥", last["carry_pp"], "pp p.a.", when),
        ("realised vol 21d", last["vol21_pct"], "% p.a.", when),
        ("realised vol 63d", last["vol63_pct"], "% p.a.", when),
        ("carry / vol63", last["carry_to_vol63"], "ratio", when),
        ("carry index (long USD/short JPY)", float(index.iloc[-1]), f"index, 100 on {index.index[0]:%Y-%m-%d}", idx_when),
        ("index drawdown from peak", float((index.iloc[-1] / index.cummax().iloc[-1] - 1) * 100), "%", idx_when),
    ], columns=["measure", "value", "unit", "date"])
    dd = c.drawdowns(index, top=p.top)
    warnings = list(f["usd"].warnings) + list(f["jpy"].warnings)
    spot_end = hist.index[-1]
    if (spot_end - when).days > 7:
        warnings.append(f"carry and vol end {when:%Y-%m-%d}, {(spot_end - when).days} days before USD/JPY "
                        f"({spot_end:%Y-%m-%d}): a money-market leg has no later fixing")
    conventions = [
        f"latest date with carry and vol: {when:%Y-%m-%d}; the index ends {idx_when:%Y-%m-%d} (where both rates end)",
        f"r$ = {f['usd'].label}; r¥ = {f['jpy'].label}",
        "carry_pp = r$ − r¥, the quoted differential (pp p.a., no day-count adjustment; the index accrues each leg "
        "on its own day count); vol: sample std of daily log returns between fixings × √252 "
        "(holidays skipped, not filled)",
        "index: x_t = (S_t/S_{t−1})(1 + r$·Δ/360) − (1 + r¥·Δ/365), Δ calendar days (methods §5); drawdown = index / "
        "running peak − 1",
        "carry/vol: >0.5 'attractive', <0.2 'vulnerable to unwind' is a practitioner heuristic, not a benchmark",
    ]
    dd_units = {c_: ("date" if "date" in c_ or c_ in ("peak", "trough", "recovery") else "%" if "pct" in c_ or c_ == "depth" else "")
                for c_ in dd.columns}
    tables = [
        Table("latest", latest, {"measure": "text", "value": "", "unit": "text", "date": "date"}, title="USD/JPY carry"),
        Table("drawdowns", dd, dd_units,
              title="Largest drawdowns of the long-USD/short-JPY carry index (depth in %)"),
    ]
    if p.history:
        units = {"date": "date", "usdjpy": "JPY per USD", "carry_pp": "pp p.a.", "vol21_pct": "% p.a.",
                 "vol63_pct": "% p.a.", "carry_to_vol63": "ratio", "carry_index": "index", "drawdown_pct": "%"}
        tables.insert(0, Table("history", hist, units, kind="series", title="USD/JPY carry history", date_column="date",
                               chart=Chart("line", y=("carry_index",), y_title="index", secondary=("usdjpy",))))
    return make_result(market, "carry", "USD/JPY carry", p, tables, conventions, warnings)


@dataclass(frozen=True)
class CotParams(ViewParams):
    weeks: int = opt(4, "Reports to show per trader group", minimum=1, maximum=2000)


def cot_frame(market: "Market", weeks: int, group: tuple[str, str] | None = None) -> "pd.DataFrame":
    """Positioning table (net, w/w, % OI, percentile, $ notional) with release dates;
    every trader group, or only ``group`` = (report, group) such as ("tff", "lev_funds")."""
    import pandas as pd

    from yenflow.analytics.positioning import positioning_table

    ids = market.ids("cot.jpy.")
    if group is not None:
        report, name = group
        ids = [i for i in ids if i.startswith((f"cot.jpy.{report}.{name}.", f"cot.jpy.{report}.open_interest"))]
    if not ids:
        raise MissingInputError("no CFTC series in the store; run `yenflow update cftc.tff cftc.legacy`")
    market.load(ids + ["fx.usdjpy"])
    obs = market.observations(ids, role="CFTC positioning")
    usdjpy = market.get("fx.usdjpy", role="USD/JPY for notional")
    table = positioning_table(obs[["series_id", "ref_date", "value"]], usdjpy=usdjpy, weeks=weeks)
    released = obs.dropna(subset=["released"]).drop_duplicates("ref_date").set_index("ref_date")["released"]
    table["released"] = pd.to_datetime(table["ref_date"]).map(released)
    return table


@view("cot", CotParams, "CFTC yen futures positioning by trader group (net, w/w, % OI, 3-year percentile, "
      "$ notional), with report and release dates.", "yenflow cot --weeks 8")
def cot(market: "Market", p: CotParams) -> "ViewResult":
    from yenflow.analytics.context import TIE_RULE
    from yenflow.views.result import Table

    table = cot_frame(market, p.weeks)
    units = {"report": "text", "group": "text", "ref_date": "date", "net_contracts": "contracts",
             "change_wow_contracts": "contracts", "net_pct_oi": "%", "net_percentile": "percentile",
             "notional_usd_bn": "USD bn", "released": "date"}
    conventions = [
        "net = long − short contracts (positive = net long yen); CME yen futures 097741, ¥12.5m per contract",
        "ref_date = report (Tuesday positions); released = Friday publication (15:30 ET) of that week",
        f"net_percentile: rank of net contracts among the reports of the 3 calendar years to each report (at least 52); {TIE_RULE}",
        "notional $bn = net × ¥12.5m / USD/JPY of the report date (H.10 noon, last fixing on or before)",
        "tff = Traders in Financial Futures (dealer, asset_mgr, lev_funds, other_rept, nonrept); legacy = non-commercial etc.",
    ]
    title = "CFTC yen positioning (contracts; notional in $bn)"
    return make_result(market, "cot", title, p, [Table("positions", table, units, title=title, date_column="ref_date")],
                       conventions)
