"""Equity flows by investor type (JPX, via the J-Quants export) beside MOF's weekly foreign
equity flows. Raw inputs (file, line):

* jpx/jquants_investor_types_TSEPrime_2022-2026_derived.csv (thousand yen): line 205 (2026-02-09…13)
  FrgnBal 1,191,806,644, IndBal −1,138,162,022, BusCoBal 114,034,538; line 204 (2026-02-02…06)
  FrgnBal 248,667,393; line 128 (2024-08-19…23, the corrected publication) FrgnBal −408,854,431.
* mof_securities_flows/week.csv (cp932, ¥100m), inward equity acquisition/disposition (columns 12-13;
  yenflow stores net = acquisition − disposition): line 1117 (2026．2．8～2．14) 364,760 − 350,481 = 14,279
  (MOF prints 14,280: rounding); line 1116 (2026．2．1～2．7) 369,761 − 363,847 = 5,914;
  line 1040 (2024．8．18～8．24) 168,078 − 172,504 = −4,426.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yenflow.analytics import equity_flows as ef


@pytest.fixture(scope="module")
def flows_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> object:
    from yenflow.pipeline import update
    from yenflow.store import Store
    from yenflow.thirdparty import import_reexport

    store = Store(tmp_path_factory.mktemp("flows") / "s.duckdb")
    assert all(r.ok for r in update(store, ["mof.securities_weekly", "fred"], mirror=str(shared_data)))
    path = shared_data / "jpx" / "jquants_investor_types_TSEPrime_2022-2026_derived.csv"
    assert import_reexport(store, path, "jpx.investor_types").ok
    yield store
    store.close()


def _table(store: object) -> pd.DataFrame:
    jpx = {t: store.get(f"jpx.investor.prime.{t}.net") for t in ef.DEFAULT_TYPES}  # type: ignore[attr-defined]
    return ef.weekly_table(jpx, store.get("mof.weekly.foreign.equity.net"))  # type: ignore[attr-defined]


def test_weekly_table_beside_mof(flows_store: object) -> None:
    t = _table(flows_store)
    w = t.loc[pd.Timestamp("2026-02-13")]
    assert w["foreigners"] == pytest.approx(1191.806644)
    assert w["individuals"] == pytest.approx(-1138.162022)
    assert w["business_cos"] == pytest.approx(114.034538)
    assert w["mof_week_end"] == pd.Timestamp("2026-02-14")
    assert w["mof_foreigners"] == pytest.approx(14280 / 10)  # week.csv 2026．2．8～2．14: printed net 14,280 (364,760 − 350,481 = 14,279 before rounding)
    assert w["jpx_minus_mof"] == pytest.approx(1191.806644 - 14280 / 10)
    aug = t.loc[pd.Timestamp("2024-08-23")]
    assert aug["foreigners"] == pytest.approx(-408.854431) and aug["mof_foreigners"] == pytest.approx((168078 - 172504) / 10)
    assert list(t.columns[:3]) == ["foreigners", "individuals", "business_cos"]


def test_period_sums(flows_store: object) -> None:
    t = _table(flows_store)
    sums = ef.period_sums(t, weeks=(2, 52))
    assert sums.loc["2w", "foreigners"] == pytest.approx(1191.806644 + 248.667393)
    assert sums.loc["2w", "mof_foreigners"] == pytest.approx((14280 + 5914) / 10)  # printed nets of the two weeks
    assert sums.loc["2w", "weeks"] == 2 and sums.loc["52w", "weeks"] == 52


def test_usd_conversion_at_the_week_end_fixing(flows_store: object) -> None:
    t = _table(flows_store).loc[["2026-02-13"]]
    usd = ef.to_usd_bn(t, flows_store.get("fx.usdjpy"))  # type: ignore[attr-defined]
    # fred/DEXJPUS_2025-12_2026-09.csv line 56: 2026-02-13,152.77
    assert usd.loc["2026-02-13", "foreigners"] == pytest.approx(1191.806644 / 152.77)


def test_saturday_alignment() -> None:
    days = pd.DatetimeIndex(["2026-02-13", "2025-12-30", "2026-02-14"])  # Fri, Tue (holiday week), Sat
    assert list(ef.saturday_on_or_after(days)) == [pd.Timestamp(d) for d in ("2026-02-14", "2026-01-03", "2026-02-14")]
