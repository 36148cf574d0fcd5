r"""The monthly stock-flow portfolio-balance model, vectorised over paths (numpy, no I/O).

One call of :func:`simulate` runs a block of paths through every month. Each
month, in this order (prices are those at the end of the previous month; the
loop is closed month by month):

1. **Exogenous drivers**: policy rates ``r$ = r$_0 + (Fed_t − Fed_0)``,
   ``r¥ = r¥_0 + (BOJ_t − BOJ_0)``; basis ``b_t = b^{in}_t − χ·ΔH_{t−1}``
   (``ΔH``: change in hedged foreign-bond holdings, ¥tn; more hedging → more
   negative basis); volatility ``σ_t = σ^{in}_t·J_t`` with
   ``J_t = 1 + (J_{t−1} − 1)·2^{−1/2} + jump_t + ν·max(|ΔlnS^{flow}_{t−1}|·√12/σ^{in} − 1, 0)``.
2. **Hedging** (conventions of :mod:`yenflow.analytics.hedging`, 3M rolling,
   simple annualisation, r$ ACT/360, r¥ ACT/365F): ``HC = hedge_cost(r$, r¥, b)``,
   dollar investor's pickup ``P^{US} = usd_pickup(r$, r¥, b)``.
3. **Japanese holders** (sector k; holdings in ¥tn: hedged foreign bonds ``H``,
   unhedged foreign bonds ``U``, foreign equities ``E``, yen bonds ``D``):

   .. math::

      G^H = y_\$ - HC - y_¥, \quad G^U_k = y_\$ - y_¥ - λσ^2/100 \\
      w^{H*}_k = w^H_{k,0} + κ^H_k[(G^H - G^H_0) + τ(\min(G^H,0) - \min(G^H_0,0))], \quad
      w^{U*}_k = w^U_{k,0} + κ^U_k (G^U_k - G^U_{k,0}) \\
      f^H_k = θ_k (w^{H*}_k A_k - H_k) + ε_k s_k, \quad f^U_k = θ_k (w^{U*}_k A_k - U_k) + ε_k(1 - s_k), \quad
      f^E_k = θ^E (w^E_{k,0} A_k - E_k)

   with ``κ^H_k = b^H_k/(θ_k A_{k,0})`` (so the first month's response to a
   1 pp pickup change is the fitted ``b^H_k`` ¥tn), ``κ^U_k = b^U_k w^U_{k,0}/θ_k``,
   ``A_k`` the portfolio (foreign securities + yen bonds, ¥tn), ``s_k`` the
   hedged share of foreign bonds, ``ε_k ~ N(0, sd_k)`` the fit's residual.
   Sales never exceed holdings; purchases never exceed yen bonds. ``U`` and ``E`` are
   carried in yen and revalued by ``S_t/S_{t−1}`` after the month's FX move.
   Repatriation ``R_k = −(f^H + f^U + f^E)`` (¥tn, + = money coming home).
4. **Foreigners**: JGB demand ``F^* = F_0 + (b^F/θ^F)(π − π_0)``,
   ``π = y_¥ + P^{US} − y_\$``, ``f^F = θ^F(F^* − F) + ε^F``; Japanese
   equities ``Q^* = Q_0·max(1 − c·(σ/σ_0 − 1), 0)``, ``f^Q = θ^Q(Q^* − Q)``.
5. **Carry**: ``C^* = C_0·max(CV/CV_0, 0)^{κ_C}``, ``CV = (r\$ − r¥)/σ``;
   ``f^C = θ_C(C^* − C)`` with ``θ_C`` the unwind speed when ``C^* < C``,
   else the build speed. CFTC-equivalent net position ``N_0·(C/C_0)^φ``.
6. **Markets**:

   .. math::

      Q^\$_t = s_{UST}·d·[\textstyle\sum_k -(f^H_k + f^U_k) + f^F]·1000/S \quad (\$bn, 10y-equivalent net sales) \\
      y_\$ = y_{\$,0} + p_{Fed}(Fed_t - Fed_0) + [β_{LR}ΣQ^\$ + X^{UST}]/100^2 + n^{UST}, \quad
      X^{UST}_t = ρ X^{UST}_{t-1} + (β_{SR} - β_{LR})Q^\$_t \\
      Y_t = \textstyle\sum_k -(f^U_k + f^E_k) - f^C + f^Q \quad (¥tn of yen bought) \\
      \ln S = \ln S_0 - [γ_{LR}ΣY + X^{FX}]/100 + n^{FX}, \quad X^{FX}_t = ρ_{FX}X^{FX}_{t-1} + (γ_{SR} - γ_{LR})Y_t \\
      Z_t = Z_{t-1} + BOJsales_t - δ\textstyle\sum_k R_k - f^F, \quad
      y_¥^{10} = y^{10}_{¥,0} + p^{10}_{BOJ}ΔBOJ + ζ·100Z/O/100 + n^{10}, \quad y_¥^{30}: ζ·m

   ``β`` in bp per $100bn (so ``β·Q/100`` is bp), ``γ`` in % per ¥tn,
   ``ζ`` in bp per pp of outstanding JGBs ``O``; ``n`` are random walks with
   the monthly volatility of each market (FX: ``σ_t/√12``), scaled by ``noise``.

Holdings are valued at constant local prices: only the FX rate revalues the
unhedged bonds and the equities (hedged bonds are locked in yen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from yenflow.analytics.hedging import hedge_cost, usd_pickup
from yenflow.scenario.parameters import SECTORS

if TYPE_CHECKING:
    import numpy as np

HEDGE_TENOR = "3M"
VOL_JUMP_DECAY = 0.5 ** 0.5  # half-life 2 months
JGB30_NOISE_CORR = 0.8
N_SHOCKS = 5 + len(SECTORS)  # fx, ust, jgb10, jgb30, foreign jgb, one per sector


@dataclass(frozen=True)
class Start:
    """Starting state shared by every path (from the calibration)."""

    ust10: float
    jgb10: float
    jgb30: float
    spot: float
    r_usd: float
    r_jpy: float
    fed: float
    boj: float
    vol: float
    basis_bp: float
    jgb_outstanding: float
    foreign_jgb: float
    foreign_equity: float
    cftc_net: float
    carry_scale: float
    portfolio: tuple[float, ...]  # per sector, ¥tn
    foreign: tuple[float, ...]  # per sector, ¥tn
    flow_sd: tuple[float, ...]  # per sector, ¥tn per month
    foreign_flow_sd: float
    ust_sd_bp: float
    jgb10_sd_bp: float
    jgb30_sd_bp: float


@dataclass(frozen=True)
class Drivers:
    """Monthly deterministic inputs, index 0 = start; ``record``: months written to the output."""

    fed: tuple[float, ...]
    boj: tuple[float, ...]
    basis_bp: tuple[float, ...]
    vol: tuple[float, ...]
    boj_sales: tuple[float, ...]
    shock: tuple[float, ...]
    jump_prob: float
    record: tuple[int, ...]


def _variables() -> tuple[tuple[str, str, str], ...]:
    rows = []
    for k in SECTORS:
        rows.append((f"repatriation_jpy.{k}", "¥tn", "cumulative net sales of foreign securities, + = money coming home"))
    rows.append(("repatriation_jpy.total", "¥tn", "all four sectors"))
    for k in SECTORS:
        rows.append((f"repatriation_usd.{k}", "$bn", "the same at each month's USD/JPY"))
    rows.append(("repatriation_usd.total", "$bn", "all four sectors"))
    rows += [
        ("ust10_change", "bp", "UST 10y yield change from the start"),
        ("ust10_flow", "bp", "of which from net foreign sales (Japanese holders and foreign JGB buyers)"),
        ("usdjpy", "JPY per USD", "USD/JPY level"),
        ("usdjpy_flow", "%", "USD/JPY change from flows (log points × 100; negative = stronger yen)"),
        ("jgb10", "%", "JGB 10y yield"),
        ("jgb30", "%", "JGB 30y yield"),
        ("carry_positions", "¥tn", "leveraged yen-funded carry positions"),
        ("cftc_net", "contracts", "CFTC leveraged funds + asset managers net yen futures, model-equivalent"),
        ("foreign_jgb_purchases", "¥tn", "cumulative foreign net purchases of long-term JGBs"),
    ]
    return tuple(rows)


VARIABLES = _variables()
VARIABLE_INDEX = {name: i for i, (name, _, _) in enumerate(VARIABLES)}


def _sect(p: dict, name: str) -> "np.ndarray":
    import numpy as np

    return np.stack([p[f"{name}.{k}"] for k in SECTORS])


def simulate(start: Start, drivers: Drivers, p: dict, rng: "np.random.Generator", noise: float = 1.0,
             lows: dict | None = None, out: "np.ndarray | None" = None) -> "np.ndarray":
    """Run one block of paths; returns float32 ``(variables, len(record), paths)``.

    ``p`` holds one array per parameter (see :func:`yenflow.scenario.parameters.sample`).
    ``rng`` draws, every month, ``N_SHOCKS`` standard normals and one uniform per path.
    ``lows``, if given, receives the lowest value each holding took over the run (for checks).
    ``out``, if given, is written in place (a slice of the whole run's array: no copy).
    """
    import numpy as np

    K, n = len(SECTORS), len(p["carry_stock"])
    T = len(drivers.fed) - 1
    if out is None:
        out = np.empty((len(VARIABLES), len(drivers.record), n), dtype=np.float32)
    slot = {m: i for i, m in enumerate(drivers.record)}

    # ---- starting holdings (¥tn; unhedged bonds and equities in $bn)
    S0 = start.spot
    port0 = np.asarray(start.portfolio)[:, None]
    foreign0 = np.asarray(start.foreign)[:, None]
    bond_share, hedge = _sect(p, "bond_share"), _sect(p, "hedge_ratio")
    # all in ¥tn; unhedged bonds and equities are revalued with USD/JPY every month
    H = foreign0 * bond_share * hedge
    U = foreign0 * bond_share * (1 - hedge)
    E = foreign0 * (1 - bond_share)
    D = np.broadcast_to(port0 - foreign0, (K, n)).copy()
    wH0, wU0, wE0 = H / port0, U / port0, E / port0
    theta = np.maximum(_sect(p, "theta"), 1e-9)
    kappa_h = _sect(p, "flow_beta_hedged") / (theta * port0)
    kappa_u = _sect(p, "flow_beta_unhedged") / 100 * wU0 / theta
    flow_sd = np.asarray(start.flow_sd)[:, None] * noise
    lam, tau = p["fx_risk_aversion"], p["threshold_mult"]

    # ---- starting prices and pickups
    b0 = start.basis_bp / 100
    hc0 = hedge_cost(start.r_usd, start.r_jpy, b0, tenor=HEDGE_TENOR)
    gh0 = start.ust10 - hc0 - start.jgb10
    gu0 = (start.ust10 - start.jgb10) - lam * start.vol ** 2 / 100
    pi0 = start.jgb10 + usd_pickup(start.r_usd, start.r_jpy, b0, tenor=HEDGE_TENOR) - start.ust10
    cv0 = (start.r_usd - start.r_jpy) / start.vol
    y_us = np.full(n, start.ust10)
    y_10, y_30 = np.full(n, start.jgb10), np.full(n, start.jgb30)
    S = np.full(n, S0)
    zeros = lambda: np.zeros(n)  # noqa: E731
    x_ust, cum_q, x_fx, cum_y, absorb = zeros(), zeros(), zeros(), zeros(), zeros()
    n_ust, n_10, n_30, n_fx = zeros(), zeros(), zeros(), zeros()
    flow_fx, flow_fx_prev, jv = zeros(), zeros(), np.ones(n)
    rep_jpy, rep_usd = np.zeros((K, n)), np.zeros((K, n))
    F0, Q0 = start.foreign_jgb, start.foreign_equity
    F, Q, cum_f = np.full(n, F0), np.full(n, Q0), zeros()
    theta_f = p["foreign_jgb_theta"]
    C0 = p["carry_stock"] * start.carry_scale
    C = C0.copy()
    H_total0 = H.sum(axis=0)
    fx_sd = noise / math.sqrt(12) / 100

    for t in range(1, T + 1):
        z = rng.standard_normal((N_SHOCKS, n))
        u = rng.random(n)
        r_usd = start.r_usd + drivers.fed[t] - start.fed
        r_jpy = start.r_jpy + drivers.boj[t] - start.boj
        vol_in = drivers.vol[t]

        # 1. volatility and basis
        jump = np.where(u < drivers.jump_prob, p["vol_jump_size"], 0.0) if noise > 0 else 0.0
        excess = np.maximum(np.abs(flow_fx - flow_fx_prev) * math.sqrt(12) / drivers.vol[t - 1] - 1.0, 0.0)
        jv = 1.0 + (jv - 1.0) * VOL_JUMP_DECAY + jump + p["vol_feedback"] * excess
        sigma = vol_in * jv
        b = (drivers.basis_bp[t] - p["basis_chi"] * (H.sum(axis=0) - H_total0)) / 100

        # 2. hedging
        hc = hedge_cost(r_usd, r_jpy, b, tenor=HEDGE_TENOR)
        pickup = usd_pickup(r_usd, r_jpy, b, tenor=HEDGE_TENOR)

        # 3. Japanese holders
        A = H + U + E + D
        gh = y_us - hc - y_10
        dh = (gh - gh0) + tau * (np.minimum(gh, 0.0) - min(gh0, 0.0))
        gu = (y_us - y_10) - lam * sigma ** 2 / 100
        w_h = np.clip(wH0 + kappa_h * dh, 0.0, 1.0)
        w_u = np.clip(wU0 + kappa_u * (gu - gu0), 0.0, 1.0)
        bonds = H + U
        s_h = H / np.maximum(bonds, 1e-300)
        eps = z[5:] * flow_sd
        eps_h = eps * s_h
        f_h = theta * (w_h * A - H) + eps_h
        f_u = theta * (w_u * A - U) + (eps - eps_h)
        f_e = p["equity_rebalance_speed"] * (wE0 * A - E)
        if drivers.shock[t]:
            total = bonds.sum(axis=0)
            sell = drivers.shock[t] * np.divide(bonds, total, out=np.zeros_like(bonds), where=total > 0)
            f_h, f_u = f_h - sell * s_h, f_u - sell * (1 - s_h)
            wH0 = np.maximum(wH0 - sell * s_h / A, 0.0)
            wU0 = np.maximum(wU0 - sell * (1 - s_h) / A, 0.0)
        f_h, f_u, f_e = np.maximum(f_h, -H), np.maximum(f_u, -U), np.maximum(f_e, -E)
        buy = f_h + f_u + f_e
        over = buy > D
        if over.any():  # purchases are capped by the yen bonds held (rare)
            scale = np.where(over, D / np.where(over, buy, 1.0), 1.0)
            f_h, f_u, f_e = f_h * scale, f_u * scale, f_e * scale
            buy = f_h + f_u + f_e
        H += f_h
        U += f_u
        E += f_e
        D -= buy
        rep_jpy -= buy
        rep_usd -= buy * (1000 / S)

        # 4. foreigners
        pi = y_10 + pickup - y_us
        f_f = theta_f * (F0 + p["foreign_jgb_beta"] / theta_f * (pi - pi0) - F) + z[4] * start.foreign_flow_sd * noise
        f_f = np.maximum(f_f, -F)
        F = F + f_f
        cum_f += f_f
        q_target = Q0 * np.maximum(1.0 - p["foreign_equity_vol_cut"] * (sigma / start.vol - 1.0), 0.0)
        f_q = p["foreign_equity_speed"] * (q_target - Q)
        Q = Q + f_q

        # 5. carry
        if cv0 > 0 and r_usd > r_jpy:
            # C0·(CV/CV0)^κ written as exp(κ·ln(·)): a fractional power is ~10x slower in numpy
            c_target = C0 * np.exp(p["carry_kappa"] * np.log((r_usd - r_jpy) / cv0 / sigma))
        else:
            c_target = C0 if cv0 <= 0 else np.zeros(n)
        speed = np.where(c_target < C, p["carry_unwind_speed"], p["carry_build_speed"])
        f_c = speed * (c_target - C)
        C = C + f_c

        # 6. markets
        sales_q = p["ust_share"] * p["duration_factor"] * ((-(f_h + f_u)).sum(axis=0) + f_f) * 1000 / S
        x_ust = p["ust_decay"] * x_ust + (p["ust_beta_sr"] - p["ust_beta_lr"]) * sales_q / 100
        cum_q += sales_q
        n_ust += start.ust_sd_bp * z[1] * noise
        flow_ust = p["ust_beta_lr"] * cum_q / 100 + x_ust
        y_us = start.ust10 + p["fed_passthrough_10y"] * (drivers.fed[t] - start.fed) + (flow_ust + n_ust) / 100

        yen = (-(f_u + f_e)).sum(axis=0) - f_c + f_q
        x_fx = p["fx_decay"] * x_fx + (p["fx_gamma_sr"] - p["fx_gamma_sr"] * p["fx_gamma_lr_ratio"]) * yen
        cum_y += yen
        flow_fx_prev = flow_fx
        flow_fx = -(p["fx_gamma_sr"] * p["fx_gamma_lr_ratio"] * cum_y + x_fx)
        n_fx += sigma * fx_sd * z[0]
        S_new = S0 * np.exp(flow_fx / 100 + n_fx)
        ratio = S_new / S
        U *= ratio
        E *= ratio
        S = S_new

        absorb += drivers.boj_sales[t] - p["domestic_bond_share"] * (-buy).sum(axis=0) - f_f
        supply_bp = p["jgb_supply_beta"] * absorb / start.jgb_outstanding * 100
        n_10 += start.jgb10_sd_bp * z[2] * noise
        n_30 += start.jgb30_sd_bp * (JGB30_NOISE_CORR * z[2] + math.sqrt(1 - JGB30_NOISE_CORR ** 2) * z[3]) * noise
        d_boj = drivers.boj[t] - start.boj
        y_10 = start.jgb10 + p["boj_passthrough_10y"] * d_boj + (supply_bp + n_10) / 100
        y_30 = start.jgb30 + p["boj_passthrough_30y"] * d_boj + (p["superlong_mult"] * supply_bp + n_30) / 100

        if lows is not None:
            for name, value in (("hedged_bonds", H), ("unhedged_bonds", U), ("foreign_equities", E), ("yen_bonds", D),
                                ("foreign_jgb", F), ("foreign_japan_equity", Q), ("carry", C)):
                lows[name] = min(lows.get(name, math.inf), float(value.min()))
        if t in slot:
            i = slot[t]
            o = out[:, i, :]
            o[0:K] = rep_jpy
            o[K] = rep_jpy.sum(axis=0)
            o[K + 1:2 * K + 1] = rep_usd
            o[2 * K + 1] = rep_usd.sum(axis=0)
            j = 2 * K + 2
            o[j] = (y_us - start.ust10) * 100
            o[j + 1] = flow_ust
            o[j + 2] = S
            o[j + 3] = flow_fx
            o[j + 4] = y_10
            o[j + 5] = y_30
            o[j + 6] = C
            kept = np.divide(C, C0, out=np.ones_like(C), where=C0 > 0)
            o[j + 7] = start.cftc_net * np.exp(p["cftc_exponent"] * np.log(np.maximum(kept, 1e-300))) \
                if start.cftc_net < 0 else start.cftc_net
            o[j + 8] = cum_f
    return out
