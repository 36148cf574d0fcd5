"""BIS locational banking statistics, SDMX API CSV (../shared/data/bis/lbs/*.csv).

Expected values read from the raw files by eye / grep -n (1-based line numbers; the
columns are L_CP_COUNTRY, TIME_PERIOD, OBS_VALUE, OBS_STATUS, OBS_CONF, OBS_PRE_BREAK)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yenflow.errors import ParseError
from yenflow.sources.bis.lbs import BisLbs, series_id

SOURCE = BisLbs()
CLAIMS = "bis-lbs-claims-jp.csv"
LIABS = "bis-lbs-liabilities-jp.csv"
Q1_26 = pd.Timestamp("2026-03-31")


def _raw(shared: Path, name: str) -> bytes:
    return (shared / "bis" / "lbs" / name).read_bytes()


def _values(raw: bytes, name: str) -> pd.Series:
    return SOURCE.parse(raw, name).observations.set_index(["series_id", "ref_date"])["value"]


def test_claims_by_counterparty(shared_data: Path) -> None:
    p = SOURCE.parse(_raw(shared_data, CLAIMS), CLAIMS)
    v = p.observations.set_index(["series_id", "ref_date"])["value"]
    assert v[("bis.lbs.jp.claims.all_ccy.all", Q1_26)] == 5257195.619  # line 95: 5J,2026-Q1
    assert v[("bis.lbs.jp.claims.all_ccy.all", pd.Timestamp("2025-12-31"))] == 5098591.486  # line 94
    assert v[("bis.lbs.jp.claims.all_ccy.ky", Q1_26)] == 744099.76  # line 153
    assert v[("bis.lbs.jp.claims.all_ccy.us", Q1_26)] == 2379304.268  # line 215
    assert v[("bis.lbs.jp.claims.all_ccy.gb", Q1_26)] == 458048.538  # line 37
    assert v[("bis.lbs.jp.claims.all_ccy.intl_orgs", Q1_26)] == 14873.514  # line 93: 1C
    # dissolved economies keep their last quarter; the NaN break quarter is dropped
    assert v[("bis.lbs.jp.claims.all_ccy.yu", pd.Timestamp("1993-09-30"))] == 128.0  # line 204
    assert ("bis.lbs.jp.claims.all_ccy.yu", pd.Timestamp("1993-12-31")) not in v.index  # line 205: NaN,B,F,NaN
    assert not any(s == "bis.lbs.jp.claims.all_ccy.yu.pre_break" for s, _ in v.index)
    # line 3: AN,2010-Q4,NaN,B,F,4398.000 -> the pre-break value in its own series
    assert ("bis.lbs.jp.claims.all_ccy.an", pd.Timestamp("2010-12-31")) not in v.index
    assert v[("bis.lbs.jp.claims.all_ccy.an.pre_break", pd.Timestamp("2010-12-31"))] == 4398.0
    assert v[("bis.lbs.jp.claims.all_ccy.sd", pd.Timestamp("1979-06-30"))] == 5.0  # line 250: a single row
    assert len(p.observations) == 261 - 4 + 1  # 261 rows, 4 NaN, 1 pre-break value
    infos = {s.id: s for s in p.series}
    assert infos["bis.lbs.jp.claims.all_ccy.ky"].unit == "USD m"
    assert "Cayman Islands" in infos["bis.lbs.jp.claims.all_ccy.ky"].name
    assert "all countries" in infos["bis.lbs.jp.claims.all_ccy.all"].name
    obs = p.observations
    assert (obs["period_start"] == pd.to_datetime(obs["ref_date"]).dt.to_period("Q").dt.start_time).all()


def test_liabilities(shared_data: Path) -> None:
    v = _values(_raw(shared_data, LIABS), LIABS)
    assert v[("bis.lbs.jp.liabilities.all_ccy.all", Q1_26)] == 1673568.089  # line 3
    assert v[("bis.lbs.jp.liabilities.all_ccy.us", Q1_26)] == 525905.198  # line 200
    assert v[("bis.lbs.jp.liabilities.all_ccy.gb", Q1_26)] == 473663.377  # line 55
    assert v[("bis.lbs.jp.liabilities.all_ccy.ky", Q1_26)] == 6410.633  # line 170
    assert v[("bis.lbs.jp.liabilities.all_ccy.an.pre_break", pd.Timestamp("2010-12-31"))] == 11658.0  # line 13


def test_series_ids() -> None:
    assert series_id("JP", "C", "TO1", "5J") == "bis.lbs.jp.claims.all_ccy.all"
    assert series_id("JP", "L", "JPY", "US", "N") == "bis.lbs.jp.liabilities.jpy.us.nonbanks"


KY_Q1 = b"Q,S,C,A,TO1,A,5J,A,JP,A,KY,N,3,USD,6,K,,,E,E,2026-Q1,744099.76,A,F,"  # claims line 153


@pytest.mark.parametrize(("new", "match"), [
    (KY_Q1.replace(b",USD,", b",EUR,"), r"UNIT_MEASURE in \{USD\}.*'EUR'"),
    (KY_Q1.replace(b"Q,S,", b"Q,F,"), r"L_MEASURE in \{S\}"),
    (KY_Q1.replace(b"2026-Q1", b"2026Q1"), r"TIME_PERIOD as YYYY-Qn"),
    (KY_Q1.replace(b"744099.76", b"744,099.76"), r"fields, as in the header"),
    (KY_Q1.replace(b"744099.76", b"n/a"), r"a number or NaN in OBS_VALUE"),
])
def test_bad_rows_name_file_and_row(shared_data: Path, new: bytes, match: str) -> None:
    raw = _raw(shared_data, CLAIMS)
    assert raw.count(KY_Q1) == 1
    with pytest.raises(ParseError, match=match) as e:
        SOURCE.parse(raw.replace(KY_Q1, new), CLAIMS)
    assert e.value.file == CLAIMS and e.value.row == 153


def test_header_must_be_sdmx_csv() -> None:
    with pytest.raises(ParseError, match=r"row 1: expected a BIS SDMX CSV header with .*OBS_VALUE"):
        SOURCE.parse(b"DATAFLOW,KEY,TIME_PERIOD,VALUE\nx,y,2026-Q1,1\n", CLAIMS)


def test_in_real_store(real_store: object) -> None:
    s = real_store.get("bis.lbs.jp.claims.all_ccy.ky")  # type: ignore[attr-defined]
    assert s.loc["2026-03-31"] == 744099.76
    assert s.attrs["frequency"] == "quarterly"
