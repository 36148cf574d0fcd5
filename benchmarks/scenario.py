"""Scenario engine benchmark: paths × months per second, 100k paths × 120 months on the process pool
with each engine (numpy, compiled), the ratio against the plain Python loop over paths (same model, same
draws), the quantile step alone, growth with paths and horizon, and peak memory. Everything is timed in this
process against a reference run in this process.

Run: uv run python benchmarks/scenario.py [--home DIR] [--workers 2] [--quick]
(without --home a temporary store is built from ../shared/data first, outside the timings).
Targets (scenario issue): 100k × 120 months ≤ 1 s on 2 cores; vectorised ≥ 50× the Python loop.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _calibration(home: str | None):
    from yenflow.pipeline import update
    from yenflow.scenario.calibration import calibrate
    from yenflow.store import Store

    if home is None:
        tmp = tempfile.mkdtemp(prefix="yenflow-bench-")
        with Store(Path(tmp) / "yenflow.duckdb") as store:
            update(store, mirror=str(ROOT.parent / "shared" / "data"))
        home = tmp
    with Store(Path(home) / "yenflow.duckdb", read_only=True) as store:
        t0 = time.perf_counter()
        cal = calibrate(store)
        return cal, time.perf_counter() - t0


def _prep(cal, paths: int, horizon: int):
    from yenflow.scenario import prepare
    from yenflow.scenario.presets import get

    return prepare(None, get("BOJ 1.5% / Fed 3%").with_(paths=paths, horizon_months=horizon), cal)


def _time_run(cal, paths: int, horizon: int, backend: str = "numpy", workers: int | None = None, repeat: int = 1,
              engine: str = "numpy") -> float:
    from yenflow.scenario import runners

    prep = _prep(cal, paths, horizon)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        runners.run(prep.job, paths, 1, backend, workers, engine=engine)
        best = min(best, time.perf_counter() - t0)
    return best


def _loop_time(cal, paths: int, horizon: int) -> float:
    import numpy as np

    from yenflow.scenario.parameters import sample
    from yenflow.scenario.reference import simulate_loop

    prep = _prep(cal, paths, horizon)
    rng = np.random.default_rng(1)
    p = sample(prep.params, dict(prep.job.weights), rng, paths)
    t0 = time.perf_counter()
    simulate_loop(prep.job.start, prep.job.drivers, p, rng, prep.job.noise)
    return time.perf_counter() - t0


def _kernel_time(cal, paths: int, horizon: int, simulate, repeat: int = 3) -> float:
    import numpy as np

    from yenflow.scenario.parameters import sample

    prep = _prep(cal, paths, horizon)
    rng = np.random.default_rng(1)
    p = sample(prep.params, dict(prep.job.weights), rng, paths)
    simulate(prep.job.start, prep.job.drivers, p, np.random.default_rng(2), prep.job.noise)  # warm-up
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        simulate(prep.job.start, prep.job.drivers, p, rng, prep.job.noise)
        best = min(best, time.perf_counter() - t0)
    return best


def _quantile_times(cal, paths: int, horizon: int) -> tuple[float, float, bool]:
    """The quantile step alone on one run's outputs: numpy partition vs the compiled selection (1 process)."""
    import numpy as np

    from yenflow.scenario import runners

    prep = _prep(cal, paths, horizon)
    raw = runners.run(prep.job, paths, 1, "processes", 2, keep_paths=True, engine="compiled")
    rows = raw.outputs.reshape(-1, paths)
    t0 = time.perf_counter()
    a = runners.quantile_rows(rows, engine="compiled")
    t_c = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = runners.quantile_rows(rows, engine="numpy")
    t_n = time.perf_counter() - t0
    return t_n, t_c, bool(np.array_equal(a, b))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", help="an existing yenflow home with a loaded store")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (for a smoke run)")
    args = ap.parse_args(argv)
    big = 20_000 if args.quick else 100_000
    cal, t_cal = _calibration(args.home)
    print(f"calibration from the store (fits included): {t_cal:.2f} s, start {cal.as_of}")
    _time_run(cal, 2_000, 12)  # warm-up: imports, scipy
    t0 = time.perf_counter()
    from yenflow.scenario import kernel

    kernel.warm()
    print(f"compiled engine: import numba and load the kernels (once per process; compiles on a cold cache): "
          f"{time.perf_counter() - t0:.2f} s")

    pm = big * 120
    print(f"\n{big:,} paths x 120 months (simulation + exact quantiles of 19 variables x 31 months)")
    for engine, backends in (("numpy", ("processes",)), ("compiled", ("processes", "threads"))):
        t_np = _time_run(cal, big, 120, repeat=2, engine=engine)
        print(f"  {engine:<8} {'1 process':<14}: {t_np:6.2f} s   {pm / t_np / 1e6:6.2f} M path-months/s")
        for backend in backends:
            t_pp = _time_run(cal, big, 120, backend, args.workers, repeat=3, engine=engine)
            target = "   (target <= 1 s on 2 cores)" if engine == "compiled" else ""
            print(f"  {engine:<8} {f'{backend} x {args.workers}':<14}: {t_pp:6.2f} s   {pm / t_pp / 1e6:6.2f} M path-months/s"
                  f"   speed-up {t_np / t_pp:.2f}x{target}")

    t_qn, t_qc, same = _quantile_times(cal, big, 120)
    print(f"\nquantile step alone (1 process, {19 * 31} rows of {big:,}): numpy partition {t_qn:.2f} s, "
          f"compiled selection {t_qc:.2f} s ({t_qn / t_qc:.1f}x), identical: {same}")

    n_loop, h_loop = (100, 36) if args.quick else (300, 120)
    t_loop = _loop_time(cal, n_loop, h_loop)
    from yenflow.scenario.model import simulate

    t_vec = _kernel_time(cal, 8192, h_loop, simulate)
    t_jit = _kernel_time(cal, 8192, h_loop, kernel.simulate)
    per_loop, per_vec, per_jit = t_loop / (n_loop * h_loop), t_vec / (8192 * h_loop), t_jit / (8192 * h_loop)
    print(f"\nplain Python loop over paths ({n_loop} paths x {h_loop} months, same model and draws): "
          f"{per_loop * 1e6:.1f} us per path-month")
    print(f"numpy over a block of 8,192 paths:    {per_vec * 1e9:5.0f} ns per path-month   ratio {per_loop / per_vec:,.0f}x"
          f"   (target >= 50x)")
    print(f"compiled over a block of 8,192 paths: {per_jit * 1e9:5.0f} ns per path-month   ratio {per_loop / per_jit:,.0f}x")

    print("\ngrowth (compiled engine, 1 process): time by paths at 36 months, and by horizon at "
          f"{big // 2:,} paths")
    for n in (big // 10, big // 4, big // 2, big):
        t = _time_run(cal, n, 36, engine="compiled")
        print(f"  {n:>8,} paths x  36 m : {t:6.2f} s   {n * 36 / t / 1e6:5.2f} M path-months/s")
    for h in (12, 36, 60, 120):
        t = _time_run(cal, big // 2, h, engine="compiled")
        print(f"  {big // 2:>8,} paths x {h:>3} m : {t:6.2f} s   {big // 2 * h / t / 1e6:5.2f} M path-months/s")

    tracemalloc.start()
    _time_run(cal, big, 120, engine="compiled")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out_mb = 19 * 31 * big * 4 / 1e6
    print(f"\npeak traced memory, {big:,} x 120 compiled run, 1 process: {peak / 1e6:,.0f} MB "
          f"(of which the float32 fan array {out_mb:,.0f} MB); process max RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
