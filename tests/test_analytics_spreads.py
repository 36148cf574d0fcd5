"""UST–JGB spreads, curve slopes and percentile ranks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yenflow.analytics.spreads import curve_slope, curve_slopes, historical_percentile, tenor_spreads


def _curve(rows: dict[str, list[float]], dates: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=pd.DatetimeIndex(dates))


def test_tenor_spreads_match_tenors_and_dates() -> None:
    ust = _curve(
        {"3M": [4.3, 4.3], "2Y": [3.60, 3.58], "10Y": [4.26, 4.24], "30Y": [4.87, 4.85]},
        ["2026-01-21", "2026-01-22"],
    )
    jgb = _curve(
        {"2": [1.235, 1.24], "10y": [2.28, np.nan], "40Y": [3.788, 3.8]}, ["2026-01-21", "2026-01-23"]
    )
    got = tenor_spreads(ust, jgb)
    assert list(got.columns) == ["ust_jgb_2y_bp", "ust_jgb_10y_bp"]  # only tenors in both curves
    assert list(got.index) == [pd.Timestamp("2026-01-21")]  # dates matched exactly, never filled
    assert got.loc["2026-01-21", "ust_jgb_2y_bp"] == pytest.approx((3.60 - 1.235) * 100)
    assert got.loc["2026-01-21", "ust_jgb_10y_bp"] == pytest.approx((4.26 - 2.28) * 100)


def test_tenor_spreads_without_common_tenor_raises() -> None:
    with pytest.raises(ValueError, match="no tenor"):
        tenor_spreads(_curve({"2Y": [3.6]}, ["2026-01-21"]), _curve({"40Y": [3.8]}, ["2026-01-21"]))


def test_curve_slopes_in_bp() -> None:
    ust = _curve({"2Y": [3.60], "10Y": [4.26], "30Y": [4.87]}, ["2026-01-21"])
    jgb = _curve({"2Y": [1.235, 1.3], "10Y": [2.28, 2.3], "30Y": [3.647, 3.6]}, ["2026-01-21", "2026-01-26"])
    got = curve_slopes(ust, jgb)
    assert list(got.columns) == ["ust_2s10s_bp", "ust_10s30s_bp", "jgb_2s10s_bp", "jgb_10s30s_bp"]
    assert got.loc["2026-01-21"].tolist() == pytest.approx([66.0, 61.0, 104.5, 136.7])
    assert np.isnan(got.loc["2026-01-26", "ust_2s10s_bp"])
    with pytest.raises(ValueError, match="30Y"):
        curve_slope(_curve({"2Y": [1.0], "10Y": [2.0]}, ["2026-01-21"]), 10, 30)


def test_historical_percentile_latest_given_and_window() -> None:
    s = pd.Series(np.arange(1.0, 101.0), index=pd.date_range("2020-01-01", periods=100, freq="D"))
    assert historical_percentile(s) == pytest.approx(99.5)  # latest = max; ties count half
    assert historical_percentile(s, value=50.5) == pytest.approx(50.0)
    assert historical_percentile(s, value=0.0) == 0.0 and historical_percentile(s, value=1000.0) == 100.0
    assert historical_percentile(s, window=10) == pytest.approx(95.0)  # 9 below + ½ of itself, of 10
    assert historical_percentile(s, value=95.0, window="10D") == pytest.approx(
        45.0
    )  # of 91..100: 4 below + ½
    with_nan = pd.concat([s, pd.Series([np.nan], index=[pd.Timestamp("2021-01-01")])])
    assert historical_percentile(with_nan, value=50.5) == pytest.approx(50.0)
    with pytest.raises(ValueError, match="window"):
        historical_percentile(s, window="ten days")


@given(st.lists(st.floats(-500, 500, allow_nan=False), min_size=1, max_size=60))
def test_percentile_bounds_and_symmetry(values: list[float]) -> None:
    s = pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values)))
    p = historical_percentile(s)
    assert 0.0 < p <= 100.0  # the latest value is in its own history
    assert historical_percentile(-s) == pytest.approx(100.0 - p)


def _fred(path: Path) -> pd.Series:
    frame = pd.read_csv(path, parse_dates=[0])
    return pd.Series(frame.iloc[:, 1].to_numpy(dtype=float), index=pd.DatetimeIndex(frame.iloc[:, 0]))


@pytest.mark.shared_data
def test_real_spreads_on_2026_01_21(shared_data: Path) -> None:
    ytd = shared_data / "fred" / "2026_ytd"
    ust = pd.DataFrame({t: _fred(ytd / f"DGS{t}.csv") for t in (2, 5, 10, 30)})
    raw = pd.read_csv(shared_data / "mof_jgb_yields" / "jgbcme_all.csv", skiprows=1, na_values="-")
    jgb = raw.set_index(pd.to_datetime(raw.pop("Date"), format="%Y/%m/%d"))
    spreads = tenor_spreads(ust, jgb).loc["2026-01-21"]
    # FRED 2026_ytd DGS2/5/10/30 line 15: 3.60, 3.83, 4.26, 4.87;
    # MOF jgbcme_all.csv line 13143 (2026/1/21): 2Y 1.235, 5Y 1.687, 10Y 2.28, 30Y 3.647.
    assert spreads.to_dict() == pytest.approx(
        {"ust_jgb_2y_bp": 236.5, "ust_jgb_5y_bp": 214.3, "ust_jgb_10y_bp": 198.0, "ust_jgb_30y_bp": 122.3}
    )
    slopes = curve_slopes(ust, jgb).loc["2026-01-21"]
    # UST 2s10s 66 bp agrees with FRED T10Y2Y = 0.66 on 2026-01-21 (2026_ytd/T10Y2Y.csv line 15)
    assert slopes["ust_2s10s_bp"] == pytest.approx(66.0)
    assert slopes["jgb_2s10s_bp"] == pytest.approx(104.5)
