"""How fast the views answer, in process and from the command line.

    uv run python benchmarks/views.py [--home DIR] [--runs 5]

Builds a store from ../shared/data (or uses --home), then prints:

1. every view in process on a warm store: median time per run (target ≤ 150 ms);
2. the batched point-in-time read of a snapshot against reading the same
   series one by one with ``Store.get`` (ratio);
3. the CLI wall time of each read command against
   ``python -c "from yenflow.cli import app; import pandas, duckdb"`` (the CLI with every command defined, and
   the libraries every read needs), runs alternating (target ≤ 1.5×),
   and of ``carry --history`` and ``show jgb.10y --start 2000-01-01`` (target ≤ 1.5 s).

The CLI is timed with compiled bytecode (``compileall`` first, without
PYTHONDONTWRITEBYTECODE), as on users' machines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _store import ROOT, sample_home

#: (view, parameters) run in process; views needing an import are left out
IN_PROCESS = [
    ("monitor", {}), ("flows", {}), ("flows", {"weekly": False}), ("flows", {"reconcile": True}),
    ("investors", {}), ("jgb_buyers", {}), ("hedge", {}), ("hedge", {"side": "us", "bond_tenor": 5}),
    ("breakeven", {}), ("spreads", {}), ("carry", {}), ("cot", {}), ("auctions", {}), ("holdings", {}),
    ("series_values", {"series_ids": ("jgb.10y", "ust.par.10y", "fx.usdjpy")}), ("status", {}),
    ("catalog", {}), ("vintages", {"series_id": "fx.usdjpy"}),
]
CLI = [["monitor"], ["flows"], ["investors"], ["hedge"], ["breakeven"], ["spreads"], ["carry"], ["cot"],
       ["auctions"], ["holdings"], ["status"], ["series", "jgb"], ["show", "jgb.10y", "--start", "2024-01-01"]]
LONG = [["carry", "--history"], ["show", "jgb.10y", "--start", "2000-01-01"]]


def median_ms(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def in_process(home: Path, runs: int) -> None:
    from yenflow.store import Store
    from yenflow.views import registry

    print(f"\n1. views in process, warm, median of {runs} (target ≤ 150 ms)")
    with Store(home / "yenflow.duckdb", read_only=True) as store:
        registry.run(store, "monitor")  # warm imports and caches
        worst = 0.0
        for name, params in IN_PROCESS:
            ms = median_ms(lambda: registry.run(store, name, params), runs)
            worst = max(worst, ms)
            label = name + ("(" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")" if params else "")
            print(f"   {label:<60} {ms:8.1f} ms {'ok' if ms <= 150 else 'OVER'}")
        print(f"   slowest: {worst:.1f} ms")
        snapshot_vs_per_series(store, runs)


def snapshot_vs_per_series(store: object, runs: int) -> None:
    from yenflow.views.market import Market

    ids = [f"jgb.{t}y" for t in (2, 5, 10, 20, 30)] + [f"ust.par.{t}y" for t in (2, 5, 10, 20, 30)] + [
        f"ust.cmt.{t}y" for t in (2, 5, 10, 30)] + ["fx.usdjpy", "rate.sofr", "rate.jpy.3m_interbank"]
    batched = median_ms(lambda: [Market(store).load(ids)], runs)  # type: ignore[arg-type]
    one_by_one = median_ms(lambda: [store.get(i) for i in ids], runs)  # type: ignore[attr-defined]
    print(f"\n2. reading {len(ids)} series: one batched snapshot {batched:.1f} ms vs Store.get one by one "
          f"{one_by_one:.1f} ms = {one_by_one / batched:.1f}× faster")


def cli(home: Path, runs: int) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src"), *sys.path[1:]],
                   env=env, capture_output=True)

    def once(args: list[str]) -> float:
        t0 = time.perf_counter()
        subprocess.run(args, env=env, capture_output=True, check=True)
        return time.perf_counter() - t0

    reference = [sys.executable, "-c", "from yenflow.cli import app; import pandas, duckdb"]
    once(reference)  # warm the OS file cache

    def paired(args: list[str]) -> tuple[float, float]:
        """Medians of the command and of the reference, runs alternating so both see the same machine load
        (this machine's speed drifts by a third within minutes)."""
        ours, ref = [], []
        for _ in range(runs):
            ref.append(once(reference))
            ours.append(once(args))
        return statistics.median(ours), statistics.median(ref)

    print(f"\n3. CLI wall time against `python -c \"from yenflow.cli import app; import pandas, duckdb\"`, median of {runs} runs "
          "alternating with the reference (target ≤ 1.5×)")
    for args in CLI:
        t, base = paired([sys.executable, "-m", "yenflow", *args, "--home", str(home)])
        print(f"   yenflow {' '.join(args):<40} {t * 1000:7.0f} ms vs {base * 1000:4.0f} ms  {t / base:5.2f}× "
              f"{'ok' if t / base <= 1.5 else 'OVER'}")
    for args in LONG:
        t, _ = paired([sys.executable, "-m", "yenflow", *args, "--home", str(home)])
        print(f"   yenflow {' '.join(args):<40} {t * 1000:7.0f} ms  (target ≤ 1500 ms) {'ok' if t <= 1.5 else 'OVER'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, help="an existing yenflow home (default: build one from ../shared/data)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with sample_home(args.home) as home:
        in_process(home, args.runs)
        cli(home, args.runs)


if __name__ == "__main__":
    main()
