"""Every model parameter: what it means, its unit, its range or distribution, and its source.

Parameters are sampled *per path* (the spread of published estimates is the
uncertainty the fan charts show). Distributions:

* ``uniform`` / ``loguniform`` on ``[low, high]``;
* ``normal`` with ``mean``/``sd`` (a fitted coefficient and its standard
  error), clipped to ``[low, high]`` — clipping puts the clipped mass *on*
  the bound (e.g. "no response" at 0), which is stated where it bites;
* ``fixed`` at ``value`` (``low == high``).

The flow→yield elasticity of Treasuries is drawn jointly: first a literature
set (:data:`ELASTICITY_SETS`, methods §8, weights per scenario), then the
short-run and long-run elasticity uniformly inside that set's quoted ranges.

Sampling consumes the random stream in a fixed order (one uniform per
parameter per path, three for the elasticity set), so fixing a parameter with
an override leaves every other parameter's draws unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from yenflow.scenario.inputs import ScenarioError

if TYPE_CHECKING:
    import numpy as np

SECTORS = ("life", "pension", "bank", "invtrust")
SECTOR_NAMES = {
    "life": "life insurers",
    "pension": "pensions (trust accounts, GPIF)",
    "bank": "banks (deposit-taking)",
    "invtrust": "investment trusts",
}


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    dist: str
    low: float
    high: float
    source: str
    group: str
    mean: float | None = None
    sd: float | None = None

    @property
    def central(self) -> float:
        if self.mean is not None:
            return min(max(self.mean, self.low), self.high)
        if self.dist == "loguniform":
            return (self.low * self.high) ** 0.5
        return (self.low + self.high) / 2.0


@dataclass(frozen=True)
class ElasticitySet:
    """One study's flow→yield elasticity, bp on the 10y per $100bn of net sales (10y equivalents)."""

    key: str
    label: str
    sr: tuple[float, float]
    lr: tuple[float, float] | None  # None: the long-run effect equals the short-run draw
    source: str


ELASTICITY_SETS = (
    ElasticitySet(
        "imf", "IMF stock regression", (1.5, 1.8), None,
        "IMF WP/17/174: $100bn less demand raises yields 1.5-1.8 bp (term-premium stock regression); "
        "a stock effect, so long run = short run",
    ),
    ElasticitySet(
        "beltran", "Beltran et al. (2013)", (40.0, 60.0), (20.0, 20.0),
        "Beltran, Kretchmer, Marquez & Thomas, FRB IFDP 1041 / JIMF 32(1): $100bn lower foreign official "
        "inflows in a month raise 5y yields 40-60 bp short run, about 20 bp long run (applied to the 10y)",
    ),
    ElasticitySet(
        "ahmed_rebucci", "Ahmed & Rebucci (2022)", (100.0, 150.0), (19.0, 44.0),
        "Ahmed & Rebucci, NBER w30476: a $100B flow shock moves 5/10/30y yields 'by more than 100 basis "
        "points on impact' (upper end 150 assumed); their 19-44 bp range without the endogeneity correction "
        "is used as the persistent effect (an assumption)",
    ),
)

DEFAULT_ELASTICITY_WEIGHTS = {s.key: 1.0 for s in ELASTICITY_SETS}


def _p(name, description, unit, dist, low, high, source, group, mean=None, sd=None) -> Parameter:
    return Parameter(name, description, unit, dist, float(low), float(high), source, group, mean, sd)


# Published figures for the starting holdings that the store does not carry (cited in docs/scenario.md).
SECTOR_PRIORS = {
    # key: (bond share of foreign securities (lo, hi), hedge ratio (lo, hi), source)
    "life": ((0.75, 0.95), (0.40, 0.75),
             "hedge ratio: 'about 75%' (BOJ via WSJ 2019-06-26), 60.4% weighted (Nomura, FY2011, Euromoney); "
             "lower since hedge costs rose (Fitch: unhedged exposure rising). Bond share: foreign securities "
             "are mostly bonds (Reuters 2012-10-31 table of nine lifers; assumption for the range)"),
    "pension": ((0.45, 0.55), (0.0, 0.15),
                "GPIF policy portfolio 25% foreign bonds / 25% foreign equities (GPIF, from April 2020; "
                "pionline FY2022: 24.4% / 24.3%); GPIF counts FX-hedged foreign bonds as domestic bonds, so "
                "its foreign-bond sleeve is unhedged"),
    "bank": ((0.80, 0.95), (0.80, 1.0),
             "banks fund foreign bonds in dollars (deposits, repo, FX swaps): effectively hedged (assumption); "
             "Norinchukin held ¥23tn of foreign bonds, 42% of ¥56tn (Nikkei Asia 2024-06-18)"),
    "invtrust": ((0.10, 0.30), (0.10, 0.50),
                 "stock investment trusts hold mostly foreign equity funds (assumption: 10-30% bonds, "
                 "10-50% of bonds hedged)"),
}


def parameter_table(cal: Any) -> list[Parameter]:
    """All parameters, with fitted ones centred on the calibration's estimates."""
    params: list[Parameter] = []
    g = "starting holdings"
    for k in SECTORS:
        (bs, hr, src) = SECTOR_PRIORS[k]
        params.append(_p(f"bond_share.{k}", f"{SECTOR_NAMES[k]}: bonds as a share of foreign securities", "share",
                         "uniform", *bs, src, g))
        params.append(_p(f"hedge_ratio.{k}", f"{SECTOR_NAMES[k]}: FX-hedged share of foreign bonds", "share",
                         "uniform", *hr, src, g))
    g = "behaviour"
    for k in SECTORS:
        fit = cal.flow_fits[k]
        params.append(_p(
            f"flow_beta_hedged.{k}",
            f"{SECTOR_NAMES[k]}: net foreign-bond purchases per pp rise in the hedged pickup (month's flow)",
            "¥tn per month per pp", "normal", 0.0, max(fit.coef + 2 * fit.se, 0.0),
            f"OLS of MOF {fit.series} on last month's hedged 10y gap, {fit.start}-{fit.end}, HAC s.e.; "
            "clipped at 0 (a higher pickup cannot lower desired holdings)", g, fit.coef, fit.se))
        params.append(_p(
            f"theta.{k}", f"{SECTOR_NAMES[k]}: partial-adjustment speed towards the target holdings",
            "per month", "normal" if fit.theta_se else "uniform",
            0.005 if fit.theta_se else 0.02, 0.5 if fit.theta_se else 0.10, fit.theta_source, g,
            fit.theta if fit.theta_se else None, fit.theta_se or None))
    unhedged = {"life": (0.0, 1.0), "pension": (0.0, 0.0), "bank": (0.0, 0.5), "invtrust": (0.0, 1.0)}
    for k in SECTORS:
        lo, hi = unhedged[k]
        src = ("GPIF's policy portfolio fixes the foreign-bond weight: no response, rebalancing only" if k == "pension"
               else "prior: the MOF data cannot separate it from the hedged response (the two gaps move together)")
        params.append(_p(f"flow_beta_unhedged.{k}",
                         f"{SECTOR_NAMES[k]}: unhedged foreign-bond purchases per pp rise in the unhedged pickup",
                         "% of unhedged holdings per month per pp", "uniform" if hi > lo else "fixed", lo, hi, src, g))
    params += [
        _p("threshold_mult", "extra response to a hedged pickup below zero (sales accelerate when GAP < 0)",
           "multiple of the hedged response", "uniform", 0.0, 1.0, "methods §10 (threshold behaviour); range assumed",
           g),
        _p("fx_risk_aversion", "FX-risk penalty on the unhedged pickup: λ·σ²/100, σ in % p.a.",
           "pp per (σ²/100)", "uniform", 0.2, 1.0, "methods §10 mean-variance term; range assumed", g),
        _p("equity_rebalance_speed", "speed at which foreign-equity weights are brought back to their start",
           "per month", "uniform", 0.02, 0.10, "assumption (policy-portfolio rebalancing, e.g. GPIF)", g),
        _p("foreign_jgb_beta", "foreign net purchases of JGBs per pp rise in the dollar investor's hedged pickup",
           "¥tn per month per pp", "normal", min(cal.foreign_fit.coef - 3 * cal.foreign_fit.se, 0.0),
           cal.foreign_fit.coef + 3 * cal.foreign_fit.se,
           f"OLS of MOF {cal.foreign_fit.series} on last month's pickup, {cal.foreign_fit.start}-{cal.foreign_fit.end}",
           g, cal.foreign_fit.coef, cal.foreign_fit.se),
        _p("foreign_jgb_theta", "decay of foreign JGB demand back to its start", "per month", "uniform", 0.05, 0.20,
           "assumption", g),
        _p("foreign_equity_vol_cut", "foreigners' target cut in Japanese equities when volatility doubles",
           "share of holdings", "uniform", 0.0, 0.02, "assumption (risk-off selling)", g),
        _p("foreign_equity_speed", "speed of foreigners' equity adjustment", "per month", "uniform", 0.2, 0.5,
           "assumption", g),
    ]
    g = "carry"
    params += [
        _p("carry_stock", "yen-funded carry positions at the reference date (2024-06), scaled to the start date "
           "by CFTC speculative shorts", "¥tn", "uniform", 30.0, 45.0,
           "BIS Bulletin 90: 'rough middle ballpark of ¥40 trillion ($250 billion)'; BIS GLI yen loans to "
           "non-residents 'just above 41 trillion JPY' (methods §7)", g),
        _p("carry_kappa", "elasticity of target carry positions to the carry-to-vol ratio", "ratio exponent",
           "uniform", 1.5, 3.0, "set so the August-2024 preset unwinds 50-75% (JPMorgan, methods §5)", g),
        _p("carry_unwind_speed", "speed of unwinding when the target falls", "per month", "uniform", 0.5, 0.9,
           "August 2024: speculative yen shorts cut 94% in five weeks (CFTC, sample data)", g),
        _p("carry_build_speed", "speed of rebuilding when the target rises", "per month", "uniform", 0.05, 0.2,
           "assumption (positions rebuilt over months after August 2024)", g),
        _p("cftc_exponent", "futures shorts move as (carry / start carry)^φ", "exponent", "uniform", 1.5, 3.0,
           "August 2024: futures cut ~94% while total carry fell 50-75% (CFTC vs JPMorgan/BIS)", g),
    ]
    g = "markets"
    params += [
        _p("ust_beta_sr", "UST 10y impact of $100bn net sales in a month (drawn with its literature set)",
           "bp per $100bn", "set", 1.5, 150.0, "methods §8, see the elasticity sets", g),
        _p("ust_beta_lr", "UST 10y persistent effect of $100bn cumulative net sales", "bp per $100bn", "set", 1.5,
           44.0, "methods §8, see the elasticity sets", g),
        _p("ust_decay", "monthly decay of the short-run part towards the long-run effect", "per month", "uniform",
           0.3, 0.7, "assumption (Beltran's SR→LR timing is not published)", g),
        _p("ust_share", "share of Japanese foreign-bond flows that are US Treasuries", "share", "uniform", 0.35, 0.6,
           "TIC: Japan holds $1.19tn of Treasuries (Dec 2025) against roughly $2.3tn of foreign bonds "
           "(BOJ flow of funds × bond shares); USD ~60% of lifers' foreign assets (Nomura 2011)", g),
        _p("duration_factor", "10y-equivalents per dollar of foreign bonds sold", "ratio", "uniform", 0.6, 0.9,
           "assumption: portfolio duration 5-8y against ~8.5y for the 10y", g),
        _p("fed_passthrough_10y", "UST 10y change per pp change in the Fed policy rate", "pp per pp", "normal",
           0.0, 1.2, cal.passthrough["fed_10y"].describe(), g, cal.passthrough["fed_10y"].coef,
           cal.passthrough["fed_10y"].se),
        _p("boj_passthrough_10y", "JGB 10y change per pp change in the BOJ policy rate", "pp per pp", "normal",
           0.0, 1.2, cal.passthrough["boj_10y"].describe(), g, cal.passthrough["boj_10y"].coef,
           cal.passthrough["boj_10y"].se),
        _p("boj_passthrough_30y", "JGB 30y change per pp change in the BOJ policy rate", "pp per pp", "normal",
           0.0, 1.2, cal.passthrough["boj_30y"].describe(), g, cal.passthrough["boj_30y"].coef,
           cal.passthrough["boj_30y"].se),
        _p("fx_gamma_sr", "USD/JPY impact of ¥1tn of yen buying in a month", "% per ¥tn", "uniform",
           *cal.fx_gamma_range, cal.fx_gamma_source, g),
        _p("fx_gamma_lr_ratio", "persistent share of the USD/JPY impact", "share", "uniform", 0.2, 0.6,
           "USD/JPY retraced most of the 2024 intervention moves within weeks (store: fx.usdjpy); range assumed", g),
        _p("fx_decay", "monthly decay of the transient USD/JPY impact", "per month", "uniform", 0.3, 0.7,
           "assumption", g),
        _p("jgb_supply_beta", "JGB 10y change per pp of outstanding JGBs the private sector must absorb",
           "bp per pp", "uniform", 1.0, 4.0,
           "IMF WP/17/174 (US analogue): 2.0-2.4 bp per pp of holdings/outstanding; range widened", g),
        _p("superlong_mult", "JGB 30y response as a multiple of the 10y's", "ratio", "uniform", 1.5, 3.0,
           "assumption: super-longs are a thinner market where lifers concentrate", g),
        _p("domestic_bond_share", "share of repatriated yen put into JGBs (the rest into cash, loans, equities)",
           "share", "uniform", 0.5, 0.9, "assumption", g),
        _p("basis_chi", "cross-currency basis change per ¥1tn more hedged foreign bonds (more negative)",
           "bp per ¥tn", "uniform", 0.0, 0.3, "methods §10 (qualitative); range assumed", g),
        _p("vol_feedback", "rise in volatility per unit of last month's realised move above the input vol",
           "ratio", "uniform", 0.0, 0.5, "assumption (August 2024: realised vol doubled as the yen rallied)", g),
        _p("vol_jump_size", "size of a random volatility jump", "multiple of the input vol", "uniform", 0.5, 1.0,
           "assumption", g),
    ]
    return params


#: every flow→price and policy→price elasticity: all zero means no price moves but the random noise
PRICE_ELASTICITIES = ("ust_beta_sr", "ust_beta_lr", "fed_passthrough_10y", "boj_passthrough_10y", "boj_passthrough_30y",
                      "fx_gamma_sr", "jgb_supply_beta", "basis_chi", "vol_feedback")


def parameter_index(params: list[Parameter]) -> dict[str, Parameter]:
    return {p.name: p for p in params}


def apply_overrides(params: list[Parameter], overrides: tuple[tuple[str, Any], ...]) -> list[Parameter]:
    """Fix a parameter (``value``) or replace its range (``(low, high)``, drawn uniformly)."""
    index = parameter_index(params)
    out = list(params)
    for name, value in overrides:
        if name not in index:
            close = sorted(n for n in index if n.split(".")[0] == name.split(".")[0])[:6]
            hint = f"; did you mean {', '.join(close)}?" if close else "; `yenflow scenario run --detail` lists them"
            raise ScenarioError(f"unknown parameter {name!r}{hint}")
        p = index[name]
        if isinstance(value, (list, tuple)):
            if len(value) != 2 or float(value[0]) > float(value[1]):
                raise ScenarioError(f"parameter {name}: a range must be [low, high] with low <= high, got {value!r}")
            new = replace(p, dist="uniform", low=float(value[0]), high=float(value[1]), mean=None, sd=None,
                          source=p.source + " (range overridden)")
        else:
            new = replace(p, dist="fixed", low=float(value), high=float(value), mean=None, sd=None,
                          source=p.source + " (fixed by the scenario)")
        out[out.index(p)] = new
    return out


_ACKLAM_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02,
             -3.066479806614716e01, 2.506628277459239e00)
_ACKLAM_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01,
             -1.328068155288572e01)
_ACKLAM_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00,
             4.374664141464968e00, 2.938163982698783e00)
_ACKLAM_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)


def inverse_normal(u: "np.ndarray") -> "np.ndarray":
    """Standard normal quantile Φ⁻¹(u) for 0 < u < 1 (Acklam's rational approximation, relative error < 1.2e-9)."""
    import numpy as np

    def poly(c: tuple, x: "np.ndarray") -> "np.ndarray":
        out = np.zeros_like(x)
        for coef in c:
            out = out * x + coef
        return out

    out = np.empty_like(u, dtype=float)
    lo, hi = u < 0.02425, u > 1 - 0.02425
    mid = ~(lo | hi)
    q = u[mid] - 0.5
    r = q * q
    out[mid] = poly(_ACKLAM_A, r) * q / (poly(_ACKLAM_B, r) * r + 1)
    for mask, sign, v in ((lo, 1.0, u[lo]), (hi, -1.0, 1 - u[hi])):
        t = np.sqrt(-2 * np.log(v))
        out[mask] = sign * poly(_ACKLAM_C, t) / (poly(_ACKLAM_D, t) * t + 1)
    return out


def _from_uniform(p: Parameter, u: "np.ndarray") -> "np.ndarray":
    import numpy as np

    if p.dist == "fixed" or (p.low == p.high and p.dist != "normal"):
        return np.full(u.shape, p.low)
    if p.dist == "uniform":
        return p.low + u * (p.high - p.low)
    if p.dist == "loguniform":
        return np.exp(np.log(p.low) + u * (np.log(p.high) - np.log(p.low)))
    if p.dist == "normal":
        return np.clip(p.mean + p.sd * inverse_normal(np.clip(u, 1e-12, 1 - 1e-12)), p.low, p.high)
    raise ValueError(f"unknown distribution {p.dist!r} for {p.name}")


def normalised_weights(weights: dict[str, float]) -> dict[str, float]:
    keys = {s.key for s in ELASTICITY_SETS}
    unknown = set(weights) - keys
    if unknown:
        raise ScenarioError(f"unknown elasticity set {sorted(unknown)[0]!r}; choose from {', '.join(sorted(keys))}")
    full = {k: float(weights.get(k, 0.0)) for k in keys} if weights else dict(DEFAULT_ELASTICITY_WEIGHTS)
    if any(v < 0 for v in full.values()) or sum(full.values()) <= 0:
        raise ScenarioError("elasticity-set weights must be non-negative and not all zero")
    total = sum(full.values())
    return {k: v / total for k, v in full.items()}


def sample(params: list[Parameter], weights: dict[str, float], rng: "np.random.Generator", n: int) -> dict[str, "np.ndarray"]:
    """One draw per path for every parameter (float64 arrays of length ``n``) plus ``ust_set`` (int)."""
    import numpy as np

    out: dict[str, np.ndarray] = {}
    for p in params:
        if p.dist == "set":
            continue
        out[p.name] = _from_uniform(p, rng.random(n))
    index = parameter_index(params)
    u_set, u_sr, u_lr = rng.random(n), rng.random(n), rng.random(n)
    w = normalised_weights(weights)
    edges = np.cumsum([w[s.key] for s in ELASTICITY_SETS])
    which = np.minimum(np.searchsorted(edges, u_set * edges[-1], side="right"), len(ELASTICITY_SETS) - 1)
    sr = np.empty(n)
    lr = np.empty(n)
    for i, s in enumerate(ELASTICITY_SETS):
        m = which == i
        sr[m] = s.sr[0] + u_sr[m] * (s.sr[1] - s.sr[0])
        lr[m] = sr[m] if s.lr is None else s.lr[0] + u_lr[m] * (s.lr[1] - s.lr[0])
    for name, values in (("ust_beta_sr", sr), ("ust_beta_lr", lr)):
        p = index[name]
        out[name] = values if p.dist == "set" else _from_uniform(p, u_sr if name == "ust_beta_sr" else u_lr)
    out["ust_set"] = which
    return out
