"""Carry, realised vol, the long-USD/short-JPY carry index and drawdowns (methods.md §5)."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yenflow.analytics.carry import carry, carry_index, carry_to_vol, drawdowns, realised_vol


def _days(*dates: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(list(dates))


# --------------------------------------------------------------------------- carry and vol


def test_carry_aligns_rates_as_of_union_of_dates() -> None:
    sofr = pd.Series([5.33, 5.35], index=_days("2024-07-31", "2024-08-01"))
    tona = pd.Series([0.079, 0.227, 0.227], index=_days("2024-07-31", "2024-08-01", "2024-08-02"))
    got = carry(sofr, tona)
    assert got.index.tolist() == list(_days("2024-07-31", "2024-08-01", "2024-08-02"))
    assert got.tolist() == pytest.approx([5.33 - 0.079, 5.35 - 0.227, 5.35 - 0.227])


def test_realised_vol_of_a_known_series() -> None:
    log_returns = [0.01, -0.005, 0.02, 0.0, -0.015, 0.004]
    spot = pd.Series(
        150.0 * np.exp(np.cumsum([0.0, *log_returns])),
        index=pd.bdate_range("2024-01-01", periods=len(log_returns) + 1),
    )
    vol = realised_vol(spot, window=len(log_returns))
    expected = statistics.stdev(log_returns) * math.sqrt(252) * 100  # sample std, × √252, in %
    assert vol.iloc[-1] == pytest.approx(expected, rel=1e-12)
    assert vol.iloc[:-1].isna().all()
    # a constant-growth path has no volatility
    steady = pd.Series(100.0 * 1.001 ** np.arange(30), index=pd.bdate_range("2024-01-01", periods=30))
    assert realised_vol(steady, window=21).dropna().abs().max() < 1e-9


def test_realised_vol_skips_holidays_instead_of_filling() -> None:
    idx = pd.bdate_range("2024-01-01", periods=8)
    spot = pd.Series([150, 151, 149, 152, 150, 153, 151, 154], index=idx, dtype=float)
    with_holiday = spot.copy()
    with_holiday = pd.concat([with_holiday, pd.Series([np.nan], index=_days("2024-01-15"))]).sort_index()
    assert (
        realised_vol(with_holiday, window=5).dropna().tolist()
        == realised_vol(spot, window=5).dropna().tolist()
    )


def test_carry_to_vol() -> None:
    vol = pd.Series([10.0, 8.0, 0.0], index=_days("2024-08-01", "2024-08-02", "2024-08-05"))
    c = pd.Series([5.1, 5.0], index=_days("2024-07-31", "2024-08-02"))
    got = carry_to_vol(c, vol)
    assert got.tolist() == pytest.approx([0.51, 0.625])  # zero vol has no ratio
    assert carry_to_vol(4.0, vol).iloc[0] == pytest.approx(0.4)


# --------------------------------------------------------------------------- carry index


def test_carry_index_accrues_calendar_days_and_previous_rates() -> None:
    # Fri → Mon is Δ = 3 days at Friday's rates; a NY holiday (no spot) lengthens the interval too.
    idx = _days("2024-07-03", "2024-07-05", "2024-07-08")  # 07-04 US holiday: no fixing
    spot = pd.Series([161.48, 160.73, 160.77], index=idx)
    r_usd = pd.Series(
        [5.33, 5.31, 5.32, 5.34], index=_days("2024-07-03", "2024-07-05", "2024-07-08", "2024-07-09")
    )
    r_jpy = pd.Series(
        [0.077, 0.077, 0.076, 0.078], index=_days("2024-07-03", "2024-07-04", "2024-07-05", "2024-07-08")
    )
    out = carry_index(spot, r_usd, r_jpy)
    assert out["days"].tolist()[1:] == [2.0, 3.0]
    x1 = (160.73 / 161.48) * (1 + 0.0533 * 2 / 360) - (1 + 0.00077 * 2 / 365)  # rates of 07-03
    x2 = (160.77 / 160.73) * (1 + 0.0531 * 3 / 360) - (1 + 0.00076 * 3 / 365)  # rates of 07-05
    assert out["index"].tolist() == pytest.approx(
        [100.0, 100 * (1 + x1), 100 * (1 + x1) * (1 + x2)], rel=1e-12
    )
    parts = out[["spot_return", "carry_return", "cross_return"]].sum(axis=1)
    assert parts.iloc[1:].tolist() == pytest.approx(out["excess_return"].iloc[1:].tolist(), rel=1e-12)
    assert out["spot_index"].iloc[-1] == pytest.approx(100 * 160.77 / 161.48)


@given(st.floats(50.0, 300.0), st.integers(2, 60), st.floats(1.0, 1000.0))
def test_constant_spot_and_zero_rates_stay_at_base(s: float, n: int, base: float) -> None:
    idx = pd.bdate_range("2024-01-01", periods=n)
    zero = pd.Series(0.0, index=idx)
    out = carry_index(pd.Series(s, index=idx), zero, zero, base=base)
    assert (out["index"] == base).all()


def test_carry_index_stops_where_rates_end_and_rejects_interior_gaps() -> None:
    idx = pd.bdate_range("2024-01-01", periods=40)
    spot = pd.Series(150.0, index=idx)
    rates = pd.Series(1.0, index=idx[:20])
    out = carry_index(spot, rates, rates * 0)
    # last rate on idx[19]; carried at most 10 calendar days, plus the interval that starts on it
    assert out.index[-1] <= idx[19] + pd.Timedelta(days=14)
    gappy = pd.Series(1.0, index=idx.delete(range(10, 20)))  # a two-week hole
    with pytest.raises(ValueError, match="stale"):
        carry_index(spot, gappy, gappy * 0)


# --------------------------------------------------------------------------- drawdowns


def test_drawdowns_on_a_known_path() -> None:
    values = [100, 110, 105, 99, 104, 111, 108, 112, 90, 95]
    path = pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values)), dtype=float)
    table = drawdowns(path)
    assert len(table) == 3
    deep, mid, small = (table.iloc[i] for i in range(3))
    # 112 (01-08) → 90 (01-09), never recovered
    assert (deep["peak_date"], deep["trough_date"]) == (
        pd.Timestamp("2024-01-08"),
        pd.Timestamp("2024-01-09"),
    )
    assert pd.isna(deep["recovery_date"]) and math.isnan(deep["days_to_recover"])
    assert deep["depth_pct"] == pytest.approx((90 / 112 - 1) * 100)
    # 110 (01-02) → 99 (01-04) → back above 110 on 01-06 (111)
    assert (mid["peak_date"], mid["trough_date"], mid["recovery_date"]) == tuple(
        pd.Timestamp(d) for d in ("2024-01-02", "2024-01-04", "2024-01-06")
    )
    assert mid["depth_pct"] == pytest.approx(-10.0)
    assert (mid["days_to_trough"], mid["days_to_recover"]) == (2, 2.0)
    # 111 (01-06) → 108 (01-07) → 112 (01-08)
    assert small["depth_pct"] == pytest.approx((108 / 111 - 1) * 100)
    assert drawdowns(path, top=1)["peak_date"].tolist() == [pd.Timestamp("2024-01-08")]


def test_drawdowns_of_a_rising_path_is_empty() -> None:
    path = pd.Series([1.0, 2.0, 2.0, 3.0], index=pd.date_range("2024-01-01", periods=4))
    table = drawdowns(path)
    assert table.empty and "depth_pct" in table.columns


# --------------------------------------------------------------------------- real data


def _fred(path: Path) -> pd.Series:
    frame = pd.read_csv(path, parse_dates=[0])
    return pd.Series(frame.iloc[:, 1].to_numpy(dtype=float), index=pd.DatetimeIndex(frame.iloc[:, 0]))


@pytest.mark.shared_data
def test_august_2024_unwind_in_carry_index_drawdowns(shared_data: Path) -> None:
    spot = _fred(shared_data / "fred" / "DEXJPUS_2017-06_2026-07.csv")
    sofr = _fred(shared_data / "fred" / "SOFR.csv")
    tona = _fred(shared_data / "boj" / "japan-overnight-call-rate_STRDCLUCON_derived.csv")
    index = carry_index(spot, sofr, tona)["index"]
    table = drawdowns(index, top=5)
    # The episode holding the 2024-08-05 crash. Raw spot (DEXJPUS_2017-06_2026-07.csv, lines 1856, 1874,
    # 1903): 2024-07-10 161.73 (the carry-index peak), 2024-08-05 143.95, 2024-09-13 140.66.
    # Under the peak → recovery definition the index keeps falling after 5 Aug, so the episode's trough is
    # 2024-09-13, not 2024-08-05; the 5 Aug low is the first leg.
    hit = table[(table["peak_date"] <= "2024-08-05") & (table["recovery_date"] > "2024-08-05")]
    assert len(hit) == 1
    ep = hit.iloc[0]
    assert ep["peak_date"] == pd.Timestamp("2024-07-10")
    assert ep["trough_date"] == pd.Timestamp("2024-09-13")
    assert ep["recovery_date"] == pd.Timestamp("2025-01-08")
    # By hand: spot 140.66/161.73 − 1 = −13.028 %;
    # carry over 65 days ≈ 5.34·65/360 − (0.077·22 + 0.227·43)/365 ≈ 0.932 pp (SOFR.csv 5.31–5.38;
    # TONA 0.077 to 07-31, then 0.227) → 0.86972 × 1.00932 − 1 ≈ −12.22 %.
    assert abs(ep["depth_pct"] - (-12.22)) < 0.05
    # The 5 Aug leg alone: 143.95/161.73 − 1 = −10.994 %, plus 26 days of carry ≈ 0.378 pp → −10.66 %.
    assert abs((index["2024-08-05"] / index["2024-07-10"] - 1) * 100 - (-10.66)) < 0.05
    # Among the largest since SOFR starts (2018-04): second only to Oct-2022 → Jan-2023.
    assert table.index[table["peak_date"] == pd.Timestamp("2024-07-10")].tolist() == [1]
    assert table.iloc[0]["peak_date"] == pd.Timestamp("2022-10-20")
