"""The signals and backtest views: what drives the composite adds up, the
event study reports sample sizes and intervals, bad options are one line."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import run_view
from yenflow.analytics.signals import COMPONENTS
from yenflow.cli import app
from yenflow.store import Store

runner = CliRunner()


def test_components_add_up_to_the_composite(real_store: Store) -> None:
    r = run_view(real_store, "signals", date="2026-07-03", components=True)
    comp = r.frame("composite")["composite"].iloc[-1]
    parts = r.frame("components")
    assert len(parts) == len(COMPONENTS) and parts["contribution"].sum() == pytest.approx(comp)
    # contributions = weight·z / Σ weight of the components with a value (all weights 1)
    have = parts.dropna(subset=["z"])
    assert have["contribution"].tolist() == pytest.approx((have["z"] / len(have)).tolist())
    assert parts.iloc[0]["contribution"] == parts["contribution"].abs().max()  # largest first
    units = r.table("parts").units
    assert units["raw"] == "in unit column" and set(r.frame("parts")["unit"]) >= {"JPY 100m", "bp", "%", "ratio", "percentile"}
    assert {t.name for t in r.tables} >= {f"component_{c.name}" for c in COMPONENTS}
    assert all(t.chart is not None for t in r.tables if t.name.startswith("component_"))


def test_stale_components_are_named(real_store: Store) -> None:
    """The sample JGB yields end 2026-06-30: on 2026-09-11 the hedged gap no longer counts and says why."""
    r = run_view(real_store, "signals", date="2026-09-11")
    assert any(w.startswith("hedged_gap has no value on 2026-09-11") for w in r.warnings)
    assert any("rate.jpy.3m_interbank" in w for w in r.warnings)  # the JPY leg is the OECD fallback


def test_backtest_reports_samples_intervals_and_weak_evidence(real_store: Store) -> None:
    r = run_view(real_store, "backtest", horizon="4w", resamples=300)
    study = r.frame("event_study")
    assert set(study["target"]) == {"usdjpy", "jgb_10y", "jgb_30y", "ust_10y"} and set(study["horizon_weeks"]) == {4}
    assert (study["n_events"] > 50).all() and (study["n_episodes"] < study["n_events"]).all()
    assert (study["ci_low"] <= study["mean_after"]).all() and (study["mean_after"] <= study["ci_high"]).all()
    assert (study["block_weeks"] >= 4).all()
    readings = r.frame("readings")["reading"]
    assert all(("Weak evidence" in x) or ("distinguishable" in x) for x in readings)
    signal = r.frame("signal")
    # the top decile of each Friday's trailing 3 years: about a tenth of the weeks
    assert 0.05 < signal["extreme"].mean() < 0.2


def test_backtest_of_one_component(real_store: Store) -> None:
    r = run_view(real_store, "backtest", signal="foreign_jgb_selling", horizon="1w", resamples=200, start="2015-01-01")
    assert r.frame("signal").index[0] >= pd.Timestamp("2015-01-01")
    assert r.frame("event_study")["n_events"].min() > 0


@pytest.mark.parametrize("args, message", [
    (["backtest", "sell"], "Error: SIGNAL: 'sell' is not a signal; one of: composite, auction_weakness"),
    (["backtest", "--horizon", "0w"], "Error: --horizon: '0w' is not a horizon; write weeks as 1w … 52w"),
    (["backtest", "--horizon", "4m"], "Error: --horizon: '4m' is not a horizon"),
    (["backtest", "--top-pct", "70"], "Error: --top-pct: 70 is above the maximum 50"),
    (["signals", "--weights", "/no/such.toml"], "Error: --weights: '/no/such.toml' is not a file"),
    (["signals", "--date", "2026-07-10", "--as-of", "2026-07-01"], "Error: --date: 2026-07-10 is after --as-of 2026-07-01"),
])
def test_bad_options_are_one_line(real_store: Store, args: list[str], message: str) -> None:
    r = runner.invoke(app, [*args, "--home", str(real_store.path.parent)])
    assert r.exit_code == 2 and r.output.startswith(message) and r.output.count("\n") == 1, r.output


def test_bad_weights_file_is_one_line(real_store: Store, tmp_path: object) -> None:
    w = tmp_path / "w.toml"  # type: ignore[operator]
    w.write_text("[weights]\nyen = 1\n")
    r = runner.invoke(app, ["signals", "--weights", str(w), "--home", str(real_store.path.parent)])
    assert r.exit_code == 2 and r.output.startswith("Error: --weights: w.toml: weights.yen: not a component"), r.output


def test_signals_json_has_the_composite_and_its_date(real_store: Store) -> None:
    r = runner.invoke(app, ["signals", "--date", "2026-06-25", "--format", "json", "--home", str(real_store.path.parent)])
    out = json.loads(r.output)
    last = out["tables"][0]["rows"][-1]
    assert last["date"] == "2026-06-25" and out["tables"][0]["units"]["composite"] == "z"
    assert any("point in time" in c for c in out["conventions"])


def test_yen_level_against_the_last_published_intervention(tmp_path, shared_data) -> None:  # type: ignore[no-untyped-def]
    """USD/JPY against its fixing on the last yen-buying day whose MOF record was out (the quarter's daily
    detail, 30 business days after the quarter). Store: fred/DEXJPUS_2017-06_2026-07.csv and MOF's history
    imported as the README says. On 2024-05-15 the April/May 2024 operations were not yet published (due
    2024-08-09): the zone is still 2022-10-24 (148.76, line 1409); on 2024-08-20 it is 2024-05-01 (157.65)."""
    import shutil

    mirror = tmp_path / "mirror" / "fred"
    mirror.mkdir(parents=True)
    shutil.copy(shared_data / "fred" / "DEXJPUS_2017-06_2026-07.csv", mirror)
    home = str(tmp_path / "home")
    assert runner.invoke(app, ["update", "fred", "--from", str(tmp_path / "mirror"), "--home", home, "--no-answer"]).exit_code == 0
    r = runner.invoke(app, ["import", str(shared_data / "mof_intervention" / "interventions_daily_1991-2026_derived.csv"),
                            "--series", "user.intervention.usdjpy.amount", "--unit", "JPY 100m", "--frequency", "daily",
                            "--date-col", "date", "--value-col", "amount_yen_billions", "--where", "currency_pair=USD/JPY",
                            "--negate-where", "direction=sell_JPY_buy_USD", "--scale", "10", "--home", home])
    assert r.exit_code == 0, r.output
    weights = tmp_path / "w.toml"
    weights.write_text("[weights]\nyen_weakness = 1\n")
    with Store(tmp_path / "home" / "yenflow.duckdb", read_only=True) as store:
        for day, spot, zone in (("2024-05-15", 156.17, 148.76), ("2024-08-20", 148.13, 157.65)):
            parts = run_view(store, "signals", date=day, components=True, weights=str(weights)).frame("parts")
            got = parts.set_index("part").at["usdjpy_vs_intervention_pct", "raw"]
            # spot: the last fixing published by then (H.10 via FRED, 2 business days): 05-13 and 08-16
            assert got == pytest.approx((spot / zone - 1) * 100), day
