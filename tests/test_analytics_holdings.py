"""Holdings analytics, checked by hand on small series."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yenflow.analytics.holdings import (
    boj_jgb_share,
    change_over,
    extreme_since,
    foreign_jgb_share,
    holdings_table,
    japan_ust,
    jgb_shares,
    monthly_change,
    series_from_observations,
    share,
)


def _monthly(values: list[float], start: str = "2025-01-31") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="ME"),
                     dtype="float64")


def test_monthly_change_and_gap() -> None:
    s = _monthly([1100.0, 1110.5, 1090.0, 1095.0])
    s = s.drop(s.index[2])  # March missing: April's 1m change is unknown, not Apr − Feb
    ch = monthly_change(s)
    assert math.isnan(ch.iloc[0])
    assert ch.iloc[1] == pytest.approx(10.5)
    assert math.isnan(ch.iloc[2])


def test_share_and_japan_ust() -> None:
    japan = _monthly([1100.0, 1120.0, 1103.9])
    total = _monthly([8800.0, 8960.0, 9158.1])
    out = japan_ust(japan, total)
    assert list(out.columns) == ["holdings_usd_bn", "change_1m_usd_bn", "share_of_foreign_pct"]
    assert out["share_of_foreign_pct"].iloc[0] == pytest.approx(12.5)  # 1100 / 8800
    assert out["share_of_foreign_pct"].iloc[1] == pytest.approx(12.5)  # 1120 / 8960
    assert out["share_of_foreign_pct"].iloc[2] == pytest.approx(100 * 1103.9 / 9158.1)
    assert out["change_1m_usd_bn"].iloc[2] == pytest.approx(-16.1)
    # total missing on a date: share only where both exist
    assert len(share(japan, total.iloc[:2])) == 2


def test_change_over_12m_for_quarterly() -> None:
    q = pd.Series([100.0, 110.0, 105.0, 120.0, 130.0],
                  index=pd.to_datetime(["2024-12-31", "2025-03-31", "2025-06-30",
                                        "2025-09-30", "2025-12-31"]))
    assert math.isnan(change_over(q, 1).iloc[-1])
    assert change_over(q, 3).iloc[-1] == 10.0  # 130 − 120
    assert change_over(q, 12).iloc[-1] == 30.0  # 130 − 100


def test_holdings_table_hand_checked() -> None:
    s = _monthly([100.0, 120.0, 90.0, 110.0, 105.0, 115.0])  # Jan … Jun 2025
    rec = _monthly([1.0, 2.0, 3.0])
    t = holdings_table({"x": s, "rec": rec}).set_index("series_id")
    assert t.loc["x", "ref_date"] == pd.Timestamp("2025-06-30") and t.loc["x", "value"] == 115.0
    assert t.loc["x", "chg_1m"] == 10.0  # 115 − 105
    assert t.loc["x", "chg_3m"] == 25.0  # 115 − 90 (March)
    assert math.isnan(t.loc["x", "chg_12m"])
    assert t.loc["x", "max_since"] == pd.Timestamp("2025-02-28")  # highest since Feb's 120
    assert t.loc["x", "min_since"] == pd.Timestamp("2025-05-31")  # lowest since May's 105
    assert pd.isna(t.loc["rec", "max_since"])  # a record high over the sample
    assert t.loc["rec", "min_since"] == pd.Timestamp("2025-02-28")
    assert list(t.columns) == ["ref_date", "value", "chg_1m", "chg_3m", "chg_12m",
                               "max_since", "min_since"]


def _fof_frame() -> pd.DataFrame:
    q = pd.to_datetime(["2025-12-31", "2026-03-31"])
    rows = {"fof.jgb.total": [1200.0, 1310.0], "fof.jgb.boj": [505.0, 520.0],
            "fof.jgb.overseas": [270.0, 300.0], "fof.jgb.other": [425.0, 490.0],
            "fof.jgb_long.boj": [500.0, 520.0]}
    return pd.concat([pd.DataFrame({"series_id": k, "ref_date": q, "value": v})
                      for k, v in rows.items()], ignore_index=True)


def test_jgb_shares() -> None:
    obs = _fof_frame()
    sh = jgb_shares(obs).set_index(["series_id", "ref_date"])["value"]
    assert set(sh.index.get_level_values(0)) == {"fof.jgb.boj.share", "fof.jgb.overseas.share",
                                                 "fof.jgb.other.share"}
    assert sh[("fof.jgb.overseas.share", pd.Timestamp("2025-12-31"))] == pytest.approx(22.5)
    assert boj_jgb_share(obs).iloc[-1] == pytest.approx(100 * 520 / 1310)
    assert foreign_jgb_share(obs).iloc[0] == pytest.approx(22.5)  # 270 / 1200
    with pytest.raises(ValueError, match="fof.tbill.total"):
        jgb_shares(obs, prefix="fof.tbill")


def test_series_from_observations_and_bad_input() -> None:
    s = series_from_observations(_fof_frame(), "fof.jgb.boj")
    assert s.index.name == "ref_date" and list(s) == [505.0, 520.0]
    with pytest.raises(ValueError, match="`japan` must be indexed by ref_date"):
        japan_ust(pd.Series([1.0, 2.0]))
    daily = pd.Series([1.0, 2.0], index=pd.to_datetime(["2025-01-02", "2025-01-03"]))
    with pytest.raises(ValueError, match="more than one value in a month"):
        monthly_change(daily)


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1,
                max_size=30))
def test_extreme_since_property(values: list[float]) -> None:
    s = _monthly(values, "2020-01-31")
    hi = extreme_since(s, highest=True)
    after = s[s.index > hi] if not pd.isna(hi) else s
    assert after.iloc[-1] == after.max()  # latest is the max since that date
    if not pd.isna(hi):
        assert s[hi] > s.iloc[-1]
    lo = extreme_since(s, highest=False)
    after = s[s.index > lo] if not pd.isna(lo) else s
    assert after.iloc[-1] == after.min()
