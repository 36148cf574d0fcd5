"""Inflation and ex-post real rates on the real files (through the store built from
../shared/data). Expected values are computed here from raw values read off the files:

* cpi/zmi2020aa.csv (cp932): line 66 = 202412, line 78 = 202512; all items column 2,
  core (0161) column 734, core-core (0178) column 741.
* cpi/zmi2020s.csv: line 606 = 201912 (core 100.6), line 618 = 202012 (core 99.6), 1 decimal.
* fred/CPIAUCSL_1947-2026-04.csv: line 937 = 2024-12-01,317.604; line 949 = 2025-12-01,326.031;
  line 947 = 2025-10-01, (empty: not published).
* fred/DFF_2000-07_2026-07.csv line 9316: 2025-12-31,3.64.
* mof_jgb_yields/jgbcme_all.csv line 13131: 2025/12/30, 10Y = 2.066.
* fred/DGS10_1962-2025.csv line 16695: 2025-12-26,4.14 (the par-curve file ends 2025-12-19).
* BOJ target: 0.75% from 2025-12-22 (MPM of 2025-12-19), 0.50% from 2025-01-27 (yenflow's MPM table).
"""

from __future__ import annotations

import pandas as pd
import pytest

from yenflow.analytics import inflation as inf
from yenflow.analytics.conventions import asof_align

CORE_DEC25, CORE_DEC24 = 112.216, 109.616
ALL_DEC25, ALL_DEC24 = 113.012, 110.659
CC_DEC25, CC_DEC24 = 111.506, 108.387
US_DEC25, US_DEC24 = 326.031, 317.604
EFFR_DEC31 = 3.64
JGB10_DEC30 = 2.066
UST10_DEC26 = 4.14
DEC25 = pd.Timestamp("2025-12-31")


def _pct(a: float, b: float) -> float:
    return (a / b - 1) * 100


def _pieces(store: object, item: str) -> list:
    ids = [i for i in store.sql("SELECT id FROM series WHERE id LIKE 'cpi.jp.%'")["id"]]  # type: ignore[attr-defined]
    return inf.cpi_pieces({i: store.get(i) for i in ids}, item)  # type: ignore[attr-defined]


def test_yoy_within_a_base(real_store: object) -> None:
    core = real_store.get("cpi.jp.base2020.core")  # type: ignore[attr-defined]
    y = inf.yoy(core)
    assert y[DEC25] == pytest.approx(_pct(CORE_DEC25, CORE_DEC24), abs=1e-12)
    assert round(y[DEC25], 1) == 2.4  # the published core y/y for December 2025
    assert y.dropna().index[0] == pd.Timestamp("2021-01-31")  # the file starts 2020-01: no y/y before 2021-01


def test_us_yoy_skips_the_unpublished_october(real_store: object) -> None:
    us = inf.yoy(real_store.get("cpi.us.all_items_sa"))  # type: ignore[attr-defined]
    assert us[DEC25] == pytest.approx(_pct(US_DEC25, US_DEC24), abs=1e-12)
    assert pd.isna(us[pd.Timestamp("2025-10-31")])
    assert not pd.isna(us[pd.Timestamp("2026-07-31")]) and us.index[-1] == pd.Timestamp("2026-07-31")


def test_splice_prefers_the_3_decimal_file_then_the_long_term_series(real_store: object) -> None:
    pieces = _pieces(real_store, "core")
    assert [label for label, _ in pieces] == ["cpi.jp.base2020.core", "cpi.jp.base2020.longterm.core"]
    sp = inf.splice_yoy(pieces)
    assert sp.loc[DEC25, "source"] == "cpi.jp.base2020.core"
    assert sp.loc[DEC25, "yoy_pct"] == pytest.approx(_pct(CORE_DEC25, CORE_DEC24))
    # 2020-12 needs 2019-12, only in the long-term file: zmi2020s line 606 (201912) and 618 (202012)
    assert sp.loc[pd.Timestamp("2020-12-31"), "source"] == "cpi.jp.base2020.longterm.core"
    assert sp.loc[pd.Timestamp("2020-12-31"), "yoy_pct"] == pytest.approx(_pct(99.6, 100.6))
    assert sp.index[0] == pd.Timestamp("1971-01-31")
    assert sp.index.is_unique and sp.index[-1] == pd.Timestamp("2026-05-31")


def test_splice_across_a_rebase() -> None:
    """Hand-made 2025-base piece (2025-01 → 2026-06) over a 2020-base piece: y/y from 2026-01 comes
    from the new base; 2025 months from the old; levels are never divided across bases."""
    months = pd.date_range("2024-01-31", "2026-05-31", freq="ME")
    old = pd.Series([100 + i for i in range(len(months))], index=months, dtype=float)  # 2020 base
    new_m = pd.date_range("2025-01-31", "2026-06-30", freq="ME")
    new = pd.Series([90 + 0.5 * i for i in range(len(new_m))], index=new_m, dtype=float)  # 2025 base
    sp = inf.splice_yoy([("base2025", new), ("base2020", old)])
    assert sp.loc[pd.Timestamp("2025-12-31"), "source"] == "base2020"
    assert sp.loc[pd.Timestamp("2025-12-31"), "yoy_pct"] == pytest.approx(_pct(123, 111))
    assert sp.loc[pd.Timestamp("2026-01-31"), "source"] == "base2025"
    assert sp.loc[pd.Timestamp("2026-01-31"), "yoy_pct"] == pytest.approx(_pct(96, 90))
    assert sp.loc[pd.Timestamp("2026-06-30"), "yoy_pct"] == pytest.approx(_pct(98.5, 92.5))
    ch = inf.chain_index([("base2025", new), ("base2020", old)])
    factor = new[old.index.intersection(new.index)].mean() / old[old.index.intersection(new.index)].mean()
    assert ch.loc[pd.Timestamp("2024-06-30"), "index"] == pytest.approx(105 * factor)
    assert ch.loc[pd.Timestamp("2026-03-31"), "index"] == new[pd.Timestamp("2026-03-31")]
    with pytest.raises(ValueError, match="does not overlap"):
        inf.chain_index([("a", new), ("b", old[old.index < "2025-01-01"])])


def test_rates_in_force_at_month_end(real_store: object) -> None:
    months = pd.DatetimeIndex(["2025-01-31", "2025-11-30", "2025-12-31"])
    boj = asof_align(real_store.get("rate.boj.policy_target"), months)  # type: ignore[attr-defined]
    assert boj.tolist() == [0.5, 0.5, 0.75]  # 0.75 effective 2025-12-22
    ust = asof_align(real_store.get("ust.cmt.10y"), months, max_stale_days=7)  # type: ignore[attr-defined]
    assert ust[DEC25] == UST10_DEC26  # 2025-12-26 is 5 days before the month end
    stale = asof_align(real_store.get("ust.par.10y"), pd.DatetimeIndex([DEC25]), max_stale_days=7)  # type: ignore[attr-defined]
    assert pd.isna(stale[DEC25])  # the par file ends 2025-12-19: 12 days stale


def test_december_2025_real_policy_rates(real_store: object) -> None:
    months = pd.date_range("2025-01-31", "2026-05-31", freq="ME")
    jp = {m: inf.splice_yoy(_pieces(real_store, item)) for m, item in
          (("headline", "all_items"), ("core", "core"), ("core_core", "core_core"))}
    us = inf.yoy(real_store.get("cpi.us.all_items_sa"))  # type: ignore[attr-defined]
    rates = {
        "boj_target": asof_align(real_store.get("rate.boj.policy_target"), months),  # type: ignore[attr-defined]
        "effr": asof_align(real_store.get("rate.effr"), months, 7),  # type: ignore[attr-defined]
        "jgb_10y": asof_align(real_store.get("jgb.10y"), months, 7),  # type: ignore[attr-defined]
        "ust_10y": asof_align(real_store.get("ust.cmt.10y"), months, 7),  # type: ignore[attr-defined]
    }
    t = inf.inflation_table(jp, us, rates, months)
    row = t.loc[DEC25]
    core = _pct(CORE_DEC25, CORE_DEC24)
    us_y = _pct(US_DEC25, US_DEC24)
    assert row["jp_headline_yoy"] == pytest.approx(_pct(ALL_DEC25, ALL_DEC24))
    assert row["jp_core_core_yoy"] == pytest.approx(_pct(CC_DEC25, CC_DEC24))
    assert row["boj_target"] == 0.75
    assert row["real_boj_target"] == pytest.approx(0.75 - core)  # ≈ −1.62 pp: negative
    assert row["real_boj_target"] < 0
    assert row["real_effr"] == pytest.approx(EFFR_DEC31 - us_y)
    assert row["real_jgb_10y"] == pytest.approx(JGB10_DEC30 - core)
    assert row["real_ust_10y"] == pytest.approx(UST10_DEC26 - us_y)
    assert pd.isna(t.loc[pd.Timestamp("2025-10-31"), "real_effr"])  # no US CPI for October 2025
