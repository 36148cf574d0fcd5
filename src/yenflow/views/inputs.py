"""Market inputs for the rates and carry views, with the choice of series made
explicit: each function returns the data, a label saying which series stand in
for what (e.g. "overnight SOFR, 5-business-day median, as a proxy for 3M SOFR
OIS"), and warnings when a fallback or an older input is used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from yenflow.views.market import MissingInputError

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.views.market import Market

CURVE_TENORS = (1, 2, 3, 5, 7, 10, 20, 30)
JGB_TENORS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40)
#: JPY short-rate legs in order of preference (daily TONA first, the OECD monthly average last)
JPY_RATE_PREFERENCE = ("rate.jpy.tona", "user.rate.jpy.tona", "rate.jpy.3m_interbank")
USD_LEGS = {
    "sofr": ("rate.sofr", "overnight SOFR (ACT/360) as a proxy for 3M SOFR OIS"),
    "tbill": ("ust.par.3m", "3M T-bill, Treasury par/CMT bond-equivalent yield ×360/365 to ACT/360"),
}
Smoothing = Literal["none", "median5"]
SMOOTHING_WORDS = {"none": "daily fixing as published",
                   "median5": "trailing median of the last 5 published fixings (damps quarter- and year-end spikes)"}


@dataclass
class Leg:
    """A money-market leg on a daily index, what it is, and what to warn about."""

    rate: "pd.Series"
    label: str
    warnings: list[str] = field(default_factory=list)


def curve_ids(prefix: str, tenors: tuple[int, ...]) -> list[str]:
    return [f"{prefix}{t}y" for t in tenors]


def preload(market: "Market", tenors: tuple[int, ...], jgb_tenors: tuple[int, ...] | None = None) -> None:
    """Everything a rates view reads, in one query: both curves at ``tenors``, the
    money-market legs and USD/JPY."""
    jgb = tenors if jgb_tenors is None else jgb_tenors
    market.load(curve_ids("ust.par.", tenors) + curve_ids("ust.cmt.", tenors) + curve_ids("jgb.", jgb)
                + ["rate.sofr", "ust.par.3m", "ust.cmt.3m", *JPY_RATE_PREFERENCE, "fx.usdjpy"])


def ust_curve(market: "Market", tenors: tuple[int, ...] = CURVE_TENORS) -> "pd.DataFrame":
    """UST yields (%) by tenor, columns ``"2Y"``…: the Treasury par curve, with
    FRED's H.15 constant-maturity series (the same Treasury numbers) filling
    dates the par-curve files do not cover yet."""
    import pandas as pd

    market.load(curve_ids("ust.par.", tenors) + curve_ids("ust.cmt.", tenors))
    cols = {}
    for t in tenors:
        s = market.spliced(f"ust.par.{t}y", f"ust.cmt.{t}y", "UST curve")
        if s is not None:
            cols[f"{t}Y"] = s
    if not cols:
        raise MissingInputError("the UST curve needs ust.par.* or ust.cmt.* series; run `yenflow update`")
    return pd.DataFrame(cols).sort_index()


def jgb_curve(market: "Market", tenors: tuple[int, ...] = JGB_TENORS) -> "pd.DataFrame":
    """MOF JGB constant-maturity yields (%) by tenor, columns ``"10Y"``…"""
    import pandas as pd

    market.load(curve_ids("jgb.", tenors))
    cols = {f"{t}Y": market.series(f"jgb.{t}y", "JGB curve") for t in tenors if market.has(f"jgb.{t}y")}
    if not cols:
        raise MissingInputError("the JGB curve needs jgb.* series; run `yenflow update`")
    return pd.DataFrame(cols).sort_index()


def smooth(s: "pd.Series", how: Smoothing) -> "pd.Series":
    """The overnight fixing, or its trailing median over the last 5 published fixings."""
    clean = s.dropna()
    if how == "median5":
        return clean.rolling(5, min_periods=1).median()
    return clean


def usd_leg(market: "Market", leg: str = "sofr", series_id: str | None = None, smoothing: Smoothing = "median5") -> Leg:
    """The USD money-market leg in % (ACT/360)."""
    if series_id:
        s = market.need(series_id, "the USD money-market leg", role="r$ (USD leg)")
        return Leg(smooth(s, smoothing), f"{series_id} ({s.attrs.get('name')}, taken as ACT/360; {SMOOTHING_WORDS[smoothing]})")
    sid, words = USD_LEGS[leg]
    if leg == "tbill":
        s = market.spliced("ust.par.3m", "ust.cmt.3m", "r$ (USD leg)")
        if s is None:
            raise MissingInputError("the T-bill leg needs ust.par.3m or ust.cmt.3m; run `yenflow update`")
        return Leg(smooth(s * 360.0 / 365.0, "none"), words)
    s = market.need(sid, "the USD money-market leg", role="r$ (USD leg)")
    return Leg(smooth(s, smoothing), f"{words}; {SMOOTHING_WORDS[smoothing]}")


def jpy_leg(market: "Market", daily_index: "pd.DatetimeIndex", series_id: str | None = None,
            smoothing: Smoothing = "median5") -> Leg:
    """The JPY money-market leg on ``daily_index``, in % (ACT/365F).

    The first stored series of :data:`JPY_RATE_PREFERENCE` (or ``series_id``)
    is used where it has a fixing; dates after its last fixing take the next
    series that has them (the freshest leg per date), and a warning names the
    switch. A monthly series (OECD 3M interbank) is applied from the month
    after the one it averages, never looking ahead.
    """
    import pandas as pd

    from yenflow.analytics.conventions import align_monthly_to_daily, asof_align

    candidates = [series_id] if series_id else [c for c in JPY_RATE_PREFERENCE if market.has(c)]
    market.load(candidates)
    if not candidates or not market.has(candidates[0]):
        raise MissingInputError(
            f"the JPY money-market leg needs one of {', '.join(JPY_RATE_PREFERENCE)}; run `yenflow update` or import "
            "a TONA series (README: third-party history files)")
    daily_index = pd.DatetimeIndex(daily_index)
    combined = pd.Series(float("nan"), index=daily_index)
    labels, warnings, covered_to = [], [], None
    for sid in candidates:
        s = market.series(sid, role="r¥ (JPY leg)").dropna()
        if s.empty:
            continue
        monthly = s.attrs.get("frequency") == "monthly"
        if monthly:
            on_index = align_monthly_to_daily(s, daily_index)
        else:  # holidays inside the series are bridged (up to 10 days); past its last fixing, at most a weekend
            on_index = asof_align(smooth(s, smoothing), daily_index, 10)
            on_index[on_index.index > s.index[-1] + pd.Timedelta(days=3)] = float("nan")
        fill = combined.isna() & on_index.notna()
        if covered_to is not None:
            fill &= combined.index > covered_to
        if not fill.any():
            continue
        combined[fill] = on_index[fill]
        words = (f"{sid} ({s.attrs.get('name')}, monthly average applied from the next month: a bank-credit "
                 "term rate known a month late, fallback)" if monthly else
                 f"{sid} ({s.attrs.get('name')}; {SMOOTHING_WORDS[smoothing]}) as a proxy for 3M TONA OIS")
        if labels:
            first = combined.index[fill][0]
            warnings.append(f"r¥ from {first:%Y-%m-%d}: {sid} stands in after {labels[-1][0]} ends "
                            f"({covered_to:%Y-%m-%d})")
        elif monthly:
            warnings.append(f"r¥ is the fallback {sid} (OECD 3M interbank monthly average, bank credit, a month "
                            "late): no daily TONA is stored; import one (README) for a desk-quality hedge cost")
        labels.append((sid, words))
        covered_to = combined.last_valid_index()
    if not labels:
        raise MissingInputError("no JPY money-market rate covers the dates asked")
    label = labels[0][1] + "".join(f"; then {w}" for _, w in labels[1:])
    return Leg(combined, label + " (ACT/365F)", warnings)


def basis_input(market: "Market", basis_bp: float, series_id: str | None) -> "tuple[float | pd.Series, str]":
    """The cross-currency basis in % p.a. (negative = dollar premium), from a
    constant in bp or a series in bp (e.g. a user-imported Bloomberg basis)."""
    if series_id:
        s = market.need(series_id, "the basis", role="basis")
        if s.attrs.get("unit") != "bp":
            raise MissingInputError(f"basis series {series_id!r} must be in bp, it is in {s.attrs.get('unit')!r}")
        return s / 100.0, f"{series_id} (bp, user series)"
    return basis_bp / 100.0, f"constant {basis_bp:+g} bp"


def age_warning(label: str, last: "pd.Timestamp | None", reference: "pd.Timestamp", tolerance_days: int) -> str | None:
    """A warning when ``last`` is more than ``tolerance_days`` before ``reference``."""
    if last is None:
        return f"{label}: no value on or before {reference:%Y-%m-%d}"
    gap = (reference - last).days
    if gap > tolerance_days:
        return f"{label}: latest value {last:%Y-%m-%d}, {gap} days before {reference:%Y-%m-%d}"
    return None
