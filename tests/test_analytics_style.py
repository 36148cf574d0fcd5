"""TOPIX Value vs Growth (analytics/style.py), on the third-party re-exports loaded
the documented way (the `yenflow import` parser with --date-col Date --value-col Close).

Expected values: the Close column of ../shared/data/equities/topix_value_2009-2026_derived.csv
and topix_growth_2009-2026_derived.csv read by eye / with the csv module."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from yenflow.analytics.style import value_vs_growth
from yenflow.sources.user import ImportSpec, UserImport

FILES = {"value": "equities/topix_value_2009-2026_derived.csv",
         "growth": "equities/topix_growth_2009-2026_derived.csv"}


def _imported(shared: Path, which: str) -> pd.Series:
    spec = ImportSpec(series_id=f"user.equity.topix_{which}.close", unit="index points", frequency="daily",
                      date_col="Date", value_col="Close")
    obs = UserImport(spec).parse((shared / FILES[which]).read_bytes(), Path(FILES[which]).name).observations
    return obs.set_index("ref_date")["value"]


@pytest.fixture(scope="module")
def vg(shared_data: Path) -> pd.DataFrame:
    return value_vs_growth(_imported(shared_data, "value"), _imported(shared_data, "growth"))


def test_ratio_rebased_at_the_first_common_date(vg: pd.DataFrame) -> None:
    # 2009-03-24: Value 1001.29, Growth 952.68; 2026-06-17: Value 5046.97, Growth 4508.89
    assert vg.index[0] == pd.Timestamp("2009-03-24") and vg["ratio"].iloc[0] == 100.0
    assert vg.loc["2026-06-17", "ratio"] == pytest.approx(100 * (5046.97 / 4508.89) / (1001.29 / 952.68))


def test_rolling_returns_count_common_trading_days(vg: pd.DataFrame, shared_data: Path) -> None:
    # the two files share every date except one vendor row each on a weekend:
    # Growth 2024-06-30 (a Sunday) and Value 2026-04-11 (a Saturday); the join drops both
    assert pd.Timestamp("2024-06-30") not in vg.index and pd.Timestamp("2026-04-11") not in vg.index
    assert vg.attrs["only_growth"] == [pd.Timestamp("2024-06-30")]
    assert vg.attrs["only_value"] == [pd.Timestamp("2026-04-11")]
    closes = {}
    for which, rel in FILES.items():
        with open(shared_data / rel, newline="") as fh:
            closes[which] = {r["Date"]: float(r["Close"]) for r in csv.DictReader(fh)}
    common = sorted(set(closes["value"]) & set(closes["growth"]))
    i = common.index("2026-06-17")
    earlier = common[i - 21]
    assert earlier == "2026-05-20"  # 21 common trading days before 2026-06-17
    v0, g0 = closes["value"][earlier], closes["growth"][earlier]
    assert (v0, g0) == (4792.88, 4235.7)
    row = vg.loc["2026-06-17"]
    assert row["value_ret_21d_pct"] == pytest.approx(100 * (5046.97 / v0 - 1))
    assert row["growth_ret_21d_pct"] == pytest.approx(100 * (4508.89 / g0 - 1))
    assert row["rel_ret_21d_pct"] == pytest.approx(100 * ((5046.97 / v0) / (4508.89 / g0) - 1))
    assert pd.isna(vg["rel_ret_252d_pct"].iloc[251]) and pd.notna(vg["rel_ret_252d_pct"].iloc[252])


def test_bad_inputs() -> None:
    idx = pd.DatetimeIndex(["2026-01-05", "2026-01-06"])
    with pytest.raises(ValueError, match="no date in common"):
        value_vs_growth(pd.Series([1.0], index=idx[:1]), pd.Series([1.0], index=idx[1:]))
    with pytest.raises(ValueError, match="non-positive"):
        value_vs_growth(pd.Series([1.0, 0.0], index=idx), pd.Series([1.0, 1.0], index=idx))
    with pytest.raises(ValueError, match="base 2020-01-01"):
        value_vs_growth(pd.Series([1.0, 2.0], index=idx), pd.Series([1.0, 1.0], index=idx), base="2020-01-01")
