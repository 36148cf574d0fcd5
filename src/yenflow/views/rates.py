"""Hedged yields, break-evens and spreads from the store (issue: hedging and carry).

Conventions are stated in every result's ``attrs['conventions']`` (a list of
lines the CLI prints under the table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from yenflow.views.inputs import MissingInputError, basis_input, jgb_curve, jpy_rate, ust_curve, usd_rate

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.store import Store

Side = Literal["jp", "us"]


def _pick_dates(frame: "pd.DataFrame", date: Any, start: Any, end: Any) -> "pd.DataFrame":
    """One row (the last on/before ``date``, default the latest) or a history."""
    import pandas as pd

    if start is not None or end is not None:
        return frame.loc[pd.Timestamp(start) if start else None : pd.Timestamp(end) if end else None]
    if date is not None:
        frame = frame.loc[: pd.Timestamp(date)]
    if frame.empty:
        raise MissingInputError("no date on or before the requested one has every input")
    return frame.iloc[[-1]]


def hedge_view(
    store: "Store",
    tenor: int = 10,
    side: Side = "jp",
    hedge: str = "3M",
    basis_bp: float = 0.0,
    basis_series: str | None = None,
    hedge_ratio: float = 1.0,
    annualisation: str = "simple",
    date: Any = None,
    start: Any = None,
    end: Any = None,
    usd_series: str | None = None,
    jpy_series: str | None = None,
) -> "pd.DataFrame":
    """FX-hedged yield for one tenor, decomposed, in % p.a.

    ``side="jp"``: a yen investor in USTs selling USD forward (methods eq. 2–3);
    ``side="us"``: a dollar investor in JGBs buying USD forward (eq. 4). The
    frame adds the other market's yield and the pickup over it in bp.
    """
    import pandas as pd

    from yenflow.analytics import hedging

    label = f"{tenor}Y"
    ust, jgb = ust_curve(store), jgb_curve(store)
    for name, curve in (("UST", ust), ("JGB", jgb)):
        if label not in curve:
            raise MissingInputError(f"no {name} {label} yield in the store")
    r_usd, usd_label = usd_rate(store, usd_series)
    # dates where both markets published, so the pickup over the other bond is defined
    both = pd.concat([ust[label], jgb[label]], axis=1, sort=True).dropna()
    local = both.iloc[:, 0 if side == "jp" else 1]
    r_jpy, jpy_label = jpy_rate(store, local.index, jpy_series)
    basis, basis_label = basis_input(store, basis_bp, basis_series)
    legs = {"usd": usd_label, "jpy": jpy_label}
    common = dict(r_usd=r_usd, r_jpy=r_jpy, basis=basis, tenor=hedge, hedge_ratio=hedge_ratio,
                  annualisation=annualisation, basis_source=basis_label, legs=legs)
    if side == "jp":
        df = hedging.hedged_yield_jpy_investor(local, **common)
        other, other_name = jgb[label], f"jgb_{label.lower()}"
    else:
        df = hedging.hedged_yield_usd_investor(local, **common)
        other, other_name = ust[label], f"ust_{label.lower()}"
    df = df.dropna(subset=["hedged_yield"])
    df[other_name] = other.reindex(df.index)
    df["pickup_bp"] = (df["hedged_yield"] - df[other_name]) * 100
    out = _pick_dates(df, date, start, end)
    investor = "yen investor in USTs, selling USD forward" if side == "jp" else "dollar investor in JGBs, buying USD forward"
    out.attrs = {**df.attrs, "conventions": [
        f"investor: {investor}; {label} bond: " + ("UST par/CMT yield (bond-equivalent)" if side == "jp" else "MOF JGB constant-maturity (semiannual compound)"),
        f"hedge: {hedge} rolling forward, hedge ratio {hedge_ratio:g}, {annualisation} annualisation "
        + ("(×365/d)" if side == "jp" else "(×360/d, investor convention)"),
        f"r$ = {usd_label}; r¥ = {jpy_label}",
        f"basis b = {basis_label}, per annum on the JPY leg; negative = dollar premium "
        "(raises the yen investor's cost and the dollar investor's pickup)",
        "hedge cost/pickup = short_rate_diff (r$·365/360 − r¥) + basis_effect (−b) + cross_term (exact remainder)",
        "a carry snapshot: assumes today's short-rate gap persists for the bond's life (not a locked term hedge)",
        f"pickup_bp = hedged yield − {other_name.replace('_', ' ').upper()} yield, in bp",
    ]}
    return out


def hedge_cost_view(store: "Store", hedge: str = "3M", basis_bp: float = 0.0, basis_series: str | None = None,
                    date: Any = None, usd_series: str | None = None, jpy_series: str | None = None) -> "tuple[float, Any, dict]":
    """The yen investor's hedging cost (% p.a.) on the latest date with both legs."""
    import pandas as pd

    from yenflow.analytics import hedging

    r_usd, usd_label = usd_rate(store, usd_series)
    r_jpy, jpy_label = jpy_rate(store, r_usd.index, jpy_series)
    basis, basis_label = basis_input(store, basis_bp, basis_series)
    hc = hedging.hedge_cost(r_usd, r_jpy, basis, tenor=hedge).dropna()
    if date is not None:
        hc = hc.loc[: pd.Timestamp(date)]
    if hc.empty:
        raise MissingInputError("no date has both money-market legs")
    return float(hc.iloc[-1]), hc.index[-1], {"usd": usd_label, "jpy": jpy_label, "basis": basis_label}


def breakeven_view(
    store: "Store",
    hedge: str = "3M",
    basis_bp: float = 0.0,
    basis_series: str | None = None,
    hedge_ratios: tuple[float, ...] = (1.0, 0.75, 0.5, 0.0),
    date: Any = None,
    usd_series: str | None = None,
    jpy_series: str | None = None,
) -> "pd.DataFrame":
    """Per tenor: the JGB yield at which a yen investor is indifferent between a
    JGB and an h-hedged UST, and the USD/JPY fall that wipes out a year of
    unhedged UST−JGB carry."""
    import pandas as pd

    from yenflow.analytics import hedging

    ust, jgb = ust_curve(store), jgb_curve(store)
    both = pd.concat({"ust": ust, "jgb": jgb}, axis=1, sort=True).dropna(subset=[("ust", "10Y"), ("jgb", "10Y")])
    if date is not None:
        both = both.loc[: pd.Timestamp(date)]
    if both.empty:
        raise MissingInputError("no date with both UST and JGB 10Y yields")
    when = both.index[-1]
    hc, hc_date, legs = hedge_cost_view(store, hedge, basis_bp, basis_series, when, usd_series, jpy_series)
    u, j = both.loc[when, "ust"].dropna(), both.loc[when, "jgb"].dropna()
    table = hedging.breakeven_table(u.to_dict(), j.to_dict(), hc, hedge_ratios)
    spot = store.get("fx.usdjpy").loc[:when].dropna()
    if not spot.empty:
        s0 = float(spot.iloc[-1])
        fx = [hedging.fx_breakeven_move(u_, j_, s0).iloc[0] for u_, j_ in zip(table["ust_yield"], table["jgb_yield"])]
        table["usdjpy"] = s0
        table["fx_breakeven_usdjpy"] = [r["breakeven_spot"] for r in fx]
        table["fx_move_pct"] = [r["move_pct"] for r in fx]
    table.attrs["conventions"] = [
        f"yields on {when:%Y-%m-%d}; hedge cost {hc:.3f}% p.a. ({hedge} rolling, simple, on {hc_date:%Y-%m-%d})",
        f"r$ = {legs['usd']}; r¥ = {legs['jpy']}; basis = {legs['basis']}",
        "breakeven_jgb_yield = UST yield − h × hedge cost (unhedged share: no expected FX move)",
        "gap_bp = breakeven − JGB yield: positive = the hedged UST still beats the JGB",
        "fx_breakeven_usdjpy: USD/JPY one year ahead at which an unhedged UST earns the same as the JGB"
        + (f" (spot {float(spot.iloc[-1]):.2f} on {spot.index[-1]:%Y-%m-%d})" if not spot.empty else ""),
    ]
    return table


def spreads_view(store: "Store", date: Any = None) -> "pd.DataFrame":
    """UST−JGB spreads by tenor and both curves' 2s10s/10s30s, in bp, with
    their percentile over the full history and the last 5 years."""
    import pandas as pd

    from yenflow.analytics import spreads

    ust, jgb = ust_curve(store), jgb_curve(store)
    both = pd.concat([spreads.tenor_spreads(ust, jgb), spreads.curve_slopes(ust, jgb)], axis=1, sort=True)
    if date is not None:
        both = both.loc[: pd.Timestamp(date)]
    rows = []
    for col in both.columns:
        s = both[col].dropna()
        if s.empty:
            continue
        rows.append({
            "measure": col.removesuffix("_bp"),
            "date": s.index[-1],
            "value_bp": float(s.iloc[-1]),
            "pctile_all": spreads.historical_percentile(s),
            "pctile_5y": spreads.historical_percentile(s, window="1825D"),
            "min_bp": float(s.min()),
            "max_bp": float(s.max()),
            "since": s.index[0],
        })
    out = pd.DataFrame(rows)
    out.attrs["conventions"] = [
        "spreads: UST (par/CMT, bond-equivalent) minus JGB (MOF constant maturity, semiannual) yield, in bp",
        "percentiles: rank of the latest value in the full history and in the last 5 years (ties count half)",
    ]
    return out
