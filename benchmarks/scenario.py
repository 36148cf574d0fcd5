"""Scenario engine benchmark: paths × months per second, 100k paths × 120 months on the process pool,
the ratio against the plain Python loop over paths (same model, same draws), growth with paths and horizon,
and peak memory. Everything is timed in this process against a reference run in this process.

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


def _time_run(cal, paths: int, horizon: int, backend: str = "numpy", workers: int | None = None, repeat: int = 1) -> float:
    from yenflow.scenario import runners

    prep = _prep(cal, paths, horizon)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        runners.run(prep.job, paths, 1, backend, workers)
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


def _vector_kernel_time(cal, paths: int, horizon: int) -> float:
    import numpy as np

    from yenflow.scenario.model import simulate
    from yenflow.scenario.parameters import sample

    prep = _prep(cal, paths, horizon)
    rng = np.random.default_rng(1)
    p = sample(prep.params, dict(prep.job.weights), rng, paths)
    simulate(prep.job.start, prep.job.drivers, p, np.random.default_rng(2), prep.job.noise)  # warm-up
    t0 = time.perf_counter()
    simulate(prep.job.start, prep.job.drivers, p, rng, prep.job.noise)
    return time.perf_counter() - t0


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

    t_np = _time_run(cal, big, 120, repeat=2)
    t_pp = _time_run(cal, big, 120, "processes", args.workers, repeat=2)
    pm = big * 120
    print(f"\n{big:,} paths x 120 months (simulation + exact quantiles of 19 variables x 31 months)")
    print(f"  numpy, 1 process        : {t_np:6.2f} s   {pm / t_np / 1e6:6.2f} M path-months/s")
    print(f"  processes, {args.workers} workers    : {t_pp:6.2f} s   {pm / t_pp / 1e6:6.2f} M path-months/s"
          f"   speed-up {t_np / t_pp:.2f}x   (target <= 1 s on 2 cores)")

    n_loop, h_loop = (100, 36) if args.quick else (300, 120)
    t_loop = _loop_time(cal, n_loop, h_loop)
    t_vec = _vector_kernel_time(cal, 8192, h_loop)
    per_loop, per_vec = t_loop / (n_loop * h_loop), t_vec / (8192 * h_loop)
    print(f"\nplain Python loop over paths ({n_loop} paths x {h_loop} months, same model and draws): "
          f"{per_loop * 1e6:.1f} us per path-month")
    print(f"numpy over a block of 8,192 paths: {per_vec * 1e6:.3f} us per path-month"
          f"   ratio {per_loop / per_vec:,.0f}x   (target >= 50x)")

    print("\ngrowth (numpy, 1 process): time by paths at 36 months, and by horizon at "
          f"{big // 2:,} paths")
    for n in (big // 10, big // 4, big // 2, big):
        t = _time_run(cal, n, 36)
        print(f"  {n:>8,} paths x  36 m : {t:6.2f} s   {n * 36 / t / 1e6:5.2f} M path-months/s")
    for h in (12, 36, 60, 120):
        t = _time_run(cal, big // 2, h)
        print(f"  {big // 2:>8,} paths x {h:>3} m : {t:6.2f} s   {big // 2 * h / t / 1e6:5.2f} M path-months/s")

    tracemalloc.start()
    _time_run(cal, big, 120)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out_mb = 19 * 31 * big * 4 / 1e6
    print(f"\npeak traced memory, {big:,} x 120 numpy run: {peak / 1e6:,.0f} MB "
          f"(of which the float32 fan array {out_mb:,.0f} MB); process max RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
