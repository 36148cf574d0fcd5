"""Statistics Bureau CPI CSVs (../shared/data/cpi/zmi2020aa.csv and zmi2020s.csv, cp932).

Expected values were read from the raw files with the csv module (cp932); line numbers
are 1-based lines of the file, columns 1-based (0001 all items is column 2 in both files;
in zmi2020aa 0161 is column 734, 0178 column 741, 0202 column 747, 0220 column 758;
in zmi2020s 0161 is column 3 and 0178 column 6)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yenflow.errors import FetchError, ParseError, ValidationError
from yenflow.sources.statbureau.cpi import StatBureauCpi, series_id

SOURCE = StatBureauCpi()
AA = "zmi2020aa.csv"
LT = "zmi2020s.csv"


def _raw(shared: Path, name: str) -> bytes:
    return (shared / "cpi" / name).read_bytes()


def _values(raw: bytes, name: str) -> pd.Series:
    return SOURCE.parse(raw, name).observations.set_index(["series_id", "ref_date"])["value"]


def test_by_item_file_3_decimals(shared_data: Path) -> None:
    p = SOURCE.parse(_raw(shared_data, AA), AA)
    v = p.observations.set_index(["series_id", "ref_date"])["value"]
    dec25, dec24 = pd.Timestamp("2025-12-31"), pd.Timestamp("2024-12-31")
    # line 78 (202512) and line 66 (202412)
    assert v[("cpi.jp.base2020.all_items", dec25)] == 113.012
    assert v[("cpi.jp.base2020.core", dec25)] == 112.216
    assert v[("cpi.jp.base2020.core_core", dec25)] == 111.506
    assert v[("cpi.jp.base2020.goods", dec25)] == 121.951
    assert v[("cpi.jp.base2020.services", dec25)] == 103.908
    assert v[("cpi.jp.base2020.core", dec24)] == 109.616
    # line 83, the last month (202605): 0001 = 113.549 (MANIFEST §15.1 quotes the same)
    assert v[("cpi.jp.base2020.all_items", pd.Timestamp("2026-05-31"))] == 113.549
    obs = p.observations
    assert obs.groupby("series_id").size().tolist() == [77] * 5  # 2020-01 → 2026-05
    assert (obs["period_start"] == obs["ref_date"] - pd.offsets.MonthBegin(1)).all()
    units = {s.id: s.unit for s in p.series}
    assert units[series_id(2020, "core")] == "index, 2020=100"


def test_long_term_series_1_decimal(shared_data: Path) -> None:
    v = _values(_raw(shared_data, LT), LT)
    # line 7: 197001,30.3,30.5,…  and line 664: 202410,109.5,108.8,…,108.1 (column 6 = 0178)
    assert v[("cpi.jp.base2020.longterm.all_items", pd.Timestamp("1970-01-31"))] == 30.3
    assert v[("cpi.jp.base2020.longterm.core", pd.Timestamp("1970-01-31"))] == 30.5
    assert v[("cpi.jp.base2020.longterm.all_items", pd.Timestamp("2024-10-31"))] == 109.5
    assert v[("cpi.jp.base2020.longterm.core", pd.Timestamp("2024-10-31"))] == 108.8
    assert v[("cpi.jp.base2020.longterm.core_core", pd.Timestamp("2024-10-31"))] == 108.1
    # the long-term file has no goods/services columns: those series are not claimed
    assert not any("goods" in s for s in v.index.get_level_values(0))


def test_columns_found_by_code_not_position(shared_data: Path) -> None:
    """Move the core column to position 2: the values must follow the code."""
    lines = _raw(shared_data, LT).decode("cp932").split("\r\n")
    swapped = []
    for ln in lines:
        f = ln.split(",")
        if len(f) > 3:
            f[1], f[2] = f[2], f[1]
        swapped.append(",".join(f))
    v = _values("\r\n".join(swapped).encode("cp932"), LT)
    assert v.equals(_values(_raw(shared_data, LT), LT))


def test_empty_cell_is_missing(shared_data: Path) -> None:
    raw = _raw(shared_data, LT).replace(b"\r\n202410,109.5,", b"\r\n202410,,")
    v = _values(raw, LT)
    assert ("cpi.jp.base2020.longterm.all_items", pd.Timestamp("2024-10-31")) not in v.index
    assert v[("cpi.jp.base2020.longterm.core", pd.Timestamp("2024-10-31"))] == 108.8


def test_base_year_checked_against_the_data(shared_data: Path) -> None:
    # the 2020-base file under a 2025-base name: 2025 averages ~112, not 100
    with pytest.raises(ValidationError, match=r"zmi2025aa.csv: expected all items to average 100 over 2025"):
        SOURCE.parse(_raw(shared_data, AA), "zmi2025aa.csv")


@pytest.mark.parametrize(("edit", "match", "row"), [
    (lambda r: r.replace(b",0161,", b",9999,"), r"expected item code 0161 \(all items less fresh food", 3),
    (lambda r: r.replace(b"\r\n202410,109.5,", b"\r\n202410,x9.5,"), r"index value or an empty cell for item 0001.*'x9.5'", 664),
    (lambda r: r.replace(b"\r\n202410,", b"\r\n2024-10,"), r"a data row starting with the month YYYYMM", 664),
    (lambda r: r.replace(b"\r\n202410,", b"\r\n202409,"), r"months in ascending order after 202409", 664),
    (lambda r: r[:-30], r"end with a line break", 664),
])
def test_layout_errors_name_file_and_row(shared_data: Path, edit: object, match: str, row: int | None) -> None:
    with pytest.raises(ParseError, match=match) as e:
        SOURCE.parse(edit(_raw(shared_data, LT)), LT)  # type: ignore[operator]
    assert e.value.file == LT and e.value.row == row and "[statbureau.cpi]" in str(e.value)


def test_file_name_must_carry_the_base(shared_data: Path) -> None:
    with pytest.raises(ParseError, match=r"zmi<base year>aa.csv"):
        SOURCE.parse(_raw(shared_data, AA), "cpi.csv")


def test_fetch_skips_a_base_not_online(shared_data: Path) -> None:
    from yenflow.http import Response

    body = _raw(shared_data, AA)

    def get(url: str, params: object = None) -> Response:
        if "zmi2025aa" in url:
            raise FetchError("statbureau.cpi", url, "HTTP 404", 404)
        return Response(url=url, status=200, content=body, etag=None, last_modified=None)

    files = list(SOURCE.fetch(get))
    assert [f.name for f in files] == [AA]

    def none(url: str, params: object = None) -> Response:
        raise FetchError("statbureau.cpi", url, "HTTP 404", 404)

    with pytest.raises(FetchError, match="none of the CPI bases is online"):
        list(SOURCE.fetch(none))


def test_in_real_store(real_store: object) -> None:
    s = real_store.get("cpi.jp.base2020.core")  # type: ignore[attr-defined]
    assert s[pd.Timestamp("2025-12-31")] == 112.216
    assert real_store.get("cpi.jp.base2020.longterm.core").index[0] == pd.Timestamp("1970-01-31")  # type: ignore[attr-defined]
