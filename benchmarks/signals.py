"""How fast the point-in-time backtest is, against looping the view per date.

    uv run python benchmarks/signals.py [--home DIR] [--dates 20]

Builds a store from ../shared/data (or uses --home), then, in one process:

1. the reference: ``yenflow signals --date D --as-of D`` (a Market snapshot as
   of D, the whole signal computed for D) for ``--dates`` Fridays, the
   per-date cost, and what looping it over every Friday of the backtest would
   take;
2. ``yenflow backtest`` (every Friday since the composite starts, one pass:
   each input read once, each raw part computed once per revision epoch);
3. the ratio, and a check that both give the same composite on the sampled
   Fridays.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _store import sample_home


def run(home: Path, n_dates: int) -> None:
    import numpy as np

    from yenflow.store import Store
    from yenflow.views import registry

    with Store(home / "yenflow.duckdb", read_only=True) as store:
        registry.run(store, "signals", {})  # warm imports
        t0 = time.perf_counter()
        bt = registry.run(store, "backtest", {"horizon": ("1w", "4w", "13w")})
        vectorised = time.perf_counter() - t0
        weekly = bt.frame("signal").iloc[:, 0]
        sample = weekly.index[np.linspace(0, len(weekly) - 1, n_dates).astype(int)]
        t0 = time.perf_counter()
        alone = {}
        for d in sample:
            r = registry.run(store, "signals", {"date": d.date(), "as_of": d.date(), "last": 1})
            alone[d] = float(r.frame()["composite"].iloc[-1])
        per_date = (time.perf_counter() - t0) / len(sample)
    looped = per_date * len(weekly)
    diff = max(abs(alone[d] - weekly[d]) for d in sample)
    print(f"1. reference: the signals view as of each date, {per_date * 1000:.0f} ms a date ({len(sample)} Fridays "
          f"timed); over the backtest's {len(weekly)} Fridays: {looped:.1f} s")
    print(f"2. yenflow backtest, {len(weekly)} Fridays ({weekly.index[0]:%Y-%m-%d} to {weekly.index[-1]:%Y-%m-%d}), "
          f"3 horizons × 4 markets, 2,000 bootstrap resamples each: {vectorised:.2f} s")
    print(f"3. ratio: {looped / vectorised:.0f}× faster than looping the view; largest difference in the composite on "
          f"the sampled Fridays: {diff:.2e} ({'same' if diff < 1e-9 else 'DIFFERENT'})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, help="an existing yenflow home (default: build one from ../shared/data)")
    ap.add_argument("--dates", type=int, default=20, help="Fridays to time the per-date reference on")
    args = ap.parse_args()
    with sample_home(args.home) as home:
        run(home, args.dates)


if __name__ == "__main__":
    main()
