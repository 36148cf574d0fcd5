"""The monitor (what `yenflow update` shows at the end) on the real sample files."""

from __future__ import annotations

import pandas as pd
import pytest

from yenflow.monitor import flows_frame, monitor_frame, risk_frame
from yenflow.store import Store


def test_monitor_rates(real_store: Store) -> None:
    m = monitor_frame(real_store).set_index("series")
    # mof_jgb_yields/jgbcme_all.csv, 2026/6/30: 10Y 2.69; a week earlier (2026/6/23) — change in bp
    assert m.loc["JGB 10Y", "date"] == pd.Timestamp("2026-06-30") and m.loc["JGB 10Y", "value"] == pytest.approx(2.69)
    jgb = real_store.get("jgb.10y")
    assert m.loc["JGB 10Y", "Δ1w"] == pytest.approx((2.69 - jgb[:"2026-06-23"].iloc[-1]) * 100)
    # the UST rows run past the last par-curve file (2025-12-19) on FRED's H.15 copy: DGS10 2026-09-10 = 4.95
    assert m.loc["UST 10Y", "date"] == pd.Timestamp("2026-09-10") and m.loc["UST 10Y", "value"] == pytest.approx(4.95)
    assert m.loc["UST−JGB 10Y", "date"] == pd.Timestamp("2026-06-30")


def test_monitor_flows_and_risk(real_store: Store) -> None:
    f = flows_frame(real_store).set_index("flow (net buying +)")
    # week.csv, week 2026-09-06…09-12: non-residents' equity net −15,228 (¥100m)
    row = f.loc["Foreigners → Japanese equity"]
    assert row["week to"] == pd.Timestamp("2026-09-12") and row["¥bn"] == pytest.approx(-1522.8)
    r = risk_frame(real_store).set_index("measure")["value"]
    assert float(r["carry / vol63"]) == pytest.approx(float(r["carry r$ − r¥"]) / float(r["realised vol 63d"]))
    assert r["CFTC leveraged funds net yen, 2026-08-04 (contracts)"] == -60825
