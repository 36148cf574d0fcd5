"""Issue 5 on the real sample files: auctions, intervention ledger, holdings,
through the store and the CLI. Expected values are read from the files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from yenflow.cli import app
from yenflow.pipeline import import_file, update
from yenflow.store import Store
from conftest import run_view


def auctions_view(store: Store, tenor: str | None = None, last: int = 6, all_tenors: bool = False) -> pd.DataFrame:
    return run_view(store, "auctions", tenor=tenor, last=last, all_tenors=all_tenors).frame()


def intervention_view(store: Store, by: str) -> pd.DataFrame:
    return run_view(store, "intervention", by=by).frame()

DERIVED = "mof_intervention/interventions_daily_1991-2026_derived.csv"
IMPORT_PARAMS = dict(
    series_id="user.intervention.usdjpy.amount", unit="JPY 100m", date_col="date",
    value_col="amount_yen_billions", where={"currency_pair": "USD/JPY"},
    negate_where={"direction": "sell_JPY_buy_USD"}, scale=10.0, frequency="daily",
    source_text="MOF daily record via a third-party re-export",
)


def test_auctions_latest_10y(real_store: Store) -> None:
    t = auctions_view(real_store, "10", last=3)
    # mof_auctions/jgb_historical_data.xls, sheet 10年債: No. 382 auctioned 2026-04-02, 05-12, 06-02;
    # bids / accepted 50460/19672, 76166/19510, 70031/19839 (JPY 100m)
    assert list(t["auction_date"]) == [pd.Timestamp(d) for d in ("2026-04-02", "2026-05-12", "2026-06-02")]
    assert list(t["issue_number"]) == [382, 382, 382]
    assert t["bid_to_cover"].tolist() == pytest.approx([50460 / 19672, 76166 / 19510, 70031 / 19839])
    first = t.iloc[0]
    assert bool(first["weak"]) and first["tail_price"] == pytest.approx(0.36)
    assert t.iloc[1]["btc_weakest_since"] == pd.Timestamp("2026-04-02")


def test_auctions_40y_has_no_tail(real_store: Store) -> None:
    t = auctions_view(real_store, "40", last=1).iloc[0]
    # 40年債 sheet, 2026-05-27: bids 8094, accepted 2996
    assert t["auction_date"] == pd.Timestamp("2026-05-27")
    assert t["bid_to_cover"] == pytest.approx(8094 / 2996)
    assert pd.isna(t["tail_price"])


@pytest.fixture(scope="module")
def intervention_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("iv") / "yenflow.duckdb")
    assert all(r.ok for r in update(store, ["fred"], str(shared_data)))
    r = import_file(store, shared_data / DERIVED, IMPORT_PARAMS)
    assert r.ok, r.error
    store.close()
    ro = Store(store.path, read_only=True)
    yield ro
    ro.close()


def test_intervention_episodes_from_imported_history(intervention_store: Store) -> None:
    ep = intervention_view(intervention_store, "episode").set_index("start")
    e = ep.loc[pd.Timestamp("2024-04-29")]
    # the derived file: 2024-04-29 5,918.5 and 2024-05-01 3,870.0 (JPY bn) USD-selling / yen-buying
    assert e["end"] == pd.Timestamp("2024-05-01") and e["days"] == 2
    assert e["amount"] == pytest.approx(97885.0) and e["direction"] == "yen_buying"
    # USD/JPY (fred/DEXJPUS_2017-06_2026-07.csv): 157.62 on 2024-04-26 (before), 156.71 on 04-29
    assert e["usdjpy_before"] == pytest.approx(157.62) and e["usdjpy_first"] == pytest.approx(156.71)
    # 2022: two separate episodes (09-22 and 10-21/24), 9,188.0 bn in the year
    years = intervention_view(intervention_store, "year").set_index("period")
    assert years.loc[pd.Timestamp("2022-12-31"), "yen_bought"] == pytest.approx(91880.0)
    assert years.loc[pd.Timestamp("2024-12-31"), "yen_bought"] == pytest.approx(153233.0)
    assert pd.Timestamp("2022-09-22") in ep.index and pd.Timestamp("2022-10-21") in ep.index


def test_holdings_tic_and_flow_of_funds(real_store: Store) -> None:
    v = run_view(real_store, "holdings")
    # tic/mfhhis01.txt: Japan Dec 2025 1185.5, Nov 2025 1202.7; Grand Total Dec 2025 9271
    ust = v.frame("japan_ust")
    assert ust.loc["2025-12-31", "holdings_usd_bn"] == pytest.approx(1185.5)
    assert ust.loc["2025-12-31", "change_1m_usd_bn"] == pytest.approx(1185.5 - 1202.7)
    assert ust.loc["2025-12-31", "share_of_foreign_pct"] == pytest.approx(1185.5 / 9271 * 100)
    jgb = v.frame("jgb_holders").set_index("holder")
    # boj/flow_of_funds/sjlong.xlsx sheet 64, 2026/1Q(P): central bank 4,854,280 of 11,500,550 (JPY 100m)
    assert jgb.loc["boj", "amount_jpy_tn"] == pytest.approx(485.428)
    assert jgb.loc["boj", "share_pct"] == pytest.approx(4854280 / 11500550 * 100)
    # the holders do not overlap: shares add to 100 % (the BOJ is carved out of financial institutions)
    assert jgb.drop(index="total")["share_pct"].sum() == pytest.approx(100.0)
    fi = real_store.get("fof.jgb.financial_institutions").loc["2026-03-31"]
    assert jgb.loc["private_financial_institutions", "amount_jpy_tn"] == pytest.approx((fi - 4854280) / 1e4)


def test_cli_stress_commands(real_store: Store, intervention_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["auctions", "--tenor", "10", "--last", "6", "--home", str(real_store.path.parent)])
    assert r.exit_code == 0 and "2026-06-02" in r.output and "bid_to_cover" in r.output
    r = runner.invoke(app, ["holdings", "--home", str(real_store.path.parent)])
    assert r.exit_code == 0 and "1,185.5" in r.output
    r = runner.invoke(app, ["intervention", "--by", "episode", "--home", str(intervention_store.path.parent), "-f", "csv"])
    assert r.exit_code == 0 and "2024-04-29" in r.output
    r = runner.invoke(app, ["intervention", "--home", str(real_store.path.parent)])
    assert r.exit_code == 1 and "no intervention series in the store" in r.output


def test_auctions_all_tenors_latest_first_in_market_order(real_store: Store) -> None:
    t = auctions_view(real_store, last=1)
    assert list(t["tenor"])[:6] == ["2y", "5y", "10y", "20y", "30y", "40y"]
    assert "6y" not in set(t["tenor"])  # last 6-year auction: 2001-03-09
    # jgb_historical_data.xls, 20年債 2026-06-25: the lowest bid-to-cover of itself and the previous 12 20Y
    # auctions: 100 × ½ / 13
    assert t.set_index("tenor").loc["20y", "btc_pct_12"] == pytest.approx(100 * 0.5 / 13)
    assert "6y" in set(auctions_view(real_store, last=1, all_tenors=True)["tenor"])


def test_intervention_by_mof_reporting_period(intervention_store: Store) -> None:
    """MOF's May-2024 total, ¥9,788.5bn, covers trades of 2024-04-26 → 05-29 (settled in May): the 04-29 and 05-01
    operations (5,918.5 + 3,870.0 bn in the derived file); calendar months split nothing here but label by month end."""
    t = intervention_view(intervention_store, "period").set_index("period")
    may = t.loc[pd.Timestamp("2024-05-31")]
    assert may["yen_bought"] == pytest.approx(97885.0)
    assert may["period_start"] == pd.Timestamp("2024-04-26") and may["period_end"] == pd.Timestamp("2024-05-29")
    months = intervention_view(intervention_store, "month").set_index("period")
    assert months.loc[pd.Timestamp("2024-04-30"), "yen_bought"] == pytest.approx(59185.0)  # 04-29 in April by trade date
    assert months.loc[pd.Timestamp("2024-05-31"), "yen_bought"] == pytest.approx(38700.0)


def test_fx_monthly_and_boj_decisions(real_store: Store, shared_data: Path) -> None:
    import csv

    rows = list(csv.reader((shared_data / "fred" / "DEXJPUS_2025-12_2026-09.csv").read_text().splitlines()))
    august = [float(v) for d, v in rows[1:] if d.startswith("2026-08") and v.strip()]
    t = run_view(real_store, "fx_monthly", last=3).frame()
    assert t.loc["2026-08-31", "average"] == pytest.approx(sum(august) / len(august))
    assert t.loc["2026-08-31", "fixings"] == 21 and t.loc["2026-08-31", "high"] == max(august)
    boj = run_view(real_store, "boj_decisions").frame().set_index("effective")
    # the MPM table shipped with yenflow: decided 2026-06-16, effective 2026-06-17, 0.75 % → 1.00 %
    assert boj.loc["2026-06-17", "decided"] == pd.Timestamp("2026-06-16")
    assert boj.loc["2026-06-17", "change_bp"] == pytest.approx(25.0)
