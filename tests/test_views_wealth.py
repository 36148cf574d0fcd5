"""The wealth, by-country and value-growth views and their CLI commands, on the real files.

Expected values were read from the raw files (csv module or by eye), cited at each
assert: boj/bop/bp_m_en.zip!bp_m_en.csv (row = BOJ code, column = YYYYMM),
boj/bop/regbp_q_en.zip!regbp_q_en.csv (column = YYYYQQ), fof2_en.zip's quarterly CSV,
mof_securities_flows/montha1.csv, fred/DEXJPUS_2015-2025.csv, imf_pip/*.xml and the
TOPIX *_derived.csv files."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from statistics import mean

import pandas as pd
import pytest
from typer.testing import CliRunner

from yenflow.cli import app
from yenflow.store import Store
from yenflow.views import registry
from yenflow.views.market import MissingInputError

RUNNER = CliRunner()


def _home(store: Store) -> str:
    return str(store.path.parent)  # type: ignore[union-attr]


def _april_2025_average(shared: Path) -> float:
    """Mean of the 22 DEXJPUS fixings of April 2025 (fred/DEXJPUS_2015-2025.csv)."""
    with open(shared / "fred/DEXJPUS_2015-2025.csv", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r[0].startswith("2025-04") and r[1]]
    assert len(rows) == 22
    return mean(float(r[1]) for r in rows)


# ------------------------------------------------------------------ wealth


@pytest.fixture(scope="module")
def wealth(real_store: Store) -> object:
    return registry.run(real_store, "wealth", {"last": 400})


def test_wealth_position_in_yen_and_dollars(wealth: object) -> None:
    pos = wealth.frame("position")  # type: ignore[attr-defined]
    row = pos.loc["2024-12-31"]
    # FOF_FFAS500L700 202404 = -5323703 → ¥532.3703 tn; DEXJPUS 2024-12-31 = 157.37
    assert row["net_jpy_tn"] == pytest.approx(532.3703)
    assert row["usdjpy"] == 157.37 and row["net_usd_bn"] == pytest.approx(532.3703e3 / 157.37)
    # 202504 = -5498992, the highest level on record (blank high_since); 202601 = -5464064
    assert pd.isna(pos.loc["2025-12-31", "high_since"])
    assert pos.index[-1] == pd.Timestamp("2026-03-31") and pos["net_jpy_tn"].iloc[-1] == pytest.approx(546.4064)
    assert pos.index[0] == pd.Timestamp("1997-12-31")  # FOF quarterly history starts 199704


def test_wealth_portfolio_and_holders(wealth: object) -> None:
    port = wealth.frame("portfolio").loc["2026-03-31"]  # type: ignore[attr-defined]
    # FOF_FFAS500L540 202601 = 9261718 → ¥926.17 tn; A311 overseas 820129 / total 10137559
    assert port["portfolio_assets_jpy_tn"] == pytest.approx(926.1718)
    assert port["portfolio_assets_usd_bn"] == pytest.approx(926.1718e3 / 159.08)  # DEXJPUS 2026-03-31 = 159.08
    assert port["foreign_share_of_jgb_pct"] == pytest.approx(100 * 820129 / 10137559)
    holders = wealth.frame("holders").set_index("holder")  # type: ignore[attr-defined]
    # FOF_FFAS423A540 (social security funds) 202601 = 1869511; FOF_FFAS700A540 = 9261718
    assert holders.loc["social security funds (GPIF etc.)", "amount_jpy_tn"] == pytest.approx(186.9511)
    assert holders.loc["total", "amount_jpy_tn"] == pytest.approx(926.1718)
    assert holders["amount_jpy_tn"].drop("total").sum() == pytest.approx(926.1718)
    assert 0 <= holders.loc["other sectors (residual)", "share_pct"] < 2  # the listed holders do not overlap


def test_wealth_seed_figures(wealth: object, shared_data: Path) -> None:
    seed = wealth.frame("seed_check").set_index("as_told")  # type: ignore[attr-defined]
    # IMF 2024-S2 OBS_VALUE 2184748057186.862 USD × 157.37 = ¥343.8 tn ↔ "¥342 tn"
    us = seed.loc["¥342 tn"]
    assert "$2,184.7 bn = ¥343.8 tn at 157.37" in us["figure"] and us["verdict"].startswith("reproduced")
    # montha1 April 2025 non-residents: equity 36,759 + long-term debt 45,372 = 82,130 (¥100m);
    # BPPI6E1N9US 202504 = 8461.18011 (¥100m)
    avg = _april_2025_average(shared_data)
    claim = seed.loc["$57 bn"]
    assert f"¥8.21 tn = ${82130e8 / avg / 1e9:,.1f} bn" in claim["figure"]
    assert round(82130e8 / avg / 1e9) == 57  # the seed's $57 bn is every foreign investor
    assert f"¥846.1 bn = ${8461.18011e8 / avg / 1e9:,.1f} bn" in claim["figure"]
    assert claim["verdict"].startswith("corrected") and claim["date"] == pd.Timestamp("2025-04-30")


def test_wealth_us_bilateral(wealth: object) -> None:
    b = wealth.frame("us_bilateral")  # type: ignore[attr-defined]
    # 2025-S1: Japan in the U.S. 2342597257026.434 USD; the U.S. in Japan 1344145000000 USD; DEXJPUS 144.17
    row = b.loc["2025-06-30"]
    assert row["japan_in_us_usd_bn"] == pytest.approx(2342.597257026434)
    assert row["us_in_japan_usd_bn"] == pytest.approx(1344.145)
    assert row["japan_in_us_jpy_tn"] == pytest.approx(2342.597257026434 * 144.17 / 1000)


def test_wealth_as_of_is_point_in_time(real_store: Store) -> None:
    r = registry.run(real_store, "wealth", {"as_of": "2025-03-01", "last": 4})
    # the 2024Q4 flow of funds came out in late March 2025 (≈60 business days after the quarter)
    assert r.frame("position").index[-1] == pd.Timestamp("2024-09-30")
    assert any("started recording" in w and "release lags" in w for w in r.warnings)
    assert r.frame("seed_check").set_index("as_told").loc["$57 bn", "verdict"].startswith("not checkable")


def test_wealth_cli_json_shape_and_bad_option(real_store: Store) -> None:
    r = RUNNER.invoke(app, ["wealth", "--last", "3", "--home", _home(real_store), "-f", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert set(doc) >= {"view", "params", "as_of", "tables", "conventions", "warnings", "inputs"}
    assert doc["view"] == "wealth" and doc["params"]["last"] == 3
    pos = next(t for t in doc["tables"] if t["name"] == "position")
    assert pos["units"]["net_jpy_tn"] == "JPY tn" and pos["units"]["net_usd_bn"] == "USD bn"
    assert pos["rows"][-1]["quarter"] == "2026-03-31" and len(pos["rows"]) == 3
    assert any("period-end USD/JPY" in c for c in doc["conventions"])
    assert {i["series_id"] for i in doc["inputs"]} >= {"fof.sector.overseas.net_position", "fx.usdjpy"}
    bad = RUNNER.invoke(app, ["wealth", "--last", "0", "--home", _home(real_store)])
    assert bad.exit_code == 2 and bad.output.strip().count("\n") == 0
    assert bad.output.startswith("Error: --last: 0 is below the minimum 1")


# ------------------------------------------------------------------ by country


@pytest.fixture(scope="module")
def april(real_store: Store) -> object:
    return registry.run(real_store, "by_country", {"country": "US", "at": "2025-04-30"})


def test_by_country_april_2025_us_is_846_bn(april: object, shared_data: Path) -> None:
    ranking = april.frame("ranking").set_index("code")  # type: ignore[attr-defined]
    us = ranking.loc["US"]
    # BPPI6E1N9US 202504 = 8461.18011 (¥100m) = ¥846 bn, 4th after GB, SG, CI; BPPI6E1N5 = 125895.99430216
    assert us["flow_jpy_bn"] == pytest.approx(846.118011) and us["rank"] == 4
    assert us["share_of_total_pct"] == pytest.approx(100 * 8461.18011 / 125895.99430216)
    assert us["flow_usd_bn"] == pytest.approx(8461.18011e8 / _april_2025_average(shared_data) / 1e9)
    assert list(april.frame("ranking")["code"][:4]) == ["GB", "SG", "CI", "US"]  # type: ignore[attr-defined]
    totals = april.frame("totals").loc["2025-04-30"]  # type: ignore[attr-defined]
    # MOF ITS montha1 April 2025, non-residents: total 117,466, equity + long-term debt 82,130 (¥100m)
    assert totals["bop_total_jpy_bn"] == pytest.approx(12589.599430216)
    assert totals["its_jpy_bn"] == pytest.approx(11746.6)
    assert totals["its_subtotal_jpy_bn"] == pytest.approx(8213.0)
    history = april.frame("country")  # type: ignore[attr-defined]
    assert history.index[-1] == pd.Timestamp("2025-04-30")
    assert history["flow_jpy_bn"].iloc[-1] == pytest.approx(846.118011)
    assert any("transactor" in c and "not the final" in c for c in april.conventions)  # type: ignore[attr-defined]


def test_by_country_quarters_match_the_regional_bop(real_store: Store) -> None:
    r = registry.run(real_store, "by_country", {"country": "US", "monthly": False, "at": "2025-12-31"})
    # quarters are sums of months; BOJ's regional BoP BPBP6QFLUS2 202504 (2025 Q4) = -10060.38876
    assert r.frame("country").loc["2025-12-31", "flow_jpy_bn"] == pytest.approx(-1006.038876)
    assert r.frame("ranking")["period_end"].iloc[0] == pd.Timestamp("2025-12-31")


def test_by_country_resident_side_aliases_and_measures(real_store: Store) -> None:
    r = registry.run(real_store, "by_country", {"side": "resident", "country": "uk", "at": "2025-04-01"})
    # the alias UK → GB; residents' net purchases of U.K. securities, BPPI6D1N9GB 202504 = 1878.94655475
    hist = r.frame("country")
    assert "U.K." in r.table("country").title and hist.index[-1] == pd.Timestamp("2025-04-30")
    assert hist["flow_jpy_bn"].iloc[-1] == pytest.approx(187.894655475)
    acq = registry.run(real_store, "by_country", {"measure": "acq", "at": "2025-04-30", "top": 60})
    # non-residents' acquisitions, U.S.A.: BPPI6E1R9US 202504 = 95866.02631
    assert acq.frame("ranking").set_index("code").loc["US", "flow_jpy_bn"] == pytest.approx(9586.602631)


def test_by_country_cli(real_store: Store) -> None:
    home = _home(real_store)
    r = RUNNER.invoke(app, ["by-country", "--country", "US", "--date", "2025-04-30", "--home", home, "-f", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["view"] == "by_country" and doc["params"]["country"] == "US"
    ranking = next(t for t in doc["tables"] if t["name"] == "ranking")
    us = next(row for row in ranking["rows"] if row["code"] == "US")
    assert us["flow_jpy_bn"] == 846.1 and ranking["units"]["share_of_total_pct"] == "%"
    csv_out = RUNNER.invoke(app, ["by-country", "--date", "2025-04-30", "--top", "3", "--home", home, "-f", "csv"])
    assert csv_out.exit_code == 0 and csv_out.output.splitlines()[0].startswith("rank,period_end,code,economy")
    assert len(csv_out.output.splitlines()) == 4
    for args, message in ((["--country", "XX"], "Error: --country: 'XX' is not a BoP counterpart"),
                          (["--side", "abroad"], "Error: --side: 'abroad' is not allowed; one of: foreign, resident"),
                          (["--date", "2010-01-31"], "Error: --date: no BoP figures for the month ending 2010-01-31"),
                          (["--asset", "loans"], "Error: --asset: 'loans' is not allowed"),
                          (["--top", "0"], "Error: --top: 0 is below the minimum 1")):
        bad = RUNNER.invoke(app, ["by-country", *args, "--home", home])
        assert bad.exit_code == 2, (args, bad.output)
        assert bad.output.startswith(message) and bad.output.strip().count("\n") == 0, bad.output


# ------------------------------------------------------------------ value vs growth


@pytest.fixture(scope="module")
def topix_home(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with the TOPIX style files loaded by the README's `yenflow import` commands."""
    home = str(tmp_path_factory.mktemp("topix"))
    for which in ("value", "growth"):
        r = RUNNER.invoke(app, [
            "import", str(shared_data / f"equities/topix_{which}_2009-2026_derived.csv"),
            "--series", f"user.equity.topix_{which}.close", "--unit", "index points", "--frequency", "daily",
            "--date-col", "Date", "--value-col", "Close", "--source", "third-party re-export", "--home", home])
        assert r.exit_code == 0, r.output
    return home


def test_value_growth_view(topix_home: str) -> None:
    r = RUNNER.invoke(app, ["value-growth", "--last", "3", "--home", topix_home, "-f", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    summary = doc["tables"][0]["rows"][0]
    # last common date 2026-08-14: Value 5249.27, Growth 4743.74; first 2009-03-24: 1001.29, 952.68
    assert summary["date"] == "2026-08-14"
    assert summary["ratio"] == pytest.approx(100 * (5249.27 / 4743.74) / (1001.29 / 952.68), abs=0.005)
    rel = next(t for t in doc["tables"] if t["name"] == "relative")
    assert [row["date"] for row in rel["rows"]] == ["2026-08-12", "2026-08-13", "2026-08-14"]
    assert rel["units"]["rel_ret_252d_pct"] == "%"
    assert any("2024-06-30 (Growth only)" in w for w in doc["warnings"])
    bad = RUNNER.invoke(app, ["value-growth", "--base", "2026-04-11", "--home", topix_home])
    assert bad.exit_code == 2 and bad.output.startswith("Error: --base: 2026-04-11 is not a trading day")


def test_value_growth_without_the_import(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError, match="yenflow import"):
        registry.run(Store(tmp_path / "s.duckdb"), "value_growth", {})
    Store(tmp_path / "empty" / "yenflow.duckdb").close()  # a store without the TOPIX imports
    r = RUNNER.invoke(app, ["value-growth", "--home", str(tmp_path / "empty")])
    assert r.exit_code == 1 and r.output.startswith("Error: ") and "yenflow import" in r.output
