"""The same model as :func:`yenflow.scenario.model.simulate`, written as a plain loop over paths.

Used to check the vectorised model (identical draws, results equal to
rounding) and as the reference run of ``benchmarks/scenario.py``. It draws
the random numbers exactly as ``simulate`` does (month by month, all paths at
once) before looping over paths, so both see the same shocks.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from yenflow.analytics.hedging import hedge_cost, usd_pickup
from yenflow.scenario.model import HEDGE_TENOR, JGB30_NOISE_CORR, N_SHOCKS, VARIABLES, VOL_JUMP_DECAY, Drivers, Start
from yenflow.scenario.parameters import SECTORS

if TYPE_CHECKING:
    import numpy as np


def simulate_loop(start: Start, drivers: Drivers, p: dict, rng: "np.random.Generator", noise: float = 1.0) -> list:
    """Returns ``out[variable][record slot][path]`` as nested lists of floats."""
    n = len(p["carry_stock"])
    T = len(drivers.fed) - 1
    draws = []
    for _ in range(T):
        draws.append((rng.standard_normal((N_SHOCKS, n)).tolist(), rng.random(n).tolist()))
    pv = {k: v.tolist() for k, v in p.items()}
    out = [[[0.0] * n for _ in drivers.record] for _ in VARIABLES]
    for i in range(n):
        path = _one_path(start, drivers, {k: v[i] for k, v in pv.items()}, [[z[j][i] for j in range(N_SHOCKS)] for z, _ in draws],
                         [u[i] for _, u in draws], noise)
        for v, series in enumerate(path):
            for s, value in enumerate(series):
                out[v][s][i] = value
    return out


def _one_path(start: Start, d: Drivers, p: dict, shocks: list, uniforms: list, noise: float) -> list:  # noqa: C901
    K = len(SECTORS)
    sec = lambda name: [p[f"{name}.{k}"] for k in SECTORS]  # noqa: E731
    S0 = start.spot
    bond_share, hedge = sec("bond_share"), sec("hedge_ratio")
    H = [start.foreign[k] * bond_share[k] * hedge[k] for k in range(K)]
    U = [start.foreign[k] * bond_share[k] * (1 - hedge[k]) for k in range(K)]
    E = [start.foreign[k] * (1 - bond_share[k]) for k in range(K)]
    D = [start.portfolio[k] - start.foreign[k] for k in range(K)]
    wH0 = [H[k] / start.portfolio[k] for k in range(K)]
    wU0 = [U[k] / start.portfolio[k] for k in range(K)]
    wE0 = [E[k] / start.portfolio[k] for k in range(K)]
    theta = [max(t, 1e-9) for t in sec("theta")]
    kappa_h = [b / (theta[k] * start.portfolio[k]) for k, b in enumerate(sec("flow_beta_hedged"))]
    kappa_u = [b / 100 * wU0[k] / theta[k] for k, b in enumerate(sec("flow_beta_unhedged"))]
    lam, tau = p["fx_risk_aversion"], p["threshold_mult"]
    b0 = start.basis_bp / 100
    hc0 = hedge_cost(start.r_usd, start.r_jpy, b0, tenor=HEDGE_TENOR)
    gh0 = start.ust10 - hc0 - start.jgb10
    gu0 = (start.ust10 - start.jgb10) - lam * start.vol ** 2 / 100
    pi0 = start.jgb10 + usd_pickup(start.r_usd, start.r_jpy, b0, tenor=HEDGE_TENOR) - start.ust10
    cv0 = (start.r_usd - start.r_jpy) / start.vol
    y_us, y_10, y_30, S = start.ust10, start.jgb10, start.jgb30, S0
    x_ust = cum_q = x_fx = cum_y = absorb = n_ust = n_10 = n_30 = n_fx = flow_fx = flow_fx_prev = 0.0
    jv = 1.0
    rep_jpy, rep_usd = [0.0] * K, [0.0] * K
    F0, Q0 = start.foreign_jgb, start.foreign_equity
    F, Q, cum_f = F0, Q0, 0.0
    C0 = p["carry_stock"] * start.carry_scale
    C = C0
    H_total0 = sum(H)
    slot = {m: i for i, m in enumerate(d.record)}
    series = [[0.0] * len(d.record) for _ in VARIABLES]
    for t in range(1, len(d.fed)):
        z = shocks[t - 1]
        u = uniforms[t - 1]
        r_usd = start.r_usd + d.fed[t] - start.fed
        r_jpy = start.r_jpy + d.boj[t] - start.boj
        jump = (p["vol_jump_size"] if u < d.jump_prob else 0.0) if noise > 0 else 0.0
        excess = max(abs(flow_fx - flow_fx_prev) * math.sqrt(12) / d.vol[t - 1] - 1.0, 0.0)
        jv = 1.0 + (jv - 1.0) * VOL_JUMP_DECAY + jump + p["vol_feedback"] * excess
        sigma = d.vol[t] * jv
        b = (d.basis_bp[t] - p["basis_chi"] * (sum(H) - H_total0)) / 100
        hc = hedge_cost(r_usd, r_jpy, b, tenor=HEDGE_TENOR)
        pickup = usd_pickup(r_usd, r_jpy, b, tenor=HEDGE_TENOR)
        gh = y_us - hc - y_10
        dh = (gh - gh0) + tau * (min(gh, 0.0) - min(gh0, 0.0))
        gu = (y_us - y_10) - lam * sigma ** 2 / 100
        f_h, f_u, f_e, buy = [0.0] * K, [0.0] * K, [0.0] * K, [0.0] * K
        for k in range(K):
            u_yen, e_yen = U[k], E[k]
            A = H[k] + u_yen + e_yen + D[k]
            w_h = min(max(wH0[k] + kappa_h[k] * dh, 0.0), 1.0)
            w_u = min(max(wU0[k] + kappa_u[k] * (gu - gu0), 0.0), 1.0)
            bonds = H[k] + u_yen
            s_h = H[k] / max(bonds, 1e-300)
            eps = z[5 + k] * start.flow_sd[k] * noise
            fh = theta[k] * (w_h * A - H[k]) + eps * s_h
            fu = theta[k] * (w_u * A - u_yen) + (eps - eps * s_h)
            fe = p["equity_rebalance_speed"] * (wE0[k] * A - e_yen)
            if d.shock[t]:
                total = sum(H[j] + U[j] for j in range(K))
                sell = d.shock[t] * bonds / total if total > 0 else 0.0
                fh, fu = fh - sell * s_h, fu - sell * (1 - s_h)
                wH0[k] = max(wH0[k] - sell * s_h / A, 0.0)
                wU0[k] = max(wU0[k] - sell * (1 - s_h) / A, 0.0)
            fh, fu, fe = max(fh, -H[k]), max(fu, -u_yen), max(fe, -e_yen)
            tot = fh + fu + fe
            if tot > D[k]:
                scale = D[k] / tot
                fh, fu, fe = fh * scale, fu * scale, fe * scale
            f_h[k], f_u[k], f_e[k], buy[k] = fh, fu, fe, fh + fu + fe
        for k in range(K):
            H[k] += f_h[k]
            U[k] += f_u[k]
            E[k] += f_e[k]
            D[k] -= buy[k]
            rep_jpy[k] -= buy[k]
            rep_usd[k] -= buy[k] * (1000 / S)
        pi = y_10 + pickup - y_us
        theta_f = p["foreign_jgb_theta"]
        f_f = theta_f * (F0 + p["foreign_jgb_beta"] / theta_f * (pi - pi0) - F) + z[4] * start.foreign_flow_sd * noise
        f_f = max(f_f, -F)
        F += f_f
        cum_f += f_f
        f_q = p["foreign_equity_speed"] * (Q0 * max(1.0 - p["foreign_equity_vol_cut"] * (sigma / start.vol - 1.0), 0.0) - Q)
        Q += f_q
        if cv0 > 0 and r_usd > r_jpy:
            c_target = C0 * math.exp(p["carry_kappa"] * math.log((r_usd - r_jpy) / cv0 / sigma))
        else:
            c_target = C0 if cv0 <= 0 else 0.0
        speed = p["carry_unwind_speed"] if c_target < C else p["carry_build_speed"]
        f_c = speed * (c_target - C)
        C += f_c
        sales_q = p["ust_share"] * p["duration_factor"] * (sum(-(f_h[k] + f_u[k]) for k in range(K)) + f_f) * 1000 / S
        x_ust = p["ust_decay"] * x_ust + (p["ust_beta_sr"] - p["ust_beta_lr"]) * sales_q / 100
        cum_q += sales_q
        n_ust += start.ust_sd_bp * z[1] * noise
        flow_ust = p["ust_beta_lr"] * cum_q / 100 + x_ust
        y_us = start.ust10 + p["fed_passthrough_10y"] * (d.fed[t] - start.fed) + (flow_ust + n_ust) / 100
        yen = sum(-(f_u[k] + f_e[k]) for k in range(K)) - f_c + f_q
        g_sr, g_lr = p["fx_gamma_sr"], p["fx_gamma_sr"] * p["fx_gamma_lr_ratio"]
        x_fx = p["fx_decay"] * x_fx + (g_sr - g_lr) * yen
        cum_y += yen
        flow_fx_prev = flow_fx
        flow_fx = -(g_lr * cum_y + x_fx)
        n_fx += sigma * noise / math.sqrt(12) / 100 * z[0]
        s_new = S0 * math.exp(flow_fx / 100 + n_fx)
        ratio = s_new / S
        U = [x * ratio for x in U]
        E = [x * ratio for x in E]
        S = s_new
        absorb += d.boj_sales[t] - p["domestic_bond_share"] * sum(-x for x in buy) - f_f
        supply_bp = p["jgb_supply_beta"] * absorb / start.jgb_outstanding * 100
        n_10 += start.jgb10_sd_bp * z[2] * noise
        n_30 += start.jgb30_sd_bp * (JGB30_NOISE_CORR * z[2] + math.sqrt(1 - JGB30_NOISE_CORR ** 2) * z[3]) * noise
        d_boj = d.boj[t] - start.boj
        y_10 = start.jgb10 + p["boj_passthrough_10y"] * d_boj + (supply_bp + n_10) / 100
        y_30 = start.jgb30 + p["boj_passthrough_30y"] * d_boj + (p["superlong_mult"] * supply_bp + n_30) / 100
        if t in slot:
            i = slot[t]
            kept = C / C0 if C0 > 0 else 1.0
            cftc = start.cftc_net * math.exp(p["cftc_exponent"] * math.log(max(kept, 1e-300))) if start.cftc_net < 0 else start.cftc_net
            values = [*rep_jpy, sum(rep_jpy), *rep_usd, sum(rep_usd), (y_us - start.ust10) * 100, flow_ust, S, flow_fx,
                      y_10, y_30, C, cftc, cum_f]
            for v, value in enumerate(values):
                series[v][i] = value
    return series
