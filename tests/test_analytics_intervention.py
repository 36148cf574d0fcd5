"""Intervention ledger, episodes and USD/JPY context, on the derived MOF daily file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yenflow.analytics.intervention import (
    episode_fx,
    episodes,
    ledger,
    operations_from_series,
)
from yenflow.sources.mof.intervention import derived_operations, operations, parse_derived_daily

DERIVED = "mof_intervention/interventions_daily_1991-2026_derived.csv"
DEXJPUS = "fred/DEXJPUS_2017-06_2026-07.csv"
FIXTURE_CSV = Path(__file__).parent / "fixtures" / "mof_intervention" / (
    "foreign_exchange_intervention_operations.csv")


def _ops(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime([r[0] for r in rows]),
        "pair": "usdjpy",
        "direction": [r[1] for r in rows],
        "amount": [r[2] for r in rows],
    })


def test_gap_rule_and_direction_change() -> None:
    ops = _ops([
        ("2030-01-07", "yen_buying", 100.0),  # Mon
        ("2030-01-11", "yen_buying", 50.0),  # Fri: 3 business days between -> same
        ("2030-01-18", "yen_buying", 10.0),  # next Fri: 4 between -> new episode
        ("2030-01-21", "yen_selling", 5.0),  # Mon, opposite direction -> new episode
    ])
    ep = episodes(ops)
    assert ep["start"].dt.strftime("%m-%d").tolist() == ["01-07", "01-18", "01-21"]
    assert ep["days"].tolist() == [2, 1, 1] and ep["amount"].tolist() == [150.0, 10.0, 5.0]
    assert ep["cum_yen_bought"].tolist() == [150.0, 160.0, 160.0]
    assert ep["cum_yen_sold"].tolist() == [0.0, 0.0, 5.0]
    assert len(episodes(ops, max_gap=4)) == 2


def test_ledger_on_fixture_csv() -> None:
    ops = operations(FIXTURE_CSV.read_bytes())
    year = ledger(ops, "year").set_index("period")
    assert year.loc[pd.Timestamp("1991-12-31"), "other"] == 139  # USD/DEM
    assert year.loc[pd.Timestamp("1991-12-31"), "gross"] == 139 + 563
    assert year.loc[pd.Timestamp("2011-12-31"), "yen_sold"] == 90917
    assert year.loc[pd.Timestamp("2024-12-31"), "net_yen_bought"] == 97885 + 55348
    assert year["cum_yen_sold"].iloc[-1] == 90917
    day = ledger(ops, "day")
    assert len(day) == 16 and day["days"].eq(1).all()
    with pytest.raises(ValueError, match="`by`"):
        ledger(ops, "week")


@pytest.fixture(scope="module")
def ops(shared_data: Path) -> pd.DataFrame:
    return derived_operations((shared_data / DERIVED).read_bytes())


def _episode(ep: pd.DataFrame, start: str) -> pd.Series:
    rows = ep[ep["start"] == pd.Timestamp(start)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_recent_episodes(ops: pd.DataFrame) -> None:
    ep = episodes(ops)
    # derived file rows: 2024-04-29 5918.5 bn and 2024-05-01 3870.0 bn (one business day apart)
    golden_week = _episode(ep, "2024-04-29")
    assert golden_week["end"] == pd.Timestamp("2024-05-01")
    assert (golden_week["days"], golden_week["amount"]) == (2, pytest.approx(97885.0))
    assert golden_week["direction"] == "yen_buying"
    # 2022: two separate episodes, 2022-09-22 (2838.2 bn) and 2022-10-21/24 (5620.2 + 729.6 bn)
    y2022 = ep[ep["start"].dt.year == 2022]
    assert y2022["start"].dt.strftime("%Y-%m-%d").tolist() == ["2022-09-22", "2022-10-21"]
    assert y2022["amount"].tolist() == pytest.approx([28382.0, 63498.0])
    assert y2022["end"].iloc[1] == pd.Timestamp("2022-10-24")
    # 2011-10-31 … 11-04: the big yen-selling day plus four undisclosed days
    oct2011 = _episode(ep, "2011-10-31")
    assert (oct2011["days"], oct2011["direction"]) == (5, "yen_selling")
    assert oct2011["amount"] == pytest.approx(80722 + 2826 + 2279 + 2028 + 3062)
    # 2026-04-30 (Thu), 05-04 (Mon), 05-06 (Wed): one episode, ¥11.7348 tn
    may2026 = _episode(ep, "2026-04-30")
    assert (may2026["end"], may2026["days"]) == (pd.Timestamp("2026-05-06"), 3)
    assert may2026["amount"] == pytest.approx(117348.0)


def test_ledger_on_derived_file(ops: pd.DataFrame) -> None:
    year = ledger(ops, "year").set_index("period")
    assert year.loc[pd.Timestamp("2022-12-31"), "yen_bought"] == pytest.approx(91880.0)
    assert year.loc[pd.Timestamp("2024-12-31"), "yen_bought"] == pytest.approx(153233.0)
    assert year.loc[pd.Timestamp("2024-12-31"), "days"] == 4
    month = ledger(ops, "month").set_index("period")
    assert month.loc[pd.Timestamp("2024-04-30"), "yen_bought"] == pytest.approx(59185.0)
    assert month.loc[pd.Timestamp("2024-05-31"), "yen_bought"] == pytest.approx(38700.0)
    # cumulative yen bought since 1991 = every yen-buying operation in the file
    total_bought = ops.loc[ops["direction"] == "yen_buying", "amount"].sum()
    assert year["cum_yen_bought"].iloc[-1] == pytest.approx(total_bought)


def test_usdjpy_around_episodes(ops: pd.DataFrame, shared_data: Path) -> None:
    fx = pd.read_csv(shared_data / DEXJPUS, parse_dates=["observation_date"])
    usdjpy = fx.set_index("observation_date")["DEXJPUS"].dropna()
    out = episode_fx(episodes(ops), usdjpy).set_index("start")
    # DEXJPUS (noon New York): 2024-04-26 157.62, 2024-04-29 156.71, 2024-05-06 153.85
    gw = out.loc[pd.Timestamp("2024-04-29")]
    assert (gw["usdjpy_before"], gw["usdjpy_first"], gw["usdjpy_after"]) == (157.62, 156.71, 153.85)
    assert gw["move_yen"] == pytest.approx(153.85 - 157.62)
    assert gw["move_pct"] == pytest.approx(100 * (153.85 / 157.62 - 1))
    assert gw["move_first_yen"] == pytest.approx(156.71 - 157.62)
    # 2022-09-21 144.14, 2022-09-22 142.16, 2022-09-29 144.45: the move faded within a week
    sep = out.loc[pd.Timestamp("2022-09-22")]
    levels = (sep["usdjpy_before"], sep["usdjpy_first"], sep["usdjpy_after"])
    assert levels == (144.14, 142.16, 144.45)
    # 2011 is before this vintage starts (2017-06-01): no levels, no error
    assert pd.isna(out.loc[pd.Timestamp("2011-10-31"), "usdjpy_before"])
    # 2026-04-29 160.23, 2026-04-30 156.66, five business days later (2026-05-07) 156.48
    apr = out.loc[pd.Timestamp("2026-04-30")]
    levels = (apr["usdjpy_before"], apr["usdjpy_first"], apr["usdjpy_after"])
    assert levels == (160.23, 156.66, 156.48)
    # a series ending before the target date gives NaN, not the last available level
    short = episode_fx(episodes(ops), usdjpy[:"2024-05-02"]).set_index("start")
    assert pd.isna(short.loc[pd.Timestamp("2024-04-29"), "usdjpy_after"])


def test_operations_from_series_roundtrip(ops: pd.DataFrame, shared_data: Path) -> None:
    obs = parse_derived_daily((shared_data / DERIVED).read_bytes())
    back = operations_from_series(obs)
    yen = ops[ops["direction"] != "other"]
    assert len(back) == len(yen)
    pd.testing.assert_frame_equal(episodes(back), episodes(yen))
