"""The composite's arithmetic, its weights file, and the component formulas on
real figures (BOJ decisions from the shipped MPM table; JGB 20Y auction
bid-to-covers as stored from MOF's auction files)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yenflow.analytics import context
from yenflow.analytics import signals as sg
from yenflow.store import Store
from yenflow.views.market import Market


def test_composite_is_the_weighted_mean_of_the_available_components() -> None:
    idx = pd.DatetimeIndex(["2026-06-25", "2026-06-26", "2026-06-29"])
    z = pd.DataFrame({"foreign_jgb_selling": [2.0, 1.0, np.nan], "yen_weakness": [-1.0, np.nan, np.nan],
                      "boj_policy": [1.0, 1.0, 1.0]}, index=idx)
    comp, contrib = sg.composite(z, {"foreign_jgb_selling": 2.0, "yen_weakness": 1.0, "boj_policy": 1.0})
    # 2·2 − 1 + 1 over 4;  (2·1 + 1) over 3 (yen missing: its weight leaves the denominator); only 1 of 4 weight left: none
    assert comp.iloc[0] == pytest.approx(4 / 4) and comp.iloc[1] == pytest.approx(3 / 3) and np.isnan(comp.iloc[2])
    assert contrib.loc[idx[0]].tolist() == pytest.approx([1.0, -0.25, 0.25])
    assert contrib.loc[idx[0]].sum() == pytest.approx(comp.iloc[0])
    assert np.isnan(contrib.at[idx[1], "yen_weakness"])


def test_weight_zero_drops_a_component() -> None:
    z = pd.DataFrame({"foreign_jgb_selling": [3.0], "yen_weakness": [-3.0]}, index=pd.DatetimeIndex(["2026-07-02"]))
    comp, contrib = sg.composite(z, {"foreign_jgb_selling": 1.0, "yen_weakness": 0.0})
    assert comp.iloc[0] == 3.0 and list(contrib.columns) == ["foreign_jgb_selling"]


def test_shipped_weights_file_gives_every_component_weight_one() -> None:
    w = sg.default_weights()
    assert w == {c.name: 1.0 for c in sg.COMPONENTS}


@pytest.mark.parametrize("text, message", [
    ("[weights]\nforeign_jgb_selling = 1\nyen_strength = 2\n",
     "w.toml: weights.yen_strength: not a component; one of: auction_weakness, foreign_jgb_selling"),
    ("[weights]\nboj_policy = -1\n", "w.toml: weights.boj_policy: -1 is not a weight (a number ≥ 0)"),
    ("[weights]\nboj_policy = \"high\"\n", "w.toml: weights.boj_policy: 'high' is not a weight"),
    ("[weights]\nboj_policy = 0\n", "w.toml: every weight is 0"),
    ("boj_policy = 1\n", "w.toml: needs a [weights] table"),
    ("[weights\n", "w.toml: not valid TOML"),
])
def test_bad_weights_get_one_line_naming_the_field(text: str, message: str) -> None:
    with pytest.raises(sg.WeightsError) as e:
        sg.parse_weights(text, "w.toml")
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


def test_standardise_is_the_context_zscore_over_three_years_clipped() -> None:
    idx = pd.bdate_range("2020-01-01", periods=900)
    raw = pd.Series(np.r_[np.zeros(899), 1e6] + np.sin(np.arange(900)), index=idx)
    z = sg.standardise(raw)
    assert np.isnan(z.iloc[250]) and not np.isnan(z.iloc[251])  # 252 values needed
    last = raw.loc[idx[-1] - pd.Timedelta(days=1094):]  # the 3 calendar years to the last date, itself included
    assert z.iloc[-1] == 4.0 and (raw.iloc[-1] - last.mean()) / last.std() > 4  # clipped
    x = raw.iloc[:600]
    manual = (x.iloc[-1] - x.loc[x.index[-1] - pd.Timedelta(days=1094):].mean()) / x.loc[x.index[-1] - pd.Timedelta(days=1094):].std()
    assert sg.standardise(x).iloc[-1] == pytest.approx(manual)


def test_rolling_zscore_equals_the_loop_rule(real_store: Store) -> None:
    """context.zscore for every date (one rolling pass) = the per-date rule of the same module."""
    s = Market(real_store).series("mof.weekly.foreign.bonds.net").loc["2014":]
    fast = context.zscore(s, window=156, min_periods=26)
    slow = context.zscore(s, at=s.index, window=156, min_periods=26)
    pd.testing.assert_series_equal(fast, slow, rtol=1e-9, check_names=False)
    fast = context.zscore(s, window="1095D", min_periods=52)
    slow = context.zscore(s, at=s.index, window="1095D", min_periods=52)
    pd.testing.assert_series_equal(fast, slow, rtol=1e-9, check_names=False)


def test_boj_policy_steps_on_the_shipped_decisions(real_store: Store) -> None:
    """MPM table: 0.75 % from 2025-12-22, 1.00 % from 2026-06-17 (decided 06-16)."""
    level = Market(real_store).series("rate.boj.policy_target")
    daily = level.reindex(pd.date_range("2016-02-16", "2026-12-31")).ffill()
    steps = sg.policy_steps(daily)
    assert steps["2026-06-16"] == 0.0  # the December hike is 176 days back; June's is effective tomorrow
    assert steps["2026-06-17"] == 1.0 and steps["2026-09-15"] == 1.0 and steps["2026-09-16"] == 0.0
    assert steps["2025-12-22"] == 1.0 and steps["2026-03-22"] == 1.0 and steps["2026-03-23"] == 0.0


def test_auction_percentile_of_the_weak_20y_auction(real_store: Store) -> None:
    """2026-06-25 20Y: bid-to-cover 2.97, the lowest of it and the previous 12 (3.08–4.82 since 2025-06-24):
    percentile 100·½/13 = 3.85 — the auctions view's rule."""
    btc = Market(real_store).series("auction.jgb.20y.bid_to_cover")
    window = btc.loc["2025-06-24":"2026-06-25"]
    assert len(window) == 13 and window.idxmin() == pd.Timestamp("2026-06-25")
    pct = sg.auction_percentile(btc)
    assert pct["2026-06-25"] == pytest.approx(100 * 0.5 / 13)
    weak = sg.auction_weakness({"20y": pct.loc[["2026-06-25"]]}, {})
    assert weak.iloc[0] == pytest.approx(100 - 100 * 0.5 / 13)


def test_momentum_uses_the_last_fixing_91_days_back() -> None:
    s = pd.Series([100.0, 110.0, 121.0], index=pd.DatetimeIndex(["2026-01-02", "2026-04-03", "2026-04-06"]))
    m = sg.momentum_pct(s)
    assert np.isnan(m.iloc[0]) and m.iloc[1] == pytest.approx(10.0) and m.iloc[2] == pytest.approx(21.0)
