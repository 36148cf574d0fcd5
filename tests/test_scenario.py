"""Scenario engine: invariants of the model and reproducibility across backends (real starting state)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from yenflow.scenario import prepare, run_prepared
from yenflow.scenario.model import VARIABLE_INDEX, simulate
from yenflow.scenario.parameters import PRICE_ELASTICITIES, SECTORS, sample
from yenflow.scenario.presets import get
from yenflow.scenario.reference import simulate_loop

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def calibration(real_store):
    from yenflow.scenario.calibration import calibrate

    return calibrate(real_store, AS_OF)


def _run(real_store, calibration, inputs, **kw):
    return run_prepared(prepare(real_store, inputs, calibration), keep_raw=True, **kw)


def _block(real_store, calibration, inputs, n=400, seed=3):
    prep = prepare(real_store, inputs, calibration)
    rng = np.random.default_rng(seed)
    p = sample(prep.params, dict(prep.job.weights), rng, n)
    lows: dict = {}
    out = simulate(prep.job.start, prep.job.drivers, p, rng, prep.job.noise, lows)
    return prep, out, lows


def test_holdings_never_negative_even_under_forced_sales_beyond_holdings(real_store, calibration):
    # ¥150tn a month of forced sales for a year is far more than the ~¥450tn of foreign bonds held
    inputs = get("disorderly repatriation").with_(shock_tn=tuple((f"+{m}m", 150.0) for m in range(1, 13)),
                                                  horizon_months=24)
    prep, out, lows = _block(real_store, calibration, inputs)
    assert set(lows) == {"hedged_bonds", "unhedged_bonds", "foreign_equities", "yen_bonds", "foreign_jgb",
                         "foreign_japan_equity", "carry"}
    for name, low in lows.items():
        assert low >= -1e-9, f"{name} went negative: {low}"
    # the bonds were sold down to zero: cumulative repatriation is bounded by what was held
    held = sum(calibration.sectors[k][1] for k in SECTORS)
    assert out[VARIABLE_INDEX["repatriation_jpy.total"], -1].max() <= held + 1e-6


def test_all_elasticities_zero_means_prices_do_not_move_while_flows_do(real_store, calibration):
    inputs = get("BOJ 1.5% / Fed 3%").with_(noise=0.0, horizon_months=24,
                                             overrides=tuple((name, 0.0) for name in PRICE_ELASTICITIES))
    prep, out, _ = _block(real_store, calibration, inputs)
    s = calibration.start
    assert np.all(out[VARIABLE_INDEX["usdjpy"]] == np.float32(s["spot"]))
    assert np.all(out[VARIABLE_INDEX["ust10_change"]] == 0.0)
    assert np.all(out[VARIABLE_INDEX["jgb10"]] == np.float32(s["jgb10"]))
    assert np.all(out[VARIABLE_INDEX["jgb30"]] == np.float32(s["jgb30"]))
    # the rate paths still change the hedged and unhedged pickups and carry: holders and carry traders move
    assert np.abs(out[VARIABLE_INDEX["repatriation_jpy.total"], -1]).max() > 0.1
    assert out[VARIABLE_INDEX["carry_positions"], -1].max() < out[VARIABLE_INDEX["carry_positions"], 0].max()


def test_no_rate_change_and_no_noise_means_nothing_moves(real_store, calibration):
    prep, out, _ = _block(real_store, calibration, get("baseline").with_(noise=0.0, horizon_months=36))
    s = calibration.start
    for name in ("repatriation_jpy.total", "repatriation_usd.total", "ust10_change", "ust10_flow", "usdjpy_flow",
                 "foreign_jgb_purchases"):
        assert np.abs(out[VARIABLE_INDEX[name]]).max() < 1e-9, name
    assert np.all(out[VARIABLE_INDEX["usdjpy"]] == np.float32(s["spot"]))
    assert np.all(out[VARIABLE_INDEX["jgb30"]] == np.float32(s["jgb30"]))
    carry = out[VARIABLE_INDEX["carry_positions"]]
    assert np.all(carry == carry[0])
    assert np.all(out[VARIABLE_INDEX["cftc_net"]] == np.float32(s["cftc_net"]))


def test_vectorised_model_equals_the_plain_loop_over_paths(real_store, calibration):
    prep = prepare(real_store, get("disorderly repatriation").with_(horizon_months=18), calibration)
    j = prep.job
    rng = np.random.default_rng(11)
    a = simulate(j.start, j.drivers, sample(prep.params, dict(j.weights), rng, 25), rng, j.noise)
    rng = np.random.default_rng(11)
    b = np.asarray(simulate_loop(j.start, j.drivers, sample(prep.params, dict(j.weights), rng, 25), rng, j.noise),
                   dtype=np.float32)
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.slow
def test_same_seed_same_quantiles_whatever_the_backend_or_workers(real_store, calibration):
    from dask.distributed import LocalCluster

    inputs = get("BOJ 1.5% / Fed 3%").with_(paths=20_000, horizon_months=12, seed=42)
    prep = prepare(real_store, inputs, calibration)
    ref = run_prepared(prep, "numpy", keep_raw=True, engine="numpy")
    runs = [run_prepared(prep, "processes", workers=w, keep_raw=True, engine="numpy") for w in (1, 2)]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        runs.append(run_prepared(prep, "dask", scheduler=cluster.scheduler_address, keep_raw=True, engine="numpy"))
    assert [r.run["backend"] for r in runs] == ["processes", "processes", "dask"]
    assert runs[2].run["workers"] == 2
    for r in runs:
        assert np.array_equal(r.raw.quantiles, ref.raw.quantiles)
        assert np.array_equal(r.raw.outputs, ref.raw.outputs)
        assert r.fan.equals(ref.fan)
        assert r.sensitivity.equals(ref.sensitivity)
    # a different seed gives different paths
    other = run_prepared(prepare(real_store, inputs.with_(seed=43), calibration), "numpy", keep_raw=True,
                         engine="numpy")
    assert not np.array_equal(other.raw.quantiles, ref.raw.quantiles)


def test_result_tables_have_units_and_the_horizon_quantiles_are_ordered(real_store, calibration):
    r = _run(real_store, calibration, get("BOJ 1.5% / Fed 3%").with_(paths=5_000))
    h = r.horizon.set_index("variable")
    assert (h[["q05", "q25", "q50", "q75", "q95"]].diff(axis=1).iloc[:, 1:] >= 0).all().all()
    assert h.loc["usdjpy", "unit"] == "JPY per USD" and h.loc["ust10_change", "unit"] == "bp"
    assert set(r.fan["month"]) == set(range(1, 13)) | {15, 18, 21, 24, 27, 30, 33, 36}
    assert r.fan["date"].iloc[0] == date(2026, 7, 30)
    top = r.sensitivity[r.sensitivity["rank"] == 1].set_index("outcome")
    # the UST flow effect is driven by a flow→yield elasticity, USD/JPY's by the FX impact or the carry block
    assert top.loc["ust10_flow", "parameter"] in {"ust_beta_sr", "ust_beta_lr"}
    assert r.run["paths"] == 5_000 and r.run["block_size"] == 8192


def test_docs_list_every_parameter_and_elasticity_set(calibration):
    from pathlib import Path

    from yenflow.scenario.parameters import ELASTICITY_SETS, parameter_table

    doc = (Path(__file__).resolve().parents[1] / "docs" / "scenario.md").read_text(encoding="utf-8")
    missing = [p.name for p in parameter_table(calibration) if f"`{p.name}`" not in doc]
    assert not missing, f"docs/scenario.md does not document {missing}"
    assert all(f"`{s.key}`" in doc for s in ELASTICITY_SETS)
