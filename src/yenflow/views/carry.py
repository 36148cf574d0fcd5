"""Carry monitor and CFTC yen positioning from the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yenflow.views.inputs import MissingInputError, jpy_rate, need, usd_rate

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.store import Store


def carry_view(store: "Store", usd_series: str | None = None, jpy_series: str | None = None, top: int = 8) -> "dict[str, Any]":
    """USD/JPY carry (r$ − r¥, pp), realised vol (21d and 63d, % p.a.),
    carry-to-vol, a long-USD/short-JPY total-return index funded at the yen
    rate, and its largest drawdowns.

    Returns ``{"latest": DataFrame (one row per measure), "history": DataFrame,
    "drawdowns": DataFrame, "conventions": [str]}``.
    """
    import pandas as pd

    from yenflow.analytics import carry as c

    spot = need(store, "fx.usdjpy", "the carry monitor").dropna()
    r_usd, usd_label = usd_rate(store, usd_series)
    r_jpy, jpy_label = jpy_rate(store, spot.index, jpy_series)
    diff = c.carry(r_usd, r_jpy)
    vol21, vol63 = c.realised_vol(spot, 21), c.realised_vol(spot, 63)
    ratio = c.carry_to_vol(diff, vol63)
    hist = pd.DataFrame({"usdjpy": spot, "carry_pp": diff, "vol21_pct": vol21, "vol63_pct": vol63,
                         "carry_to_vol63": ratio}).dropna(subset=["usdjpy"])
    index = c.carry_index(spot, r_usd, r_jpy)
    hist["carry_index"] = index["index"]
    usable = hist.dropna(subset=["carry_pp", "vol63_pct"])
    if usable.empty:
        raise MissingInputError(
            f"no date has USD/JPY, both money-market legs ({usd_label}; {jpy_label}) and 63 days of spot history")
    last, when = usable.iloc[-1], usable.index[-1]
    latest = pd.DataFrame(
        [
            ("USD/JPY", last["usdjpy"], "JPY per USD"),
            ("carry r$ − r¥", last["carry_pp"], "pp p.a."),
            ("realised vol 21d", last["vol21_pct"], "% p.a."),
            ("realised vol 63d", last["vol63_pct"], "% p.a."),
            ("carry / vol63", last["carry_to_vol63"], "ratio"),
            ("carry index (long USD/short JPY)", index["index"].iloc[-1], f"base 100 on {index.index[0]:%Y-%m-%d}"),
            ("index drawdown from peak", (index["index"].iloc[-1] / index["index"].cummax().iloc[-1] - 1) * 100, "%"),
        ],
        columns=["measure", "value", "unit"],
    ).set_index("measure")
    dd = c.drawdowns(index["index"], top=top)
    conventions = [
        f"latest date with carry and vol: {when:%Y-%m-%d}; index ends {index.index[-1]:%Y-%m-%d} (where both rates end)",
        f"r$ = {usd_label}; r¥ = {jpy_label}",
        "vol: sample std of daily log returns between fixings (holidays skipped, not filled) × √252",
        "index: x_t = (S_t/S_{t−1})(1 + r$·Δ/360) − (1 + r¥·Δ/365), Δ calendar days (methods §5)",
        "carry/vol: >0.5 'attractive', <0.2 'vulnerable to unwind' is a practitioner heuristic, not a benchmark",
    ]
    return {"latest": latest, "history": hist, "drawdowns": dd, "conventions": conventions}


def cot_view(store: "Store", weeks: int = 8) -> "pd.DataFrame":
    """CFTC yen positioning by trader group: net contracts, w/w change, net %
    of open interest, 3-year percentile, notional in $bn at the week's USD/JPY,
    with the report (Tuesday) and release (Friday) dates."""
    import pandas as pd

    from yenflow.analytics.positioning import positioning_table

    ids = list(store.sql("SELECT id FROM series WHERE id LIKE 'cot.jpy.%' ORDER BY id")["id"])
    if not ids:
        raise MissingInputError("no CFTC series in the store; run `yenflow update cftc.tff cftc.legacy`")
    obs = store.observations(ids)
    usdjpy = store.get("fx.usdjpy") if store.has_series("fx.usdjpy") else None
    table = positioning_table(obs[["series_id", "ref_date", "value"]], usdjpy=usdjpy, weeks=weeks)
    released = obs.drop_duplicates("ref_date").set_index("ref_date")["released"]
    table["released"] = pd.to_datetime(table["ref_date"]).map(released)
    table.attrs["conventions"] = [
        "net = long − short contracts (positive = net long yen); CME yen futures 097741, ¥12.5m per contract",
        "ref_date = report (Tuesday positions); released = Friday publication (15:30 ET) of that week",
        "percentile: rank of net contracts over the trailing 156 reports (3 years, min 52); ties count half",
        "notional $bn = net × ¥12.5m / USD/JPY of the report date (H.10 noon, last fixing on or before)",
        "tff = Traders in Financial Futures (dealer, asset_mgr, lev_funds, other_rept, nonrept); legacy = non-commercial etc.",
    ]
    return table
