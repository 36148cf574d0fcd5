"""`yenflow scenario run` and `yenflow scenario presets`: the JSON shape, the starting state as of the start
date, identical results across backends, and one-line errors for bad options."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from yenflow.cli import app

runner = CliRunner()
BOJ_FED = "BOJ 1.5% / Fed 3%"


def _run(real_store, *args: str):
    return runner.invoke(app, ["scenario", *args, "--home", str(real_store.path.parent)])


def test_presets_lists_the_builtins_then_the_users(real_store, tmp_path):
    r = _run(real_store, "presets", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)["tables"][0]["rows"]
    assert [row["preset"] for row in rows] == ["baseline", BOJ_FED, "August-2024-style carry unwind",
                                               "disorderly repatriation"]
    assert rows[1]["boj"] == "+3m:1.25, +6m:1.5" and rows[1]["fed"] == "+3m:3.375, +6m:3.125, +9m:3.0"
    f = tmp_path / "mine.toml"
    f.write_text('[presets."hike to 2"]\ndescription = "BOJ to 2%"\nboj = [["+6m", 2.0]]\n', encoding="utf-8")
    r = _run(real_store, "presets", "--presets", str(f), "--format", "json")
    rows = json.loads(r.output)["tables"][0]["rows"]
    assert rows[-1] == {"preset": "hike to 2", "origin": "user", "boj": "+6m:2.0", "fed": "held", "basis_bp": "held",
                        "vol": "normal", "shock_tn": "none", "description": "BOJ to 2%"}


def test_run_returns_the_view_layer_result_with_the_start_as_known_then(real_store, shared_data):
    r = _run(real_store, "run", "--preset", BOJ_FED, "--paths", "3000", "--horizon", "12m", "--as-of", "2026-06-30",
             "--seed", "7", "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["view"] == "scenario_run" and out["as_of"].startswith("2026-06-30")
    assert [t["name"] for t in out["tables"]] == ["horizon", "fan", "sensitivity", "fits", "starting_values", "run"]
    tables = {t["name"]: t for t in out["tables"]}
    horizon = {row["variable"]: row for row in tables["horizon"]["rows"]}
    # FRED H.10 is published two business days late: on Tuesday 2026-06-30 the latest known noon rate is
    # Friday 2026-06-26's 161.67 (fred/DEXJPUS_2025-12_2026-09.csv), not 2026-06-30's 162.61
    with open(shared_data / "fred" / "DEXJPUS_2025-12_2026-09.csv", newline="") as fh:
        fx = {row["observation_date"]: row["DEXJPUS"] for row in csv.DictReader(fh)}
    assert horizon["usdjpy"]["start"] == float(fx["2026-06-26"]) == 161.67
    start = {row["input"]: row for row in tables["starting_values"]["rows"]}
    assert start["USD/JPY"]["ref_date"] == "2026-06-26" and start["USD/JPY"]["source"] == "fx.usdjpy"
    assert start["BOJ policy rate"]["value"] == 1.0 and start["BOJ policy rate"]["ref_date"] == "2026-06-17"
    assert tables["horizon"]["units"]["unit"] == "text" and horizon["ust10_change"]["unit"] == "bp"
    assert {row["month"] for row in tables["fan"]["rows"]} == {1, 3, 6, 12}
    assert any(i["series_id"] == "fx.usdjpy" for i in out["inputs"])
    assert any("basis" in w for w in out["warnings"])
    settings = {row["setting"]: row["value"] for row in tables["run"]["rows"]}
    assert settings["paths"] == "3000" and settings["seed"] == "7" and settings["preset"] == BOJ_FED


def test_same_seed_same_table_on_the_process_backend_and_csv_is_the_horizon_table(real_store):
    args = ["run", "--preset", BOJ_FED, "--paths", "9000", "--horizon", "6m", "--seed", "3", "--as-of", "2026-06-30"]
    a = _run(real_store, *args, "--format", "csv")
    b = _run(real_store, *args, "--backend", "processes", "--workers", "2", "--format", "csv")
    assert a.exit_code == 0 and b.exit_code == 0, a.output + b.output
    assert a.output == b.output
    rows = list(csv.DictReader(io.StringIO(a.output)))
    assert [r["variable"] for r in rows][:2] == ["repatriation_jpy.life", "repatriation_jpy.pension"]
    assert set(rows[0]) == {"variable", "unit", "start", "q05", "q25", "q50", "q75", "q95", "meaning"}


@pytest.mark.parametrize("args, message", [
    (["--paths", "0"], "Error: --paths: 0 is below the minimum 1"),
    (["--preset", "nope"], "Error: scenario: unknown preset 'nope'; choose one of: 'baseline', 'BOJ 1.5% / Fed 3%',"),
    (["--boj", "+6m:1.5,+3m:1.25"], "Error: scenario: BOJ policy rate path: dates must be in increasing order;"),
    (["--boj", "1.5"], "Error: --boj: '1.5' is not WHEN:VALUE"),
    (["--horizon", "121m"], "Error: scenario: horizon 121 months is beyond the limit of 120 months"),
    (["--scheduler", "tcp://127.0.0.1:1"], "Error: --scheduler: needs --backend dask"),
    (["--set", "carry_kapa=2"], "Error: scenario: unknown parameter 'carry_kapa'"),
    (["--vol", "wild"], "Error: scenario: volatility regime 'wild' is unknown"),
])
def test_bad_options_are_one_line_errors(real_store, args, message):
    r = _run(real_store, "run", "--paths", "100", "--horizon", "3m", *args)
    assert r.exit_code == 2, r.output
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(message), r.output
