"""Positioning metrics (methods.md §6) checked against hand computations.

Real-file rows are read from ../shared/data/cftc_cot (file and line named in
each test); the expected figures are computed by hand in the test from the
long/short/open-interest numbers printed in those rows.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yenflow.analytics.positioning import (
    JPY_PER_CONTRACT,
    cot_index,
    net_pct_open_interest,
    notional_usd_bn,
    positioning_table,
    rolling_percentile,
    weekly_change,
)
from yenflow.sources.cftc import CftcLegacy, CftcTff


def weekly(values: list[float], start: str = "2024-01-02") -> pd.Series:
    """Values on consecutive Tuesdays."""
    index = pd.date_range(start, periods=len(values), freq="7D")
    return pd.Series(values, index=index, dtype="float64")


def parse(path: Path) -> pd.DataFrame:
    return CftcTff().parse(path.read_bytes(), path.name).observations


def series(obs: pd.DataFrame, series_id: str) -> pd.Series:
    return obs[obs["series_id"] == series_id].set_index("ref_date")["value"].sort_index()


@pytest.fixture(scope="module")
def tff_2026(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "cftc_cot" / "tff_futures_only_2026_to-2026-08-04" / "FinFutYY.txt"
    return CftcTff().parse(path.read_bytes(), path.name).observations


# ------------------------------------------------------------------ % of open interest


def test_net_pct_open_interest_real_week(shared_data: Path) -> None:
    # tff_futures_only_2024_partial/FinFutYY.txt line 74 (2024-06-11):
    # Lev_Money long 23310, short 110501, Open_Interest_All 319274
    path = shared_data / "cftc_cot" / "tff_futures_only_2024_partial" / "FinFutYY.txt"
    obs = CftcTff().parse(path.read_bytes(), path.name).observations
    pct = net_pct_open_interest(
        series(obs, "cot.jpy.tff.lev_funds.net"), series(obs, "cot.jpy.tff.open_interest")
    )
    by_hand = 100 * (23310 - 110501) / 319274  # = -27.3091...%
    assert pct[pd.Timestamp("2024-06-11")] == pytest.approx(by_hand, abs=1e-12)
    assert pct[pd.Timestamp("2024-06-11")] == pytest.approx(-27.3091, abs=1e-4)
    # CFTC's own rounded columns on that line: Pct_of_OI_Lev_Money_Long_All 7.3,
    # _Short_All 34.6 -> 7.3 - 34.6 = -27.3
    assert pct[pd.Timestamp("2024-06-11")] == pytest.approx(7.3 - 34.6, abs=0.1)
    # methods.md §6: ING (2024-08-02) put the net speculative position at 22% of open
    # interest, down from 48%; the samples stop at 2024-06-11, so no check of that here.


def test_net_pct_open_interest_alignment_and_zero_oi() -> None:
    net = weekly([-50.0, 20.0, 10.0])
    oi = weekly([200.0, 0.0])
    pct = net_pct_open_interest(net, oi)
    assert pct.iloc[0] == -25.0
    assert math.isnan(pct.iloc[1])  # zero open interest
    assert math.isnan(pct.iloc[2])  # no open interest that week


# ------------------------------------------------------------------ weekly change


def test_weekly_change_matches_cftc_change_columns(shared_data: Path) -> None:
    # tff_futures_only_2026/FinFutYY.txt line 71 (2026-06-09): lev long 91168, short 191012;
    # line 72 (2026-06-02): lev long 88645, short 176708. CFTC's own columns on line 71:
    # Change_in_Lev_Money_Long_All 2523, Change_in_Lev_Money_Short_All 14304.
    path = shared_data / "cftc_cot" / "tff_futures_only_2026" / "FinFutYY.txt"
    obs = CftcTff().parse(path.read_bytes(), path.name).observations
    change = weekly_change(series(obs, "cot.jpy.tff.lev_funds.net"))
    by_hand = (91168 - 191012) - (88645 - 176708)
    assert by_hand == 2523 - 14304 == -11781
    assert change[pd.Timestamp("2026-06-09")] == by_hand
    assert math.isnan(change.iloc[0])


def test_weekly_change_gaps_and_holiday_weeks() -> None:
    idx = pd.to_datetime(["2023-06-27", "2023-07-03", "2023-07-11", "2023-08-01"])
    net = pd.Series([10.0, 15.0, 5.0, 8.0], index=idx)
    change = weekly_change(net)
    assert change.iloc[1] == 5.0  # Monday report, 6 days later: still one week
    assert change.iloc[2] == -10.0  # 8 days later
    assert math.isnan(change.iloc[3])  # three weeks missing: not a weekly change


# ------------------------------------------------------------------ percentile


def test_rolling_percentile_small_series_by_hand() -> None:
    x = weekly([3, 1, 2, 3, 5, 3])
    p = rolling_percentile(x, window=4, min_periods=3)
    # by hand, window = last 4 values including t; P = 100*(#below + ½#equal incl. itself)/n
    # t=0,1: fewer than 3 values -> NaN
    # t=2: [3,1,2]   x=2: below {1}, equal 1    -> 100*1.5/3 = 50
    # t=3: [3,1,2,3] x=3: below {1,2}, equal 2  -> 100*3/4   = 75
    # t=4: [1,2,3,5] x=5: below 3, equal 1      -> 100*3.5/4 = 87.5
    # t=5: [2,3,5,3] x=3: below {2}, equal 2    -> 100*2/4   = 50
    assert p.iloc[:2].isna().all()
    assert p.iloc[2:].tolist() == pytest.approx([50.0, 75.0, 87.5, 50.0])


def test_rolling_percentile_ties_extremes_and_nan() -> None:
    flat = rolling_percentile(weekly([7, 7, 7, 7]), window=4, min_periods=2)
    assert flat.iloc[1:].tolist() == [50.0, 50.0, 50.0]  # all tied -> 50
    lowest = rolling_percentile(weekly([5, 4, 3, 2]), window=4, min_periods=2)
    assert lowest.iloc[1:].tolist() == pytest.approx([100 * 0.5 / 2, 100 * 0.5 / 3, 100 * 0.5 / 4])  # 25, 16.7, 12.5
    with_gap = weekly([1, np.nan, 2, 3])
    p = rolling_percentile(with_gap, window=3, min_periods=2)
    assert math.isnan(p.iloc[1])
    # NaN skipped: windows [1,2] -> (1 + ½)/2 and [1,2,3] -> (2 + ½)/3
    assert p.iloc[2] == pytest.approx(75.0) and p.iloc[3] == pytest.approx(250 / 3)
    with pytest.raises(ValueError, match="min_periods"):
        rolling_percentile(with_gap, window=3, min_periods=1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-200_000, 200_000), min_size=2, max_size=40))
def test_rolling_percentile_stays_in_0_100_and_matches_brute_force(values: list[int]) -> None:
    x = weekly([float(v) for v in values])
    p = rolling_percentile(x, window=5, min_periods=2)
    for t in range(1, len(values)):
        w = values[max(0, t - 4) : t + 1]
        below = sum(v < values[t] for v in w)
        equal = sum(v == values[t] for v in w)  # itself included
        assert p.iloc[t] == pytest.approx(100 * (below + 0.5 * equal) / len(w))
        assert 0 <= p.iloc[t] <= 100


# ------------------------------------------------------------------ COT index


def test_cot_index_by_hand() -> None:
    x = weekly([3, 1, 2, 3, 5, 3])
    idx = cot_index(x, window=4, min_periods=3)
    # t=2: [3,1,2] -> (2-1)/(3-1) = 50; t=3: [3,1,2,3] -> (3-1)/2 = 100
    # t=4: [1,2,3,5] -> (5-1)/4 = 100; t=5: [2,3,5,3] -> (3-2)/3 = 33.3
    assert idx.iloc[:2].isna().all()
    assert idx.iloc[2:].tolist() == pytest.approx([50.0, 100.0, 100.0, 100 / 3])
    assert cot_index(weekly([4, 4, 4]), window=3, min_periods=2).iloc[1:].isna().all()


# ------------------------------------------------------------------ notional


def test_notional_with_a_given_usdjpy(tff_2026: pd.DataFrame) -> None:
    # tff_futures_only_2026_to-2026-08-04/FinFutYY.txt line 95 (2026-08-04):
    # Lev_Money long 75758, short 136583 -> net -60825 contracts
    net = series(tff_2026, "cot.jpy.tff.lev_funds.net")
    usd = notional_usd_bn(net, 150.0)
    by_hand = (75758 - 136583) * 12_500_000 / 150.0 / 1e9  # = -5.0687...
    assert JPY_PER_CONTRACT == 12_500_000
    assert usd[pd.Timestamp("2026-08-04")] == pytest.approx(by_hand, rel=1e-12)
    assert usd[pd.Timestamp("2026-08-04")] == pytest.approx(-5.06875, abs=1e-9)


def test_notional_as_of_join_uses_last_fixing_on_or_before() -> None:
    net = pd.Series(
        [-100_000.0, 40_000.0, 8_000.0],
        index=pd.to_datetime(["2024-07-09", "2024-07-16", "2024-09-03"]),
    )
    fix = pd.Series(
        [160.0, np.nan, 161.5, 158.0, 157.0],
        index=pd.to_datetime(
            ["2024-07-08", "2024-07-09", "2024-07-12", "2024-07-16", "2024-07-17"]
        ),
    )
    usd = notional_usd_bn(net, fix)
    # 07-09's fixing is missing ('.' in FRED): use 07-08 (160.0)
    assert usd.iloc[0] == pytest.approx(-100_000 * 12.5e6 / 160.0 / 1e9)
    assert usd.iloc[1] == pytest.approx(40_000 * 12.5e6 / 158.0 / 1e9)  # same-day fixing
    assert math.isnan(usd.iloc[2])  # last fixing 07-17 is 48 days old: stale, not used
    assert usd.iloc[2:].isna().all()
    early = notional_usd_bn(pd.Series([1.0], index=pd.to_datetime(["2024-07-01"])), fix)
    assert math.isnan(early.iloc[0])  # nothing on or before the date


def test_notional_keeps_an_unsorted_index() -> None:
    net = pd.Series([2.0, 1.0], index=pd.to_datetime(["2024-07-16", "2024-07-09"]))
    fix = pd.Series([125.0, 100.0], index=pd.to_datetime(["2024-07-09", "2024-07-16"]))
    usd = notional_usd_bn(net, fix)
    assert usd.tolist() == pytest.approx([2 * 12.5e6 / 100 / 1e9, 1 * 12.5e6 / 125 / 1e9])


# ------------------------------------------------------------------ table


def test_positioning_table_real_2026(tff_2026: pd.DataFrame) -> None:
    fix = pd.Series([148.0], index=pd.to_datetime(["2026-08-03"]))
    table = positioning_table(tff_2026, usdjpy=fix, weeks=2, min_periods=20)
    assert list(table.columns) == [
        "report", "group", "ref_date", "net_contracts", "change_wow_contracts",
        "net_pct_oi", "net_percentile", "notional_usd_bn",
    ]
    assert sorted(table["group"].unique()) == sorted(
        ["dealer", "asset_mgr", "lev_funds", "other_rept", "nonrept"]
    )
    assert len(table) == 5 * 2
    lev = table[(table["group"] == "lev_funds")].set_index("ref_date")
    # lines 95/96 of tff_futures_only_2026_to-2026-08-04/FinFutYY.txt:
    # 2026-08-04 long 75758 short 136583 OI 419393; 2026-07-28 long 76752 short 178742
    row = lev.loc[pd.Timestamp("2026-08-04")]
    assert row["net_contracts"] == -60825
    assert row["change_wow_contracts"] == -60825 - (76752 - 178742)
    assert row["net_pct_oi"] == pytest.approx(100 * -60825 / 419393)
    assert row["notional_usd_bn"] == pytest.approx(-60825 * 12.5e6 / 148.0 / 1e9)
    assert math.isnan(lev.loc[pd.Timestamp("2026-07-28"), "notional_usd_bn"])  # no fixing yet
    # percentile of the net over the 31 weeks of 2026 (all within 3 years), by hand from the parsed series,
    # the value itself included: ties (itself) count half
    net = series(tff_2026, "cot.jpy.tff.lev_funds.net")
    by_hand = 100 * ((net < -60825).sum() + 0.5 * (net == -60825).sum()) / len(net)
    assert row["net_percentile"] == pytest.approx(by_hand)
    # with the default 52-report minimum, 31 weeks are not enough
    assert positioning_table(tff_2026)["net_percentile"].isna().all()
    assert positioning_table(tff_2026)["notional_usd_bn"].isna().all()


def test_positioning_table_later_frames_win_and_reports_combine(shared_data: Path) -> None:
    cot = shared_data / "cftc_cot"
    old = parse(cot / "tff_futures_only_2026/FinFutYY.txt")
    new = old.copy()
    new.loc[new["series_id"] == "cot.jpy.tff.lev_funds.net", "value"] += 1.0  # a "revision"
    api = cot / "api_legacy_futures_only" / "cftc-cot-jpy-legacy-futures-only.json"
    leg = CftcLegacy().parse(api.read_bytes(), api.name).observations
    table = positioning_table(old, new, leg, weeks=1)
    lev = table[table["group"] == "lev_funds"].iloc[0]
    assert lev["net_contracts"] == (91168 - 191012) + 1  # 2026-06-09, revised value wins
    non = table[(table["report"] == "legacy") & (table["group"] == "noncomm")].iloc[0]
    assert non["ref_date"] == pd.Timestamp("2026-09-22")
    assert non["net_contracts"] == 192274 - 120292
    assert non["net_pct_oi"] == pytest.approx(100 * 71982 / 378701)
    with pytest.raises(ValueError, match="no cot.jpy"):
        positioning_table(old[old["series_id"].str.endswith("open_interest")])


def test_bloomberg_reference_largest_net_short_since_may_2022(shared_data: Path) -> None:
    # methods.md §6: Bloomberg (2023-07-17) called the leveraged-fund net short for the week
    # to 2023-07-11 "the largest since May 2022" (58,099 contracts; the futures-only file
    # says 58,250, see test_sources_cftc). Check the "largest since" claim on the files.
    cot = shared_data / "cftc_cot"
    frames = [
        parse(cot / "tff_futures_only_2022/FinFutYY.txt"),
        parse(cot / "fut_fin_txt_2023.zip"),
    ]
    net = pd.concat([series(f, "cot.jpy.tff.lev_funds.net") for f in frames]).sort_index()
    week = pd.Timestamp("2023-07-11")
    earlier = net[net.index < week]
    last_as_short = earlier[earlier <= net[week]].index.max()
    assert net[week] == -58250
    assert last_as_short == pd.Timestamp("2022-05-17")  # -60,550 contracts
