"""BOJ flat files: what storing them costs, and why the flow of funds is a selection.

Ingests, into fresh stores and in this process: (1) the balance-of-payments
flat files (``boj.bop_flat``: bp_m_en.zip, regbp_q_en.zip, their selected
series), (2) the flow of funds flat file as yenflow stores it (``boj.fof_flat``,
the external-position selection), and (3) the same fof2_en.zip with **every**
one of its 17,562 series (quarterly and fiscal-year CSVs), each as
``boj.flat.<code>``. Reference: DuckDB's bare ``read_csv`` of the CSVs inside
the zips (unzipped once, outside the timing). Prints seconds, observations,
store growth and ratios.

Run: uv run python benchmarks/flat_files.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def bare_read(paths: list[Path]) -> float:
    import duckdb

    con = duckdb.connect()
    t0 = time.perf_counter()
    for p in paths:
        con.execute("SELECT * FROM read_csv(?, header=false, all_varchar=true, null_padding=true)", [str(p)]).fetchall()
    return time.perf_counter() - t0


class _AllFof:
    """boj.fof_flat, but storing every series of fof2_en.zip (the alternative measured here)."""

    def __init__(self) -> None:
        from yenflow.sources.boj.fof_flat import BojFofFlat

        self.base = BojFofFlat()
        self.name, self.files, self.version = "bench.fof_all", self.base.files, 1

    def bundled(self) -> list[Any]:
        return []

    def parse(self, raw: bytes, filename: str) -> Any:
        from yenflow.sources.boj.other_flat import _infos
        from yenflow.sources.boj import flat_file as ff
        from yenflow.sources.base import Parsed
        import pandas as pd

        frames, infos = [], []
        for t in ff.read_flat_file(raw, filename, self.name):
            ids = [f"boj.flat.{c.lower()}{'.fy' if t.frequency == 'annual' else ''}" for c in t.codes]
            frames.append(ff.observations(t, [ff.Pick(i, s, stock=True) for i, s in enumerate(ids)]))
            infos += _infos(t, ids)
        return Parsed(pd.concat(frames, ignore_index=True), infos)


def run(source: Any, data: Path) -> tuple[float, int, int]:
    """(seconds, observations, store bytes) of one update --from into a fresh store."""
    from yenflow.pipeline import collect_local, ingest
    from yenflow.store import Store

    with tempfile.TemporaryDirectory() as home:
        path = Path(home) / "yenflow.duckdb"
        store = Store(path)
        raws = collect_local(source, data)
        t0 = time.perf_counter()
        result = ingest(store, source, raws)
        seconds = time.perf_counter() - t0
        store.con.execute("CHECKPOINT")
        store.close()
        return seconds, result.counts.new, path.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    import duckdb  # noqa: F401  (warm imports)
    import pandas  # noqa: F401

    from yenflow.sources.boj.bop_flat import BojBopFlat
    from yenflow.sources.boj.fof_flat import BojFofFlat

    zips = {"bop": [args.data / "boj/bop/bp_m_en.zip", args.data / "boj/bop/regbp_q_en.zip"],
            "fof": [args.data / "boj/flow_of_funds/fof2_en.zip"]}
    with tempfile.TemporaryDirectory() as tmp:
        csvs: dict[str, list[Path]] = {}
        for key, paths in zips.items():
            csvs[key] = []
            for z in paths:
                with zipfile.ZipFile(z) as archive:
                    for member in archive.namelist():
                        out = Path(tmp) / member
                        out.write_bytes(archive.read(member))
                        csvs[key].append(out)
        bare = {k: min(bare_read(v) for _ in range(3)) for k, v in csvs.items()}
    empty = run_empty()
    rows = [("boj.bop_flat (selection)", "bop", BojBopFlat()), ("boj.fof_flat (selection)", "fof", BojFofFlat()),
            ("fof2_en.zip, every series", "fof", _AllFof())]
    print("best of 3 per line; store growth = file size after CHECKPOINT minus an empty store's")
    print(f"{'what':30} {'seconds':>8} {'× bare read':>11} {'observations':>13} {'store MB':>9}")
    for label, key, source in rows:
        best = min((run(source, args.data) for _ in range(3)), key=lambda r: r[0])
        print(f"{label:30} {best[0]:8.2f} {best[0] / bare[key]:11.1f} {best[1]:13,} {(best[2] - empty) / 1e6:9.1f}")
    print(f"bare DuckDB read_csv of the CSVs: BoP {bare['bop']:.2f} s, FoF {bare['fof']:.2f} s")


def run_empty() -> int:
    from yenflow.store import Store

    with tempfile.TemporaryDirectory() as home:
        path = Path(home) / "yenflow.duckdb"
        Store(path).close()
        return path.stat().st_size


if __name__ == "__main__":
    main()
