"""The macro views (inflation, carry-size, equity-flows, episode) through the view registry and the
CLI, on stores built from ../shared/data. Expected values are computed from raw values read off the
files (file and line cited), never from the code under test.

Raw inputs:
* cpi/zmi2020aa.csv (cp932): line 78 = 202512 (all items 113.012, core 0161 112.216, core-core 0178
  111.506); line 66 = 202412 (110.659, 109.616, 108.387).
* fred/CPIAUCSL_1947-2026-04.csv: line 949 2025-12-01,326.031; line 937 2024-12-01,317.604.
* fred/DFF_2000-07_2026-07.csv line 9316: 2025-12-31,3.64. BOJ target 0.75 % from 2025-12-22.
* cftc_cot/tff_futures_only_2026_to-2026-08-04/FinFutYY.txt line 95: Lev_Money long 75,758 short 136,583.
* bis/lbs/bis-lbs-claims-jp.csv line 153: KY 2026-Q1 744,099.76 (USD m).
* fred/DEXJPUS_2025-12_2026-09.csv: line 178 2026-08-04 157.44; line 88 2026-03-31 159.08.
* jpx/jquants_investor_types_TSEPrime_2022-2026_derived.csv line 205 (2026-02-09…13): FrgnBal
  1,191,806,644, IndBal −1,138,162,022, BusCoBal 114,034,538 (thousand yen).
* mof_securities_flows/week.csv line 1117 (2026．2．8～2．14): inward equity 364,760 − 350,481 (¥100m).
* fred/DEXJPUS_2015-2025.csv lines 2364/2367: 2024-07-31 150.38, 2024-08-05 143.95;
  mof_jgb_yields/jgbcme_all.csv lines 12785/12788: 10Y 1.07 → 0.781.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import run_view
from yenflow.cli import app

runner = CliRunner()


def _pct(a: float, b: float) -> float:
    return (a / b - 1) * 100


def _home(store: object) -> str:
    return str(store.path.parent)  # type: ignore[attr-defined]


def _json(args: list[str]) -> dict:
    r = runner.invoke(app, [*args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def _bad(args: list[str], match: str) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and match in lines[0], r.output


def _shape(doc: dict, view: str, tables: list[str]) -> None:
    """The view layer's JSON shape (as in test_view_layer.py), checked here too for stores it does not build."""
    import re

    assert set(doc) == {"view", "title", "params", "as_of", "version", "tables", "conventions", "warnings", "inputs"}
    assert doc["view"] == view and [t["name"] for t in doc["tables"]] == tables and doc["inputs"]
    for t in doc["tables"]:
        assert set(t) >= {"name", "units", "rows"} and all(set(r) == set(t["units"]) for r in t["rows"])
        for row in t["rows"]:
            for key, value in row.items():
                assert re.match(r"^[a-z0-9_.]+$", key)
                if t["units"][key] == "date" and value is not None:
                    assert re.match(r"^\d{4}-\d{2}-\d{2}", value)


# ------------------------------------------------------------------ inflation
def test_inflation_december_2025(real_store: object) -> None:
    res = run_view(real_store, "inflation", month="2025-12", months=3)
    focus = res.table("focus").frame.set_index("measure")["value"]  # type: ignore[attr-defined]
    core = _pct(112.216, 109.616)
    assert focus["Japan core CPI (less fresh food), this month"] == 112.216
    assert focus["Japan core CPI, a year earlier"] == 109.616
    assert focus["Japan core CPI y/y"] == pytest.approx(core)
    assert focus["BOJ policy rate target at month end"] == 0.75
    assert focus["real BOJ policy rate = target − core y/y (ex-post)"] == pytest.approx(0.75 - core)  # −1.62 pp
    assert focus["… against headline y/y"] == pytest.approx(0.75 - _pct(113.012, 110.659))
    assert focus["… against core-core y/y"] == pytest.approx(0.75 - _pct(111.506, 108.387))
    assert focus["real fed funds = EFFR − US CPI y/y (ex-post)"] == pytest.approx(3.64 - _pct(326.031, 317.604))
    hist = res.table("history").frame  # type: ignore[attr-defined]
    assert hist.index[-1] == pd.Timestamp("2026-05-31") and len(hist) == 3  # the last month with core CPI
    assert any("ex-post" in c for c in res.conventions)  # type: ignore[attr-defined]


def test_inflation_cli(real_store: object) -> None:
    doc = _json(["inflation", "--month", "2025-12", "--months", "2", "--home", _home(real_store)])
    _shape(doc, "inflation", ["focus", "history"])
    rows = {r["measure"]: r for r in doc["tables"][0]["rows"]}
    real = rows["real BOJ policy rate = target − core y/y (ex-post)"]
    assert real["value"] == pytest.approx(0.75 - _pct(112.216, 109.616), abs=5e-4) and real["unit"] == "pp"
    assert doc["tables"][1]["units"]["real_boj_target"] == "pp"
    assert any(w.startswith("US CPI y/y missing for 2025-10") for w in doc["warnings"])
    _bad(["inflation", "--month", "2025-13", "--home", _home(real_store)], "--month: '2025-13' is not a month YYYY-MM")
    _bad(["inflation", "--month", "1960-01", "--home", _home(real_store)], "--month: 1960-01 has no Japan core CPI")
    _bad(["inflation", "--months", "0", "--home", _home(real_store)], "--months: 0 is below the minimum 1")


# ------------------------------------------------------------------ carry-size
def test_carry_size_cli(real_store: object) -> None:
    doc = _json(["carry-size", "--home", _home(real_store)])
    _shape(doc, "carry_size", ["components", "lacking"])
    rows = {r["component"]: r for r in doc["tables"][0]["rows"]}
    lev = rows["CFTC yen futures: leveraged funds net (TFF)"]
    assert lev["as_of"] == "2026-08-04"
    assert lev["usd_bn"] == pytest.approx((75758 - 136583) * 12.5e6 / 157.44 / 1e9, abs=0.05)
    ky = rows["BIS LBS: banks in Japan, cross-border claims on the Cayman Islands"]
    assert ky["usd_bn"] == pytest.approx(744.09976, abs=0.05)
    assert ky["jpy_tn"] == pytest.approx(744099.76 * 159.08 / 1e6, abs=0.005)
    bull = rows["BIS Bulletin No 90: carry trade going into August 2024"]
    assert (bull["jpy_tn"], bull["usd_bn"]) == (40.0, 250.0)
    seed = [r for c, r in rows.items() if c.startswith("Seed claim")][0]
    assert (seed["usd_bn"], seed["usd_bn_high"]) == (160.0, 500.0)
    assert doc["tables"][0]["units"]["usd_bn"] == "USD bn" and doc["tables"][0]["units"]["jpy_tn"] == "JPY tn"
    lacking = [r["component"] for r in doc["tables"][1]["rows"]]
    assert any("Q.JPY.3P.N.B.I.G.JPY" in c for c in lacking)
    assert any("non-commercials" in w and "stale" in w for w in doc["warnings"])
    _bad(["carry-size", "--as-of", "2026-13-01", "--home", _home(real_store)], "--as-of")


# ------------------------------------------------------------------ equity-flows
@pytest.fixture(scope="module")
def jpx_home(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    from yenflow.pipeline import update
    from yenflow.store import Store
    from yenflow.thirdparty import import_reexport

    path = tmp_path_factory.mktemp("jpx") / "yenflow.duckdb"
    with Store(path) as store:
        assert all(r.ok for r in update(store, ["mof.securities_weekly", "fred"], mirror=str(shared_data)))
        assert import_reexport(store, shared_data / "jpx" / "jquants_investor_types_TSEPrime_2022-2026_derived.csv",
                               "jpx.investor_types").ok
    return str(path.parent)


def test_equity_flows_cli(jpx_home: str) -> None:
    doc = _json(["equity-flows", "--weeks", "2", "--home", jpx_home])
    _shape(doc, "equity_flows", ["weekly", "sums"])
    last = doc["tables"][0]["rows"][-1]
    assert last["week_end"] == "2026-02-13" and last["mof_week_end"] == "2026-02-14"
    assert last["foreigners"] == pytest.approx(1191.8, abs=0.05)
    assert last["individuals"] == pytest.approx(-1138.2, abs=0.05)
    assert last["business_cos"] == pytest.approx(114.0, abs=0.05)
    assert last["mof_foreigners"] == pytest.approx(14280 / 10)  # week.csv 2026．2．8～2．14, printed net
    assert doc["tables"][0]["units"]["foreigners"] == "JPY bn"
    assert any("third-party re-export" in w for w in doc["warnings"])
    assert any("JPX vs MOF" in c for c in doc["conventions"])
    usd = _json(["equity-flows", "--weeks", "1", "--unit", "usd_bn", "--home", jpx_home])
    assert usd["tables"][0]["rows"][-1]["foreigners"] == pytest.approx(1191.806644 / 152.77, abs=0.05)
    assert usd["tables"][0]["units"]["foreigners"] == "USD bn"
    _bad(["equity-flows", "--section", "mothers", "--home", jpx_home],
         "--section: 'mothers' is not allowed; one of: prime, standard, growth, tokyo_nagoya")
    r = runner.invoke(app, ["equity-flows", "--section", "growth", "--home", jpx_home])
    assert r.exit_code == 1 and "no JPX investor-type series for TSE Growth" in r.output


def test_import_reexport_cli(shared_data: Path, tmp_path: Path) -> None:
    f = shared_data / "jpx" / "jquants_investor_types_TSEPrime_2022-2026_derived.csv"
    r = runner.invoke(app, ["import-reexport", str(f), "--source", "jpx.investor_types", "--home", str(tmp_path)])
    assert r.exit_code == 0 and "7,878" in r.output  # rows new
    _bad(["import-reexport", str(f), "--source", "fred", "--home", str(tmp_path)],
         "--source: 'fred' does not read re-exports; one of: jpx.investor_types")


# ------------------------------------------------------------------ episode
def test_episode_preset_and_dates(real_store: object) -> None:
    res = run_view(real_store, "episode", preset="aug-2024")
    t = res.table("markets").frame.set_index("market")  # type: ignore[attr-defined]
    assert t.loc["USD/JPY", "change"] == pytest.approx(_pct(143.95, 150.38))
    assert t.loc["JGB 10Y", "change"] == pytest.approx(100 * (0.781 - 1.07))
    same = run_view(real_store, "episode", start="2024-08-01", end="2024-08-05").table("markets").frame  # type: ignore[attr-defined]
    assert same.set_index("market")["change"].equals(t["change"])
    lacking = res.table("lacking").frame  # type: ignore[attr-defined]
    assert "S&P 500" in set(lacking["market"])
    assert any("have no data for 2024-08-01 → 2024-08-05" in w for w in res.warnings)  # type: ignore[attr-defined]


def test_episode_cli(real_store: object) -> None:
    doc = _json(["episode", "--preset", "liberation-day", "--home", _home(real_store)])
    _shape(doc, "episode", ["markets", "lacking"])
    rows = {r["market"]: r for r in doc["tables"][0]["rows"]}
    # fred/VIXCLS_1990-2025-10.csv line 9202: 2025-04-08 52.33; the base is 2025-04-02 (21.51)
    assert rows["VIX"]["end_value"] == 52.33 and rows["VIX"]["start_date"] == "2025-04-02"
    assert rows["VIX"]["change_unit"] == "index points"
    doc = _json(["episode", "2024-08-01", "2024-08-05", "--home", _home(real_store)])
    assert doc["params"]["start"] == "2024-08-01" and doc["params"]["preset"] is None
    h = _home(real_store)
    _bad(["episode", "--home", h], "START END: give the window's first and last day")
    _bad(["episode", "2024-08-05", "2024-08-01", "--home", h], "END: 2024-08-01 is before START 2024-08-05")
    _bad(["episode", "2024-08-01", "2024-08-05", "--preset", "aug-2024", "--home", h],
         "--preset: give either --preset or START END, not both")
    _bad(["episode", "--preset", "aug-2025", "--home", h], "--preset: 'aug-2025' is not allowed")
    _bad(["episode", "2024-13-01", "2024-08-05", "--home", h], "2024-13-01")
