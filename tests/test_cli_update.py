"""`yenflow update` from the command line: usage errors are one line (exit 2), a
source with nothing to read says so, a partial source exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from yenflow.cli import app


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("YENFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("YENFLOW_MIRROR", raising=False)
    return tmp_path / "home"


def test_unknown_source_is_one_line_exit_2(home: Path) -> None:
    r = CliRunner().invoke(app, ["update", "nosuch"])
    assert r.exit_code == 2
    assert r.output.count("\n") == 1 and r.output.startswith("Error: unknown source 'nosuch'; known sources: mof.jgb_yields")
    assert not home.exists()  # nothing created, nothing updated


def test_missing_from_folder_is_one_line_exit_2(home: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["update", "--from", str(tmp_path / "nope")])
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert r.output.startswith(f"Error: --from {tmp_path / 'nope'}: no such folder")
    assert not home.exists()


def test_a_source_with_no_files_says_where_it_looked(home: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = CliRunner().invoke(app, ["update", "nikkei.stock_average", "--from", str(tmp_path / "empty"), "--no-monitor"])
    assert r.exit_code == 0
    assert "nikkei.stock_average  no files" in r.output
    assert (f"nikkei.stock_average: no files found under {tmp_path / 'empty'} for "
            "equities/nikkei_stock_average_daily_en.csv") in r.output
    assert "ok" not in r.output.split("\n")[2]


def test_nothing_new_is_short_and_says_so(home: Path, shared_data: Path) -> None:
    args = ["update", "nikkei.stock_average", "--from", str(shared_data), "--no-monitor"]
    assert CliRunner().invoke(app, args).exit_code == 0
    r = CliRunner().invoke(app, args)
    lines = r.output.splitlines()
    # the summary (header, rule, one source) and "nothing new" on stdout; the progress line and the run line
    # for monitoring on stderr
    assert r.exit_code == 0 and "nothing new: every file was already in the store" in lines
    assert "[1/1] nikkei.stock_average" in lines and any(x.startswith("yenflow-update status=ok") for x in lines)
    assert len(lines) == 6


def test_sources_says_which_fetch_online_and_from_where() -> None:
    r = CliRunner().invoke(app, ["sources", "-f", "csv"])
    assert r.exit_code == 0
    import csv
    import io

    rows = {row["source"]: row for row in csv.DictReader(io.StringIO(r.output))}
    assert rows["mof.bop_portfolio"]["fetches_online"].startswith("no: MOF publishes tables 6pi-1…5")
    assert rows["boj.flow_of_funds"]["official_urls"] == "https://www.boj.or.jp/en/statistics/sj/sjlong.xlsx"
    assert "resul{YYYYMMDD}.htm" in rows["mof.jgb_auction_pages"]["official_urls"]
    assert rows["imf.pip"]["fetches_online"].startswith("no: the IMF SDMX query")
    assert "J-Quants" in rows["jpx.investor_types"]["fetches_online"]
    folder_only = ("mof.bop_portfolio", "boj.policy_rate", "imf.pip", "jpx.investor_types")
    assert all(rows[s]["fetches_online"] == "yes" for s in rows if s not in folder_only)


def test_rebuild_on_a_missing_store_creates_nothing(home: Path) -> None:
    r = CliRunner().invoke(app, ["rebuild"])
    assert r.exit_code == 1 and r.output.startswith("Error: no yenflow store at") and not home.exists()
