"""Nikkei Stock Average daily CSV (cp932, quoted values, copyright footer)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.nikkei import NikkeiStockAverage

FIX = Path(__file__).parent / "fixtures" / "nikkei" / "nikkei_daily_small.csv"
NAME = "nikkei_stock_average_daily_en.csv"


def _parse(raw: bytes) -> pd.Series:
    obs = NikkeiStockAverage().parse(raw, NAME).observations
    return obs.set_index(["series_id", "ref_date"])["value"]


def test_real_file(shared_data: Path) -> None:
    raw = (shared_data / "equities" / NAME).read_bytes()
    p = NikkeiStockAverage().parse(raw, NAME)
    v = p.observations.set_index(["series_id", "ref_date"])["value"]
    day = pd.Timestamp("2024-08-05")
    # line 392: "2024/08/05","31458.42","35249.36","35301.18","31156.12"
    assert v[("equity.nikkei225.close", day)] == 31458.42
    assert v[("equity.nikkei225.open", day)] == 35249.36
    assert v[("equity.nikkei225.high", day)] == 35301.18
    assert v[("equity.nikkei225.low", day)] == 31156.12
    # line 391 (2024/08/02 close 35909.70), line 2 (first day), line 862 (last day)
    assert v[("equity.nikkei225.close", pd.Timestamp("2024-08-02"))] == 35909.70
    assert v[("equity.nikkei225.close", pd.Timestamp("2023-01-04"))] == 25716.86
    assert v[("equity.nikkei225.close", pd.Timestamp("2026-07-10"))] == 68557.73
    obs = p.observations
    assert (obs.groupby("series_id").size() == 861).all()
    assert obs["ref_date"].dtype == "datetime64[ns]" and obs["value"].dtype == "float64"
    assert {s.unit for s in p.series} == {"index points"}


def test_fixture_cp932_footer_and_quotes() -> None:
    v = _parse(FIX.read_bytes())
    assert v[("equity.nikkei225.close", pd.Timestamp("2025-04-07"))] == 31136.58
    assert v[("equity.nikkei225.low", pd.Timestamp("2025-04-07"))] == 30792.74
    assert len(v) == 16  # 4 days x 4 fields; the copyright line is not data


def test_columns_found_by_label() -> None:
    lines = FIX.read_bytes().decode("cp932").split("\n")
    swapped = ["Date of Data,Low,High,Open,Close"]
    for ln in lines[1:5]:
        f = ln.split(",")
        swapped.append(",".join([f[0], f[4], f[3], f[2], f[1]]))
    raw = ("\n".join(swapped + lines[5:])).encode("cp932")
    assert _parse(raw).equals(_parse(FIX.read_bytes()))


def test_missing_marker_dropped() -> None:
    raw = FIX.read_bytes().replace(b'"33012.58"', b'"-"')
    v = _parse(raw)
    assert ("equity.nikkei225.close", pd.Timestamp("2025-04-08")) not in v.index
    assert v[("equity.nikkei225.open", pd.Timestamp("2025-04-08"))] == 32200.00


def _error(raw: bytes, match: str, row: int | None, cls: type = ParseError) -> None:
    with pytest.raises(cls, match=match) as e:
        NikkeiStockAverage().parse(raw, NAME)
    assert e.value.file == NAME and e.value.row == row
    assert NAME in str(e.value)


def test_missing_column() -> None:
    raw = FIX.read_bytes().replace(b"Date of Data,Close,Open,High,Low", b"Date,Close,Open,High,Low")
    _error(raw, "header Date of Data", 1)


def test_non_number_and_bad_date() -> None:
    _error(FIX.read_bytes().replace(b'"31714.03"', b'"31714.O3"'), r"a number \(ASCII digits\) in Close", 5)
    _error(FIX.read_bytes().replace(b'"2025/04/08"', b'"2025-04-08"'), "YYYY/MM/DD", 4)
    _error(FIX.read_bytes().replace(b'"2025/04/08"', b'"2025/02/30"'), "YYYY/MM/DD", 4)


def test_truncated_file() -> None:
    raw = FIX.read_bytes()
    cut = raw.index(b'"31714.03"') + 6  # inside the last data line
    _error(raw[:cut], "quoted fields", 5)
    cut = raw.index(b'"31600.00"') + 1  # right after the last field's opening quote
    _error(raw[:cut], "quoted fields", 5)


def test_high_below_low_is_validation_error() -> None:
    _error(FIX.read_bytes().replace(b'"32200.00","31600.00"', b'"31600.00","32200.00"'),
           "Low <= Open", 5, ValidationError)


def test_duplicate_date() -> None:
    _error(FIX.read_bytes().replace(b'"2025/04/08"', b'"2025/04/07"'), "one line per date", 4)


def test_not_cp932() -> None:
    _error(b"Date of Data,Close,Open,High,Low\n\x82\xff", "cp932", 2)


FULL = _parse(FIX.read_bytes())


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(FIX.read_bytes())))
def test_truncation_never_gives_a_wrong_number(cut: int) -> None:
    try:
        part = _parse(FIX.read_bytes()[:cut])
    except ParseError:
        return
    assert part.index.isin(FULL.index).all()
    assert (part == FULL[part.index]).all()
