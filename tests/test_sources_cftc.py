"""CFTC Commitments of Traders: TFF and legacy yen positioning (cftc.tff, cftc.legacy).

Real values below were read by hand from the files in ../shared/data/cftc_cot
(file and line named in each test); fixture values are invented and live in
tests/fixtures/cftc/ (hand-made files in the official layouts).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yenflow.errors import ParseError
from yenflow.http import Response
from yenflow.sources.cftc import CftcLegacy, CftcTff
from yenflow.sources import zipsafe

FIX = Path(__file__).parent / "fixtures" / "cftc"
TFF_TXT = (FIX / "FinFutYY_small.txt").read_bytes()
LEGACY_TXT = (FIX / "annual_small.txt").read_bytes()
LEGACY_JSON = (FIX / "legacy_api_small.json").read_bytes()

TFF_GROUPS = ("dealer", "asset_mgr", "lev_funds", "other_rept", "nonrept")
LEGACY_GROUPS = ("noncomm", "comm", "nonrept")


# ------------------------------------------------------------------ helpers


def value(obs: pd.DataFrame, series_id: str, day: str) -> float:
    hit = obs[(obs["series_id"] == series_id) & (obs["ref_date"] == pd.Timestamp(day))]
    assert len(hit) == 1, f"{series_id} at {day}: {len(hit)} rows"
    return float(hit["value"].iloc[0])


def released(obs: pd.DataFrame, day: str) -> set[pd.Timestamp]:
    return set(obs.loc[obs["ref_date"] == pd.Timestamp(day), "released"])


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def tff(raw: bytes, name: str = "FinFutYY.txt") -> pd.DataFrame:
    return CftcTff().parse(raw, name).observations


def legacy(raw: bytes, name: str) -> pd.DataFrame:
    return CftcLegacy().parse(raw, name).observations


def lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\r\n")


def with_line(raw: bytes, n: int, new: bytes) -> bytes:
    """Replace 1-based line ``n`` of a CRLF file."""
    parts = lines(raw)
    parts[n - 1] = new
    return b"\r\n".join(parts)


# ------------------------------------------------------------------ TFF fixture


def test_tff_fixture_values_and_dtypes() -> None:
    obs = tff(TFF_TXT)
    assert list(obs.columns) == ["series_id", "ref_date", "value", "released"]
    assert str(obs["ref_date"].dtype) == "datetime64[ns]"
    assert str(obs["released"].dtype) == "datetime64[ns]"
    assert obs["value"].dtype == "float64" and not obs["value"].isna().any()
    # JPY rows only: the EURO FX row (099741) of the same week is skipped
    assert sorted(obs["ref_date"].dt.strftime("%Y-%m-%d").unique()) == [
        "2023-01-03", "2023-06-27", "2023-07-03", "2023-07-11",
    ]
    assert value(obs, "cot.jpy.tff.lev_funds.long", "2023-07-11") == 25000
    assert value(obs, "cot.jpy.tff.lev_funds.short", "2023-07-11") == 70000
    assert value(obs, "cot.jpy.tff.lev_funds.net", "2023-07-11") == -45000
    assert value(obs, "cot.jpy.tff.asset_mgr.net", "2023-07-11") == 20000 - 60000
    assert value(obs, "cot.jpy.tff.dealer.net", "2023-07-11") == 80000 - 10000
    assert value(obs, "cot.jpy.tff.nonrept.net", "2023-07-11") == 54500 - 45500
    assert value(obs, "cot.jpy.tff.open_interest", "2023-07-11") == 200000
    assert released(obs, "2023-07-11") == {pd.Timestamp("2023-07-14")}  # Tuesday + 3 = Friday


def test_tff_monday_report_is_released_that_friday() -> None:
    # 2023-07-04 was a US holiday: positions as of Monday 2023-07-03, released Friday 07-07
    obs = tff(TFF_TXT)
    assert released(obs, "2023-07-03") == {pd.Timestamp("2023-07-07")}


def test_tff_missing_marker_drops_leg_and_net_not_zero() -> None:
    obs = tff(TFF_TXT)  # Other_Rept_Positions_Short_All is "." on 2023-07-03
    assert value(obs, "cot.jpy.tff.other_rept.long", "2023-07-03") == 8100
    day = obs["ref_date"] == pd.Timestamp("2023-07-03")
    ids = set(obs.loc[day, "series_id"])
    assert "cot.jpy.tff.other_rept.short" not in ids
    assert "cot.jpy.tff.other_rept.net" not in ids
    assert len(ids) == 14


def test_tff_lf_file_parses_like_crlf() -> None:
    pd.testing.assert_frame_equal(tff(TFF_TXT.replace(b"\r\n", b"\n")), tff(TFF_TXT))


def test_tff_zip_gives_the_same_rows_as_txt() -> None:
    for member in ("FinFutYY.txt", "finfutyy.TXT", "FinFut23.txt", "sub/FinFutYY.txt"):
        raw = make_zip({member: TFF_TXT, "readme.pdf": b"%PDF-1.4"})
        pd.testing.assert_frame_equal(tff(raw, "fut_fin_txt_2023.zip"), tff(TFF_TXT))


def test_tff_zip_recognised_by_magic_bytes() -> None:
    raw = make_zip({"FinFutYY.txt": TFF_TXT})
    pd.testing.assert_frame_equal(tff(raw, "download.bin"), tff(TFF_TXT))


def test_tff_catalog() -> None:
    series = CftcTff().parse(TFF_TXT, "FinFutYY.txt").series
    ids = {s.id for s in series}
    expected = {f"cot.jpy.tff.{g}.{leg}" for g in TFF_GROUPS for leg in ("long", "short", "net")}
    assert ids == expected | {"cot.jpy.tff.open_interest"}
    assert {s.unit for s in series} == {"contracts"}
    assert {s.frequency for s in series} == {"weekly"}
    net = next(s for s in series if s.id == "cot.jpy.tff.lev_funds.net")
    assert "positive = net long yen" in net.description
    assert "not modelled" in net.notes


# ------------------------------------------------------------------ TFF corruption


def test_tff_renamed_column_is_a_parse_error() -> None:
    bad = TFF_TXT.replace(b'"Lev_Money_Positions_Long_All"', b'"Lev_Money_Positions_Long"', 1)
    with pytest.raises(ParseError, match=r"FinFutYY.txt, row 1: expected column 15 labelled "
                       r"'Lev_Money_Positions_Long_All'"):
        tff(bad)


def test_tff_moved_column_is_a_parse_error() -> None:
    # swap two labels: reading by label alone would silently swap long and short
    header = lines(TFF_TXT)[0]
    swapped = (
        header.replace(b'"Lev_Money_Positions_Long_All"', b"@@")
        .replace(b'"Lev_Money_Positions_Short_All"', b'"Lev_Money_Positions_Long_All"')
        .replace(b"@@", b'"Lev_Money_Positions_Short_All"')
    )
    with pytest.raises(ParseError, match="it is at column 16") as e:
        tff(with_line(TFF_TXT, 1, swapped))
    assert e.value.row == 1 and e.value.file == "FinFutYY.txt"


def test_tff_dropped_column_is_a_parse_error() -> None:
    # the whole Dealer_Positions_Spread_All column gone: everything after it shifts left
    parts = [line.split(b",") for line in lines(TFF_TXT) if line]
    cut = b"\r\n".join(b",".join(p[:10] + p[11:]) for p in parts)
    with pytest.raises(ParseError, match="column 12 labelled 'Asset_Mgr_Positions_Long_All'"):
        tff(cut)


def test_tff_non_number_names_file_and_row() -> None:
    row3 = lines(TFF_TXT)[2]
    bad = with_line(TFF_TXT, 3, row3.replace(b"   25000,", b"   25O00,", 1))
    with pytest.raises(ParseError, match=r"FinFutYY.txt, row 3: expected a whole number of "
                       r"contracts in 'Lev_Money_Positions_Long_All'; found '   25O00'"):
        tff(bad)


def test_tff_negative_position_is_a_parse_error() -> None:
    row3 = lines(TFF_TXT)[2]
    bad = with_line(TFF_TXT, 3, row3.replace(b"   25000,", b"  -25000,", 1))
    with pytest.raises(ParseError, match="row 3"):
        tff(bad)


def test_tff_truncated_file_names_the_last_row() -> None:
    cut = TFF_TXT[: TFF_TXT.rindex(b"FutOnly") - 300]
    with pytest.raises(ParseError, match=r"row 6: expected 87 fields like the header"):
        tff(cut)


def test_tff_bad_date_and_mismatched_yymmdd() -> None:
    row3 = lines(TFF_TXT)[2]
    with pytest.raises(ParseError, match=r"row 3: expected a date YYYY-MM-DD"):
        tff(with_line(TFF_TXT, 3, row3.replace(b"2023-07-11", b"2023-13-11")))
    with pytest.raises(ParseError, match=r"row 3: expected 'As_of_Date_In_Form_YYMMDD' matching"):
        tff(with_line(TFF_TXT, 3, row3.replace(b",230711,", b",230712,")))


def test_tff_duplicate_week_is_a_parse_error() -> None:
    parts = lines(TFF_TXT)
    raw = b"\r\n".join(parts[:3] + [parts[2]] + parts[3:])
    dup = r"row 4: expected one row per report date \(also at row 3"
    with pytest.raises(ParseError, match=dup):
        tff(raw)


def test_tff_other_contract_size_is_a_parse_error() -> None:
    bad = TFF_TXT.replace(b"JPY 12,500,000", b"JPY 6,250,000")
    with pytest.raises(ParseError, match="row 3: expected contract units"):
        tff(bad)


def test_tff_combined_futures_and_options_rows_are_rejected() -> None:
    bad = TFF_TXT.replace(b'"FutOnly"', b'"Combined"')
    with pytest.raises(ParseError, match="combined file; found 'Combined'"):
        tff(bad, "FinComYY.txt")


def test_tff_empty_or_yen_free_file_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="row 1: expected a quoted header row"):
        tff(b"")
    no_yen = b"\r\n".join(lines(TFF_TXT)[:2]) + b"\r\n"
    with pytest.raises(ParseError, match="at least one row for contract 097741"):
        tff(no_yen)


def test_tff_binary_garbage_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="row 1"):
        tff(bytes(range(256)) * 4)


JPY_ROW = 3  # 1-based line of the 2023-07-11 JPY row in the fixture
LEV_LONG_FIELD = 14  # 0-based


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list(" 0123456789-.,Oe+\"x")), max_size=10))
def test_tff_random_cell_corruption_never_gives_a_wrong_number(cell: str) -> None:
    fields = lines(TFF_TXT)[JPY_ROW - 1].decode().split(",")
    fields[LEV_LONG_FIELD] = cell
    line = ",".join(fields)
    raw = with_line(TFF_TXT, JPY_ROW, line.encode())
    # what a CSV reader sees in that cell decides the one right outcome
    seen = next(csv.reader([line]))
    text = seen[LEV_LONG_FIELD].strip() if len(seen) == 87 else None
    if text is None or (text not in ("", ".", "-", "--") and not text.isdigit()):
        with pytest.raises(ParseError) as e:
            tff(raw)
        # an unbalanced quote may carry the record onto the next line
        assert e.value.file == "FinFutYY.txt" and e.value.row in (JPY_ROW, JPY_ROW + 1)
        return
    obs = tff(raw)
    ids = set(obs.loc[obs["ref_date"] == pd.Timestamp("2023-07-11"), "series_id"])
    if text.isdigit():
        assert value(obs, "cot.jpy.tff.lev_funds.long", "2023-07-11") == int(text)
        assert value(obs, "cot.jpy.tff.lev_funds.net", "2023-07-11") == int(text) - 70000
    else:
        assert "cot.jpy.tff.lev_funds.long" not in ids and "cot.jpy.tff.lev_funds.net" not in ids
        assert "cot.jpy.tff.lev_funds.short" in ids


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=len(TFF_TXT)))
def test_tff_truncation_gives_an_error_or_a_subset_of_true_values(cut: int) -> None:
    full = tff(TFF_TXT).set_index(["series_id", "ref_date"])["value"]
    try:
        part = tff(TFF_TXT[:cut]).set_index(["series_id", "ref_date"])["value"]
    except ParseError:
        return
    assert set(part.index) <= set(full.index)
    assert (part == full.loc[part.index]).all()


# ------------------------------------------------------------------ safe zip


def test_zip_path_traversal_member_is_rejected() -> None:
    evils = ("../FinFutYY.txt", "a/../../FinFutYY.txt", "/etc/FinFutYY.txt", "C:\\FinFutYY.txt")
    for evil in evils:
        raw = make_zip({evil: TFF_TXT})
        with pytest.raises(ParseError, match="relative zip member names without '..'"):
            tff(raw, "fut_fin_txt_2023.zip")


def test_zip_traversal_elsewhere_in_the_archive_rejects_it_all() -> None:
    raw = make_zip({"FinFutYY.txt": TFF_TXT, "../../.bashrc": b"echo hi"})
    with pytest.raises(ParseError, match=r"found '../../.bashrc'"):
        tff(raw, "fut_fin_txt_2023.zip")


def test_zip_bomb_ratio_is_rejected() -> None:
    bomb = make_zip({"FinFutYY.txt": b"0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(ParseError, match=r"fut_fin_txt_2023.zip!FinFutYY.txt: expected a "
                       r"compression ratio of at most 100:1"):
        tff(bomb, "fut_fin_txt_2023.zip")


def test_zip_size_cap_on_declared_and_inflated_bytes() -> None:
    raw = make_zip({"FinFutYY.txt": TFF_TXT}, method=zipfile.ZIP_STORED)
    with pytest.raises(ParseError, match="at most 1000 bytes uncompressed"):
        zipsafe.read_member(
            raw, "x.zip", source="cftc.tff", expected="FinFutYY.txt",
            limits=zipsafe.Limits(member_bytes=1000),
        )
    # headers lying about the size (10 bytes) do not sneak the member past the cap:
    # inflation stops just past the declared size and the member is refused
    lying = bytearray(raw)
    for start in (lying.find(b"PK\x03\x04"), lying.find(b"PK\x01\x02")):
        off = start + (22 if lying[start + 2] == 3 else 24)
        lying[off : off + 4] = (10).to_bytes(4, "little")
    with pytest.raises(ParseError, match="x.zip!FinFutYY.txt: expected 10 bytes as the archive "
                       r"declares \(zip bomb\?\); found 'more than 10'"):
        zipsafe.read_member(
            bytes(lying), "x.zip", source="cftc.tff", expected="FinFutYY.txt",
            limits=zipsafe.Limits(member_bytes=1000),
        )


def test_corrupt_zip_is_a_parse_error() -> None:
    good = make_zip({"FinFutYY.txt": TFF_TXT})
    with pytest.raises(ParseError, match="fut_fin_txt_2026.zip: expected a valid zip archive"):
        tff(b"<html>503 Service Unavailable</html>", "fut_fin_txt_2026.zip")
    with pytest.raises(ParseError, match="expected a valid zip archive"):
        tff(good[: len(good) // 2], "fut_fin_txt_2026.zip")
    flipped = bytearray(good)
    mid = good.find(b"FinFutYY.txt") + 12 + 200  # inside the deflated data
    flipped[mid] ^= 0xFF
    with pytest.raises(ParseError, match="fut_fin_txt_2026.zip!FinFutYY.txt"):
        tff(bytes(flipped), "fut_fin_txt_2026.zip")


def test_zip_without_the_expected_member_is_a_parse_error() -> None:
    raw = make_zip({"a.txt": TFF_TXT, "b.txt": TFF_TXT})
    with pytest.raises(ParseError, match=r"expected one member named 'FinFutYY.txt'"):
        tff(raw, "fut_fin_txt_2023.zip")
    with pytest.raises(ParseError, match=r"found \[\]"):
        tff(make_zip({}), "fut_fin_txt_2023.zip")


# ------------------------------------------------------------------ legacy fixtures


def test_legacy_json_fixture_keeps_yen_only() -> None:
    obs = legacy(LEGACY_JSON, "legacy_api_small.json")
    assert sorted(obs["ref_date"].dt.strftime("%Y-%m-%d").unique()) == ["2026-09-15", "2026-09-22"]
    assert value(obs, "cot.jpy.legacy.noncomm.net", "2026-09-22") == 190000 - 120000
    assert value(obs, "cot.jpy.legacy.comm.net", "2026-09-22") == 145000 - 222000
    assert value(obs, "cot.jpy.legacy.nonrept.short", "2026-09-22") == 34000
    assert value(obs, "cot.jpy.legacy.open_interest", "2026-09-22") == 380000  # not Nikkei's 20000
    assert released(obs, "2026-09-22") == {pd.Timestamp("2026-09-25")}
    assert len(obs) == 2 * 10


def test_legacy_json_codes_with_spaces_and_numbers_as_numbers() -> None:
    recs = [json.loads(line.lstrip(b",[").rstrip(b"]\n")) for line in LEGACY_JSON.splitlines()]
    recs[1]["cftc_contract_market_code"] = "097741 "
    recs[1]["open_interest_all"] = 380000  # an int instead of a string
    recs[2]["report_date_as_yyyy_mm_dd"] = "2026-09-15"  # date without the time part
    obs = legacy(json.dumps(recs).encode(), "api.json")
    assert value(obs, "cot.jpy.legacy.open_interest", "2026-09-22") == 380000
    assert value(obs, "cot.jpy.legacy.noncomm.long", "2026-09-15") == 236000


def test_legacy_json_null_field_drops_value_renamed_field_errors() -> None:
    recs = [json.loads(line.lstrip(b",[").rstrip(b"]\n")) for line in LEGACY_JSON.splitlines()]
    del recs[2]["comm_positions_short_all"]  # Socrata omits nulls
    obs = legacy(json.dumps(recs).encode(), "api.json")
    ids = set(obs.loc[obs["ref_date"] == pd.Timestamp("2026-09-15"), "series_id"])
    assert "cot.jpy.legacy.comm.long" in ids and "cot.jpy.legacy.comm.net" not in ids
    for rec in recs[1:]:
        rec["noncomm_positions_long"] = rec.pop("noncomm_positions_long_all")
    with pytest.raises(ParseError, match=r"api.json, row 2: expected a field "
                       r"'noncomm_positions_long_all' in the JPY records"):
        legacy(json.dumps(recs).encode(), "api.json")


def test_legacy_json_bad_inputs_are_parse_errors() -> None:
    with pytest.raises(ParseError, match="x.json, row 1: expected a JSON array of records"):
        legacy(b'[{"a": 1},', "x.json")
    truncated = LEGACY_JSON[: LEGACY_JSON.rindex(b"\n,") + 40]  # cut inside record 3
    with pytest.raises(ParseError, match="x.json, row 3: expected a JSON array of records"):
        legacy(truncated, "x.json")
    with pytest.raises(ParseError, match="found 'Unrecognized arguments'"):
        legacy(b'{"error": true, "message": "Unrecognized arguments"}', "x.json")
    bad = LEGACY_JSON.replace(b'"open_interest_all":"540000"', b'"open_interest_all":"5.4e5"')
    with pytest.raises(ParseError, match=r"row 3: expected a whole number of contracts in "
                       r"'open_interest_all'; found '5.4e5'"):
        legacy(bad, "x.json")
    combined = LEGACY_JSON.replace(b'"FutOnly"', b'"Combined"')
    with pytest.raises(ParseError, match="row 2: expected 'futonly_or_combined' = 'FutOnly'"):
        legacy(combined, "x.json")
    no_code = LEGACY_JSON.replace(b'"cftc_contract_market_code":"240743",', b"")
    with pytest.raises(ParseError, match="row 1: expected a field 'cftc_contract_market_code'"):
        legacy(no_code, "x.json")


def test_legacy_annual_txt_fixture() -> None:
    obs = legacy(LEGACY_TXT, "annual.txt")
    assert sorted(obs["ref_date"].dt.strftime("%Y-%m-%d").unique()) == [
        "2025-01-07", "2025-03-11", "2025-03-18"]
    assert value(obs, "cot.jpy.legacy.noncomm.long", "2025-03-18") == 160000
    assert value(obs, "cot.jpy.legacy.noncomm.net", "2025-03-18") == 160000 - 40000
    assert value(obs, "cot.jpy.legacy.comm.net", "2025-03-11") == 180000 - 330000
    assert value(obs, "cot.jpy.legacy.open_interest", "2025-03-18") == 300000
    assert released(obs, "2025-03-18") == {pd.Timestamp("2025-03-21")}


def test_legacy_annual_txt_header_with_leading_space_is_checked() -> None:
    # the real header has ' Total Reportable Positions-Long (All)' (leading space): stripped
    assert b'" Total Reportable Positions-Long (All)"' in LEGACY_TXT
    bad = LEGACY_TXT.replace(
        b'"Commercial Positions-Short (All)"', b'"Commercial Positions Short (All)"'
    )
    with pytest.raises(ParseError, match=r"annual.txt, row 1: expected column 13 labelled "
                       r"'Commercial Positions-Short \(All\)'"):
        legacy(bad, "annual.txt")


def test_legacy_deacot_zip_equals_txt() -> None:
    raw = make_zip({"annual.txt": LEGACY_TXT})
    pd.testing.assert_frame_equal(legacy(raw, "deacot2025.zip"), legacy(LEGACY_TXT, "annual.txt"))


def test_legacy_catalog() -> None:
    ids = {s.id for s in CftcLegacy().parse(LEGACY_JSON, "x.json").series}
    assert ids == {
        f"cot.jpy.legacy.{g}.{leg}" for g in LEGACY_GROUPS for leg in ("long", "short", "net")
    } | {"cot.jpy.legacy.open_interest"}


# ------------------------------------------------------------------ fetch


class FakeGet:
    def __init__(self, answer: bool = True) -> None:
        self.calls: list[tuple[str, dict[str, str] | None]] = []
        self.answer = answer

    def __call__(self, url: str, params: dict[str, str] | None = None) -> Response | None:
        self.calls.append((url, params))
        if not self.answer:
            return None  # 304 Not Modified
        return Response(url, 200, b"body", '"etag"', "Fri, 12 Jun 2026 19:30:00 GMT")


def test_tff_fetch_downloads_current_year_and_last_year_in_january() -> None:
    get = FakeGet()
    files = list(CftcTff().fetch(get, today=date(2026, 6, 15)))
    assert get.calls == [("https://www.cftc.gov/files/dea/history/fut_fin_txt_2026.zip", None)]
    assert [f.name for f in files] == ["fut_fin_txt_2026.zip"]
    assert files[0].etag == '"etag"' and files[0].content == b"body"
    get = FakeGet()
    files = list(CftcTff().fetch(get, today=date(2026, 1, 9)))
    assert [f.name for f in files] == ["fut_fin_txt_2025.zip", "fut_fin_txt_2026.zip"]
    assert list(CftcTff().fetch(FakeGet(answer=False), today=date(2026, 6, 15))) == []


def test_legacy_fetch_sends_the_socrata_query() -> None:
    get = FakeGet()
    files = list(CftcLegacy().fetch(get))
    (url, params), = get.calls
    assert url == "https://publicreporting.cftc.gov/resource/6dca-aqww.json"
    assert params is not None
    assert params["$where"] == "cftc_contract_market_code='097741'"
    assert params["$order"] == "report_date_as_yyyy_mm_dd"
    assert int(params["$limit"]) >= 5000  # ~2,100 JPY weeks since 1986
    for needed in ("noncomm_positions_long_all", "open_interest_all", "futonly_or_combined"):
        assert needed in params["$select"].split(",")
    assert [f.name for f in files] == ["cftc-cot-jpy-legacy-futures-only.json"]


# ------------------------------------------------------------------ real files


API_JSON = "api_legacy_futures_only/cftc-cot-jpy-legacy-futures-only.json"


@pytest.fixture(scope="module")
def cot_dir(shared_data: Path) -> Path:
    return shared_data / "cftc_cot"


def parse_path(path: Path) -> pd.DataFrame:
    cls = CftcLegacy if path.name in ("annual.txt",) or path.suffix == ".json" else CftcTff
    return cls().parse(path.read_bytes(), path.name).observations


@pytest.mark.parametrize(
    ("relpath", "weeks", "first", "last"),
    [  # JPY weeks per file, as counted in MANIFEST.md §6
        ("tff_futures_only_2015/FinFutYY.txt", 52, "2015-01-06", "2015-12-29"),  # LF
        ("tff_futures_only_2020/FinFutYY.txt", 47, "2020-01-07", "2020-11-24"),
        ("tff_futures_only_2021/FinFutYY.txt", 52, "2021-01-05", "2021-12-28"),
        ("tff_futures_only_2022/FinFutYY.txt", 52, "2022-01-04", "2022-12-27"),  # LF
        ("fut_fin_txt_2023.zip", 41, "2023-01-03", "2023-10-10"),
        ("tff_futures_only_2024_partial/FinFutYY.txt", 24, "2024-01-02", "2024-06-11"),
        ("tff_futures_only_2025_partial/FinFutYY.txt", 17, "2025-01-07", "2025-04-29"),
        ("tff_futures_only_2026/FinFutYY.txt", 23, "2026-01-06", "2026-06-09"),
        ("tff_futures_only_2026_to-2026-08-04/FinFutYY.txt", 31, "2026-01-06", "2026-08-04"),  # LF
        (API_JSON, 8, "2026-08-04", "2026-09-22"),
        ("legacy_futures_only_2025_partial/annual.txt", 11, "2025-01-07", "2025-03-18"),
    ],
)
def test_real_files_week_counts(
    cot_dir: Path, relpath: str, weeks: int, first: str, last: str
) -> None:
    obs = parse_path(cot_dir / relpath)
    dates = obs["ref_date"].drop_duplicates().sort_values()
    assert len(dates) == weeks
    assert (dates.iloc[0], dates.iloc[-1]) == (pd.Timestamp(first), pd.Timestamp(last))
    n_series = 16 if "legacy" not in relpath else 10
    assert len(obs) == weeks * n_series  # no missing markers in any JPY position cell
    assert (obs["released"] - obs["ref_date"]).dt.days.isin([3, 4]).all()


def test_real_tff_2024_leveraged_funds(cot_dir: Path) -> None:
    # tff_futures_only_2024_partial/FinFutYY.txt line 74 (2024-06-11):
    # Open_Interest_All 319274, Lev_Money_Positions_Long_All 23310, _Short_All 110501
    obs = parse_path(cot_dir / "tff_futures_only_2024_partial/FinFutYY.txt")
    assert value(obs, "cot.jpy.tff.open_interest", "2024-06-11") == 319274
    assert value(obs, "cot.jpy.tff.lev_funds.long", "2024-06-11") == 23310
    assert value(obs, "cot.jpy.tff.lev_funds.short", "2024-06-11") == 110501
    assert value(obs, "cot.jpy.tff.lev_funds.net", "2024-06-11") == -87191
    assert value(obs, "cot.jpy.tff.dealer.net", "2024-06-11") == 172160 - 19814
    assert released(obs, "2024-06-11") == {pd.Timestamp("2024-06-14")}


def test_real_tff_2026_all_groups(cot_dir: Path) -> None:
    # tff_futures_only_2026/FinFutYY.txt line 71 (2026-06-09), columns 8-24
    obs = parse_path(cot_dir / "tff_futures_only_2026/FinFutYY.txt")
    expect = {
        "open_interest": 505075,
        "dealer.long": 154259, "dealer.short": 30713,
        "asset_mgr.long": 73711, "asset_mgr.short": 151787,
        "lev_funds.long": 91168, "lev_funds.short": 191012,
        "other_rept.long": 54430, "other_rept.short": 3505,
        "nonrept.long": 46489, "nonrept.short": 43040,
    }
    for key, v in expect.items():
        assert value(obs, f"cot.jpy.tff.{key}", "2026-06-09") == v, key
    assert value(obs, "cot.jpy.tff.lev_funds.net", "2026-06-09") == -99844
    assert value(obs, "cot.jpy.tff.asset_mgr.net", "2026-06-09") == -78076


def test_real_tff_2026_vintages_agree_on_shared_weeks(cot_dir: Path) -> None:
    old = parse_path(cot_dir / "tff_futures_only_2026/FinFutYY.txt")
    new = parse_path(cot_dir / "tff_futures_only_2026_to-2026-08-04/FinFutYY.txt")  # LF, newer
    key = ["series_id", "ref_date"]
    both = old.merge(new, on=key, suffixes=("_old", "_new"))
    assert len(both) == len(old) == 23 * 16
    assert (both["value_old"] == both["value_new"]).all()
    assert (both["released_old"] == both["released_new"]).all()
    # tff_futures_only_2026_to-2026-08-04/FinFutYY.txt line 95 (2026-08-04)
    assert value(new, "cot.jpy.tff.open_interest", "2026-08-04") == 419393
    assert value(new, "cot.jpy.tff.lev_funds.long", "2026-08-04") == 75758
    assert value(new, "cot.jpy.tff.lev_funds.short", "2026-08-04") == 136583
    assert value(new, "cot.jpy.tff.lev_funds.net", "2026-08-04") == -60825


def test_real_zip_and_its_txt_member_give_the_same_rows(cot_dir: Path) -> None:
    raw = (cot_dir / "fut_fin_txt_2023.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        member = zf.read("FinFutYY.txt")
    from_zip = CftcTff().parse(raw, "fut_fin_txt_2023.zip").observations
    pd.testing.assert_frame_equal(from_zip, tff(member))
    # and a real bare txt zipped up gives what the bare txt gives
    txt = (cot_dir / "tff_futures_only_2026/FinFutYY.txt").read_bytes()
    zipped = make_zip({"FinFutYY.txt": txt})
    pd.testing.assert_frame_equal(tff(zipped, "fut_fin_txt_2026.zip"), tff(txt))


def test_real_2023_zip_monday_week_and_bloomberg_reference(cot_dir: Path) -> None:
    obs = parse_path(cot_dir / "fut_fin_txt_2023.zip")
    # FinFutYY.txt line 139 in the zip: report date 2023-07-03, a Monday (July 4 holiday)
    assert released(obs, "2023-07-03") == {pd.Timestamp("2023-07-07")}
    # line 138 (2023-07-11): Lev_Money long 27126, short 85376 -> net -58250.
    # methods.md §6 quotes Bloomberg (2023-07-17): leveraged funds net short 58,099 for the
    # week to 2023-07-11. Known mismatch of 151 contracts: the futures-only file says 58,250
    # (Bloomberg may quote another vintage or futures+options); we assert the file's figure.
    assert value(obs, "cot.jpy.tff.lev_funds.net", "2023-07-11") == -58250
    assert value(obs, "cot.jpy.tff.open_interest", "2023-07-11") == 252349


def test_real_combined_file_is_not_read_as_futures_only(cot_dir: Path) -> None:
    raw = (cot_dir / "tff_futures_and_options_2022/FinComYY.txt").read_bytes()
    with pytest.raises(ParseError, match="FinComYY.txt, row 158: .*found 'Combined'"):
        CftcTff().parse(raw, "FinComYY.txt")


def test_real_legacy_json_2026_09_22(cot_dir: Path) -> None:
    # cftc-cot-jpy-legacy-futures-only.json line 2 (JPY record "260922097741F"):
    # open_interest_all "378701", noncomm long "192274", short "120292"
    obs = parse_path(cot_dir / API_JSON)
    assert value(obs, "cot.jpy.legacy.open_interest", "2026-09-22") == 378701
    assert value(obs, "cot.jpy.legacy.noncomm.long", "2026-09-22") == 192274
    assert value(obs, "cot.jpy.legacy.noncomm.short", "2026-09-22") == 120292
    assert value(obs, "cot.jpy.legacy.noncomm.net", "2026-09-22") == 71982
    assert value(obs, "cot.jpy.legacy.comm.net", "2026-09-22") == 143954 - 220368
    assert value(obs, "cot.jpy.legacy.nonrept.net", "2026-09-22") == 38097 - 33665
    assert released(obs, "2026-09-22") == {pd.Timestamp("2026-09-25")}
    # the Nikkei contract (240743, open interest 21974 that week) is not picked up
    assert 21974 not in set(obs["value"])


def test_real_legacy_annual_2025_03_18(cot_dir: Path) -> None:
    # legacy_futures_only_2025_partial/annual.txt line 2775 (2025-03-18)
    obs = parse_path(cot_dir / "legacy_futures_only_2025_partial/annual.txt")
    assert value(obs, "cot.jpy.legacy.open_interest", "2025-03-18") == 296567
    assert value(obs, "cot.jpy.legacy.noncomm.long", "2025-03-18") == 164752
    assert value(obs, "cot.jpy.legacy.noncomm.short", "2025-03-18") == 41788
    assert value(obs, "cot.jpy.legacy.noncomm.net", "2025-03-18") == 122964
    assert value(obs, "cot.jpy.legacy.comm.net", "2025-03-18") == 80456 - 217232


def test_real_legacy_and_tff_open_interest_agree(cot_dir: Path) -> None:
    # same contract, same futures-only open interest in both reports
    def oi(obs: pd.DataFrame) -> pd.Series:
        return obs[obs["series_id"].str.endswith("open_interest")].set_index("ref_date")["value"]

    legacy_2025 = oi(parse_path(cot_dir / "legacy_futures_only_2025_partial/annual.txt"))
    tff_2025 = oi(parse_path(cot_dir / "tff_futures_only_2025_partial/FinFutYY.txt"))
    shared = legacy_2025.index.intersection(tff_2025.index)
    assert len(shared) == 11
    assert (legacy_2025[shared] == tff_2025[shared]).all()
    api = oi(parse_path(cot_dir / API_JSON))
    tff_2026 = oi(parse_path(cot_dir / "tff_futures_only_2026_to-2026-08-04/FinFutYY.txt"))
    assert api[pd.Timestamp("2026-08-04")] == tff_2026[pd.Timestamp("2026-08-04")] == 419393


def test_local_globs_pick_futures_only_files_and_skip_derived(cot_dir: Path) -> None:
    def matches(cls: type[CftcTff] | type[CftcLegacy]) -> set[str]:
        return {
            str(p.relative_to(cot_dir.parent))
            for spec in cls.files
            for pattern in spec.local_globs
            for p in cot_dir.parent.glob(pattern)
        }

    tff_files = matches(CftcTff)
    assert "cftc_cot/fut_fin_txt_2023.zip" in tff_files
    assert "cftc_cot/tff_futures_only_2015/FinFutYY.txt" in tff_files
    assert not any("FinCom" in f or "_derived" in f for f in tff_files)
    assert len(tff_files) == 9
    assert matches(CftcLegacy) == {
        "cftc_cot/" + API_JSON, "cftc_cot/legacy_futures_only_2025_partial/annual.txt",
    }
    for cls in (CftcTff, CftcLegacy):
        assert (cot_dir.parent / cls.files[0].mirror_path).is_file()
