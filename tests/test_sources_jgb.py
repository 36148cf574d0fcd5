"""MOF JGB constant-maturity yields: real files, fixture quirks, corruption."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yenflow.errors import ParseError
from yenflow.sources.mof import jgb_yields
from yenflow.sources.mof.jgb_yields import SERIES_IDS, MofJgbYields

FIX = Path(__file__).parent / "fixtures" / "mof_jgb"
SOURCE = MofJgbYields()


def parse(raw: bytes, name: str = "jgbcme_all.csv") -> dict[tuple[str, str], float]:
    obs = SOURCE.parse(raw, name).observations
    return {(s, str(d.date())): v for s, d, v in zip(obs.series_id, obs.ref_date, obs.value)}


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def en_text() -> str:
    return fixture("jgbcme_all_small.csv").decode("ascii")


def parse_error(raw: bytes, name: str = "bad.csv") -> ParseError:
    with pytest.raises(ParseError) as info:
        SOURCE.parse(raw, name)
    assert name in str(info.value)
    return info.value


# --- real files (../shared/data/mof_jgb_yields) --------------------------------


@pytest.fixture(scope="module")
def real(shared_data: Path) -> dict[str, dict[tuple[str, str], float]]:
    folder = shared_data / "mof_jgb_yields"
    names = ("jgbcme_all.csv", "jgbcm_all.csv", "jgbcm_current_month_2025-10.csv")
    return {n: parse((folder / n).read_bytes(), n) for n in names}


def test_real_en_and_jp_history_identical(real: dict) -> None:
    en, jp = real["jgbcme_all.csv"], real["jgbcm_all.csv"]
    # 13,248 dates x 15 tenors minus 35,783 '-' cells (counted with awk)
    assert len(en) == 162_937
    assert en == jp


def test_real_values_at_named_dates(real: dict) -> None:
    en = real["jgbcme_all.csv"]
    # jgbcme_all.csv line 12788: 2024/8/5,0.167,…,0.781,1.259,1.576,1.833,1.956,2.157
    assert en[("jgb.1y", "2024-08-05")] == 0.167
    assert en[("jgb.10y", "2024-08-05")] == 0.781
    assert en[("jgb.30y", "2024-08-05")] == 1.956
    assert en[("jgb.40y", "2024-08-05")] == 2.157
    # line 13250 (last): 2026/6/30,1.165,…,2.69,3.271,3.625,3.883,3.873,3.792
    assert en[("jgb.1y", "2026-06-30")] == 1.165
    assert en[("jgb.10y", "2026-06-30")] == 2.69
    assert en[("jgb.40y", "2026-06-30")] == 3.792
    # line 3 (first): 1974/9/24,10.327,9.362,…,8.127,-,…  (no 10Y yet)
    assert en[("jgb.1y", "1974-09-24")] == 10.327
    assert en[("jgb.9y", "1974-09-24")] == 8.127
    assert ("jgb.10y", "1974-09-24") not in en
    # jgbcm_all.csv line 11484: H31.4.2,…,-0.053 (10Y, negative, Heisei 31)
    assert real["jgbcm_all.csv"][("jgb.10y", "2019-04-02")] == -0.053


def test_real_40y_missing_before_first_date(real: dict) -> None:
    en = real["jgbcme_all.csv"]
    days_40y = sorted(d for (s, d) in en if s == "jgb.40y")
    # jgbcme_all.csv line 8692: 2007/11/6 is the first 40Y figure (2.439); 8691 is '-'
    assert days_40y[0] == "2007-11-06"
    assert en[("jgb.40y", "2007-11-06")] == 2.439
    assert ("jgb.40y", "2007-11-05") not in en


def test_real_current_month_agrees_with_history(real: dict) -> None:
    current, history = real["jgbcm_current_month_2025-10.csv"], real["jgbcme_all.csv"]
    assert len(current) == 11 * 15  # R7.10.1 … R7.10.16, every tenor present
    assert {k: history[k] for k in current} == current
    # jgbcm_current_month_2025-10.csv line 3: R7.10.1,0.792,…,1.663,…,3.335
    assert current[("jgb.10y", "2025-10-01")] == 1.663


def test_real_frame_dtypes(shared_data: Path) -> None:
    raw = (shared_data / "mof_jgb_yields" / "jgbcm_current_month_2025-10.csv").read_bytes()
    parsed = SOURCE.parse(raw, "jgbcm.csv")
    obs = parsed.observations
    assert list(obs.columns) == ["series_id", "ref_date", "value"]
    assert str(obs.ref_date.dtype) == "datetime64[ns]"
    assert str(obs.value.dtype) == "float64"
    assert not obs.value.isna().any()
    assert [s.id for s in parsed.series] == list(SERIES_IDS.values())
    assert {s.unit for s in parsed.series} == {"%"}


# --- fixtures: each quirk ------------------------------------------------------


def test_fixture_en_history() -> None:
    obs = parse(fixture("jgbcme_all_small.csv"))
    assert obs[("jgb.1y", "1974-09-24")] == 9.101
    assert ("jgb.10y", "1974-09-24") not in obs  # '-' dropped, not zero
    assert ("jgb.1y", "1978-05-22") not in obs  # short tenors missing too
    assert ("jgb.40y", "2007-11-05") not in obs
    assert obs[("jgb.40y", "2007-11-06")] == 2.44
    assert obs[("jgb.2y", "2016-07-08")] == -0.352


def test_fixture_jp_history_equals_en() -> None:
    jp = parse(fixture("jgbcm_all_small.csv"), "jgbcm_all.csv")
    assert jp == parse(fixture("jgbcme_all_small.csv"))


def test_fixture_era_boundaries() -> None:
    days = {d for (_, d) in parse(fixture("jgbcm_all_small.csv"), "jgbcm_all.csv")}
    # S64.1.6 / H1.1.9 (1989) and H31.4.26 / R1.5.7 (2019): two eras in one year
    assert {"1989-01-06", "1989-01-09", "2019-04-26", "2019-05-07"} <= days
    assert "1974-09-24" in days  # S49 -> 1925 + 49


def test_fixture_gannen_spelling() -> None:
    raw = fixture("jgbcm_all_small.csv").replace(b"R1.5.7", "R元.5.7".encode("cp932"))
    assert ("jgb.1y", "2019-05-07") in parse(raw, "jgbcm_all.csv")


def test_fixture_en_current_month_with_bom() -> None:
    obs = parse(fixture("jgbcme_current_bom.csv"), "jgbcme.csv")
    assert len(obs) == 30
    assert obs[("jgb.40y", "2025-10-02")] == 3.35


def test_fixture_jp_current_month_blank_rows_and_footnote() -> None:
    jp = parse(fixture("jgbcm_current_small.csv"), "jgbcm.csv")
    assert jp == parse(fixture("jgbcme_current_bom.csv"), "jgbcme.csv")


def test_columns_mapped_by_label_not_position() -> None:
    lines = [line.split(",") for line in en_text().split("\r\n")[1:-1]]
    swapped = [cells[:1] + cells[15:16] + cells[1:15] for cells in lines]  # 40Y moved to column 2
    raw = ("Interest Rate\r\n" + "\r\n".join(",".join(c) for c in swapped) + "\r\n").encode()
    assert parse(raw) == parse(fixture("jgbcme_all_small.csv"))


# --- corruption -> ParseError naming file and row --------------------------------


def test_date_column_moved() -> None:
    raw = en_text().replace("Date,1Y,2Y", "1Y,Date,2Y").encode()
    err = parse_error(raw)
    assert err.row == 2 and "column 2" in str(err)


def test_renamed_header_label() -> None:
    err = parse_error(en_text().replace(",10Y,", ",10 Years,").encode())
    assert err.row == 2 and "10 Years" in str(err)


def test_missing_tenor_column() -> None:
    text = "\r\n".join(line.rsplit(",", 1)[0] for line in en_text().split("\r\n")[:-1]) + "\r\n"
    err = parse_error(text.encode())
    assert err.row == 2 and "40" in str(err)


def test_non_number() -> None:
    err = parse_error(en_text().replace("2.44", "2.4a").encode())
    assert err.row == 8 and "'2.4a'" in str(err)


def test_short_row() -> None:
    err = parse_error(en_text().replace(",2.44\r\n", "\r\n").encode())
    assert err.row == 8 and "16 fields" in str(err)


def test_truncated_file() -> None:
    raw = fixture("jgbcme_all_small.csv")[:-5]  # cut inside the last value
    err = parse_error(raw)
    assert err.row == 12 and "truncated" in str(err)


def test_dates_out_of_order() -> None:
    err = parse_error(en_text().replace("2016/7/8", "2006/7/8").encode())
    assert err.row == 9 and "2006/7/8" in str(err)


@pytest.mark.parametrize("bad", ["H32.1.6", "R1.4.30", "S1.1.1", "M45.7.1", "H19.13.5"])
def test_bad_era_dates(bad: str) -> None:
    raw = fixture("jgbcm_all_small.csv").replace(b"H19.11.5", bad.encode())
    err = parse_error(raw)
    assert err.row == 7 and bad in str(err)


def test_unit_other_than_percent() -> None:
    err = parse_error(en_text().replace("(Unit : %)", "(Unit : bp)").encode())
    assert err.row == 1 and "bp" in str(err)


def test_no_header() -> None:
    parse_error(b"Interest Rate\r\n1974/9/24,1,2\r\n")


def test_undecodable_bytes() -> None:
    parse_error(b"\xff\xfe\xfd\r\n")


def test_empty_line_is_not_data() -> None:
    err = parse_error(en_text().replace("\r\n2024/8/5", "\r\n\r\n2024/8/5").encode())
    assert err.row == 12


def test_file_specs() -> None:
    globs = [g for spec in SOURCE.files for g in spec.local_globs]
    assert "mof_jgb_yields/jgbcm_current_month*.csv" in globs
    assert {spec.mirror_path.rsplit("/", 1)[-1] for spec in SOURCE.files} == {
        "jgbcme_all.csv", "jgbcme.csv", "jgbcm_all.csv", "jgbcm.csv"}
    assert all(spec.url and spec.url.startswith("https://www.mof.go.jp/") for spec in SOURCE.files)


# --- property: random corruption never yields a wrong number ---------------------

FULL = parse(fixture("jgbcme_all_small.csv"))
FULL_JP = parse(fixture("jgbcm_all_small.csv"), "jgbcm_all.csv")


def _subset_or_error(raw: bytes, full: dict, name: str) -> None:
    try:
        got = parse(raw, name)
    except ParseError:
        return
    assert all(full.get(k) == v for k, v in got.items())


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(fixture("jgbcm_all_small.csv")) - 1))
def test_truncation_never_gives_wrong_numbers(cut: int) -> None:
    _subset_or_error(fixture("jgbcme_all_small.csv")[:cut], FULL, "jgbcme_all.csv")
    _subset_or_error(fixture("jgbcm_all_small.csv")[:cut], FULL_JP, "jgbcm_all.csv")


# digits and '-' are left out: swapping one digit for another is a plausible number
@settings(max_examples=300)
@given(pos=st.integers(min_value=0, max_value=len(en_text()) - 1),
       char=st.sampled_from(list("x,.;/ \n\r\"Y")))
def test_substitution_never_gives_wrong_numbers(pos: int, char: str) -> None:
    text = en_text()
    _subset_or_error((text[:pos] + char + text[pos + 1:]).encode(), FULL, "jgbcme_all.csv")


# --- vectorised reading vs the row-by-row reading -----------------------------------


def outcome(raw: bytes, name: str, row_by_row: bool = False) -> tuple:
    """("ok", every column as a list, dtypes) or ("error", message, row); with
    ``row_by_row`` the vectorised reading is switched off."""
    with pytest.MonkeyPatch.context() as mp:
        if row_by_row:
            mp.setattr(jgb_yields, "_read_fast", lambda *args: None)
        try:
            obs = SOURCE.parse(raw, name).observations
        except ParseError as e:
            return ("error", str(e), e.row)
    return ("ok", obs.to_dict("list"), [str(t) for t in obs.dtypes])


def test_real_files_vectorised_equals_row_by_row(shared_data: Path) -> None:
    for name in ("jgbcme_all.csv", "jgbcm_all.csv", "jgbcm_current_month_2025-10.csv"):
        raw = (shared_data / "mof_jgb_yields" / name).read_bytes()
        assert outcome(raw, name) == outcome(raw, name, row_by_row=True)


def test_real_files_take_the_vectorised_path(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_row_loop(*args: object) -> None:
        raise AssertionError("a well-formed file fell back to the row-by-row reading")

    monkeypatch.setattr(jgb_yields, "_read_exact", no_row_loop)
    for name in ("jgbcme_all.csv", "jgbcm_all.csv", "jgbcm_current_month_2025-10.csv"):
        SOURCE.parse((shared_data / "mof_jgb_yields" / name).read_bytes(), name)


# both paths: the same numbers, or the same ParseError (file, row, what was expected)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(pos=st.integers(min_value=0, max_value=len(fixture("jgbcm_all_small.csv")) - 1),
       char=st.sampled_from(list("x,.;/ \n\r\"Y-09SHR") + ["元", "１", "※"]),
       jp=st.booleans())
def test_vectorised_and_row_by_row_agree(pos: int, char: str, jp: bool) -> None:
    text = fixture("jgbcm_all_small.csv").decode("cp932") if jp else en_text()
    pos = min(pos, len(text) - 1)
    raw = (text[:pos] + char + text[pos + 1:]).encode("cp932" if jp else "utf-8")
    assert outcome(raw, "jgbcm_all.csv") == outcome(raw, "jgbcm_all.csv", row_by_row=True)


def test_stray_line_break() -> None:
    lines = en_text().split("\r\n")
    raw = ("\r\n".join(lines[:4]) + "\n" + "\r\n".join(lines[4:])).encode()  # LF ends line 4
    err = parse_error(raw)
    assert err.row == 4 and "CRLF line breaks" in str(err)


def test_date_outside_datetime64_range() -> None:
    # datetime64[ns] would wrap 2300 round to 1715: a ParseError, never a wrong date
    err = parse_error(en_text().replace("2016/7/8", "2300/7/8").encode())
    assert err.row == 9 and "1678-2261" in str(err) and "2300/7/8" in str(err)


def test_era_table_is_continuous() -> None:
    from yenflow.sources.mof import jgb_yields

    eras = sorted(jgb_yields._ERAS.values(), key=lambda e: e[1])
    for (_, _, last), (_, first, _) in zip(eras, eras[1:]):
        assert (first - last).days == 1
    assert eras[0][1] == date(1926, 12, 25)
