"""Starting state and fitted behaviour, read through the view layer's market snapshot as of the start date.

The snapshot (:class:`yenflow.views.market.Market`) is point in time: only
figures published by the start date, in the vintage the store had then (or,
for series recorded later, reconstructed from release dates and the
publishers' release lags). Monthly averages are dated at month end, so a month
is used only once it is over: a scenario started on 2024-07-01 sees what an
analyst could have seen then (USD/JPY to 2024-06-27, MOF investor flows to May). Stocks the store does not carry (sector holdings of foreign
securities, foreigners' Japanese equities) are published BOJ flow-of-funds
figures, quoted in :data:`FOF_SECTORS` with their date, and scaled to the start
date by Japan's Treasury holdings (TIC) — each use is named in a warning.

Fits (OLS with Newey–West HAC standard errors, :func:`ols_hac`):

* flows: ``flow_k,t = a + b·GAP_{t−1} + e`` per MOF investor type, ``GAP`` the
  hedged 10y gap (UST 10y − hedge cost − JGB 10y, methods §2); the
  error-correction variant adds ``−θ·F_{t−1}`` (cumulative flows) to estimate
  the adjustment speed θ;
* foreign JGB demand: MOF non-residents' net purchases of Japanese long-term
  bonds on the dollar investor's hedged 10y pickup (methods eq. 4);
* policy pass-through: monthly change in the 10y/30y on the monthly change in
  the policy-rate proxy (EFFR; JPY 3M interbank).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from yenflow.scenario.inputs import ScenarioError
from yenflow.scenario.parameters import SECTOR_NAMES, SECTORS

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.store import Store
    from yenflow.views.market import Market

#: BOJ Flow of Funds, 1st quarter 2026 (preliminary), end-March 2026 stocks, ¥tn (sheet 2, 100 million yen / 1e4):
#: (MOF investor type, FoF sector, outward investments in securities (L), debt securities held (D))
FOF_DATE = date(2026, 3, 31)
FOF_SOURCE = "BOJ Flow of Funds, 1Q2026 preliminary (sjpre.xlsx, table 2), end-March 2026"
FOF_SECTORS = {
    "life": ("life_insurers", "1411 Life insurance", 87.2564, 148.2279),
    "pension": ("trust_accounts", "8 Pension total (142 pension funds + 331 public pensions)", 227.7879, 129.5134),
    "bank": ("deposit_taking", "121 Banks", 143.1797, 275.6854),
    "invtrust": ("investment_trusts", "132 Stock investment trusts", 199.7976, 23.9240),
}
FOF_OVERSEAS_EQUITY_TN = 460.5323  # overseas sector, equity (Ea) held, end-March 2026

#: MOF yen-buying interventions (¥tn) and the USD/JPY noon fixings bracketing them (MOF
#: foreign_exchange_intervention_operations.csv; the 2024-04-29/05-01 amounts are quoted in methods §10).
INTERVENTIONS = (
    ("2022-09-22", 2.8382, "2022-09-21", "2022-09-22"),
    ("2022-10-21/24", 6.3498, "2022-10-20", "2022-10-25"),
    ("2024-04-29/05-01", 9.7885, "2024-04-26", "2024-05-03"),
    ("2024-07-11/12", 5.5348, "2024-07-10", "2024-07-12"),
)
#: BIS Bulletin 90's ¥40tn carry estimate refers to positions going into August 2024; the CFTC report
#: closest before it in the store is the reference for scaling the carry stock to other dates.
CARRY_REFERENCE_DATE = date(2024, 7, 31)
CFTC_SPEC_SERIES = ("cot.jpy.tff.lev_funds.net", "cot.jpy.tff.asset_mgr.net")
DEFAULT_BASIS_BP = -20.0
VOL_REGIME_LEVELS = {"calm": 7.0, "stressed": 15.0, "crisis": 25.0}


@dataclass(frozen=True)
class Fit:
    name: str
    series: str
    regressor: str
    coef: float
    se: float
    n: int
    r2: float
    start: str
    end: str
    resid_sd: float
    theta: float = 0.0
    theta_se: float = 0.0
    theta_source: str = ""

    def describe(self) -> str:
        return (f"OLS of {self.series} on {self.regressor}, {self.start} to {self.end}: {self.coef:.3f} "
                f"(HAC s.e. {self.se:.3f}, n = {self.n}, R² = {self.r2:.2f})")


@dataclass
class Calibration:
    as_of: date
    start: dict[str, float]
    sectors: dict[str, tuple[float, float]]  # key -> (portfolio ¥tn, foreign securities ¥tn)
    observations: list[dict[str, Any]]
    flow_fits: dict[str, Fit]
    foreign_fit: Fit
    passthrough: dict[str, Fit]
    noise_bp: dict[str, float]
    fx_gamma_range: tuple[float, float]
    fx_gamma_source: str
    fx_episodes: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reads


def _series(market: "Market", sid: str, as_of: date) -> "pd.Series":
    import pandas as pd

    if not market.has(sid):
        return _empty()
    s = market.series(sid).dropna()
    return s[s.index <= pd.Timestamp(as_of)]


def _empty() -> "pd.Series":
    import pandas as pd

    return pd.Series(dtype="float64", index=pd.DatetimeIndex([]))


class _Reader:
    """Latest values on or before the start date, recorded with their series and date."""

    def __init__(self, market: "Market", as_of: date) -> None:
        self.market, self.as_of = market, as_of
        self.rows: list[dict[str, Any]] = []
        self.warnings: list[str] = []

    def last(self, name: str, sids: tuple[str, ...], unit: str, stale_days: int = 10, note: str = "") -> float:
        found = [(s.index[-1].date(), sid, float(s.iloc[-1])) for sid in sids
                 if not (s := _series(self.market, sid, self.as_of)).empty]
        # the most recent of the candidate series (ties: the first named)
        for ref, sid, value in sorted(found, key=lambda f: (f[0], -sids.index(f[1])), reverse=True)[:1]:
            self.rows.append({"input": name, "value": value, "unit": unit, "source": sid, "ref_date": ref,
                              "note": note})
            if (self.as_of - ref).days > stale_days:
                self.warnings.append(f"{name}: latest {sid} is from {ref}, {(self.as_of - ref).days} days before "
                                     f"the start {self.as_of}")
            return value
        raise ScenarioError(f"the scenario needs {name} ({' or '.join(sids)}) on or before {self.as_of}; "
                            "run `yenflow update` or pick a later --as-of")

    def stock(self, name: str, sid: str) -> float:
        """A quarterly stock (¥100m → ¥tn); the first observation if the start precedes the series."""
        before = _series(self.market, sid, self.as_of)
        used = before
        if before.empty:  # a start before the series: its first value, as stored today
            store = self.market.store
            s = store.get(sid).dropna() if store.has_series(sid) else _empty()
            if s.empty:
                raise ScenarioError(f"the scenario needs {name} ({sid}); run `yenflow update`")
            used = s.iloc[:1]
            self.warnings.append(f"{name}: {sid} has nothing published by the start {self.as_of}; its first value "
                                 f"({s.index[0].date()}) is used")
        value = float(used.iloc[-1]) / 1e4
        self.rows.append({"input": name, "value": value, "unit": "¥tn", "source": sid,
                          "ref_date": used.index[-1].date(), "note": "BOJ flow of funds (¥100m / 1e4)"})
        return value

    def published(self, name: str, value: float, unit: str, source: str, ref: date) -> float:
        self.rows.append({"input": name, "value": value, "unit": unit, "source": source, "ref_date": ref,
                          "note": "published figure (not in the store)"})
        return value


# --------------------------------------------------------------------------- monthly history


def _monthly(market: "Market", sid: str, as_of: date, how: str = "mean") -> "pd.Series":
    s = _series(market, sid, as_of)
    if s.empty:
        return s
    m = s.resample("ME")
    out = m.mean() if how == "mean" else m.last()
    # the start month is not over yet: drop it (no look-ahead)
    import pandas as pd

    return out[out.index <= pd.Timestamp(as_of)]


def monthly_history(store: "Market", as_of: date) -> "pd.DataFrame":
    """Month-average UST/JGB yields, money rates, hedged gap (yen investor) and pickup (dollar investor), % p.a.

    USD leg: SOFR where it exists, EFFR before (ACT/360); JPY leg: OECD 3M
    interbank (monthly average, ACT/365F); basis 0 (no stored history: the
    fitted response absorbs its average). 3M rolling hedge, simple annualisation.
    """
    import pandas as pd

    from yenflow.analytics import hedging

    ust = _monthly(store, "ust.par.10y", as_of).combine_first(_monthly(store, "ust.cmt.10y", as_of))
    r_usd = _monthly(store, "rate.sofr", as_of).combine_first(_monthly(store, "rate.effr", as_of))
    frame = pd.DataFrame({
        "ust10": ust, "jgb10": _monthly(store, "jgb.10y", as_of), "jgb30": _monthly(store, "jgb.30y", as_of),
        "effr": _monthly(store, "rate.effr", as_of), "r_usd": r_usd,
        "r_jpy": _monthly(store, "rate.jpy.3m_interbank", as_of, "last"),
    }).dropna(subset=["ust10", "jgb10", "r_usd", "r_jpy"])
    hc = hedging.hedge_cost(frame["r_usd"].to_numpy(), frame["r_jpy"].to_numpy(), 0.0, tenor="3M")
    pickup = hedging.usd_pickup(frame["r_usd"].to_numpy(), frame["r_jpy"].to_numpy(), 0.0, tenor="3M")
    frame["gap_hedged"] = frame["ust10"] - hc - frame["jgb10"]
    frame["pickup_usd"] = frame["jgb10"] + pickup - frame["ust10"]
    return frame


@dataclass(frozen=True)
class OlsResult:
    """Coefficients (``params``) and HAC standard errors (``bse``) by regressor name, incl. ``const``."""

    params: dict[str, float]
    bse: dict[str, float]
    nobs: int
    rsquared: float
    resid: "Any"


def ols_hac(y: "pd.Series", x: "pd.DataFrame", maxlags: int = 6) -> OlsResult:
    r"""OLS with a constant and Newey–West (HAC) standard errors, Bartlett kernel, no small-sample correction.

    .. math::

        \hat β = (X'X)^{-1}X'y, \quad
        \hat S = \sum_t u_t u_t' + \sum_{l=1}^{L} \Big(1 - \frac{l}{L+1}\Big)\sum_{t>l}(u_t u_{t-l}' + u_{t-l} u_t'),
        \quad u_t = x_t e_t, \quad V = (X'X)^{-1} \hat S (X'X)^{-1}

    (the same numbers as statsmodels' ``OLS(...).fit(cov_type="HAC", cov_kwds={"maxlags": L})``, which a
    test checks; written here so the CLI does not import statsmodels).
    """
    import numpy as np

    names = ["const", *[str(c) for c in x.columns]]
    X = np.column_stack([np.ones(len(x)), x.to_numpy(dtype=float)])
    yv = y.to_numpy(dtype=float)
    xtx_inv = np.linalg.inv(X.T @ X)
    beta = xtx_inv @ X.T @ yv
    e = yv - X @ beta
    u = X * e[:, None]
    s = u.T @ u
    for lag in range(1, maxlags + 1):
        g = u[lag:].T @ u[:-lag]
        s += (1 - lag / (maxlags + 1)) * (g + g.T)
    cov = xtx_inv @ s @ xtx_inv
    r2 = 1 - float(e @ e) / float(((yv - yv.mean()) ** 2).sum())
    resid = y - X @ beta
    return OlsResult(dict(zip(names, beta.tolist())), dict(zip(names, np.sqrt(np.diag(cov)).tolist())), len(yv), r2,
                     resid)


def _ols(y: "pd.Series", x: "pd.DataFrame") -> OlsResult:
    return ols_hac(y, x, maxlags=6)


def _flow_fit(name: str, sid: str, flows: "pd.Series", regressor: "pd.Series", label: str) -> Fit:
    import pandas as pd

    df = pd.concat({"y": flows, "x": regressor.shift(1)}, axis=1, sort=True).dropna()
    if len(df) < 36:
        raise ScenarioError(f"fitting {name} needs at least 36 months of {sid} before the start date; found {len(df)}")
    res = _ols(df["y"], df[["x"]])
    df["F"] = flows.cumsum().shift(1).reindex(df.index)
    ecm = df.dropna()
    res2 = _ols(ecm["y"], ecm[["x", "F"]])
    theta, theta_se = -float(res2.params["F"]), float(res2.bse["F"])
    identified = theta > 0 and theta / theta_se > 2 and theta < 0.5
    theta_source = (f"error-correction fit: θ = {theta:.4f} (s.e. {theta_se:.4f}) from −θ·cumulative flows"
                    if identified else
                    f"prior U[0.02, 0.10] (half-life 7-35 months): the error-correction fit gives θ = {theta:.4f} "
                    f"(s.e. {theta_se:.4f}), not identified")
    return Fit(name, sid, label, float(res.params["x"]), float(res.bse["x"]), int(res.nobs), float(res.rsquared),
               str(df.index[0].date())[:7], str(df.index[-1].date())[:7], float(res.resid.std(ddof=1)),
               theta if identified else 0.0, theta_se if identified else 0.0, theta_source)


def _passthrough(name: str, y: "pd.Series", x: "pd.Series", label: str) -> Fit:
    import pandas as pd

    df = pd.concat({"y": y.diff(), "x": x.diff()}, axis=1, sort=True).dropna()
    res = _ols(df["y"], df[["x"]])
    return Fit(name, f"monthly change in {y.name}", f"monthly change in {label}", float(res.params["x"]),
               float(res.bse["x"]), int(res.nobs), float(res.rsquared), str(df.index[0].date())[:7],
               str(df.index[-1].date())[:7], float(res.resid.std(ddof=1)))


def _fits(store: "Market", as_of: date, hist: "pd.DataFrame") -> tuple[dict[str, Fit], Fit, dict[str, Fit], list[str]]:
    warnings: list[str] = []
    flow_fits = {}
    for k in SECTORS:
        mof = FOF_SECTORS[k][0]
        sid = f"mof.investor.bonds.{mof}.net"
        flows = _monthly(store, sid, as_of, "last") / 1e4
        fit = _flow_fit(k, sid, flows, hist["gap_hedged"], "last month's hedged 10y gap (pp)")
        flow_fits[k] = fit
        if fit.coef < 0:
            warnings.append(f"{SECTOR_NAMES[k]}: MOF flows fall as the hedged gap rises (b = {fit.coef:.3f} ¥tn/month "
                            f"per pp, s.e. {fit.se:.3f}); the model clips the response at 0 for most paths")
    sid = "mof.monthly.foreign.bonds.net"
    foreign = _flow_fit("foreign_jgb", sid, _monthly(store, sid, as_of, "last") / 1e4, hist["pickup_usd"],
                        "last month's dollar investor's hedged 10y JGB pickup over the UST (pp)")
    jpy = hist["r_jpy"].rename("JPY 3M interbank")
    passthrough = {
        "fed_10y": _passthrough("fed_10y", hist["ust10"].rename("UST 10y"), hist["effr"], "EFFR (policy proxy)"),
        "boj_10y": _passthrough("boj_10y", hist["jgb10"].rename("JGB 10y"), jpy, "JPY 3M interbank (policy proxy)"),
        "boj_30y": _passthrough("boj_30y", hist["jgb30"].rename("JGB 30y"), jpy, "JPY 3M interbank (policy proxy)"),
    }
    return flow_fits, foreign, passthrough, warnings


def _fx_gamma(store: "Market", as_of: date) -> tuple[tuple[float, float], str, list[dict[str, Any]]]:
    """% fall in USD/JPY per ¥1tn of yen-buying intervention, episodes known by the start date."""
    import math

    fx = _series(store, "fx.usdjpy", as_of)
    episodes = []
    for label, amount, before, after in INTERVENTIONS:
        if date.fromisoformat(after) > as_of or fx.empty:
            continue
        s0, s1 = fx.get(before), fx.get(after)
        if s0 is None or s1 is None:
            continue
        move = -math.log(float(s1) / float(s0)) * 100
        episodes.append({"episode": label, "yen_bought_tn": amount, "usdjpy_before": float(s0), "date_before": before,
                         "usdjpy_after": float(s1), "date_after": after, "pct_per_tn": move / amount})
    if not episodes:
        return (0.2, 0.5), "prior 0.2-0.5 % per ¥tn (no intervention episode in the store before the start)", []
    gammas = [e["pct_per_tn"] for e in episodes]
    lo, hi = max(min(gammas), 0.1), max(max(gammas), 0.2)
    source = ("MOF yen-buying interventions, USD/JPY noon fixings around each (fx.usdjpy): "
              + "; ".join(f"{e['episode']} {e['pct_per_tn']:.2f}" for e in episodes) + " % per ¥tn")
    return (lo, hi), source, episodes


def _realised_vol(store: "Market", as_of: date) -> tuple[float, date]:
    from yenflow.analytics.carry import realised_vol

    fx = _series(store, "fx.usdjpy", as_of)
    vol = realised_vol(fx, window=63).dropna()
    if vol.empty:
        raise ScenarioError(f"realised USD/JPY volatility needs 64 fixings of fx.usdjpy before {as_of}")
    return float(vol.iloc[-1]), vol.index[-1].date()


def _spec_net(store: "Market", when: date) -> tuple[float, date] | None:
    total, ref = 0.0, None
    for sid in CFTC_SPEC_SERIES:
        s = _series(store, sid, when)
        if s.empty:
            return None
        total += float(s.iloc[-1])
        ref = s.index[-1].date()
    return total, ref


def _noise(hist: "pd.DataFrame", as_of: date) -> dict[str, float]:
    """Monthly s.d. of UST 10y, JGB 10y and JGB 30y changes over the 10 years to the start, in bp."""
    import pandas as pd

    recent = hist[hist.index > hist.index[-1] - pd.DateOffset(years=10)]
    return {k: float(recent[c].diff().std(ddof=1) * 100) for k, c in
            (("ust10", "ust10"), ("jgb10", "jgb10"), ("jgb30", "jgb30"))}


def latest_start(market: "Market") -> date:
    """The latest date on which every daily starting input has been published (in ``market``'s snapshot)."""
    dates = []
    for sid in ("fx.usdjpy", "jgb.10y", "rate.sofr"):
        s = market.series(sid).dropna() if market.has(sid) else _empty()
        if s.empty:
            raise ScenarioError(f"the scenario needs {sid}; run `yenflow update`")
        dates.append(s.index[-1].date())
    return min(dates)


STARTING_SERIES = ("ust.par.10y", "ust.cmt.10y", "jgb.10y", "jgb.30y", "fx.usdjpy", "rate.sofr", "rate.effr",
                   "rate.jpy.tona", "user.rate.jpy.tona", "rate.jpy.3m_interbank", "rate.boj.policy_target",
                   "fof.jgb_long.total", "fof.jgb_long.overseas", "tic.holdings.japan", *CFTC_SPEC_SERIES,
                   *(f"mof.investor.bonds.{v[0]}.net" for v in FOF_SECTORS.values()), "mof.monthly.foreign.bonds.net")


def snapshot(source: "Store | Market", as_of: date | None = None) -> tuple["Market", date]:
    """The market snapshot as of the start date (default: the latest date with every daily input published)."""
    from yenflow.views.market import Market

    market = source if isinstance(source, Market) else Market(source, as_of)
    if as_of is None:
        as_of = market.as_of.date() if market.as_of is not None else latest_start(market)
    if market.as_of is None or market.as_of.date() != as_of:
        market = Market(market.store, as_of)
    market.load(STARTING_SERIES)
    return market, as_of


def calibrate(source: "Store | Market", as_of: date | None = None) -> Calibration:
    """Starting state and fits as of ``as_of`` (default: the latest date with all daily inputs),
    read through a point-in-time market snapshot of ``source``."""
    store, as_of = snapshot(source, as_of)
    r = _Reader(store, as_of)
    start = {
        "ust10": r.last("UST 10y yield", ("ust.par.10y", "ust.cmt.10y"), "%"),
        "jgb10": r.last("JGB 10y yield", ("jgb.10y",), "%"),
        "jgb30": r.last("JGB 30y yield", ("jgb.30y",), "%"),
        "spot": r.last("USD/JPY", ("fx.usdjpy",), "JPY per USD"),
        "r_usd": r.last("USD 3M hedge leg r$", ("rate.sofr", "rate.effr"), "% ACT/360", note="SOFR, EFFR before 2018"),
        "r_jpy": r.last("JPY 3M hedge leg r¥", ("rate.jpy.tona", "user.rate.jpy.tona", "rate.jpy.3m_interbank"),
                        "% ACT/365F", stale_days=62, note="TONA if stored, else OECD 3M interbank (monthly average)"),
        "fed": r.last("Fed policy rate (EFFR proxy)", ("rate.effr",), "%"),
        "boj": r.last("BOJ policy rate", ("rate.boj.policy_target",), "%", stale_days=100_000,
                      note="the target in force (MPM decisions)"),
    }
    vol, vol_date = _realised_vol(store, as_of)
    start["vol"] = vol
    r.rows.append({"input": "USD/JPY realised vol, 63 days", "value": vol, "unit": "% p.a.", "source": "fx.usdjpy",
                   "ref_date": vol_date, "note": "derived by yenflow (analytics.carry.realised_vol)"})
    start["basis_bp"] = r.published("cross-currency basis (3M)", DEFAULT_BASIS_BP, "bp",
                                    "methods §2: MNI-implied −15 to −20 bp (Feb 2026); no basis series stored", as_of)
    r.warnings.append(f"basis: no stored basis series; the path starts at {DEFAULT_BASIS_BP:+g} bp unless the scenario sets one")
    start["jgb_outstanding"] = r.stock("JGBs outstanding (long-term)", "fof.jgb_long.total")
    start["foreign_jgb"] = r.stock("foreign holdings of long-term JGBs", "fof.jgb_long.overseas")
    _carry_scale(store, as_of, r, start)
    scale = _holdings_scale(store, as_of, r)
    sectors = {k: (scale * (fof[2] + fof[3]), scale * fof[2]) for k, fof in FOF_SECTORS.items()}
    for k, (mof, fof, l, d) in FOF_SECTORS.items():
        r.published(f"{SECTOR_NAMES[k]}: foreign securities (L)", round(scale * l, 3), "¥tn", f"{FOF_SOURCE}, sector {fof}", FOF_DATE)
        r.published(f"{SECTOR_NAMES[k]}: domestic debt securities (D)", round(scale * d, 3), "¥tn", f"{FOF_SOURCE}, sector {fof}", FOF_DATE)
    start["foreign_equity"] = r.published("foreigners' Japanese equities", round(scale * FOF_OVERSEAS_EQUITY_TN, 3), "¥tn",
                                          f"{FOF_SOURCE}, overseas sector (Ea)", FOF_DATE)
    hist = monthly_history(store, as_of)
    flow_fits, foreign_fit, passthrough, fit_warnings = _fits(store, as_of, hist)
    gamma_range, gamma_source, episodes = _fx_gamma(store, as_of)
    return Calibration(as_of, start, sectors, r.rows, flow_fits, foreign_fit, passthrough, _noise(hist, as_of),
                       gamma_range, gamma_source, episodes, r.warnings + fit_warnings)


def _carry_scale(store: "Market", as_of: date, r: _Reader, start: dict[str, float]) -> None:
    now, ref = _spec_net(store, as_of), _spec_net(store, CARRY_REFERENCE_DATE)
    if now is None or ref is None:
        start["cftc_net"], start["carry_scale"] = 0.0, 1.0
        r.warnings.append("CFTC: no TFF positions in the store; the carry stock is not scaled and the CFTC output is 0")
        return
    start["cftc_net"] = now[0]
    r.rows.append({"input": "CFTC leveraged funds + asset managers, net yen futures", "value": now[0],
                   "unit": "contracts", "source": " + ".join(CFTC_SPEC_SERIES), "ref_date": now[1],
                   "note": "negative = net short yen"})
    raw = now[0] / ref[0] if ref[0] < 0 and now[0] < 0 else 0.0
    start["carry_scale"] = min(max(raw, 0.25), 1.5)
    r.rows.append({"input": "carry stock scale vs the BIS reference", "value": start["carry_scale"], "unit": "ratio",
                   "source": f"CFTC net shorts {now[1]} / {ref[1]} ({ref[0]:,.0f} contracts)", "ref_date": now[1],
                   "note": "derived by yenflow, clipped to 0.25-1.5"})
    if (as_of - now[1]).days > 14:
        r.warnings.append(f"CFTC: the latest stored TFF report is {now[1]}, {(as_of - now[1]).days} days before the start")


def _holdings_scale(store: "Market", as_of: date, r: _Reader) -> float:
    """Scale the end-March 2026 flow-of-funds stocks to the start by TIC Japan holdings
    (the latest month published by the start, over the month at or before the flow-of-funds date)."""
    full = store.store.get("tic.holdings.japan").dropna() if store.has("tic.holdings.japan") else _empty()
    at_start = _series(store, "tic.holdings.japan", as_of)
    at_fof = full[: str(FOF_DATE)]
    if at_start.empty or at_fof.empty:
        r.warnings.append("sector stocks: BOJ flow of funds end-March 2026, unscaled (no TIC Japan holdings "
                          "published by the start)")
        return 1.0
    now, ref = float(at_start.iloc[-1]), float(at_fof.iloc[-1])
    scale = now / ref
    if abs((as_of - FOF_DATE).days) > 183:
        r.warnings.append(f"sector stocks: BOJ flow of funds end-March 2026 scaled by TIC Japan holdings "
                          f"({now:,.1f} / {ref:,.1f} $bn = {scale:.3f}) to the start {as_of}")
    r.rows.append({"input": "sector stock scale (TIC Japan holdings)", "value": scale, "unit": "ratio",
                   "source": "tic.holdings.japan", "ref_date": at_start.index[-1].date(),
                   "note": f"relative to {at_fof.index[-1].date()}, the TIC month at or before the flow-of-funds date"})
    return scale
