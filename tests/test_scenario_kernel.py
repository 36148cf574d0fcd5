"""The compiled engine: the same model as the numpy one (same draws, same numbers to float32 rounding), exact
quantiles, and the engine choice."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from yenflow.scenario import kernel, prepare, run_prepared, runners
from yenflow.scenario.inputs import ScenarioError
from yenflow.scenario.model import VARIABLE_INDEX, VARIABLES, simulate
from yenflow.scenario.parameters import sample
from yenflow.scenario.presets import get

AS_OF = date(2026, 6, 30)
# one worker runs these: on a cold numba cache (a clean clone) the kernels compile once, not once per worker
pytestmark = pytest.mark.xdist_group("compiled_engine")


@pytest.fixture(scope="module")
def calibration(real_store):
    from yenflow.scenario.calibration import calibrate

    return calibrate(real_store, AS_OF)


def _both(real_store, calibration, inputs, n=600, seed=5):
    """Both engines on the same parameters and the same generator state; the compiled one writes into a strided
    slice of a larger array, as the runners do."""
    prep = prepare(real_store, inputs, calibration)
    j = prep.job
    rng = np.random.default_rng(seed)
    p = sample(prep.params, dict(j.weights), rng, n)
    state = rng.bit_generator.state
    lows_np: dict = {}
    a = simulate(j.start, j.drivers, p, rng, j.noise, lows_np)
    rng = np.random.default_rng(0)
    rng.bit_generator.state = state
    buf = np.full((len(VARIABLES), len(j.drivers.record), n + 7), np.nan, np.float32)
    lows_c: dict = {}
    b = kernel.simulate(j.start, j.drivers, p, rng, j.noise, lows_c, out=buf[:, :, 3:n + 3])
    return a, b, buf, lows_np, lows_c


@pytest.mark.parametrize("preset, changes", [
    ("BOJ 1.5% / Fed 3%", {"horizon_months": 60}),
    ("August-2024-style carry unwind", {"horizon_months": 24}),  # volatility jumps, carry unwinds
    ("disorderly repatriation", {"horizon_months": 24}),  # forced sales: the shock branch
    ("baseline", {"horizon_months": 12, "noise": 0.0}),
])
def test_compiled_engine_gives_the_numpy_models_numbers(real_store, calibration, preset, changes):
    a, b, buf, lows_np, lows_c = _both(real_store, calibration, get(preset).with_(**changes))
    # float64 inside both; the float32 outputs agree to their own rounding (in practice bit for bit)
    np.testing.assert_allclose(b, a, rtol=2e-6, atol=1e-9)
    assert np.isnan(buf[:, :, :3]).all() and np.isnan(buf[:, :, -4:]).all()  # wrote its slice only
    assert set(lows_c) == set(lows_np)
    for name in lows_np:
        assert lows_c[name] == pytest.approx(lows_np[name], rel=1e-9, abs=1e-12), name


def test_compiled_engine_keeps_the_invariants_under_forced_sales_beyond_holdings(real_store, calibration):
    from yenflow.scenario.parameters import SECTORS

    inputs = get("disorderly repatriation").with_(shock_tn=tuple((f"+{m}m", 150.0) for m in range(1, 13)),
                                                  horizon_months=24)
    _, out, _, _, lows = _both(real_store, calibration, inputs, n=400)
    for name, low in lows.items():
        assert low >= -1e-9, f"{name} went negative: {low}"
    held = sum(calibration.sectors[k][1] for k in SECTORS)
    assert out[VARIABLE_INDEX["repatriation_jpy.total"], -1].max() <= held + 1e-6


def test_counting_selection_gives_numpys_quantiles_on_awkward_rows():
    rng = np.random.default_rng(1)
    n = 20_001
    rows = rng.standard_normal((9, n)).astype(np.float32)
    rows[0] = 5.0  # constant
    rows[1, : n // 2] = 0.0  # half ties
    rows[2] = np.round(rows[2])  # a handful of distinct values
    rows[3] *= np.float32(1e30)  # huge range
    rows[4] = np.exp(rows[4] * 10).astype(np.float32)  # heavy tail: most values in the first bucket
    rows[5, ::2] = -np.inf
    rows[6] = np.float32(1e-40) * rng.standard_normal(n)  # subnormals
    rows[7, ::10] = np.nan  # numpy sorts NaN last: the lower quantiles stay defined, q95 is NaN
    got = kernel.quantiles(rows, runners.QUANTILES)
    with np.errstate(invalid="ignore"):  # numpy's own interpolation meets -inf − -inf
        want = runners.quantile_rows(rows, runners.QUANTILES)
    assert np.array_equal(got, want, equal_nan=True)
    finite = [0, 1, 2, 3, 4, 6, 8]
    np.testing.assert_array_equal(got[finite], np.quantile(rows[finite].astype(np.float64), runners.QUANTILES,
                                                           axis=1).T)
    assert np.isnan(got[7, -1]) and not np.isnan(got[7, 0])
    with pytest.raises(TypeError, match="float32"):
        kernel.quantiles(rows.astype(np.float64), runners.QUANTILES)


def test_engine_and_backend_choice(real_store, calibration):
    assert runners.choose_engine("numpy", 10**6, 120, 31) == "numpy"
    assert runners.choose_engine("compiled", 10, 1, 1) == "compiled"
    kernel.warm()  # loaded in this process: auto uses it from modest sizes
    assert runners.choose_engine("auto", 100_000, 120, 31, workers=2) == "compiled"
    assert runners.choose_engine("auto", 10_000, 36, 20) == "compiled"
    with pytest.raises(ScenarioError, match="engine 'jit' is unknown; choose one of auto, compiled, numpy"):
        runners.choose_engine("jit", 10, 1, 1)
    # auto backend: threads for the compiled engine from four blocks on several cores (its kernels release the
    # GIL), one process below that (with the compiled engine, loaded in this process)
    job = prepare(real_store, get("baseline").with_(horizon_months=36), calibration).job
    big = runners.run(job, 4 * runners.BLOCK_SIZE, 1, "auto", workers=2)
    assert (big.backend, big.engine, big.workers) == ("threads", "compiled", 2)
    small = runners.run(job, 1_000, 1, "auto", workers=2)
    assert (small.backend, small.engine) == ("numpy", "compiled")


def test_auto_engine_waits_for_a_large_run_before_loading_numba(monkeypatch):
    import sys

    monkeypatch.setattr(sys.modules["yenflow.scenario.kernel"], "loaded", False)
    # the CLI default (10,000 paths × 36 months, 20 fan months): ~0.15 s on numpy, not worth the ~0.6 s load
    assert runners.choose_engine("auto", 10_000, 36, 20) == "numpy"
    assert runners.choose_engine("auto", 100_000, 36, 20, workers=2) == "compiled"
    assert runners.choose_engine("auto", 100_000, 120, 31, workers=2) == "compiled"
    monkeypatch.setattr(runners, "numba_installed", lambda: False)
    assert runners.choose_engine("auto", 100_000, 120, 31, workers=2) == "numpy"
    with pytest.raises(ScenarioError, match="needs numba"):
        runners.choose_engine("compiled", 10, 1, 1)


@pytest.mark.slow
def test_same_seed_same_numbers_whatever_the_engine_backend_or_workers(real_store, calibration):
    inputs = get("BOJ 1.5% / Fed 3%").with_(paths=20_000, horizon_months=24, seed=42)
    prep = prepare(real_store, inputs, calibration)
    ref = run_prepared(prep, "numpy", keep_raw=True, engine="numpy")
    runs = [run_prepared(prep, "numpy", keep_raw=True, engine="compiled")]
    runs += [run_prepared(prep, backend, workers=w, keep_raw=True, engine="compiled")
             for backend in ("threads", "processes") for w in (1, 2)]
    assert [r.run["engine"] for r in runs] == ["compiled"] * 5 and ref.run["engine"] == "numpy"
    assert [r.run["backend"] for r in runs] == ["numpy", "threads", "threads", "processes", "processes"]
    for r in runs:
        np.testing.assert_allclose(r.raw.outputs, ref.raw.outputs, rtol=2e-6, atol=1e-9)
        np.testing.assert_allclose(r.raw.quantiles, ref.raw.quantiles, rtol=2e-6, atol=1e-9)
        assert np.array_equal(r.raw.outputs, runs[0].raw.outputs)  # within the engine: bit for bit
        assert np.array_equal(r.raw.quantiles, runs[0].raw.quantiles)
        assert r.sensitivity["parameter"].equals(ref.sensitivity["parameter"])
