"""Event study: forward changes, sample sizes and means checked by hand on a
small real slice (USD/JPY noon rates of the first half of 2024, read from
fred/DEXJPUS_2017-06_2026-07.csv with the csv module); the block bootstrap's
intervals checked against what theory says they must be."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yenflow.analytics import eventstudy as es


def _dexjpus(shared_data: Path) -> dict[date, float]:
    with open(shared_data / "fred" / "DEXJPUS_2017-06_2026-07.csv", newline="") as f:
        return {date.fromisoformat(r["observation_date"]): float(r["DEXJPUS"])
                for r in csv.DictReader(f) if r["DEXJPUS"]}


def _last_on_or_before(closes: dict[date, float], d: date) -> float:
    while d not in closes:
        d -= timedelta(days=1)
    return closes[d]


FRIDAYS = [date(2024, 1, 5) + timedelta(weeks=k) for k in range(26)]  # 2024-01-05 … 2024-06-28
EVENTS = {date(2024, 3, 1), date(2024, 5, 3), date(2024, 5, 10)}


def test_four_week_changes_after_events_by_hand(shared_data: Path) -> None:
    closes = _dexjpus(shared_data)
    # by hand: % change from the Friday's close (or the last before) to the last close on or before 4 weeks later
    change = {f: (_last_on_or_before(closes, f + timedelta(days=28)) / _last_on_or_before(closes, f) - 1) * 100
              for f in FRIDAYS}
    after = [change[f] for f in sorted(EVENTS)]
    # e.g. 2024-03-01: 150.20 → 2024-03-29: 151.22 (lines 1763 and 1783 of the file): +0.68 %
    assert closes[date(2024, 3, 1)] == 150.20 and closes[date(2024, 3, 29)] == 151.22
    assert change[date(2024, 3, 1)] == pytest.approx((151.22 / 150.20 - 1) * 100)

    prices = pd.Series(closes).sort_index()
    prices.index = pd.DatetimeIndex(prices.index)
    events = pd.Series([f in EVENTS for f in FRIDAYS], index=pd.DatetimeIndex(FRIDAYS))
    got = es.forward_change(prices, events.index, 4, "pct")
    assert got.to_numpy() == pytest.approx([change[f] for f in FRIDAYS])
    row = es.study(events, [es.Target("usdjpy", prices, "pct", "USD/JPY")], (4,), resamples=500).iloc[0]
    assert (row["n_weeks"], row["n_events"], row["n_episodes"]) == (26, 3, 2)  # 03-01; 05-03 + 05-10
    assert row["mean_after"] == pytest.approx(sum(after) / 3)
    assert row["mean_all"] == pytest.approx(sum(change.values()) / 26)
    assert row["excess"] == pytest.approx(sum(after) / 3 - sum(change.values()) / 26)
    assert row["share_up"] == pytest.approx(100 * sum(c > 0 for c in after) / 3)
    assert row["ci_low"] <= row["mean_after"] <= row["ci_high"]
    assert "Weak evidence: only 2 separate episodes" in row["reading"]


def test_yield_changes_are_in_bp_and_stop_where_the_data_stops() -> None:
    idx = pd.bdate_range("2026-06-01", "2026-06-30")
    y = pd.Series(np.linspace(1.0, 1.21, len(idx)), index=idx)  # +1 bp a business day
    got = es.forward_change(y, pd.DatetimeIndex(["2026-06-05", "2026-06-26"]), 1, "bp")
    assert got.iloc[0] == pytest.approx(5.0) and np.isnan(got.iloc[1])  # 07-03 is after the last close


def test_bootstrap_interval_of_a_constant_is_that_constant() -> None:
    events = pd.Series([k % 7 == 0 for k in range(200)], index=pd.date_range("2020-01-03", periods=200, freq="7D"))
    prices = pd.Series(100 * 1.01 ** np.arange(200 * 7 + 100), index=pd.date_range("2020-01-03", periods=200 * 7 + 100))
    row = es.study(events, [es.Target("x", prices, "pct", "x")], (1,), resamples=300).iloc[0]
    weekly = (1.01 ** 7 - 1) * 100
    assert row["mean_after"] == pytest.approx(weekly)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((weekly, weekly))
    assert (row["excess_ci_low"], row["excess_ci_high"]) == pytest.approx((0.0, 0.0), abs=1e-9)


def test_block_bootstrap_matches_the_textbook_interval_for_independent_weeks() -> None:
    """Independent weekly changes: the mean after k events has standard error σ/√k, so the 95 %
    interval is about ±1.96σ/√k wide (sampling error of 2,000 resamples: a few %)."""
    rng = np.random.default_rng(7)
    n = 2000
    change = rng.normal(0.0, 1.0, n)
    events = rng.random(n) < 0.2
    after, excess, dropped = es.bootstrap(events, change, 8, 2000, np.random.default_rng(1))
    k = events.sum()
    half = (np.percentile(after, 97.5) - np.percentile(after, 2.5)) / 2
    assert half == pytest.approx(1.96 * change[events].std(ddof=1) / np.sqrt(k), rel=0.12)
    assert dropped == 0 and len(after) == 2000
    # the excess removes the common mean: its interval is narrower than the mean's
    assert np.percentile(excess, 97.5) - np.percentile(excess, 2.5) < 2 * half


def test_overlapping_windows_widen_the_interval() -> None:
    """13-week changes of a random walk overlap: consecutive weeks share 12 of 13 steps. Blocks of 13
    weeks keep that dependence; blocks of 1 week would pretend the weeks are independent."""
    rng = np.random.default_rng(11)
    steps = rng.normal(0, 1, 3000)
    level = pd.Series(np.cumsum(steps), index=pd.date_range("2000-01-07", periods=3000, freq="7D"))
    change = (level.shift(-13) - level).dropna().to_numpy()
    events = (np.arange(len(change)) % 10) < 3  # runs of 3 event weeks
    a13, _, _ = es.bootstrap(events, change, 13, 1500, np.random.default_rng(2))
    a1, _, _ = es.bootstrap(events, change, 1, 1500, np.random.default_rng(2))
    assert np.percentile(a13, 97.5) - np.percentile(a13, 2.5) > 1.5 * (np.percentile(a1, 97.5) - np.percentile(a1, 2.5))


def test_same_seed_same_intervals() -> None:
    events = pd.Series([k % 5 == 0 for k in range(120)], index=pd.date_range("2015-01-02", periods=120, freq="7D"))
    prices = pd.Series(np.sin(np.arange(900) / 9.0) + 100, index=pd.date_range("2015-01-02", periods=900))
    t = [es.Target("x", prices, "pct", "x")]
    a, b = es.study(events, t, (4,), 400, seed=3), es.study(events, t, (4,), 400, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert es.study(events, t, (4,), 400, seed=4)["ci_low"].iloc[0] != a["ci_low"].iloc[0]


def test_episodes_count_runs_separated_by_more_than_the_horizon() -> None:
    e = np.array([1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1], dtype=bool)
    assert es.episodes(e, 2) == 3  # gaps of 3 and 6 weeks
    assert es.episodes(e, 4) == 2
    assert es.episodes(np.zeros(5, dtype=bool), 1) == 0
