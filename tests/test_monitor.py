"""The monitor (what `yenflow update` shows at the end) on the real sample files."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import run_view
from yenflow.store import Store


def test_monitor_rates(real_store: Store) -> None:
    r = run_view(real_store, "monitor")
    m = r.frame("levels").set_index("series")
    # the monitor's date: the latest daily market date in the store, USD/JPY 2026-09-11
    # (fred/DEXJPUS_2025-12_2026-09.csv, last line)
    assert "windows ending 2026-09-11" in r.main.title
    # the UST rows run past the last par-curve file (2025-12-19) on FRED's H.15 copy: DGS10 2026-09-10 = 4.95,
    # 2026-09-03 = 4.78 (fred/2026_ytd/DGS10.csv): the 1-week change ends at the monitor's date
    assert m.loc["UST 10Y", "date"] == pd.Timestamp("2026-09-10") and m.loc["UST 10Y", "value"] == pytest.approx(4.95)
    ust = real_store.get("ust.cmt.10y")
    assert m.loc["UST 10Y", "chg_1w"] == pytest.approx((4.95 - ust[:"2026-09-04"].iloc[-1]) * 100)
    # mof_jgb_yields/jgbcme_all.csv ends 2026/6/30 (10Y 2.69): 73 days before the monitor's date, so stale,
    # with no change invented over windows in which it published nothing
    assert m.loc["JGB 10Y", "date"] == pd.Timestamp("2026-06-30") and m.loc["JGB 10Y", "value"] == pytest.approx(2.69)
    assert m.loc["JGB 10Y", "status"].startswith("STALE") and pd.isna(m.loc["JGB 10Y", "chg_1w"])
    assert any(w.startswith("JGB 10Y (jgb.10y): last value 2026-06-30") for w in r.warnings)
    # the BOJ target (boj/policy table: 1.00 % from 2026-06-17) is a step series: unchanged over the last week and
    # month ending 2026-09-11, +50 bp over the year (0.50 % in September 2025)
    boj = m.loc["BOJ policy rate target (MPM)"]
    assert boj["value"] == pytest.approx(1.0) and boj["chg_1w"] == 0 and boj["chg_1m"] == 0
    assert boj["chg_1y"] == pytest.approx(50.0)


def test_monitor_flows_and_risk(real_store: Store) -> None:
    r = run_view(real_store, "monitor")
    f = r.frame("flows").set_index("flow")
    # week.csv, week 2026-09-06…09-12: non-residents' equity net −15,228 (¥100m)
    row = f.loc["Foreigners → Japanese equity"]
    assert row["week_to"] == pd.Timestamp("2026-09-12") and row["value"] == pytest.approx(-1522.8)
    risk = r.frame("carry_positioning").set_index("measure")["value"]
    assert float(risk["carry / vol63"]) == pytest.approx(float(risk["carry r$ − r¥"]) / float(risk["realised vol 63d"]))
    # tff_futures_only_2026_to-2026-08-04/FinFutYY.txt: leveraged funds 75,758 long − 136,583 short on 2026-08-04
    assert risk["CFTC leveraged funds net yen"] == -60825
