"""Alerts: each rule type fires on a real episode of the sample data and not on
a quiet stretch; bad rules files get one line naming the rule and the field;
new matches are logged once and posted to a webhook on a loopback server,
whose failures are reported and never fatal nor retried forever."""

from __future__ import annotations

import json
import shutil
import time
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from conftest import run_view
from yenflow.alerts import example_text, parse_rules
from yenflow.cli import app
from yenflow.store import Store

runner = CliRunner()


def _rules(tmp_path: Path, text: str) -> str:
    p = tmp_path / "rules.toml"
    p.write_text(text, encoding="utf-8")
    return str(p)


def _hits(real_store: Store, rules: str, since: str, as_of: str) -> pd.DataFrame:
    return run_view(real_store, "alerts", rules=rules, since=since, as_of=as_of).frame()


SERIES_RULE = """[[rule]]
name = "heavy foreign selling of Japanese bonds"
series = "mof.weekly.foreign.bonds.net"
below = -10000
unit = "JPY 100m"
every = true
"""


def test_series_rule_fires_on_the_june_2026_foreign_selling_and_not_in_a_quiet_stretch(real_store: Store, tmp_path: Path) -> None:
    rules = _rules(tmp_path, SERIES_RULE)
    june = _hits(real_store, rules, "2026-06-01", "2026-06-30")
    # week.csv, non-residents' long-term debt, acquisition − disposition: week to 06-06: 57,112 − 67,498 = −10,386;
    # week to 06-20: 39,964 − 50,537 = −10,573 (the week to 06-27 is published 07-02, after the as-of date)
    assert june["date"].tolist() == [pd.Timestamp("2026-06-06"), pd.Timestamp("2026-06-20")]
    assert june["value"].tolist() == [-10386.0, -10573.0]
    assert _hits(real_store, rules, "2026-08-22", "2026-09-17").empty  # four weeks of net buying or small sales


def test_series_rule_fires_on_the_weak_20y_auction_of_2026_06_25(real_store: Store, tmp_path: Path) -> None:
    rules = _rules(tmp_path, '[[rule]]\nname = "weak 20y"\nseries = "auction.jgb.20y.bid_to_cover"\nbelow = 3.0\n')
    hit = _hits(real_store, rules, "2026-06-01", "2026-06-30")
    assert hit["date"].tolist() == [pd.Timestamp("2026-06-25")] and hit["value"].iloc[0] == pytest.approx(2.9668, abs=1e-4)
    assert _hits(real_store, rules, "2026-04-01", "2026-05-31").empty  # 04-14: 4.82, 05-20: 4.01


def test_view_rule_fires_when_hedged_30y_usts_beat_jgbs_again_in_late_2019(real_store: Store, tmp_path: Path) -> None:
    """Hedged UST 30Y − JGB 30Y (yen investor, 3M rolling hedge): negative through the summer of 2019,
    back above zero in late October as the Fed's cuts cheapened the hedge; deeply negative in 2026."""
    rules = _rules(tmp_path, '[[rule]]\nname = "hedged 30y gap"\nview = "hedge"\nparams = { bond_tenor = 30 }\n'
                             'column = "pickup_bp"\nabove = 0\nunit = "bp"\n')
    hits = _hits(real_store, rules, "2019-09-01", "2019-12-31")
    assert not hits.empty and hits["date"].iloc[0] == pytest.approx(pd.Timestamp("2019-10-25"), abs=pd.Timedelta(days=10))
    assert (hits["value"] > 0).all()
    hedge = run_view(real_store, "hedge", bond_tenor=30, start="2019-09-01", end="2019-12-31").frame()
    before = hedge["pickup_bp"].loc[: hits["date"].iloc[0] - pd.Timedelta(days=1)]
    assert before.iloc[-1] <= 0 < hedge["pickup_bp"].loc[hits["date"].iloc[0]]  # it starts to hold that day
    assert _hits(real_store, rules, "2026-01-01", "2026-06-30").empty


def test_signal_rule_fires_in_the_june_2026_episode_and_not_after(real_store: Store, tmp_path: Path) -> None:
    rules = _rules(tmp_path, '[[rule]]\nname = "composite high"\nsignal = "composite"\nabove = 0.75\n')
    hit = _hits(real_store, rules, "2026-06-01", "2026-07-31")
    assert len(hit) == 1 and pd.Timestamp("2026-06-25") <= hit["date"].iloc[0] <= pd.Timestamp("2026-07-10")
    composite = run_view(real_store, "signals", date=str(hit["date"].iloc[0].date())).frame()["composite"]
    assert composite.iloc[-1] == pytest.approx(hit["value"].iloc[0]) and hit["unit"].iloc[0] == "z"
    assert _hits(real_store, rules, "2026-08-01", "2026-09-11").empty


def test_the_shipped_example_parses_and_runs(real_store: Store) -> None:
    rules = parse_rules(example_text(), "example")
    assert {r.kind for r in rules.rules} == {"series", "view", "signal"}
    out = run_view(real_store, "alerts", since="2026-06-01")
    assert set(out.frame()["rule"]) >= {r.name for r in rules.rules if r.kind != "view"}


@pytest.mark.parametrize("text, message", [
    ('[[rule]]\nname = "a"\nseries = "fx.usdjpy"\nbelow = "low"\n', "rules.toml: rule 1 ('a'): below: must be a number, got 'low'"),
    ('[[rule]]\nname = "a"\nseries = "fx.usdjpy"\n', "rules.toml: rule 1 ('a'): above: give exactly one of above, below"),
    ('[[rule]]\nname = "a"\nseries = "fx.usdjpy"\nsignal = "composite"\nabove = 1\n',
     "rules.toml: rule 1 ('a'): series/signal: give exactly one of series, view, signal"),
    ('[[rule]]\nname = "a"\nseries = "fx.usdjpy"\nabove = 1\n[[rule]]\nname = "b"\nseries = "fx.usdjpy"\nabove = 1\nevry = true\n',
     "rules.toml: rule 2 ('b'): evry: unknown field"),
    ('[[rule]]\nname = "a"\nseries = "fx.usdjpy"\nabove = 1\n[[rule]]\nname = "a"\nseries = "fx.usdjpy"\nabove = 2\n',
     "rules.toml: rule 2: name: a second rule is named 'a'"),
    ('[[rule]]\nseries = "fx.usdjpy"\nabove = 1\n', "rules.toml: rule 1: name: required"),
    ('[[rule]]\nname = "a"\nseries = "fx.usdjpyy"\nabove = 1\n', "rules.toml: rule 1 ('a'): series: 'fx.usdjpyy' is not in the store"),
    ('[[rule]]\nname = "a"\nseries = "fx.usdjpy"\nabove = 1\nunit = "%"\n',
     "rules.toml: rule 1 ('a'): unit: '%' does not match the target's unit 'JPY per USD'"),
    ('[[rule]]\nname = "a"\nview = "hedge"\ncolumn = "pickup_bp"\nparams = { tenor = 30 }\nabove = 0\n',
     "rules.toml: rule 1 ('a'): params.tenor: unknown parameter"),
    ('[[rule]]\nname = "a"\nview = "hedge"\ncolumn = "pick"\nabove = 0\n', "rules.toml: rule 1 ('a'): column: 'pick' is not a column"),
    ('[[rule]]\nname = "a"\nview = "hedges"\ncolumn = "x"\nabove = 0\n', "rules.toml: rule 1 ('a'): view: 'hedges' is not a view"),
    ('[[rule]]\nname = "a"\nsignal = "sell_japan"\nabove = 0\n', "rules.toml: rule 1 ('a'): signal: 'sell_japan' is not a signal"),
    ('[webhook]\nurl = "ftp://x"\n[[rule]]\nname = "a"\nseries = "fx.usdjpy"\nabove = 1\n',
     "rules.toml: webhook.url: must be an http(s) URL"),
    ('[[rule]\nname = "a"\n', "rules.toml: not valid TOML"),
])
def test_bad_rules_get_one_line_naming_the_rule_and_field(real_store: Store, tmp_path: Path, text: str, message: str) -> None:
    rules = _rules(tmp_path, text)
    r = runner.invoke(app, ["alerts", "--rules", rules, "--home", str(real_store.path.parent), "--dry-run"])
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: --rules: {message}"), r.output


# --------------------------------------------------------------------------- log and webhook

def _small_home(tmp_path: Path, shared_data: Path) -> Path:
    """A store with MOF's weekly foreign bond flows (parsed from week.csv) and nothing else."""
    from yenflow.sources.mof.securities_weekly import MofSecuritiesWeekly
    from yenflow.store import observations

    src = MofSecuritiesWeekly()
    parsed = src.parse((shared_data / "mof_securities_flows" / "week.csv").read_bytes(), "week.csv")
    obs = parsed.observations[parsed.observations["series_id"] == "mof.weekly.foreign.bonds.net"]
    home = tmp_path / "home"
    with Store(home / "yenflow.duckdb") as store:
        store.register_series(src.name, [i for i in parsed.series if i.id == "mof.weekly.foreign.bonds.net"])
        observations.upsert(store.con, obs, seen_at=datetime(2026, 9, 18), raw_sha256="week")
    (home / "alerts.toml").write_text(SERIES_RULE, encoding="utf-8")
    return home


def _run(home: Path, *extra: str) -> "object":
    return runner.invoke(app, ["alerts", "--home", str(home), "--since", "2026-06-01", *extra])


def test_new_matches_are_logged_and_posted_once(tmp_path: Path, shared_data: Path, httpserver: HTTPServer) -> None:
    home = _small_home(tmp_path, shared_data)
    httpserver.expect_oneshot_request("/hook", method="POST").respond_with_data("ok")
    r = _run(home, "--webhook", httpserver.url_for("/hook"))
    assert r.exit_code == 0, r.output
    assert "logged 4 new matches" in r.output and "webhook: posted 4 new matches" in r.output
    body = json.loads(httpserver.log[0][0].get_data())
    assert body["source"] == "yenflow" and [a["date"] for a in body["alerts"]] == ["2026-06-06", "2026-06-20", "2026-07-25",
                                                                                 "2026-08-15"]
    assert body["alerts"][0] == {"rule": "heavy foreign selling of Japanese bonds", "kind": "series",
                                 "target": "mof.weekly.foreign.bonds.net", "date": "2026-06-06", "value": -10386.0,
                                 "unit": "JPY 100m", "condition": "< -10000"}
    logged = [json.loads(line) for line in (home / "alerts.jsonl").read_text().splitlines()]
    assert len(logged) == 4 and all("logged_at" in x for x in logged)
    again = _run(home, "--webhook", httpserver.url_for("/hook"), "--format", "json")
    assert again.exit_code == 0 and len(httpserver.log) == 1  # nothing new: nothing posted
    rows = json.loads(again.output)["tables"][0]["rows"]  # nothing new: nothing printed after the JSON
    assert [x["new"] for x in rows] == [False] * 4


def test_webhook_failure_is_reported_not_fatal_and_retried_a_bounded_number_of_times(
        tmp_path: Path, shared_data: Path, httpserver: HTTPServer) -> None:
    home = _small_home(tmp_path, shared_data)
    httpserver.expect_request("/hook", method="POST").respond_with_data("down", status=503)
    r = _run(home, "--webhook", httpserver.url_for("/hook"))
    assert r.exit_code == 0
    assert "webhook failed" in r.output and "HTTP 503 after 2 attempts" in r.output and "kept in alerts.jsonl" in r.output
    assert len(httpserver.log) == 2
    assert len((home / "alerts.jsonl").read_text().splitlines()) == 4  # the matches are not lost


def test_webhook_timeout_is_reported(tmp_path: Path, shared_data: Path, httpserver: HTTPServer) -> None:
    home = _small_home(tmp_path, shared_data)
    (home / "alerts.toml").write_text(SERIES_RULE + f'\n[webhook]\nurl = "{httpserver.url_for("/slow")}"\n'
                                      "timeout_seconds = 0.2\n", encoding="utf-8")

    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response("late")

    httpserver.expect_request("/slow", method="POST").respond_with_handler(slow)
    r = _run(home)
    assert r.exit_code == 0 and "timed out after 2 attempts (0.2s each)" in r.output


def test_alerts_are_checked_after_every_update(tmp_path: Path, shared_data: Path) -> None:
    """`update` with alerts.toml in the store folder: USD/JPY crossing below 160 on the intervention
    day 2026-07-30 (163.86 → 159.47 in fred/DEXJPUS_2025-12_2026-09.csv) and again on 2026-09-02
    (160.03 → 158.79) is printed and logged; the weeks in between, below 160 throughout, are not."""
    mirror = tmp_path / "mirror" / "fred"
    mirror.mkdir(parents=True)
    shutil.copy(shared_data / "fred" / "DEXJPUS_2025-12_2026-09.csv", mirror)  # a mirror folder in tmp (links out are refused)
    home = tmp_path / "home"
    home.mkdir()
    (home / "alerts.toml").write_text('[[rule]]\nname = "yen through 160"\nseries = "fx.usdjpy"\nbelow = 160\n',
                                      encoding="utf-8")
    r = runner.invoke(app, ["update", "fred", "--from", str(tmp_path / "mirror"), "--home", str(home), "--no-answer"])
    assert r.exit_code == 0, r.output
    assert "yen through 160" in r.output and "2026-07-30" in r.output
    logged = [json.loads(line) for line in (home / "alerts.jsonl").read_text().splitlines()]
    assert [(x["date"], x["value"]) for x in logged] == [("2026-07-30", 159.47), ("2026-09-02", 158.79)]
