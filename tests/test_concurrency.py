"""Several processes on one store (DuckDB: one writer or many readers): readers
wait for an update and then read; an update waits for readers; a notebook
session (`yenflow.open()`) and an update in another process coexist; reading
never creates a store. Real processes, the real `yenflow` command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import yenflow
from yenflow.errors import StoreError

SOURCES = ["fred"]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("YENFLOW_MIRROR",)}
    env.update(YENFLOW_HOME=str(home), **extra)
    return env


def _yenflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "yenflow", *args]


def _update(home: Path, shared: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(_yenflow("update", *SOURCES, "--from", str(shared), "--no-monitor"),
                            env=_env(home, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_readers_wait_for_an_update_then_read(shared_data: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    writer = _update(home, shared_data)
    while not (home / "yenflow.duckdb").exists() and writer.poll() is None:
        time.sleep(0.02)
    readers = [subprocess.run(_yenflow("series", "usdjpy", "-f", "csv"), env=_env(home), capture_output=True, text=True,
                              timeout=120) for _ in range(3)]
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    for r in readers:
        assert r.returncode == 0, r.stderr
        assert "fx.usdjpy" in r.stdout  # read after the update wrote it, or from a finished update
    waited = [r for r in readers if "waiting up to" in r.stderr]
    assert all("another process is updating" in r.stderr for r in waited)


@pytest.mark.slow
def test_an_update_waits_for_an_open_reader(shared_data: Path, tmp_path: Path) -> None:
    """No clock involved: the reader holds the store until the update has said it is waiting for it."""
    home = tmp_path / "home"
    assert subprocess.run(_yenflow("update", "nikkei.stock_average", "--from", str(shared_data), "--no-monitor"),
                          env=_env(home), capture_output=True, timeout=120).returncode == 0
    hold = ("import sys, yenflow\n"
            "with yenflow.open() as s:\n"
            "    s.sql('SELECT 1'); print('holding', flush=True); sys.stdin.readline()\n")
    reader = subprocess.Popen([sys.executable, "-c", hold], env=_env(home), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "holding"
    writer = _update(home, shared_data)
    seen = []
    for line in writer.stderr:  # ends (EOF) if the update finished without waiting: the assertion below fails
        seen.append(line)
        if "another process is reading" in line:
            break
    assert any("another process is reading" in line and "waiting up to 60s" in line for line in seen), seen
    assert writer.poll() is None  # still waiting while the reader holds the store
    reader.communicate("done\n", timeout=30)  # let go
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, "".join(seen) + err


@pytest.mark.slow
def test_a_bounded_wait_ends_with_one_clear_line(shared_data: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    subprocess.run(_yenflow("update", "nikkei.stock_average", "--from", str(shared_data), "--no-monitor"),
                   env=_env(home), capture_output=True, timeout=120)
    # holds the store until killed below, however long the reader takes to start
    hold = "import duckdb, sys\nc = duckdb.connect(sys.argv[1])\nprint('holding', flush=True)\nsys.stdin.readline()\n"
    writer = subprocess.Popen([sys.executable, "-c", hold, str(home / "yenflow.duckdb")], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "holding"
    r = subprocess.run(_yenflow("series", "nikkei"), env=_env(home, YENFLOW_LOCK_TIMEOUT="1"), capture_output=True,
                       text=True, timeout=60)
    writer.kill()
    writer.wait()
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("Error: the store ") and "is busy" in r.stderr


@pytest.mark.slow
def test_a_notebook_session_and_an_update_in_another_process_coexist(shared_data: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert subprocess.run(_yenflow("update", "nikkei.stock_average", "--from", str(shared_data), "--no-monitor"),
                          env=_env(home), capture_output=True, timeout=120).returncode == 0
    notebook = yenflow.open(home)  # read-only, kept open like a Jupyter session
    before = notebook.get("equity.nikkei225.close")
    writer = _update(home, shared_data)
    reads = 0
    while writer.poll() is None:  # keep reading while the update runs
        assert notebook.get("equity.nikkei225.close").equals(before)
        reads += 1
        time.sleep(0.05)
    assert writer.returncode == 0, writer.stderr.read()
    assert reads > 0
    assert notebook.get("fx.usdjpy").loc["2026-07-30"] == 159.47  # the update's data, read by the same session
    with pytest.raises(Exception):
        notebook.sql("CREATE TABLE x (a INT)")  # read-only by default


def test_reading_never_creates_a_store(tmp_path: Path) -> None:
    home = tmp_path / "typo"
    r = subprocess.run(_yenflow("show", "jgb.10y", "--home", str(home)), capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    assert r.stderr.startswith(f"Error: no yenflow store at {home / 'yenflow.duckdb'}")
    assert not home.exists()
    with pytest.raises(StoreError, match="no yenflow store"):
        yenflow.open(home)
    assert not home.exists()
