"""Unattended updates: the run lock, the run log line, plain progress lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yenflow import runlog
from yenflow.cli import app


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("YENFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("YENFLOW_MIRROR", raising=False)
    return tmp_path / "home"


def test_a_run_logs_one_line_and_a_json_record(home: Path, shared_data: Path) -> None:
    r = CliRunner().invoke(app, ["update", "nikkei.stock_average", "--from", str(shared_data), "--no-answer"])
    assert r.exit_code == 0, r.output
    # not a terminal: one plain line per finished source, then the summary, then the run line
    assert "[1/1] nikkei.stock_average" in r.output
    line = [x for x in r.output.splitlines() if x.startswith("yenflow-update ")][-1]
    assert "status=ok sources=1 ok=1 partial=0 failed=0" in line and line.endswith("exit=0")
    rec = json.loads((home / "update-runs.jsonl").read_text().splitlines()[-1])
    # equities/nikkei_stock_average_daily_en.csv: 861 days × 4 fields (open, high, low, close)
    assert rec["status"] == "ok" and rec["files_new"] == 1 and rec["rows_new"] == 3444


def test_a_second_run_while_one_holds_the_lock_exits_75(home: Path, shared_data: Path) -> None:
    with runlog.run_lock(home):
        r = CliRunner().invoke(app, ["update", "nikkei.stock_average", "--from", str(shared_data)])
    assert r.exit_code == runlog.EXIT_LOCKED == 75
    assert r.output.startswith("Error: another yenflow update is running (pid ") and len(r.output.splitlines()) == 1
    # the lock is free again: the next run goes ahead
    r = CliRunner().invoke(app, ["update", "nikkei.stock_average", "--from", str(shared_data), "--no-answer"])
    assert r.exit_code == 0, r.output


def test_the_store_records_which_yenflow_parsed_each_file(home: Path, shared_data: Path) -> None:
    import yenflow
    from yenflow.store import Store

    r = CliRunner().invoke(app, ["update", "nikkei.stock_average", "--from", str(shared_data), "--no-answer"])
    assert r.exit_code == 0, r.output
    with Store(home / "yenflow.duckdb", read_only=True) as store:
        versions = store.sql("SELECT DISTINCT yenflow_version FROM ingests UNION SELECT DISTINCT yenflow_version "
                             "FROM update_log")["yenflow_version"].tolist()
    assert versions == [yenflow.__version__]
