"""A plain `update --from DIR --no-monitor` with nothing changed since the last complete run is answered from
`<home>/update-manifest.json` without DuckDB, pandas or typer; any change (a file's bytes, the set of files,
the store, the options, the code), a failed or racy last run, or a broken manifest runs the normal path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from yenflow import update_manifest
from yenflow.update_manifest import NAME, NOT_REREAD, Stale

FILES = ("fred/2026_ytd/DGS10.csv", "fred/2026_ytd/DGS2.csv", "equities/nikkei_stock_average_daily_en.csv")
AGED = 2.1  # seconds after which copied files are no longer "racy" (ctime more than 2 s before a run)


def _copy(shared: Path, to: Path) -> Path:
    for rel in FILES:
        (to / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(shared / rel, to / rel)
    return to


@pytest.fixture(scope="module")
def folders(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies of a few small real files, made once and left to age past the racy window: `base` is only
    read; each test that edits files has its own."""
    root = tmp_path_factory.mktemp("data")
    out = {name: _copy(shared_data, root / name) for name in ("base", "changed", "added", "removed", "failed")}
    time.sleep(AGED)
    return out


def _update(folder: Path, home: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    """`yenflow update --from folder --home home --no-monitor [extra]` through the CLI's entry point."""
    from yenflow.cli import main

    with pytest.raises(SystemExit) as e:
        main(["update", "--from", str(folder), "--home", str(home), "--no-monitor", *extra])
    out = capsys.readouterr()
    return int(e.value.code or 0), out.out, out.err


def _fast(run: tuple[int, str, str]) -> bool:
    """Whether the run was answered from the manifest (and said "nothing new", exit 0)."""
    code, out, err = run
    if NOT_REREAD in out:
        assert code == 0 and "nothing new: every file was already in the store" in out
        assert err.splitlines()[-1].startswith("yenflow-update status=ok ")
        return True
    return False


def _stat(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


def _value(home: Path, series: str, day: str) -> float:
    import yenflow

    with yenflow.open(home) as store:
        return float(store.get(series).loc[day])


def test_a_second_run_with_nothing_changed_takes_the_fast_path(folders: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    first = _update(folders["base"], home, capsys)
    assert first[0] == 0 and not _fast(first) and (home / NAME).is_file()
    store, log = _stat(home / "yenflow.duckdb"), (home / "update-runs.jsonl").read_text().splitlines()
    code, out, err = again = _update(folders["base"], home, capsys)
    assert _fast(again)
    # what a normal run with nothing new prints: progress lines and the run line on stderr, the table on stdout
    assert "[1/26] mof.jgb_yields" in err and "[26/26] jpx.investor_types" in err
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:28]}
    assert rows["fred"][1:6] == ["ok", "0", "2", "0", "0"] and rows["nikkei.stock_average"][1:4] == ["ok", "0", "1"]
    assert rows["mof.jgb_yields"][1:3] == ["no", "files"]
    assert f"mof.jgb_yields: no files found under {folders['base']} for mof_jgb_yields/jgbcme_all.csv" in out
    assert "sources=26 ok=3 partial=0 failed=0 no_files=23 files_new=0 rows_new=0 rows_revised=0" in err
    # the run is logged like any other; the store is not touched
    now = (home / "update-runs.jsonl").read_text().splitlines()
    assert now[:-1] == log and len(now) == len(log) + 1
    rec = json.loads(now[-1])
    assert {k: rec[k] for k in ("status", "exit", "sources", "ok", "no_files", "files_new", "rows_new")} == \
        {"status": "ok", "exit": 0, "sources": 26, "ok": 3, "no_files": 23, "files_new": 0, "rows_new": 0}
    assert _stat(home / "yenflow.duckdb") == store


def test_the_fast_path_imports_neither_duckdb_nor_pandas(folders: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert _update(folders["base"], home, capsys)[0] == 0
    args = ["update", "--no-monitor", "--home", str(home), "--from", str(folders["base"])]  # any order
    # through main(): the CLI module is loaded, the store's libraries are not
    code = ("import sys\nfrom yenflow.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n"
            "    print('exit', e.code, [m for m in ('duckdb', 'pandas') if m in sys.modules])\n")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert NOT_REREAD in r.stdout and r.stdout.splitlines()[-1] == "exit 0 []", r.stdout + r.stderr
    # as the command: decided before typer and the views are imported
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "yenflow", *args], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and NOT_REREAD in r.stdout, r.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    assert "yenflow.update_manifest" in imported
    assert not {m for m in imported if m.split(".")[0] in ("duckdb", "pandas", "typer") or m.startswith("yenflow.views")}
    # the installed `yenflow` script (its entry point is yenflow.entry:main)
    script = Path(sys.executable).parent / "yenflow"
    r = subprocess.run([str(script), *args], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"})
    assert r.returncode == 0 and NOT_REREAD in r.stdout, r.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    assert "yenflow.entry" in imported and "yenflow.update_manifest" in imported
    assert not {m for m in imported if m.split(".")[0] in ("duckdb", "pandas", "typer", "rich")
                or m.startswith(("yenflow.views", "yenflow.cli"))}


def test_a_file_changed_with_its_size_and_mtime_kept_is_read_again(folders: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    home, data = tmp_path / "home", folders["changed"]
    assert _update(data, home, capsys)[0] == 0
    update_manifest.trusted(home, str(data))  # would take the fast path
    f = data / "fred/2026_ytd/DGS10.csv"
    before = f.stat()
    f.write_bytes(f.read_bytes().replace(b"2026-01-02,4.19", b"2026-01-02,4.29"))
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` / `cp -p` would: only ctime tells
    assert (f.stat().st_size, f.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    with pytest.raises(Stale, match="files changed: fred/2026_ytd/DGS10.csv"):
        update_manifest.trusted(home, str(data))
    run = _update(data, home, capsys)
    assert run[0] == 0 and not _fast(run) and "fred                        ok                1" in run[1]
    assert _value(home, "ust.cmt.10y", "2026-01-02") == 4.29


def test_an_added_file_is_read(folders: Path, shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home, data = tmp_path / "home", folders["added"]
    assert _update(data, home, capsys)[0] == 0
    update_manifest.trusted(home, str(data))
    shutil.copy2(shared_data / "fred/2026_ytd/DGS5.csv", data / "fred/2026_ytd/DGS5.csv")
    with pytest.raises(Stale, match="files changed: fred/2026_ytd/DGS5.csv"):
        update_manifest.trusted(home, str(data))
    run = _update(data, home, capsys)
    assert run[0] == 0 and not _fast(run)
    assert _value(home, "ust.cmt.5y", "2026-01-02") > 0


def test_a_removed_file_runs_the_normal_path(folders: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home, data = tmp_path / "home", folders["removed"]
    assert _update(data, home, capsys)[0] == 0
    update_manifest.trusted(home, str(data))
    (data / "fred/2026_ytd/DGS2.csv").unlink()
    with pytest.raises(Stale, match="files changed: fred/2026_ytd/DGS2.csv"):
        update_manifest.trusted(home, str(data))
    run = _update(data, home, capsys)
    assert run[0] == 0 and not _fast(run)
    assert "fred                        ok                0                1" in run[1]  # one file left, read again
    assert _fast(_update(data, home, capsys))


def test_another_write_to_the_store_runs_the_normal_path(folders: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from yenflow.cli import main

    home = tmp_path / "home"
    assert _update(folders["base"], home, capsys)[0] == 0
    mine = tmp_path / "basis.csv"
    mine.write_text("date,value\n2026-01-02,-30\n2026-01-05,-31\n")
    with pytest.raises(SystemExit) as e:
        main(["import", str(mine), "--series", "user.basis", "--unit", "bp", "--home", str(home)])
    assert e.value.code == 0
    capsys.readouterr()
    with pytest.raises(Stale, match="the store changed"):
        update_manifest.trusted(home, str(folders["base"]))
    run = _update(folders["base"], home, capsys)
    assert run[0] == 0 and not _fast(run) and "nothing new" in run[1]
    assert _fast(_update(folders["base"], home, capsys))  # recorded again by that normal run


def test_other_options_run_the_normal_path(folders: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert _update(folders["base"], home, capsys)[0] == 0
    shrink = _update(folders["base"], home, capsys, "--allow-shrink")  # not a plain run: the normal path
    assert shrink[0] == 0 and not _fast(shrink)
    with pytest.raises(Stale, match="other options"):  # and what it recorded stands only for itself
        update_manifest.trusted(home, str(folders["base"]))
    assert not _fast(_update(folders["base"], home, capsys))
    assert _fast(_update(folders["base"], home, capsys))


def test_a_failed_source_is_tried_again_on_every_run(folders: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    home, data = tmp_path / "home", folders["failed"]
    assert _update(data, home, capsys)[0] == 0 and (home / NAME).is_file()
    (data / "fred/2026_ytd/DGS10.csv").write_text("observation_date,DGS10\n2026-01-02,not a number\n")
    for _ in range(2):
        code, out, _ = _update(data, home, capsys)
        assert code == 1 and "fred                        FAILED" in out and NOT_REREAD not in out
        assert not (home / NAME).exists()


def test_an_edited_parser_runs_the_normal_path(folders: Path, tmp_path: Path) -> None:
    """yenflow run from a copy of its package (bytecode caches kept valid), one of whose parsers is edited."""
    import yenflow

    pkg = tmp_path / "pkg"
    shutil.copytree(Path(yenflow.__file__).parent, pkg / "yenflow", copy_function=shutil.copy2)
    env = {**os.environ, "PYTHONPATH": str(pkg)}
    env.pop("YENFLOW_MIRROR", None)
    home = tmp_path / "home"

    def run() -> subprocess.CompletedProcess[str]:
        r = subprocess.run([sys.executable, "-m", "yenflow", "update", "--from", str(folders["base"]), "--home",
                            str(home), "--no-monitor"], env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return r

    where = subprocess.run([sys.executable, "-c", "import yenflow; print(yenflow.__file__)"], env=env,
                           capture_output=True, text=True)
    assert where.stdout.strip() == str(pkg / "yenflow" / "__init__.py")
    run()
    assert NOT_REREAD in run().stdout
    parser = pkg / "yenflow" / "sources" / "fred" / "series.py"
    parser.write_text(parser.read_text() + "\n# edited\n")
    edited = run()
    assert NOT_REREAD not in edited.stdout and "nothing new" in edited.stdout
    assert NOT_REREAD in run().stdout


def test_a_file_modified_as_the_manifest_was_recorded_is_not_trusted(folders: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Git's racy rule: a file changed within 2 s before the run began (or later) proves nothing by its stat.
    The run's recorded start is moved instead of waiting on the clock, so a slow machine cannot shift the
    window."""
    home, data = tmp_path / "home", folders["base"]
    assert _update(data, home, capsys)[0] == 0
    update_manifest.trusted(home, str(data))  # aged files: trusted
    for offset_ns, racy in ((update_manifest.RACY_NS + 1, False),  # 2 s and a nanosecond later: safe
                            (update_manifest.RACY_NS, True),  # exactly 2 s: racy
                            (1, True), (-1, True)):  # just after the last change, or before it
        manifest = json.loads((home / NAME).read_text())  # the last run's (a normal run below records anew)
        changed = max(max(mtime, ctime) for _, mtime, ctime, _ in manifest["files"].values())
        (home / NAME).write_text(json.dumps({**manifest, "started_ns": changed + offset_ns}))
        if racy:
            with pytest.raises(Stale, match="racy: "):
                update_manifest.trusted(home, str(data))
            assert not _fast(_update(data, home, capsys))  # the normal run, which records a fresh manifest
        else:
            update_manifest.trusted(home, str(data))


def test_a_file_with_a_future_mtime_is_never_trusted(shared_data: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    home, data = tmp_path / "home", _copy(shared_data, tmp_path / "data")
    f = data / "fred/2026_ytd/DGS10.csv"
    os.utime(f, (time.time(), time.time() + 86_400))  # a clock a day ahead: later than any run's start
    time.sleep(AGED)  # every ctime (the copies', the utime's) ages out of the window: only that mtime is racy
    assert _update(data, home, capsys)[0] == 0 and (home / NAME).is_file()
    with pytest.raises(Stale, match="racy: fred/2026_ytd/DGS10.csv changed"):
        update_manifest.trusted(home, str(data))
    run = _update(data, home, capsys)
    assert run[0] == 0 and not _fast(run) and "nothing new" in run[1]


def test_a_corrupt_manifest_runs_the_normal_path(folders: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert _update(folders["base"], home, capsys)[0] == 0
    for broken in ("{not json", "[]", json.dumps({"format": 1}), ""):
        (home / NAME).write_text(broken)
        code, out, err = run = _update(folders["base"], home, capsys)
        assert code == 0 and not _fast(run) and "nothing new" in out and "Traceback" not in err
        assert _fast(_update(folders["base"], home, capsys))  # rewritten by the normal run


def test_a_link_under_the_folder_runs_the_normal_path(shared_data: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data = _copy(shared_data, tmp_path / "data")
    outside = tmp_path / "DGS5.csv"
    outside.write_text("observation_date,DGS5\n2026-01-02,3.70\n")
    (data / "fred/2026_ytd/DGS5.csv").symlink_to(outside)
    home = tmp_path / "home"
    for _ in range(2):  # the normal path names the link every time
        code, out, _ = run = _update(data, home, capsys)
        assert code == 0 and not _fast(run) and "skipped 1 link(s) leading outside" in out
        assert not (home / NAME).exists()


def test_a_concurrent_update_exits_75_as_before(folders: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from yenflow import runlog

    home = tmp_path / "home"
    assert _update(folders["base"], home, capsys)[0] == 0
    with runlog.run_lock(home):
        code, _, err = _update(folders["base"], home, capsys)
    assert code == runlog.EXIT_LOCKED and err.startswith("Error: another yenflow update is running")
    update_manifest.trusted(home, str(folders["base"]))
    assert _fast(_update(folders["base"], home, capsys))


def test_an_alerts_file_runs_the_normal_path(folders: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from yenflow.alerts import RULES_FILE

    assert update_manifest.ALERT_RULES == RULES_FILE
    home = tmp_path / "home"
    assert _update(folders["base"], home, capsys)[0] == 0
    args = ["update", "--from", str(folders["base"]), "--home", str(home), "--no-monitor"]
    (home / RULES_FILE).write_text("")
    assert update_manifest.fast_update(args) is None  # alerts are checked after every update
    (home / RULES_FILE).unlink()
    assert update_manifest.fast_update(args) == 0


@pytest.mark.parametrize("args, plain", [
    (["update", "--from", "D", "--no-monitor"], ("D", None)),
    (["update", "--no-answer", "--home=H", "--from=D"], ("D", "H")),
    (["update", "--from", "D"], None),  # the answer after the run needs the store
    (["update", "--from", "D", "--no-monitor", "fred"], None),
    (["update", "--from", "D", "--no-monitor", "--allow-shrink"], None),
    (["update", "--from", "D", "--from", "E", "--no-monitor"], None),
    (["update", "--from", "--no-monitor"], None),
    (["update", "--no-monitor"], None),
    (["show", "--from", "D", "--no-monitor"], None),
    ([], None),
])
def test_only_a_plain_update_from_a_folder_qualifies(args: list[str], plain: tuple[str, str | None] | None) -> None:
    assert update_manifest.plain_update(args) == plain
