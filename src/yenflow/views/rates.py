"""Hedged yields, break-evens and spreads (methods.md §1–3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from yenflow.views.inputs import (
    CURVE_TENORS,
    preload,
    Leg,
    Smoothing,
    age_warning,
    basis_input,
    jgb_curve,
    jpy_leg,
    ust_curve,
    usd_leg,
)
from yenflow.views.market import MissingInputError, make_result
from yenflow.views.params import ParamError, ViewParams, check_range, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

BondTenor = Literal[1, 2, 3, 5, 7, 10, 20, 30]
HedgeTenor = Literal["1M", "3M"]
#: a row's input this many days older than the row's date is flagged
INPUT_AGE_DAYS = 7
HEDGE_TENOR_WORDS = ("1M and 3M only: overnight rates stand in for 1M/3M OIS; longer hedges need term rates "
                     "the store does not have")


@dataclass(frozen=True)
class HedgeInputs(ViewParams):
    hedge_tenor: HedgeTenor = opt("3M", f"Hedge tenor, rolled ({HEDGE_TENOR_WORDS})", cli="--hedge")
    basis_bp: float = opt(0.0, "Cross-currency basis in bp on the JPY leg (negative = dollar premium)", cli="--basis",
                          minimum=-500, maximum=500)
    basis_series: str | None = opt(None, "Basis series in bp (e.g. a `yenflow import`ed one) instead of a constant")
    usd_leg: Literal["sofr", "tbill"] = opt("sofr", "USD leg: sofr (overnight SOFR as a proxy for 3M OIS) or tbill (3M bill)")
    smoothing: Smoothing = opt("median5", "Overnight legs: median5 (trailing 5-fixing median, damps quarter-end "
                                          "spikes; what a desk would quote) or none (the daily fixing)")
    usd_rate: str | None = opt(None, "USD money-market series instead of the --usd-leg choice (taken as ACT/360)")
    jpy_rate: str | None = opt(None, "JPY money-market series (default: TONA if stored, else the OECD 3M interbank)")


@dataclass(frozen=True)
class HedgeParams(HedgeInputs):
    bond_tenor: BondTenor = opt(10, "Bond tenor in years (both curves)", cli="--tenor")
    side: Literal["jp", "us"] = opt("jp", "jp: yen investor in USTs; us: dollar investor in JGBs")
    hedge_ratio: float = opt(1.0, "Share hedged", minimum=0.0, maximum=1.0)
    annualisation: Literal["simple", "compound"] = opt("simple", "simple (×365/d) or compound ((F/S)^(365/d))")
    date: date | None = opt(None, "Date (default: the latest with every input)")
    start: date | None = opt(None, "History from this date (with --end: a table of dates)")
    end: date | None = opt(None, "History to this date")

    def check(self) -> None:
        check_range(self.start, self.end)
        if self.date is not None and (self.start is not None or self.end is not None):
            raise ParamError("--date", "give either --date or --start/--end, not both")


def _legs(market: "Market", p: HedgeInputs, index: "pd.DatetimeIndex") -> "tuple[Leg, Leg, float | pd.Series, str]":
    r_usd = usd_leg(market, p.usd_leg, p.usd_rate, p.smoothing)
    r_jpy = jpy_leg(market, index, p.jpy_rate, p.smoothing)
    basis, basis_label = basis_input(market, p.basis_bp, p.basis_series)
    return r_usd, r_jpy, basis, basis_label


def leg_conventions(r_usd: Leg, r_jpy: Leg, basis_label: str, hedge_tenor: str) -> list[str]:
    return [
        f"r$ = {r_usd.label}; r¥ = {r_jpy.label}",
        f"hedge: {hedge_tenor} FX forward rolled, priced by covered interest parity from r$ and r¥ "
        f"(d = {'91' if hedge_tenor == '3M' else '30'} days); {HEDGE_TENOR_WORDS}",
        f"basis b = {basis_label}, per annum on the JPY leg; negative = dollar premium (raises the yen investor's "
        "cost and the dollar investor's pickup)",
    ]


def _last_fixing(s: "pd.Series", on: "pd.Timestamp") -> "pd.Timestamp | None":
    upto = s.dropna().loc[:on]
    return None if upto.empty else upto.index[-1]


@view("hedge", HedgeParams, "FX-hedged yield, decomposed: local yield, short-rate differential, basis, hedge "
      "cost/pickup, for a yen investor in USTs or a dollar investor in JGBs.", "yenflow hedge --tenor 5 --side us --basis -30")
def hedge(market: "Market", p: HedgeParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics import hedging
    from yenflow.views.result import Chart, Table

    label = f"{p.bond_tenor}Y"
    preload(market, (p.bond_tenor,))
    ust, jgb = ust_curve(market, (p.bond_tenor,)), jgb_curve(market, (p.bond_tenor,))
    for name, curve in (("UST", ust), ("JGB", jgb)):
        if label not in curve or curve[label].dropna().empty:
            raise MissingInputError(f"no {name} {label} yield in the store")
    both = pd.concat([ust[label], jgb[label]], axis=1, sort=True).dropna()
    local = both.iloc[:, 0 if p.side == "jp" else 1]
    r_usd, r_jpy, basis, basis_label = _legs(market, p, local.index)
    common = dict(r_usd=r_usd.rate, r_jpy=r_jpy.rate, basis=basis, tenor=p.hedge_tenor, hedge_ratio=p.hedge_ratio,
                  annualisation=p.annualisation, basis_source=basis_label,
                  legs={"usd": r_usd.label, "jpy": r_jpy.label})
    if p.side == "jp":
        df = hedging.hedged_yield_jpy_investor(local, **common)
        other, other_name = jgb[label], f"jgb_{label.lower()}"
    else:
        df = hedging.hedged_yield_usd_investor(local, convention="yield_basis", **common)
        other, other_name = ust[label], f"ust_{label.lower()}"
    df = df.dropna(subset=["hedged_yield"])
    df[other_name] = other.reindex(df.index)
    df["pickup_bp"] = (df["hedged_yield"] - df[other_name]) * 100
    df.index.name = "date"
    warnings = list(r_usd.warnings) + list(r_jpy.warnings)
    investor = ("yen investor in USTs, selling USD forward" if p.side == "jp"
                else "dollar investor in JGBs, buying USD forward")
    carry_col = "hedge_cost" if p.side == "jp" else "hedge_pickup"
    conventions = [
        f"investor: {investor}; {label} bond: " + ("UST par/CMT yield (bond-equivalent)" if p.side == "jp"
                                                   else "MOF JGB constant-maturity (semiannual compound)"),
        *leg_conventions(r_usd, r_jpy, basis_label, p.hedge_tenor),
        f"{carry_col} = short_rate_diff (r$·365/360 − r¥) + basis_effect (−b) + cross_term (exact remainder), "
        f"annualised {'×365/d on the bond yield’s calendar-year basis' if p.annualisation == 'simple' else 'compounded (F/S)^(365/d)'}; "
        f"hedge ratio {p.hedge_ratio:g}",
        "a carry snapshot: assumes today's short-rate gap persists for the bond's life (not a locked term hedge)",
        f"pickup_bp = hedged yield − {other_name.replace('_', ' ').upper()} yield, in bp",
    ]
    units = {c: "% p.a." for c in df.columns}
    units.update(pickup_bp="bp", date="date")
    if p.start is not None or p.end is not None:
        hist = df.loc[pd.Timestamp(p.start) if p.start else None: pd.Timestamp(p.end) if p.end else None]
        if hist.empty:
            raise MissingInputError(f"no date between {p.start or 'the start'} and {p.end or 'the end'} has every input")
        title = f"{label} hedged yield history — {investor} (% p.a.)"
        table = Table("history", hist, units, kind="series", title=title, date_column="date",
                      chart=Chart("line", y=("local_yield", "hedged_yield", other_name), y_title="% p.a.",
                                  labels=(("local_yield", f"{'UST' if p.side == 'jp' else 'JGB'} {label} unhedged"),
                                          ("hedged_yield", f"{'UST' if p.side == 'jp' else 'JGB'} {label} FX-hedged"),
                                          (other_name, f"{'JGB' if p.side == 'jp' else 'UST'} {label}"))))
        return make_result(market, "hedge", title, p, [table], conventions, warnings)
    asked = pd.Timestamp(p.date) if p.date else None
    upto = df.loc[:asked] if asked is not None else df
    if upto.empty:
        raise MissingInputError("no date on or before the requested one has every input")
    when = upto.index[-1]
    row = upto.iloc[-1]
    lasts = {f"UST {label}": _last_fixing(ust[label], asked or ust[label].index[-1]),
             f"JGB {label}": _last_fixing(jgb[label], asked or jgb[label].index[-1])}
    binding = [name for name, d in lasts.items() if d is not None and d <= when]
    if asked is not None and (asked - when).days > INPUT_AGE_DAYS:
        warnings.append(f"answer dated {when:%Y-%m-%d}, {(asked - when).days} days before the {asked:%Y-%m-%d} asked: "
                        f"{' and '.join(binding) or 'an input'} has no value since")
    elif asked is None:
        newest = max(d for d in lasts.values() if d is not None)
        if (newest - when).days > INPUT_AGE_DAYS:
            others = [f"{n} runs to {d:%Y-%m-%d}" for n, d in lasts.items() if d is not None and d > when]
            warnings.append(f"answer dated {when:%Y-%m-%d}, the last date with a {' and '.join(binding)} yield; "
                            f"{'; '.join(others)} ({(newest - when).days} days later)")
    dates = {"local_yield": when, other_name: when, "short_rate_diff": _last_fixing(r_usd.rate, when),
             "basis": when}
    comp = pd.DataFrame({"value": row})
    comp.index.name = "component"
    comp["unit"] = ["bp" if c == "pickup_bp" else "% p.a." for c in comp.index]
    comp["date"] = [dates.get(c, when) for c in comp.index]
    for leg, s in (("r$", r_usd.rate), ("r¥", r_jpy.rate)):
        fix = _last_fixing(s, when)
        w = age_warning(f"{leg} for {when:%Y-%m-%d}", fix, when, INPUT_AGE_DAYS)
        if w:
            warnings.append(w)
    title = f"{label} hedged yield on {when:%Y-%m-%d} — {investor}"
    table = Table("decomposition", comp, {"component": "text", "value": "", "unit": "text", "date": "date"},
                  title=title, chart=Chart("bar", y=("value",), x="component", y_title="% p.a.", events=False))
    return make_result(market, "hedge", title, p, [table], conventions, warnings)


@dataclass(frozen=True)
class BreakevenParams(HedgeInputs):
    date: date | None = opt(None, "Date (default: the latest with UST and JGB 10Y)")


@view("breakeven", BreakevenParams, "Break-evens per tenor: the JGB yield that matches a hedged (100/75/50/0 %) UST, "
      "and the USD/JPY fall that wipes out a year of unhedged carry.", "yenflow breakeven --basis -25")
def breakeven(market: "Market", p: BreakevenParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics import hedging
    from yenflow.views.result import Table

    preload(market, CURVE_TENORS)
    ust, jgb = ust_curve(market, CURVE_TENORS), jgb_curve(market, CURVE_TENORS)
    both = pd.concat({"ust": ust, "jgb": jgb}, axis=1, sort=True).dropna(subset=[("ust", "10Y"), ("jgb", "10Y")])
    if p.date is not None:
        both = both.loc[: pd.Timestamp(p.date)]
    if both.empty:
        raise MissingInputError("no date with both UST and JGB 10Y yields")
    when = both.index[-1]
    r_usd, r_jpy, basis, basis_label = _legs(market, p, pd.DatetimeIndex([when]))
    hc_series = hedging.hedge_cost(r_usd.rate, r_jpy.rate.dropna(), basis, tenor=p.hedge_tenor).dropna()
    hc_series = hc_series.loc[:when]
    if hc_series.empty:
        raise MissingInputError("no date has both money-market legs")
    hc, hc_date = float(hc_series.iloc[-1]), hc_series.index[-1]
    u, j = both.loc[when, "ust"].dropna(), both.loc[when, "jgb"].dropna()
    table = hedging.breakeven_table(u.to_dict(), j.to_dict(), hc, (1.0, 0.75, 0.5, 0.0))
    table.insert(0, "date", when)
    spot = market.need("fx.usdjpy", "the FX break-even", role="spot").loc[:when].dropna()
    warnings = list(r_usd.warnings) + list(r_jpy.warnings)
    missing = [c for c in ust.columns if c not in u.index and c in jgb.columns]
    if missing:
        warnings.append(f"UST {', '.join(missing)} not published on {when:%Y-%m-%d}: left out")
    w = age_warning(f"hedge cost (r$, r¥ for {when:%Y-%m-%d})", hc_date, when, INPUT_AGE_DAYS)
    if w:
        warnings.append(w)
    if not spot.empty:
        s0 = float(spot.iloc[-1])
        fx = [hedging.fx_breakeven_move(u_, j_, s0).iloc[0] for u_, j_ in zip(table["ust_yield"], table["jgb_yield"])]
        table["usdjpy"] = s0
        table["fx_breakeven_usdjpy"] = [r["breakeven_spot"] for r in fx]
        table["fx_move_pct"] = [r["move_pct"] for r in fx]
    units = {"date": "date", "tenor": "text", "hedge_ratio": "share", "ust_yield": "%", "jgb_yield": "%",
             "hedge_cost": "% p.a.", "breakeven_jgb_yield": "%", "gap_bp": "bp", "usdjpy": "JPY per USD",
             "fx_breakeven_usdjpy": "JPY per USD", "fx_move_pct": "%"}
    conventions = [
        f"yields on {when:%Y-%m-%d}; hedge cost {hc:.3f}% p.a. ({p.hedge_tenor} rolling, simple, on {hc_date:%Y-%m-%d})",
        *leg_conventions(r_usd, r_jpy, basis_label, p.hedge_tenor),
        "breakeven_jgb_yield = UST yield − h × hedge cost (unhedged share: no expected FX move)",
        "gap_bp = breakeven − JGB yield: positive = the hedged UST still beats the JGB",
        "fx_breakeven_usdjpy: USD/JPY one year ahead at which an unhedged UST earns the same as the JGB"
        + (f" (spot {float(spot.iloc[-1]):.2f} on {spot.index[-1]:%Y-%m-%d})" if not spot.empty else ""),
    ]
    title = f"Break-evens on {when:%Y-%m-%d} (yields in %, gap in bp)"
    return make_result(market, "breakeven", title, p, [Table("breakevens", table, units, title=title, date_column="date")],
                       conventions, warnings)


@dataclass(frozen=True)
class SpreadsParams(ViewParams):
    date: date | None = opt(None, "Date (default: the latest)")


@view("spreads", SpreadsParams, "UST−JGB spreads by tenor and 2s10s/10s30s slopes, in bp, with historical percentiles.",
      "yenflow spreads")
def spreads(market: "Market", p: SpreadsParams) -> "ViewResult":
    import pandas as pd

    from yenflow.analytics import context
    from yenflow.analytics import spreads as sp
    from yenflow.views.result import Table

    preload(market, sp.DEFAULT_TENORS)
    ust, jgb = ust_curve(market, sp.DEFAULT_TENORS), jgb_curve(market, sp.DEFAULT_TENORS)
    both = pd.concat([sp.tenor_spreads(ust, jgb), sp.curve_slopes(ust, jgb)], axis=1, sort=True)
    if p.date is not None:
        both = both.loc[: pd.Timestamp(p.date)]
    rows = []
    for col in both.columns:
        s = both[col].dropna()
        if s.empty:
            continue
        last = s.index[-1]
        rows.append({
            "measure": col.removesuffix("_bp"), "date": last, "value_bp": float(s.iloc[-1]),
            "pctile_all": float(context.percentile(s, at=[last]).iloc[0]),
            "pctile_5y": float(context.percentile(s, at=[last], window="1825D").iloc[0]),
            "min_bp": float(s.min()), "max_bp": float(s.max()), "since": s.index[0],
        })
    out = pd.DataFrame(rows)
    if out.empty:
        raise MissingInputError("no spread can be computed from the stored curves")
    newest = out["date"].max()
    late = out[(newest - out["date"]).dt.days > INPUT_AGE_DAYS]
    warnings = [f"rows dated {d:%Y-%m-%d}, {(newest - d).days} days before the newest ({newest:%Y-%m-%d}): "
                f"{', '.join(g['measure'])} (a curve they need has not published since)"
                for d, g in late.groupby("date", sort=True)]
    units = {"measure": "text", "date": "date", "value_bp": "bp", "pctile_all": "percentile", "pctile_5y": "percentile",
             "min_bp": "bp", "max_bp": "bp", "since": "date"}
    conventions = [
        "spreads: UST (Treasury par, then H.15 CMT) minus JGB (MOF constant maturity) yield, in bp; slopes: long − short "
        "tenor of one curve; each row on the latest date both yields exist",
        f"pctile_all: rank of the latest value among all values since `since`; pctile_5y: among the 5 years to its date; "
        f"{context.TIE_RULE}",
    ]
    title = "Spreads and slopes (bp)"
    return make_result(market, "spreads", title, p, [Table("spreads", out, units, title=title, date_column="date")],
                       conventions, warnings)

