"""The "sell Japan" signal: components as standardised series, a composite
with simple documented weights, and each component's contribution on a date.

Every component is oriented so that **positive = pressure to sell Japan**
(foreigners leaving JGBs and Japanese equity, Japanese money staying abroad,
a weak yen, JGB auctions failing, the BOJ tightening). A component is the
mean of one or two *parts*; each part is a raw series (its unit stated in
:data:`COMPONENTS`) standardised against its own trailing history:

.. math:: z_t = \\mathrm{clip}\\Big(\\frac{x_t - \\bar x_{(t-3y,\\,t]}}{s_{(t-3y,\\,t]}},\\ -4,\\ 4\\Big)

mean and sample std (ddof = 1) over the values of the 3 calendar years
(1,095 days) up to and including *t*, at least 252 of them
(:func:`yenflow.analytics.context.zscore`). The BOJ part is on a fixed
scale instead (one 25 bp move = 1), since policy moves are too rare for a
z-score. The raw series are *point in time* (built by the caller with
:mod:`yenflow.analytics.pointintime`), so the history each date is ranked
against is the history as it was known then.

Composite on date *t*, over the components with a value on *t*:

.. math:: C_t = \\frac{\\sum_i w_i z_{i,t}}{\\sum_i w_i}, \\qquad
          \\text{contribution}_{i,t} = \\frac{w_i z_{i,t}}{\\sum_j w_j}

(NaN when the components with a value carry less than ``min_weight_share``
of the total weight). Weights come from a TOML file; the default
(``signal_weights.toml`` in this package) gives every component weight 1:
no fitted weights, so nothing is tuned in-sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from yenflow.errors import YenflowError

if TYPE_CHECKING:
    import pandas as pd

WINDOW = "1095D"  # the 3 calendar years to each date
MIN_PERIODS = 252  # values (business days): about one year
CLIP = 4.0
BOJ_STEP_PCT = 0.25  # one "standard" policy move
BOJ_DAYS = 91  # policy moves over the last 13 weeks
FLOW_WEEKS = 4
MOMENTUM_DAYS = 91  # 13 weeks
AUCTION_DAYS = 35  # the latest auction of each tenor, if held in the last 5 weeks
AUCTION_TENORS = ("10y", "20y", "30y", "40y")
DEFAULT_WEIGHTS_FILE = "signal_weights.toml"


@dataclass(frozen=True)
class Part:
    name: str
    unit: str
    words: str


@dataclass(frozen=True)
class Component:
    name: str
    title: str
    parts: tuple[Part, ...]
    chart: str  # chart hint for the component's series: line or bar
    standardised: bool = True  # False: a fixed scale (BOJ)


COMPONENTS: tuple[Component, ...] = (
    Component("auction_weakness", "JGB auction weakness, 10–40Y", (
        Part("auction_weakness_pct", "percentile",
             "mean over the latest 10/20/30/40Y auctions held in the last 5 weeks of (100 − bid-to-cover percentile + "
             "tail percentile)/2, each among the auction and its tenor's previous 12 (50 = typical, 96 = the weakest of 13)"),),
        "bar"),
    Component("foreign_jgb_selling", "Foreigners' net selling of Japanese long-term debt", (
        Part("foreign_bonds_sold_4w", "JPY 100m",
             "− 4-week sum of non-residents' net purchases of Japanese long-term debt securities (MOF weekly)"),), "bar"),
    Component("foreign_equity_selling", "Foreigners' net selling of Japanese equity", (
        Part("foreign_equity_sold_4w", "JPY 100m",
             "− 4-week sum of non-residents' net purchases of Japanese equity and fund shares (MOF weekly)"),), "bar"),
    Component("resident_bond_buying", "Residents' net buying of foreign bonds (negative = repatriation)", (
        Part("resident_bonds_bought_4w", "JPY 100m",
             "4-week sum of residents' net purchases of foreign long-term debt securities (MOF weekly)"),), "bar"),
    Component("hedged_gap", "FX-hedged UST minus JGB yield for a yen investor, 10Y and 30Y", (
        Part("hedged_gap_10y_bp", "bp", "UST 10Y hedged into yen (3M rolling, basis 0) − JGB 10Y"),
        Part("hedged_gap_30y_bp", "bp", "UST 30Y hedged into yen (3M rolling, basis 0) − JGB 30Y")), "line"),
    Component("yen_weakness", "Yen weakness: USD/JPY momentum and level against the intervention zone", (
        Part("usdjpy_13w_pct", "%", "USD/JPY change over 13 weeks (91 days)"),
        Part("usdjpy_vs_intervention_pct", "%",
             "USD/JPY against its fixing on the last yen-buying intervention day published by then")), "line"),
    Component("carry_to_vol", "USD/JPY carry to volatility", (
        Part("carry_to_vol63", "ratio", "(3M T-bill − JPY short rate) / 63-day realised vol of USD/JPY"),), "line"),
    Component("cftc_positioning", "CFTC leveraged funds' net yen short", (
        Part("lev_funds_net_short_pct_oi", "%", "− leveraged funds' net yen futures position / open interest × 100 (TFF)"),),
        "line"),
    Component("boj_policy", "BOJ policy-rate moves", (
        Part("boj_move_13w_steps", "25 bp steps",
             "change in the BOJ policy-rate target over the last 13 weeks, in 25 bp steps (capped at ±3)"),),
        "bar", standardised=False),
)
BY_NAME = {c.name: c for c in COMPONENTS}


class WeightsError(YenflowError):
    """A weights file is not valid."""


# ------------------------------------------------------------------ raw parts

def flow_sum(s: "pd.Series", weeks: int = FLOW_WEEKS, sign: float = 1.0) -> "pd.Series":
    """``sign`` × the sum of the last ``weeks`` weekly flows (all must be present;
    :func:`yenflow.analytics.flows.rolling_sums`), in the flow's unit."""
    from yenflow.analytics.flows import rolling_sums

    return sign * rolling_sums(s, (weeks,), "weekly")[f"sum_{weeks}"]


def momentum_pct(spot: "pd.Series", days: int = MOMENTUM_DAYS) -> "pd.Series":
    """% change of ``spot`` from its last value on or before ``days`` calendar days earlier."""
    s = spot.dropna().sort_index()
    return (s / momentum_base(s, days) - 1.0) * 100.0


def auction_percentile(values: "pd.Series") -> "pd.Series":
    """Percentile of each auction's bid-to-cover or tail (``values`` on one
    tenor's auction dates) among itself and the tenor's previous 12, the rule
    of the auctions view (:func:`yenflow.analytics.auctions.trailing_percentile`)."""
    from yenflow.analytics.auctions import trailing_percentile

    return trailing_percentile(values)


def auction_weakness(btc_pct: "Mapping[str, pd.Series]", tail_pct: "Mapping[str, pd.Series]") -> "pd.Series":
    """Mean over tenors of (100 − bid-to-cover percentile + tail percentile)/2
    (one of the two where the other is missing); inputs already restricted to
    recent auctions (NaN otherwise)."""
    import pandas as pd

    per_tenor = []
    for tenor, btc in btc_pct.items():
        tail = tail_pct.get(tenor)
        both = pd.concat([100.0 - btc, tail if tail is not None else btc * float("nan")], axis=1)
        per_tenor.append(both.mean(axis=1))
    return pd.concat(per_tenor, axis=1).mean(axis=1) if per_tenor else pd.Series(dtype="float64")


def hedged_gap_bp(ust: "pd.Series", jgb: "pd.Series", r_usd: "pd.Series", r_jpy: "pd.Series") -> "pd.Series":
    """FX-hedged UST yield for a yen investor (3M rolling hedge, basis 0, simple
    annualisation; :func:`yenflow.analytics.hedging.hedged_yield_jpy_investor`)
    minus the JGB yield, in bp, on ``ust``'s dates."""
    from yenflow.analytics import hedging

    frame = hedging.hedged_yield_jpy_investor(ust.dropna(), r_usd, r_jpy, 0.0, tenor="3M")
    return ((frame["hedged_yield"] - jgb.reindex(frame.index)) * 100.0).reindex(ust.index)


def distance_pct(spot: "pd.Series", level: "pd.Series") -> "pd.Series":
    """``spot`` against a reference ``level``: (S / level − 1) × 100."""
    return (spot / level - 1.0) * 100.0


def latest_known(values: "pd.Series", known: "pd.Series", dates: "pd.DatetimeIndex") -> "pd.Series":
    """For each of ``dates``: the value of the latest event (``values`` on event
    dates) whose ``known`` day is on or before it — and every earlier event
    known too (a running maximum, as :mod:`yenflow.analytics.pointintime`)."""
    import numpy as np
    import pandas as pd

    order = np.argsort(values.index.to_numpy(), kind="stable")
    v = values.to_numpy(dtype="float64")[order]
    ready = np.maximum.accumulate(pd.to_datetime(known).to_numpy(dtype="datetime64[ns]")[order]) if len(v) else v
    pos = np.searchsorted(ready, pd.DatetimeIndex(dates).normalize().to_numpy(), side="right") - 1
    return pd.Series(np.where(pos >= 0, v[np.clip(pos, 0, None)] if len(v) else np.nan, np.nan), index=dates)


def net_short_pct_oi(net: "pd.Series", open_interest: "pd.Series") -> "pd.Series":
    """−net / open interest × 100: positive = net short yen
    (:func:`yenflow.analytics.positioning.net_pct_open_interest` negated)."""
    from yenflow.analytics.positioning import net_pct_open_interest

    return -net_pct_open_interest(net, open_interest)


def policy_steps(level: "pd.Series", days: int = BOJ_DAYS, step: float = BOJ_STEP_PCT, cap: float = 3.0) -> "pd.Series":
    """Change of a policy-rate level (on a daily grid) over ``days`` calendar
    days, in ``step`` units, capped at ±``cap``."""
    import numpy as np

    before = momentum_base(level, days)
    return ((level - before) / step).clip(-cap, cap).where(np.isfinite(before))


def momentum_base(s: "pd.Series", days: int) -> "pd.Series":
    """Value of ``s`` on or before ``days`` calendar days before each date (NaN before its start)."""
    import numpy as np
    import pandas as pd

    idx = pd.DatetimeIndex(s.index)
    pos = idx.searchsorted(idx - pd.Timedelta(days=days), side="right") - 1
    vals = np.where(pos >= 0, s.to_numpy(dtype="float64")[np.clip(pos, 0, None)], np.nan)
    return pd.Series(vals, index=idx)


# ------------------------------------------------------- standardise, combine

def standardise(raw: "pd.Series", window: str = WINDOW, min_periods: int = MIN_PERIODS, clip: float = CLIP) -> "pd.Series":
    """z-score of each value against its trailing window (module doc), clipped."""
    from yenflow.analytics import context

    z = context.zscore(raw, window=window, min_periods=min_periods)
    return z.reindex(raw.index).clip(-clip, clip)


def component_values(parts: "Mapping[str, pd.Series]") -> "pd.DataFrame":
    """Each component: the mean of its parts' standardised values (BOJ: its
    fixed-scale part as is); columns in :data:`COMPONENTS` order."""
    import pandas as pd

    cols = {}
    for comp in COMPONENTS:
        got = [parts[p.name] for p in comp.parts if p.name in parts]
        if not got:
            continue
        z = [standardise(s) if comp.standardised else s for s in got]
        cols[comp.name] = pd.concat(z, axis=1).mean(axis=1)
    return pd.DataFrame(cols)


def composite(z: "pd.DataFrame", weights: Mapping[str, float], min_weight_share: float = 0.5
              ) -> "tuple[pd.Series, pd.DataFrame]":
    """The weighted mean of the available components and each one's
    contribution (module doc); contributions add up to the composite."""
    import numpy as np
    import pandas as pd

    names = [c for c in z.columns if weights.get(c, 0.0) > 0]
    w = pd.Series({c: float(weights[c]) for c in names})
    values = z[names]
    have = values.notna().to_numpy() * w.to_numpy()
    total = have.sum(axis=1)
    enough = total >= min_weight_share * w.sum()
    denom = np.where(enough & (total > 0), total, np.nan)
    contrib = values.fillna(0.0).mul(w, axis=1).div(denom, axis=0).where(values.notna())
    comp = contrib.sum(axis=1, min_count=1).where(enough)
    return comp.rename("composite"), contrib


# -------------------------------------------------------------------- weights

def parse_weights(text: str, where: str = DEFAULT_WEIGHTS_FILE) -> dict[str, float]:
    """Weights from TOML text: a ``[weights]`` table of component = weight ≥ 0.
    Components left out weigh 0. One-line :class:`WeightsError` naming the
    file, the component and what is allowed."""
    import tomllib

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise WeightsError(f"{where}: not valid TOML ({e})") from None
    table = doc.get("weights")
    if not isinstance(table, dict) or not table:
        raise WeightsError(f"{where}: needs a [weights] table of component = weight; components: {', '.join(BY_NAME)}")
    out = {}
    for name, value in table.items():
        if name not in BY_NAME:
            raise WeightsError(f"{where}: weights.{name}: not a component; one of: {', '.join(BY_NAME)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 or value == float("inf"):
            raise WeightsError(f"{where}: weights.{name}: {value!r} is not a weight (a number ≥ 0)")
        out[name] = float(value)
    if not any(v > 0 for v in out.values()):
        raise WeightsError(f"{where}: every weight is 0; give at least one component a positive weight")
    return out


def default_weights_text() -> str:
    from importlib.resources import files

    return (files("yenflow.analytics") / DEFAULT_WEIGHTS_FILE).read_text(encoding="utf-8")


def default_weights() -> dict[str, float]:
    return parse_weights(default_weights_text())
