"""Ingest benchmark: full `update --from ../shared/data` of every registered
source, a no-change re-run, and a bare read of the same files as the
reference, all in this process; plus `yenflow --help` against
`python -c "import typer"` in subprocesses. Prints times, ratios and a
per-source breakdown.

The reference ("bare read") is what a reader library does with each file
before any parsing rule applies, without the store:

* CSV / TXT: DuckDB ``read_csv`` (all columns as text) into Python rows.
  cp932 files are transcoded to UTF-8 once, outside the timing (DuckDB has no
  Shift-JIS decoder built in).
* JSON: DuckDB ``read_json`` into Python rows.
* ZIP: each member re-compressed as gzip once, outside the timing, then DuckDB
  ``read_csv`` of the ``.gz`` (DuckDB decompresses inside the timing, as the
  ingest does; it cannot open zip archives without an extension).
* XLS / XLSX: python-calamine reading every sheet into Python rows (DuckDB
  reads Excel only through its ``excel`` extension, which cannot be installed
  offline; calamine is the reader the parsers use).

Also, as the user runs it: `yenflow update --from DATA --no-monitor` of every
source as a command (wall time, in subprocesses, best of 3 on fresh homes), then
the same command again with nothing changed. The venv and src are compiled
first (`python -m compileall`) and PYTHONDONTWRITEBYTECODE is unset for these
runs, so both pay the same start-up a user's machine does.

Run: uv run python benchmarks/ingest.py [--data ../shared/data] [--sources ...]
Also MOF's week.csv parsed alone against its bare read (CPU time, best of 5).
Targets: full ingest ≤ 2× bare read; re-run ≤ 5% of full ingest;
no-change CLI run ≤ 5% of the full CLI ingest; --help ≤ 1.5× import typer.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CSV = ("SELECT * FROM read_csv(?, header=false, all_varchar=true, null_padding=true, "
        "strict_mode=false, ignore_errors=true{})")


@dataclass
class RefFile:
    """One file as the reference reads it: ``kind`` 'csv' | 'json' | 'excel'."""

    source: str
    kind: str
    path: Path | None = None  # csv/json (a UTF-8 or .gz copy where needed)
    content: bytes = b""  # excel


def _files(sources: list[str], data: Path) -> dict[str, list["object"]]:
    """{source: [RawFile]} as the pipeline collects them (bundled files included)."""
    from yenflow.pipeline import collect_local
    from yenflow.sources import get_source

    out = {}
    for name in sources:
        source = get_source(name)
        out[name] = collect_local(source, data) + source.bundled()
    return out


def reference_files(files: dict[str, list["object"]], tmp: Path) -> list[RefFile]:
    """Prepare each raw file for the bare read (transcoding/recompressing outside the timing)."""
    out = []
    for source, raws in files.items():
        for i, rf in enumerate(raws):
            ext = rf.name.rsplit(".", 1)[-1].lower()
            stem = tmp / f"{source}_{i}_{rf.name}"
            if ext in ("xls", "xlsx"):
                out.append(RefFile(source, "excel", content=rf.content))
            elif ext == "json":
                stem.write_bytes(rf.content)
                out.append(RefFile(source, "json", stem))
            elif ext == "zip":
                with zipfile.ZipFile(io.BytesIO(rf.content)) as zf:
                    for j, member in enumerate(zf.namelist()):
                        gz = tmp / f"{source}_{i}_{j}.csv.gz"
                        gz.write_bytes(gzip.compress(zf.read(member), compresslevel=6))
                        out.append(RefFile(source, "csv", gz))
            else:
                try:
                    stem.write_text(rf.content.decode("utf-8"), encoding="utf-8")
                except UnicodeDecodeError:
                    stem.write_text(rf.content.decode("cp932"), encoding="utf-8")
                out.append(RefFile(source, "csv", stem))
    return out


def bare_read(refs: list[RefFile]) -> dict[str, float]:
    """Seconds per source for the reference read of its files."""
    import duckdb
    from python_calamine import CalamineWorkbook

    con = duckdb.connect()
    per_source: dict[str, float] = {}
    for ref in refs:
        t0 = time.perf_counter()
        if ref.kind == "excel":
            wb = CalamineWorkbook.from_filelike(io.BytesIO(ref.content))
            for sheet in wb.sheet_names:
                wb.get_sheet_by_name(sheet).to_python()
        elif ref.kind == "json":
            con.execute("SELECT * FROM read_json(?)", [str(ref.path)]).fetchall()
        else:
            try:
                con.execute(_CSV.format(""), [str(ref.path)]).fetchall()
            except duckdb.Error:  # quoted line breaks (week.csv) need the serial reader
                con.execute(_CSV.format(", parallel=false"), [str(ref.path)]).fetchall()
        per_source[ref.source] = per_source.get(ref.source, 0.0) + time.perf_counter() - t0
    return per_source


def ingest(sources: list[str], data: Path, home: Path) -> tuple[float, float, int, dict[str, float]]:
    from yenflow.pipeline import update
    from yenflow.store import Store

    store = Store(home / "yenflow.duckdb")
    t0 = time.perf_counter()
    results = update(store, sources, str(data))
    full = time.perf_counter() - t0
    bad = [r for r in results if not r.ok]
    if bad:
        sys.exit(f"ingest failed: {[(r.source, r.error) for r in bad]}")
    rows = sum(r.counts.new for r in results)
    per_source = {r.source: r.seconds for r in results}
    t0 = time.perf_counter()
    again = update(store, sources, str(data))
    rerun = time.perf_counter() - t0
    assert all(r.files_new == 0 for r in again), "re-run found new files"
    store.close()
    return full, rerun, rows, per_source


def _cmd_time(cmd: list[str], n: int = 7) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def compile_bytecode() -> None:
    """Compile src and the venv once, so timed commands load .pyc files."""
    import sysconfig

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for path in (ROOT / "src", Path(sysconfig.get_paths()["purelib"])):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(path)], env=env, capture_output=True, check=False)


def cli_update(data: Path, n: int = 3) -> tuple[float, float]:
    """Wall time of `yenflow update --from DATA --no-monitor` on a fresh home and,
    on the same home, of the same command with nothing new (best of ``n`` each)."""
    exe = str(Path(sys.executable).with_name("yenflow"))
    full, again = [], []
    for _ in range(n):
        with tempfile.TemporaryDirectory() as home:
            env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "YENFLOW_MIRROR")}
            env["YENFLOW_HOME"] = home
            cmd = [exe, "update", "--from", str(data), "--no-monitor"]
            t0 = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            full.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
            again.append(time.perf_counter() - t0)
            assert "nothing new" in out, out
    return min(full), min(again)


def weekly_parse(data: Path, refs: list[RefFile]) -> tuple[float, float]:
    """CPU seconds (best of 5) to parse MOF's week.csv into observations, and to bare-read the same file."""
    import duckdb

    from yenflow.sources.mof.securities_weekly import MofSecuritiesWeekly

    def cpu(fn: object) -> float:
        best = float("inf")
        for _ in range(5):
            t0 = time.process_time()
            fn()  # type: ignore[operator]
            best = min(best, time.process_time() - t0)
        return best

    raw = (data / "mof_securities_flows" / "week.csv").read_bytes()
    source = MofSecuritiesWeekly()
    source.parse(raw, "week.csv")  # warm-up
    parse = cpu(lambda: source.parse(raw, "week.csv"))
    ref = next(r for r in refs if r.source == "mof.securities_weekly")
    con = duckdb.connect()
    bare = cpu(lambda: con.execute(_CSV.format(", parallel=false"), [str(ref.path)]).fetchall())
    return parse, bare


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: min(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    from yenflow.sources import list_sources

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--sources", nargs="*", default=list_sources())
    ap.add_argument("--no-help-timing", action="store_true", help="skip the --help subprocess timings")
    args = ap.parse_args()
    # warm imports so the first measurement does not pay them
    import duckdb  # noqa: F401
    import pandas  # noqa: F401
    import python_calamine  # noqa: F401

    files = _files(args.sources, args.data)
    n_files = sum(len(v) for v in files.values())
    size = sum(len(rf.content) for v in files.values() for rf in v)
    with tempfile.TemporaryDirectory() as tmp:
        refs = reference_files(files, Path(tmp))
        bare_by_source = _best([bare_read(refs) for _ in range(3)])
        week_parse, week_bare = weekly_parse(args.data, refs) if "mof.securities_weekly" in args.sources else (0, 0)
    bare = sum(bare_by_source.values())
    runs = []
    for _ in range(3):  # best of 3, like the reference: the 2-core machine is noisy
        with tempfile.TemporaryDirectory() as home:
            runs.append(ingest(args.sources, args.data, Path(home)))
    full = min(r[0] for r in runs)
    rerun = min(r[1] for r in runs)
    worst = max(r[0] for r in runs)
    rows = runs[0][2]
    by_source = _best([r[3] for r in runs])
    compile_bytecode()
    cli_full, cli_again = cli_update(args.data)
    print("times: best of 3 runs each, in this process")
    print(f"sources: {len(args.sources)}, files: {n_files} ({size / 1e6:.1f} MB), observations stored: {rows:,}")
    print(f"{'source':28s} {'bare ms':>9s} {'ingest ms':>10s} {'ratio':>7s}")
    for name in args.sources:
        b, t = bare_by_source.get(name, 0.0), by_source.get(name, 0.0)
        ratio = f"{t / b:6.2f}×" if b > 0 else "     -"
        print(f"{name:28s} {b * 1000:9.1f} {t * 1000:10.1f} {ratio}")
    print(f"bare read (reference):           {bare * 1000:8.1f} ms")
    print(f"full ingest (update --from):      {full * 1000:8.1f} ms   ratio {full / bare:5.2f}× bare   "
          f"(worst run {worst / bare:4.2f}×; target ≤ 2×)")
    # DuckDB reads the wide CFTC files slowly (~5 MB/s), which flatters the total: show it without them
    rest = [n for n in args.sources if not n.startswith("cftc.")]
    rest_bare = sum(bare_by_source.get(n, 0.0) for n in rest)
    rest_ingest = sum(by_source.get(n, 0.0) for n in rest)
    if rest_bare > 0:
        print(f"  without cftc.*: bare {rest_bare * 1000:8.1f} ms, ingest {rest_ingest * 1000:8.1f} ms   "
              f"ratio {rest_ingest / rest_bare:5.2f}×")
    if week_bare:
        print(f"week.csv parse (CPU, best of 5):  {week_parse * 1000:8.1f} ms   vs bare read {week_bare * 1000:6.1f} ms   "
              f"ratio {week_parse / week_bare:5.2f}×")
    print(f"no-change re-run:                 {rerun * 1000:8.1f} ms   ratio {rerun / full:6.1%} of full (target ≤ 5%)")
    print("as commands (wall time, every source, best of 3, compiled bytecode):")
    print(f"yenflow update --from (full):     {cli_full * 1000:8.1f} ms")
    print(f"the same, nothing changed:        {cli_again * 1000:8.1f} ms   ratio {cli_again / cli_full:6.1%} of full (target ≤ 5%)")
    if not args.no_help_timing:
        exe = str(Path(sys.executable).with_name("yenflow"))
        help_t = _cmd_time([exe, "--help"])
        typer_t = _cmd_time([sys.executable, "-c", "import typer"])
        print(f"yenflow --help:                   {help_t * 1000:8.1f} ms")
        print(f"python -c 'import typer':         {typer_t * 1000:8.1f} ms   ratio {help_t / typer_t:5.2f}×   (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
