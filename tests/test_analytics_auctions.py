"""JGB auction analytics: percentiles, 'weakest since', flags; real workbook history."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yenflow.analytics.auctions import auction_metrics, latest_auctions, weakest_auctions
from yenflow.sources.mof.auctions import auction_table

WORKBOOK = "mof_auctions/jgb_historical_data.xls"


def _toy(btc: list[float], tails: list[float] | None = None, tenor: str = "10y") -> pd.DataFrame:
    n = len(btc)
    tails = tails if tails is not None else [0.05] * n
    return pd.DataFrame({
        "tenor": tenor,
        "auction_date": pd.date_range("2030-01-07", periods=n, freq="7D"),
        "bid_to_cover": btc,
        "tail_price": tails,
        "tail_bp": [t * 10 for t in tails],
    })


def test_percentile_formula_and_min_history() -> None:
    m = auction_metrics(_toy([3.0, 3.2, 3.4, 3.6, 3.8, 4.0, 3.5, 2.0]))
    assert m["btc_pct_12"].iloc[:6].isna().all()  # fewer than 6 earlier auctions
    # 3.5 among [3.0, 3.2, 3.4, 3.6, 3.8, 4.0, 3.5] (itself included): 3 below, 1 equal -> 100*3.5/7 = 50
    assert m["btc_pct_12"].iloc[6] == pytest.approx(50.0)
    # 2.0 below all 7 earlier auctions: 100*0.5/8 = 6.25, the lowest of 8 -> weak
    assert m["btc_pct_12"].iloc[7] == pytest.approx(6.25) and bool(m["weak_btc"].iloc[7])
    assert not bool(m["weak_btc"].iloc[6])


def test_ties_count_half() -> None:
    m = auction_metrics(_toy([3.0] * 7))
    assert m["btc_pct_all"].iloc[6] == pytest.approx(50.0)


def test_trailing_window_forgets_old_auctions() -> None:
    btc = [1.0] + [3.0 + 0.1 * i for i in range(12)] + [2.5]
    m = auction_metrics(_toy(btc))
    last = m.iloc[-1]
    # window = itself + the previous 12: the 1.0 from 13 auctions ago is outside it; 2.5 is the lowest of 13
    assert last["btc_pct_12"] == pytest.approx(100 * 0.5 / 13)
    # all 14 auctions: only the 1.0 is below -> 100*(1 + 0.5)/14
    assert last["btc_pct_all"] == pytest.approx(100 * 1.5 / 14)
    assert last["btc_weakest_since"] == m["auction_date"].iloc[0]


def test_weakest_and_widest_since() -> None:
    m = auction_metrics(_toy([3.0, 2.0, 4.0, 3.5, 2.5], tails=[0.05, 0.20, 0.01, 0.10, 0.15]))
    assert pd.isna(m["btc_weakest_since"].iloc[1])  # lowest on record
    assert m["btc_weakest_since"].iloc[2] == m["auction_date"].iloc[1]  # 4.0: last lower is 2.0
    assert m["btc_weakest_since"].iloc[3] == m["auction_date"].iloc[1]  # 3.5: 4.0 skipped
    assert m["btc_weakest_since"].iloc[4] == m["auction_date"].iloc[1]  # 2.0 < 2.5
    assert m["tail_widest_since"].iloc[4] == m["auction_date"].iloc[1]  # 0.20 > 0.15
    assert pd.isna(m["tail_widest_since"].iloc[1])


def test_wide_tail_flag_and_yield_auctions() -> None:
    tails = [0.05, 0.06, 0.04, 0.05, 0.07, 0.05, 0.30]
    m = auction_metrics(_toy([3.0] * 7, tails=tails))
    assert bool(m["wide_tail"].iloc[6]) and bool(m["weak"].iloc[6])
    forty = _toy([3.0, 3.1, 2.9, 3.2, 3.0, 3.3, 2.0], tails=[np.nan] * 7, tenor="40y")
    m40 = auction_metrics(forty)
    assert not m40["wide_tail"].any() and bool(m40["weak_btc"].iloc[6])
    assert m40["tail_widest_since"].isna().all()


def test_latest_and_errors() -> None:
    t = pd.concat([_toy([3.0, 3.1, 3.2]), _toy([2.0, 2.1], tenor="20y")], ignore_index=True)
    latest = latest_auctions(t, last=2)
    assert latest["tenor"].tolist() == ["10y", "10y", "20y", "20y"]
    assert latest_auctions(t, "10y", last=1)["bid_to_cover"].tolist() == [3.2]
    with pytest.raises(ValueError, match="`tenor`"):
        latest_auctions(t, "7y")
    with pytest.raises(ValueError, match="`by`"):
        weakest_auctions(t, "10y", by="yield")


# --------------------------------------------------------------------- real history
@pytest.fixture(scope="module")
def metrics(shared_data: Path) -> pd.DataFrame:
    return auction_metrics(auction_table((shared_data / WORKBOOK).read_bytes()))


def _one(m: pd.DataFrame, tenor: str, date: str) -> pd.Series:
    rows = m[(m["tenor"] == tenor) & (m["auction_date"] == pd.Timestamp(date))]
    assert len(rows) == 1
    return rows.iloc[0]


def _since_by_hand(m: pd.DataFrame, tenor: str, date: str, col: str, lower: bool) -> object:
    """Independent check: scan the tenor's history backwards in plain Python."""
    rows = m[m["tenor"] == tenor].sort_values("auction_date")
    me = _one(m, tenor, date)[col]
    earlier = rows[rows["auction_date"] < pd.Timestamp(date)]
    for d, v in zip(reversed(earlier["auction_date"].tolist()), reversed(earlier[col].tolist())):
        if (v <= me) if lower else (v >= me):  # "since the last time it was at least this low/high"
            return d
    return pd.NaT


def test_weakest_in_history(metrics: pd.DataFrame) -> None:
    # 10年債 row 168: 2002-09-20 No. 242, bids 11,852 = accepted 11,852 -> BTC 1.00
    w10 = weakest_auctions(metrics, "10y", n=2)
    assert w10["auction_date"].tolist() == [pd.Timestamp("2002-09-20"), pd.Timestamp("1999-08-24")]
    assert w10["bid_to_cover"].iloc[0] == 1.0
    # 20年債 row 13: 1989-05-11, 5,251 / 4,073 = 1.289
    w20 = weakest_auctions(metrics, "20y", n=1).iloc[0]
    assert w20["auction_date"] == pd.Timestamp("1989-05-11")
    assert w20["bid_to_cover"] == pytest.approx(5251 / 4073)
    # 30年債 row 8: 2000-05-17, 5,386 / 3,498 = 1.540
    w30 = weakest_auctions(metrics, "30y", n=1).iloc[0]
    assert w30["auction_date"] == pd.Timestamp("2000-05-17")
    assert w30["bid_to_cover"] == pytest.approx(5386 / 3498)
    # 10年債 row 177: 2003-07-03, average 99.40 - lowest 98.50 = 0.90 yen, the longest tail
    t10 = weakest_auctions(metrics, "10y", n=1, by="tail_price").iloc[0]
    assert t10["auction_date"] == pd.Timestamp("2003-07-03")
    assert t10["tail_price"] == pytest.approx(0.90)


def test_twenty_year_may_2025(metrics: pd.DataFrame) -> None:
    # 20年債 row 334: 2025-05-20 No. 192, bids 18,778 / accepted 7,509 = 2.50, tail 99.29-98.15
    r = _one(metrics, "20y", "2025-05-20")
    assert r["bid_to_cover"] == pytest.approx(18778 / 7509)
    assert r["tail_price"] == pytest.approx(1.14)
    # lowest BTC since 2012-08-23 (row 181: 26,003 / 10,941 = 2.38); none of rows 182-333
    # (2012-09-13 … 2025-04-17) was below 2.50
    assert r["btc_weakest_since"] == pd.Timestamp("2012-08-23")
    by_hand = _since_by_hand(metrics, "20y", "2025-05-20", "bid_to_cover", True)
    assert r["btc_weakest_since"] == by_hand
    # longest price tail since 1987-09-01 (row 6: 96.93 - 95.75 = 1.18)
    assert r["tail_widest_since"] == pd.Timestamp("1987-09-01")
    assert bool(r["weak_btc"]) and bool(r["wide_tail"])


def test_latest_auctions_real(metrics: pd.DataFrame) -> None:
    last10 = latest_auctions(metrics, "10y", last=3)
    assert last10["auction_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-04-02", "2026-05-12", "2026-06-02"]
    # 2026-06-02 (BTC 3.53): 2026-05-12 was 3.90 (higher), 2026-04-02 was 2.57 (lower)
    assert last10["btc_weakest_since"].iloc[-1] == pd.Timestamp("2026-04-02")
    # 2026-04-02 (BTC 2.565, tail 0.36 yen) was flagged weak on both counts
    first = last10.iloc[0]
    assert bool(first["weak_btc"]) and bool(first["wide_tail"])
    assert first["btc_weakest_since"] == _since_by_hand(metrics, "10y", "2026-04-02",
                                                         "bid_to_cover", True)
    assert first["tail_widest_since"] == pd.Timestamp("2024-08-06")  # 101.57-101.07 = 0.50
    assert first["tail_widest_since"] == _since_by_hand(metrics, "10y", "2026-04-02",
                                                        "tail_price", False)
    # 30Y 2026-06-10: 13,237 / 4,508 = 2.94, weakest since 2025-06-05 (17,669 / 6,048 = 2.92)
    r30 = latest_auctions(metrics, "30y", last=1).iloc[0]
    assert r30["bid_to_cover"] == pytest.approx(13237 / 4508)
    assert r30["btc_weakest_since"] == pd.Timestamp("2025-06-05")
    assert r30["btc_weakest_since"] == _since_by_hand(metrics, "30y", "2026-06-10",
                                                      "bid_to_cover", True)
    # 40Y latest (2026-05-27, 8,094 / 2,996 = 2.70): uniform-yield auction, no tail
    r40 = latest_auctions(metrics, "40y", last=1).iloc[0]
    assert r40["btc_weakest_since"] == pd.Timestamp("2026-03-24")  # 10,157 / 3,998 = 2.54
    assert pd.isna(r40["tail_widest_since"]) and not bool(r40["wide_tail"])


def test_percentiles_on_real_history(metrics: pd.DataFrame) -> None:
    r = _one(metrics, "10y", "2026-04-02")
    rows = metrics[metrics["tenor"] == "10y"].sort_values("auction_date")
    prior = rows[rows["auction_date"] < pd.Timestamp("2026-04-02")]["bid_to_cover"].tail(12)
    x = r["bid_to_cover"]
    # among itself and the previous 12 auctions; ties (itself included) count half
    expected = 100 * ((prior < x).sum() + 0.5 * ((prior == x).sum() + 1)) / 13
    assert r["btc_pct_12"] == pytest.approx(expected)
    assert r["btc_pct_12"] == pytest.approx(100 * 1.5 / 13)  # one of the previous 12 was lower
