"""CLI on a temporary home with the test sources: exit codes and exact output."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yenflow.cli import app

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("yenflow.sources.SOURCES", {"fake.a": "fakes:FakeSource", "fake.b": "fakes:FakeSourceB"})
    monkeypatch.setenv("YENFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("YENFLOW_MIRROR", raising=False)
    data = tmp_path / "data" / "fake"
    data.mkdir(parents=True)
    (data / "a.csv").write_text("date,a.x,a.y\n2024-01-01,1.25,-\n2024-01-02,2.5,7\n")
    (data / "b.csv").write_text("date,b.x\n2024-01-01,5\n")
    return tmp_path


def _update(home: Path, *extra: str) -> object:
    return runner.invoke(app, ["update", "--from", str(home / "data"), "--no-monitor", *extra])


def test_update_summary_and_second_run(home: Path) -> None:
    r = _update(home)
    assert r.exit_code == 0, r.output
    assert "fake.a" in r.output and "ok" in r.output
    r2 = _update(home)
    assert r2.exit_code == 0
    assert "nothing new" in r2.output


def test_update_exit_1_when_a_source_fails(home: Path) -> None:
    (home / "data" / "fake" / "b.csv").write_text("date,b.x\n2024-01-01,abc\n")
    r = _update(home)
    assert r.exit_code == 1
    assert "FAILED" in r.output and "b.csv, row 2: expected a number; found 'abc'" in r.output


def test_show_csv_and_json(home: Path) -> None:
    _update(home)
    r = runner.invoke(app, ["show", "a.x", "a.y", "--format", "csv"])
    assert r.exit_code == 0
    assert r.output == "ref_date,a.x,a.y\n2024-01-01,1.25,\n2024-01-02,2.5,7\n"  # as the file prints it
    r = runner.invoke(app, ["show", "a.x", "--start", "2024-01-02", "--format", "json"])
    out = json.loads(r.output)
    assert out["view"] == "series_values" and out["params"]["start"] == "2024-01-02"
    assert out["tables"][0]["rows"] == [{"ref_date": "2024-01-02", "a.x": 2.5}]
    assert out["tables"][0]["units"] == {"ref_date": "date", "a.x": "%"}
    assert [i["series_id"] for i in out["inputs"]] == ["a.x"] and out["inputs"][0]["last_date"] == "2024-01-02"


def test_show_table_has_units(home: Path) -> None:
    _update(home)
    r = runner.invoke(app, ["show", "a.x"])
    header = r.output.splitlines()
    assert any("a.x" in line for line in header) and any(line.strip("│┃ ").endswith("%") for line in header)
    assert "1.25" in r.output


def test_unknown_series_is_error(home: Path) -> None:
    _update(home)
    r = runner.invoke(app, ["show", "nope"])
    assert r.exit_code == 1
    assert "Error: unknown series 'nope'; run `yenflow series` to list the catalog" in r.output


def test_series_status_export(home: Path, tmp_path: Path) -> None:
    _update(home)
    r = runner.invoke(app, ["series", "a.", "--format", "csv"])
    assert r.exit_code == 0 and r.output.splitlines()[1].startswith("a.x,Fake a.x,%,daily,2024-01-01,2024-01-02,2,fake.a")
    r = runner.invoke(app, ["status", "--format", "json"])
    st = {row["source"]: row for row in json.loads(r.output)["tables"][0]["rows"]}
    assert st["fake.a"]["rows"] == 3 and st["fake.a"]["stale"] == "STALE"
    out = tmp_path / "x.parquet"
    r = runner.invoke(app, ["export", "a.x", "b.x", "-o", str(out), "-f", "parquet"])
    assert r.exit_code == 0
    df = pd.read_parquet(out)
    assert df.loc["2024-01-01", "b.x"] == 5.0
    out2 = tmp_path / "x.csv"
    runner.invoke(app, ["export", "a.x", "-o", str(out2), "--long"])
    assert pd.read_csv(out2).columns.tolist()[:3] == ["series_id", "ref_date", "value"]


def test_vintages_and_as_of(home: Path) -> None:
    _update(home)
    (home / "data" / "fake" / "a2.csv").write_text("date,a.x\n2024-01-02,2.75\n2024-01-03,3\n")
    _update(home)
    r = runner.invoke(app, ["vintages", "a.x", "--date", "2024-01-02", "--format", "csv"])
    lines = r.output.strip().splitlines()
    assert lines[0].split(",")[:2] == ["ref_date", "value"]
    assert len(lines) == 3 and lines[1].split(",")[1] == "2.5" and lines[2].split(",")[1] == "2.75"
    first_seen = lines[1].split(",")[4]
    r = runner.invoke(app, ["show", "a.x", "--as-of", first_seen, "--format", "csv"])
    assert r.output == "ref_date,a.x\n2024-01-01,1.25\n2024-01-02,2.5\n"


def test_import_command(home: Path, tmp_path: Path) -> None:
    f = tmp_path / "basis.csv"
    f.write_text("Date,USDJPY 3M basis\n2026-01-02,-21.5\n2026-01-05,-22\n")
    r = runner.invoke(app, ["import", str(f), "--series", "user.basis.3m", "--unit", "bp", "--source", "test"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["show", "user.basis.3m", "--format", "csv"])
    assert r.output == "ref_date,user.basis.3m\n2026-01-02,-21.5\n2026-01-05,-22\n"


def test_help_lists_commands() -> None:
    r = runner.invoke(app, ["--help"])
    for cmd in ["update", "status", "series", "show", "export", "import", "monitor", "rebuild", "vintages"]:
        assert cmd in r.output


def test_release_calendar_staleness() -> None:
    import pandas as pd

    from yenflow.release_calendar import is_stale, next_release

    # MOF weekly: week ending Sat 2026-09-12 → next week ends 09-19, released Thursday 09-24
    assert next_release("mof.securities_weekly", pd.Timestamp("2026-09-12")) == pd.Timestamp("2026-09-24")
    assert not is_stale("mof.securities_weekly", pd.Timestamp("2026-09-12"), pd.Timestamp("2026-09-28"))
    assert is_stale("mof.securities_weekly", pd.Timestamp("2026-09-12"), pd.Timestamp("2026-09-29"))
    # CFTC: Tuesday 2026-08-04 positions → next Tuesday 08-11, released Friday 08-14
    assert next_release("cftc.tff", pd.Timestamp("2026-08-04")) == pd.Timestamp("2026-08-14")
    # MOF JGB: Friday 2026-06-26 → next business day Monday 06-29, released Tuesday 06-30
    assert next_release("mof.jgb_yields", pd.Timestamp("2026-06-26")) == pd.Timestamp("2026-06-30")
    assert is_stale("user:whatever", None, pd.Timestamp("2026-01-01")) is None


def test_view_commands_parse_options_without_pydantic(tmp_path: Path) -> None:
    """The view commands hand their options to the views as text (the views validate them), so a read
    command never imports pydantic, which typer's own coercion would (~0.1 s of every command's start-up)."""
    import subprocess
    import sys

    code = ("import sys, yenflow.cli\n"
            "sys.argv = ['yenflow', 'scenario', 'presets', '--format', 'json', '--home', sys.argv[1]]\n"
            "try:\n    yenflow.cli.main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print('pydantic' in sys.modules, code, file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.stderr.strip().splitlines()[-1] == "False 0", r.stderr
    assert json.loads(r.stdout)["view"] == "scenario_presets"
    bad = subprocess.run([sys.executable, "-m", "yenflow", "flows", "--last", "0", "--home", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.strip() == "Error: --last: 0 is below the minimum 1 (allowed: 1 to 5000)"


def test_help_lists_the_view_commands_without_importing_a_view() -> None:
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "yenflow", "--help"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and "scenario" in r.stdout and "flows" in r.stdout, r.stderr[-500:]
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    assert "yenflow.cli_index" in imported
    assert not {m for m in imported if m.startswith("yenflow.views.") and m not in ("yenflow.views.params",)}, \
        sorted(m for m in imported if m.startswith("yenflow.views"))
