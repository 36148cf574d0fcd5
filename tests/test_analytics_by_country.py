"""Flows by counterpart economy (analytics/by_country.py) on the real BoP flat file.

Expected values: bp_m_en.zip!bp_m_en.csv read with the csv module (row
BPPI6E1N9<cc> = non-residents' net purchases of Japanese securities by
economy, BPPI6E1N5 = all economies, 100 million yen), and MOF montha1.csv for
the ITS total (April 2025 foreigners' net purchases: equity 36,759 + long-term
debt 45,372 = 82,130; with short-term debt 117,466, 100 million yen)."""

from __future__ import annotations

import pandas as pd
import pytest

from yenflow.analytics import by_country as bc


@pytest.fixture(scope="module")
def flows(real_store: object) -> pd.DataFrame:
    cat = real_store.catalog("bop.country.liabilities.total.")  # type: ignore[attr-defined]
    ids = [i for i in cat["id"] if i.endswith(".net")]
    df = real_store.frame(ids)  # type: ignore[attr-defined]
    df.columns = [c.split(".")[4] for c in df.columns]
    return df


def test_april_2025_us_is_846_bn_not_8_tn(flows: pd.DataFrame) -> None:
    t = bc.rank_economies(flows, at="2025-04-30")
    assert t.attrs["total_jpy_bn"] == pytest.approx(12589.599430216)  # BPPI6E1N5 = 125895.99430216
    top = t.set_index("code")
    # GB 125898.35275064, SG 14139.20784, CI 13943.84006, US 8461.18011 (4th)
    assert list(t["code"][:4]) == ["gb", "sg", "ci", "us"]
    assert top.loc["us", "flow_jpy_bn"] == pytest.approx(846.118011)
    assert top.loc["us", "rank"] == 4
    assert top.loc["us", "share_of_total_pct"] == pytest.approx(100 * 8461.18011 / 125895.99430216)
    # shares of a net total: the U.K. alone is 100.0 % because Belgium and Luxembourg net-sold
    assert top.loc["gb", "share_of_total_pct"] == pytest.approx(100.00187, abs=1e-4)
    assert t["flow_jpy_bn"].iloc[-1] == pytest.approx(-1833.27907)  # BE -18332.7907, the largest seller
    assert set(t["kind"]) == {"economy"}


def test_regions_and_window_sum(flows: pd.DataFrame) -> None:
    t = bc.rank_economies(flows, at="2026-04-30", window=12, kinds=("economy", "region"))
    # 12 months to April 2026: US Σ BPPI6E1N9US 202505…202604 = 25084.8132125; total 402631.12039192
    us = t.set_index("code").loc["us"]
    assert us["flow_jpy_bn"] == pytest.approx(2508.48132125)
    assert t.attrs["total_jpy_bn"] == pytest.approx(40263.112039192)
    assert "ep" in set(t["code"]) and t.attrs["window"] == 12


def test_economy_history(flows: pd.DataFrame) -> None:
    h = bc.economy_history(flows, "us")
    # first month 2014-01 (BPPI6E1N9US = 4425.43382); April 2026 = 37181.0248625, the largest
    # US-located net buying since July 2025 (the last earlier month at least as large)
    assert h.index[0] == pd.Timestamp("2014-01-31") and h["flow_jpy_bn"].iloc[0] == pytest.approx(442.543382)
    last = h.loc["2026-04-30"]
    assert last["flow_jpy_bn"] == pytest.approx(3718.10248625)
    assert last["largest_since"] == pd.Timestamp("2025-07-31")
    assert last["sum_12p_jpy_bn"] == pytest.approx(2508.48132125)
    with pytest.raises(ValueError, match="no flows for economy 'xx'"):
        bc.economy_history(flows, "xx")


def test_beside_its(flows: pd.DataFrame, real_store: object) -> None:
    its = real_store.get("mof.monthly.foreign.total.net")  # type: ignore[attr-defined]
    b = bc.beside_its(flows["all"], its).loc["2025-04-30"]
    assert b["its_jpy_bn"] == pytest.approx(11746.6)
    assert b["bop_jpy_bn"] == pytest.approx(12589.599430216)
    assert b["bop_minus_its_jpy_bn"] == pytest.approx(12589.599430216 - 11746.6)


def test_kinds_and_bad_input() -> None:
    assert [bc.kind_of(c) for c in ("us", "ep", "ot", "eu", "all")] == [
        "economy", "region", "residual", "group", "total"]
    with pytest.raises(ValueError, match="total column 'all'"):
        bc.rank_economies(pd.DataFrame({"us": [1.0]}, index=pd.DatetimeIndex(["2025-04-30"])))
    df = pd.DataFrame({"us": [1.0], "all": [2.0]}, index=pd.DatetimeIndex(["2025-04-30"]))
    with pytest.raises(ValueError, match="reach before the first period"):
        bc.rank_economies(df, window=3)
