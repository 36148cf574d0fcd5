"""The model of :mod:`yenflow.scenario.model`, compiled with numba: the same equations, the same draws.

Why a second implementation: the vectorised numpy model makes ~250 passes
over the paths every month, each a separate call with its own temporary, and
draws its normals at ~14 ns each: ~0.3 µs per path-month. Here each step of
the month is one compiled loop over the paths (SIMD where LLVM can: see the
options below) and numba draws a normal in ~4 ns: ~0.08 µs. numba's
``Generator`` methods reproduce numpy's streams exactly, and this kernel
draws in numpy's order (every month: ``N_SHOCKS × paths`` standard normals
shock by shock, then one uniform per path), with the same operations in the
same order, so both engines give the same numbers to floating-point rounding
(in practice bit for bit; ``tests/test_scenario_kernel.py`` holds them to it).
The numpy model stays the readable specification; read the equations there.

Machine code is cached on disk (``cache=True``, numba's ``__pycache__``; a
cold cache compiles for ~10 s once); a process still pays ~0.2 s to import
numba and ~0.3–0.6 s to load it, which is why small runs stay on numpy
(:func:`yenflow.scenario.runners.choose_engine`).

Exact quantiles (:func:`quantiles`) use a counting selection per row:
numpy's SIMD reductions for the range, one pass to count the values in 4,096
equal-width buckets (monotone in the value, so the buckets are ordered), one
to gather the few buckets that hold the wanted ranks, which are then sorted:
~10× numpy's partition. Same order statistics and interpolation as
``numpy.quantile`` (linear), so the same numbers as
:func:`yenflow.scenario.runners.quantile_rows`.
"""

from __future__ import annotations

import math

import llvmlite.binding as llvm
import numpy as np
from numba import njit

from yenflow.analytics.hedging import hedge_cost, usd_pickup
from yenflow.scenario.model import HEDGE_TENOR, JGB30_NOISE_CORR, N_SHOCKS, VARIABLES, VOL_JUMP_DECAY, Drivers, Start
from yenflow.scenario.parameters import SECTORS

# per-path parameters, in the order of the rows of the parameter matrix the kernel reads
PATH_PARAMS = (
    "fx_risk_aversion", "threshold_mult", "vol_jump_size", "vol_feedback", "basis_chi", "equity_rebalance_speed",
    "foreign_jgb_theta", "foreign_jgb_beta", "foreign_equity_vol_cut", "foreign_equity_speed", "carry_stock",
    "carry_kappa", "carry_unwind_speed", "carry_build_speed", "ust_share", "duration_factor", "ust_decay",
    "ust_beta_sr", "ust_beta_lr", "fed_passthrough_10y", "fx_decay", "fx_gamma_sr", "fx_gamma_lr_ratio",
    "domestic_bond_share", "jgb_supply_beta", "boj_passthrough_10y", "boj_passthrough_30y", "superlong_mult",
    "cftc_exponent",
)
SECTOR_PARAMS = ("bond_share", "hedge_ratio", "theta", "flow_beta_hedged", "flow_beta_unhedged")
START_FIELDS = ("ust10", "jgb10", "jgb30", "spot", "r_usd", "r_jpy", "fed", "boj", "vol", "jgb_outstanding",
                "foreign_jgb", "foreign_equity", "cftc_net", "carry_scale", "foreign_flow_sd", "ust_sd_bp",
                "jgb10_sd_bp", "jgb30_sd_bp")
# holdings whose lowest value is tracked (the model's "never negative" check)
LOW_NAMES = ("hedged_bonds", "unhedged_bonds", "foreign_equities", "yen_bonds", "foreign_jgb", "foreign_japan_equity",
             "carry")

(_LAM, _TAU, _JUMP, _VFB, _CHI, _ERS, _THF, _BETF, _QCUT, _QSPD, _CSTK, _CKAP, _CUNW, _CBLD, _USH, _DUR, _UDEC,
 _USR, _ULR, _FEDP, _FXDEC, _GSR, _GLR, _DOM, _SUPB, _BP10, _BP30, _SLM, _CFTE) = range(len(PATH_PARAMS))
_BS, _HR, _TH, _FBH, _FBU = range(len(SECTOR_PARAMS))
(_UST10, _JGB10, _JGB30, _SPOT, _RUSD, _RJPY, _FED, _BOJ, _VOL, _OUTST, _F0, _Q0, _CFTC, _CSCALE, _FFSD, _USTSD,
 _J10SD, _J30SD) = range(len(START_FIELDS))
_DAYS, _B_JPY, _B_USD = 91.0, 365.0, 360.0  # 3M hedge, ACT/365F yen leg, ACT/360 dollar leg (analytics.hedging)
# Each step of a month is a loop over the paths touching 10–40 arrays. LLVM vectorises such a loop only after
# checking at run time that the arrays do not overlap, and by default gives up beyond a handful of checks
# ("too many memory checks needed"): the steps then run one path at a time, ~1.6x slower. These options are
# LLVM's, for this process; they only let it try harder (the checks keep the code correct).
for _option in ("--vectorize-memory-check-threshold=1000", "--runtime-memory-check-threshold=1000"):
    llvm.set_option("yenflow", _option)
_N_BUCKETS = 4096
_K = len(SECTORS)  # a compile-time constant: the loops over sectors unroll and the loops over paths vectorise
loaded = False  # set once the machine code is in this process (compiled or read from numba's cache)
_SQRT12 = math.sqrt(12.0)
_JGB30_IDIO = math.sqrt(1 - JGB30_NOISE_CORR ** 2)


@njit(cache=True, nogil=True, inline="always")
def _put(out, row, slot, values):
    """One output row of a recorded month (float64 → float32)."""
    for i in range(values.shape[0]):
        out[row, slot, i] = values[i]


@njit(cache=True, nogil=True, error_model="numpy")
def _run(rng, P, SP, st, portfolio, foreign, flow_sd_k, fed, boj, basis_bp, vol, boj_sales, shock, jump_prob,
         slot, noise, hc0, pi0, out, lows):
    """Months outer; within a month one loop over the paths per step of the model, so that the arithmetic runs
    as SIMD over paths (the exp/log steps get loops of their own). Every loop index starts at 0: an offset index
    makes LLVM see a possible negative-index wrap-around and give up vectorising."""
    n, K = P.shape[1], _K
    T = fed.shape[0] - 1
    # holdings and per-sector constants, (sector, path)
    H, U, E, D = np.empty((K, n)), np.empty((K, n)), np.empty((K, n)), np.empty((K, n))
    wH0, wU0, wE0 = np.empty((K, n)), np.empty((K, n)), np.empty((K, n))
    theta, kap_h, kap_u = np.empty((K, n)), np.empty((K, n)), np.empty((K, n))
    rep_jpy, rep_usd = np.zeros((K, n)), np.zeros((K, n))
    # per-path state, one row each
    y_us, y_10, y_30, S = np.full(n, st[_UST10]), np.full(n, st[_JGB10]), np.full(n, st[_JGB30]), np.full(n, st[_SPOT])
    x_ust, cum_q, x_fx, cum_y, absorb = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    n_ust, n_10, n_30, n_fx = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    flow_fx, flow_fx_prev, jv = np.zeros(n), np.zeros(n), np.ones(n)
    F, Q, cum_f = np.full(n, st[_F0]), np.full(n, st[_Q0]), np.zeros(n)
    C0 = P[_CSTK] * st[_CSCALE]
    C = C0.copy()
    flow_sd = flow_sd_k * noise
    S0 = st[_SPOT]
    gh0 = st[_UST10] - hc0 - st[_JGB10]
    cv0 = (st[_RUSD] - st[_RJPY]) / st[_VOL]
    fx_sd = noise / _SQRT12 / 100
    lam, tau = P[_LAM], P[_TAU]
    gu0 = (st[_UST10] - st[_JGB10]) - lam * st[_VOL] ** 2 / 100
    for k in range(K):
        for i in range(n):
            bs, hr = SP[_BS, k, i], SP[_HR, k, i]
            H[k, i] = foreign[k] * bs * hr
            U[k, i] = foreign[k] * bs * (1 - hr)
            E[k, i] = foreign[k] * (1 - bs)
            D[k, i] = portfolio[k] - foreign[k]
            wH0[k, i] = H[k, i] / portfolio[k]
            wU0[k, i] = U[k, i] / portfolio[k]
            wE0[k, i] = E[k, i] / portfolio[k]
            th = max(SP[_TH, k, i], 1e-9)
            theta[k, i] = th
            kap_h[k, i] = SP[_FBH, k, i] / (th * portfolio[k])
            kap_u[k, i] = SP[_FBU, k, i] / 100 * wU0[k, i] / th
    H_total0 = H[0].copy()
    for k in range(1, K):
        H_total0 += H[k]
    sigma, pickup, dh, gu, total = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    f_h, f_u, f_e, buy = np.empty((K, n)), np.empty((K, n)), np.empty((K, n)), np.empty((K, n))
    f_f, f_q, f_c, c_target, flow_ust = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    fx_ratio = np.empty(n)
    z = np.empty((N_SHOCKS, n))
    u = np.empty(n)
    for t in range(1, T + 1):
        for j in range(N_SHOCKS):
            for i in range(n):
                z[j, i] = rng.standard_normal()
        for i in range(n):
            u[i] = rng.random()
        r_usd = st[_RUSD] + fed[t] - st[_FED]
        r_jpy = st[_RJPY] + boj[t] - st[_BOJ]
        usd_leg = 1.0 + r_usd / 100.0 * _DAYS / _B_USD
        carry_on = cv0 > 0 and r_usd > r_jpy
        carry_x = (r_usd - r_jpy) / cv0
        d_fed, d_boj = fed[t] - st[_FED], boj[t] - st[_BOJ]
        vol_t, vol_prev, basis_t, shock_t = vol[t], vol[t - 1], basis_bp[t], shock[t]
        jump_on = noise > 0
        s_out = slot[t]
        # 1. volatility and basis; 2. hedging (3M, simple: analytics.hedging.hedge_cost / usd_pickup); gaps
        for i in range(n):
            size = P[_JUMP, i]  # loaded unconditionally: a conditional load keeps the loop from vectorising
            jump = size if jump_on and u[i] < jump_prob else 0.0
            excess = max(abs(flow_fx[i] - flow_fx_prev[i]) * _SQRT12 / vol_prev - 1.0, 0.0)
            jv[i] = 1.0 + (jv[i] - 1.0) * VOL_JUMP_DECAY + jump + P[_VFB, i] * excess
            sigma[i] = vol_t * jv[i]
            h_sum = H[0, i]
            tot = H[0, i] + U[0, i]
            for k in range(1, K):
                h_sum += H[k, i]
                tot += H[k, i] + U[k, i]
            total[i] = tot
            b = (basis_t - P[_CHI, i] * (h_sum - H_total0[i])) / 100
            ratio_fs = (1.0 + (r_jpy + b) / 100.0 * _DAYS / _B_JPY) / usd_leg
            hc_j = -((ratio_fs - 1.0) * _B_JPY / _DAYS * 100.0)
            pickup[i] = (1.0 / ratio_fs - 1.0) * _B_USD / _DAYS * 100.0
            gh = y_us[i] - hc_j - y_10[i]
            dh[i] = (gh - gh0) + tau[i] * (min(gh, 0.0) - min(gh0, 0.0))
            gu[i] = (y_us[i] - y_10[i]) - lam[i] * sigma[i] ** 2 / 100 - gu0[i]
        # 3. Japanese holders, sector by sector
        for k in range(K):
            for i in range(n):
                h, un, e, dk = H[k, i], U[k, i], E[k, i], D[k, i]
                A = h + un + e + dk
                w_h = min(max(wH0[k, i] + kap_h[k, i] * dh[i], 0.0), 1.0)
                w_u = min(max(wU0[k, i] + kap_u[k, i] * gu[i], 0.0), 1.0)
                bonds = h + un
                s_h = h / max(bonds, 1e-300)
                eps = z[5 + k, i] * flow_sd[k]
                eps_h = eps * s_h
                fh = theta[k, i] * (w_h * A - h) + eps_h
                fu = theta[k, i] * (w_u * A - un) + (eps - eps_h)
                fe = P[_ERS, i] * (wE0[k, i] * A - e)
                if shock_t:
                    sell = shock_t * (bonds / total[i]) if total[i] > 0 else 0.0
                    fh, fu = fh - sell * s_h, fu - sell * (1 - s_h)
                    wH0[k, i] = max(wH0[k, i] - sell * s_h / A, 0.0)
                    wU0[k, i] = max(wU0[k, i] - sell * (1 - s_h) / A, 0.0)
                fh, fu, fe = max(fh, -h), max(fu, -un), max(fe, -e)
                bk = fh + fu + fe
                scale = dk / bk if bk > dk else 1.0  # purchases are capped by the yen bonds held (rare)
                fh, fu, fe = fh * scale, fu * scale, fe * scale
                bk = fh + fu + fe
                f_h[k, i], f_u[k, i], f_e[k, i], buy[k, i] = fh, fu, fe, bk
                H[k, i] = h + fh
                U[k, i] = un + fu
                E[k, i] = e + fe
                D[k, i] = dk - bk
                rep_jpy[k, i] -= bk
                rep_usd[k, i] -= bk * (1000 / S[i])
        # 4. foreigners
        for i in range(n):
            pi = y_10[i] + pickup[i] - y_us[i]
            thf = P[_THF, i]
            ff = thf * (st[_F0] + P[_BETF, i] / thf * (pi - pi0) - F[i]) + z[4, i] * st[_FFSD] * noise
            ff = max(ff, -F[i])
            f_f[i] = ff
            F[i] += ff
            cum_f[i] += ff
            q_target = st[_Q0] * max(1.0 - P[_QCUT, i] * (sigma[i] / st[_VOL] - 1.0), 0.0)
            f_q[i] = P[_QSPD, i] * (q_target - Q[i])
            Q[i] += f_q[i]
        # 5. carry (exp/log: a scalar loop)
        if carry_on:
            for i in range(n):
                c_target[i] = C0[i] * math.exp(P[_CKAP, i] * math.log(carry_x / sigma[i]))
        else:
            for i in range(n):
                c_target[i] = C0[i] if cv0 <= 0 else 0.0
        # 6. markets
        for i in range(n):
            ct, Ci, unwind, build = c_target[i], C[i], P[_CUNW, i], P[_CBLD, i]
            fc = (unwind if ct < Ci else build) * (ct - Ci)
            f_c[i] = fc
            C[i] = Ci + fc
            net_sold = -(f_h[0, i] + f_u[0, i])
            yen_j = -(f_u[0, i] + f_e[0, i])
            for k in range(1, K):
                net_sold += -(f_h[k, i] + f_u[k, i])
                yen_j += -(f_u[k, i] + f_e[k, i])
            sales_q = P[_USH, i] * P[_DUR, i] * (net_sold + f_f[i]) * 1000 / S[i]
            x_ust[i] = P[_UDEC, i] * x_ust[i] + (P[_USR, i] - P[_ULR, i]) * sales_q / 100
            cum_q[i] += sales_q
            n_ust[i] += st[_USTSD] * z[1, i] * noise
            fu_j = P[_ULR, i] * cum_q[i] / 100 + x_ust[i]
            flow_ust[i] = fu_j
            y_us[i] = st[_UST10] + P[_FEDP, i] * d_fed + (fu_j + n_ust[i]) / 100
            yen_j = yen_j - fc + f_q[i]
            x_fx[i] = P[_FXDEC, i] * x_fx[i] + (P[_GSR, i] - P[_GSR, i] * P[_GLR, i]) * yen_j
            cum_y[i] += yen_j
            flow_fx_prev[i] = flow_fx[i]
            flow_fx[i] = -(P[_GSR, i] * P[_GLR, i] * cum_y[i] + x_fx[i])
            n_fx[i] += sigma[i] * fx_sd * z[0, i]
            bought = -buy[0, i]
            for k in range(1, K):
                bought += -buy[k, i]
            absorb[i] += boj_sales[t] - P[_DOM, i] * bought - f_f[i]
            supply_bp = P[_SUPB, i] * absorb[i] / st[_OUTST] * 100
            n_10[i] += st[_J10SD] * z[2, i] * noise
            n_30[i] += st[_J30SD] * (JGB30_NOISE_CORR * z[2, i] + _JGB30_IDIO * z[3, i]) * noise
            y_10[i] = st[_JGB10] + P[_BP10, i] * d_boj + (supply_bp + n_10[i]) / 100
            y_30[i] = st[_JGB30] + P[_BP30, i] * d_boj + (P[_SLM, i] * supply_bp + n_30[i]) / 100
        for i in range(n):  # USD/JPY (exp: a scalar loop), then the revaluation (vectorised)
            s_new = S0 * math.exp(flow_fx[i] / 100 + n_fx[i])
            fx_ratio[i] = s_new / S[i]
            S[i] = s_new
        for k in range(K):
            for i in range(n):
                U[k, i] *= fx_ratio[i]
                E[k, i] *= fx_ratio[i]
        if lows.shape[0]:
            for i in range(n):
                for k in range(K):
                    lows[0] = min(lows[0], H[k, i])
                    lows[1] = min(lows[1], U[k, i])
                    lows[2] = min(lows[2], E[k, i])
                    lows[3] = min(lows[3], D[k, i])
                lows[4] = min(lows[4], F[i])
                lows[5] = min(lows[5], Q[i])
                lows[6] = min(lows[6], C[i])
        if s_out >= 0:  # one output row at a time: sequential stores
            for k in range(K):
                for i in range(n):
                    out[k, s_out, i] = rep_jpy[k, i]
                    out[K + 1 + k, s_out, i] = rep_usd[k, i]
            for i in range(n):
                tot_j, tot_u = rep_jpy[0, i], rep_usd[0, i]
                for k in range(1, K):
                    tot_j += rep_jpy[k, i]
                    tot_u += rep_usd[k, i]
                out[K, s_out, i] = tot_j
                out[2 * K + 1, s_out, i] = tot_u
            j0 = 2 * K + 2
            for i in range(n):
                out[j0, s_out, i] = (y_us[i] - st[_UST10]) * 100
            for row, values in ((1, flow_ust), (2, S), (3, flow_fx), (4, y_10), (5, y_30), (6, C)):
                _put(out, j0 + row, s_out, values)
            for i in range(n):
                kept = C[i] / C0[i] if C0[i] > 0 else 1.0
                out[j0 + 7, s_out, i] = st[_CFTC] * math.exp(P[_CFTE, i] * math.log(max(kept, 1e-300))) \
                    if st[_CFTC] < 0 else st[_CFTC]
            _put(out, j0 + 8, s_out, cum_f)
    return out


@njit(cache=True, nogil=True, error_model="numpy")
def _select(rows, row_min, row_max, lo, hi, frac, result):
    """``result[r, q] = v_lo + (v_hi − v_lo)·frac`` with ``v`` the order statistics of row ``r`` (whose range
    numpy's SIMD reductions gave: ``row_max`` is NaN when the row holds one)."""
    n_rows, n = rows.shape
    nq = lo.shape[0]
    ranks = np.concatenate((lo, hi))
    counts = np.empty(_N_BUCKETS, np.int64)
    for r in range(n_rows):
        row = rows[r]
        lo_v, hi_v = np.float64(row_min[r]), np.float64(row_max[r])
        if not hi_v > lo_v or hi_v == np.inf or lo_v == -np.inf:
            # NaN (numpy sorts it last), ±inf (no finite bucket width) or a constant row: sort outright
            srt = np.sort(row)
            for q in range(nq):
                a, b = np.float64(srt[lo[q]]), np.float64(srt[hi[q]])
                result[r, q] = a + (b - a) * frac[q]
            continue
        scale = (_N_BUCKETS - 1) / (np.float64(hi_v) - np.float64(lo_v))
        counts[:] = 0
        for v in row:
            counts[min(int((np.float64(v) - lo_v) * scale), _N_BUCKETS - 1)] += 1
        # bucket of each wanted rank, and the rank of that bucket's first value
        want = np.zeros(_N_BUCKETS, np.bool_)
        bucket_of = np.empty(ranks.shape[0], np.int64)
        first_rank = np.empty(_N_BUCKETS, np.int64)
        acc = 0
        for bkt in range(_N_BUCKETS):
            first_rank[bkt] = acc
            acc += counts[bkt]
        for j in range(ranks.shape[0]):
            # the last bucket starting at or before the rank holds it (an empty bucket starts where the next does)
            bkt = np.searchsorted(first_rank, ranks[j], side="right") - 1
            bucket_of[j] = bkt
            want[bkt] = True
        # gather the wanted buckets' values, bucket by bucket in order, then sort within each
        size = 0
        for bkt in range(_N_BUCKETS):
            if want[bkt]:
                size += counts[bkt]
        buf = np.empty(size, row.dtype)
        start_of = np.full(_N_BUCKETS, -1, np.int64)
        pos = 0
        for bkt in range(_N_BUCKETS):
            if want[bkt]:
                start_of[bkt] = pos
                pos += counts[bkt]
        fill = start_of.copy()
        for v in row:
            bkt = min(int((np.float64(v) - lo_v) * scale), _N_BUCKETS - 1)
            if want[bkt]:
                buf[fill[bkt]] = v
                fill[bkt] += 1
        for bkt in range(_N_BUCKETS):
            if want[bkt] and counts[bkt] > 1:
                buf[start_of[bkt]:start_of[bkt] + counts[bkt]].sort()
        for q in range(nq):
            j_lo, j_hi = q, nq + q
            b_lo, b_hi = bucket_of[j_lo], bucket_of[j_hi]
            a = np.float64(buf[start_of[b_lo] + ranks[j_lo] - first_rank[b_lo]])
            b = np.float64(buf[start_of[b_hi] + ranks[j_hi] - first_rank[b_hi]])
            result[r, q] = a + (b - a) * frac[q]
    return result


def warm() -> None:
    """Compile the two kernels for the one signature each is ever called with (or read them from numba's
    cache), in this process — before forking workers, so they inherit the machine code. Further compiles are
    disabled: a call with other array layouts converts to these (``out`` is any strided float32 array)."""
    global loaded
    if loaded:
        return
    from numba import types, typeof

    f8_1, f8_2, f8_3 = types.float64[::1], types.float64[:, ::1], types.Array(types.float64, 3, "C")
    _run.compile((typeof(np.random.Generator(np.random.PCG64(0))), f8_2, f8_3, f8_1, f8_1, f8_1, f8_1, f8_1, f8_1,
                  f8_1, f8_1, f8_1, f8_1, types.float64, types.int64[::1], types.float64, types.float64,
                  types.float64, types.Array(types.float32, 3, "A"), f8_1))
    _run.disable_compile()
    f4_1 = types.float32[::1]
    _select.compile((types.float32[:, ::1], f4_1, f4_1, types.int64[::1], types.int64[::1], f8_1, f8_2))
    _select.disable_compile()
    loaded = True


def simulate(start: Start, drivers: Drivers, p: dict, rng: np.random.Generator, noise: float = 1.0,
             lows: dict | None = None, out: np.ndarray | None = None) -> np.ndarray:
    """:func:`yenflow.scenario.model.simulate`, compiled: same arguments, same draws, same result to rounding."""
    K, n = len(SECTORS), len(p["carry_stock"])
    if out is None:
        out = np.empty((len(VARIABLES), len(drivers.record), n), dtype=np.float32)
    P = np.empty((len(PATH_PARAMS), n))
    for j, name in enumerate(PATH_PARAMS):
        P[j] = p[name]
    SP = np.empty((len(SECTOR_PARAMS), K, n))
    for j, name in enumerate(SECTOR_PARAMS):
        for k, sector in enumerate(SECTORS):
            SP[j, k] = p[f"{name}.{sector}"]
    st = np.array([getattr(start, f) for f in START_FIELDS], dtype=np.float64)
    slot = np.full(len(drivers.fed), -1, np.int64)
    for i, m in enumerate(drivers.record):
        slot[m] = i
    b0 = start.basis_bp / 100
    hc0 = float(hedge_cost(start.r_usd, start.r_jpy, b0, tenor=HEDGE_TENOR))
    pi0 = start.jgb10 + float(usd_pickup(start.r_usd, start.r_jpy, b0, tenor=HEDGE_TENOR)) - start.ust10
    low = np.full(len(LOW_NAMES) if lows is not None else 0, np.inf)
    warm()
    arr = lambda v: np.asarray(v, dtype=np.float64)  # noqa: E731
    _run(rng, P, SP, st, arr(start.portfolio), arr(start.foreign), arr(start.flow_sd), arr(drivers.fed),
         arr(drivers.boj), arr(drivers.basis_bp), arr(drivers.vol), arr(drivers.boj_sales), arr(drivers.shock),
         float(drivers.jump_prob), slot, float(noise), hc0, pi0, out, low)
    if lows is not None:
        for name, value in zip(LOW_NAMES, low):
            lows[name] = min(lows.get(name, math.inf), float(value))
    return out


def quantiles(rows: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """Exact quantiles of each row of a float32 matrix (numpy's linear interpolation), float64
    ``(rows, len(qs))``; ``rows`` is not modified."""
    if rows.dtype != np.float32:
        raise TypeError(f"quantiles of float32 rows (the model's outputs), got {rows.dtype}")
    n = rows.shape[-1]
    pos = [q * (n - 1) for q in qs]
    lo = np.array([int(math.floor(x)) for x in pos], np.int64)
    hi = np.minimum(lo + 1, n - 1)
    frac = np.array([x - i for x, i in zip(pos, lo)])
    result = np.empty((rows.shape[0], len(qs)))
    warm()
    rows = np.ascontiguousarray(rows)
    return _select(rows, rows.min(axis=1), rows.max(axis=1), lo, hi, frac, result)
