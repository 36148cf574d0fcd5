"""US Treasury daily par yield curve: real files, fixture quirks, corruption, fetch."""

from __future__ import annotations

from datetime import date
from fnmatch import fnmatch
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yenflow.errors import ParseError
from yenflow.http import Response
from yenflow.sources.ustreasury import yield_curve
from yenflow.sources.ustreasury.yield_curve import SERIES_IDS, UsTreasuryParCurve

FIX = Path(__file__).parent / "fixtures" / "ust"
SOURCE = UsTreasuryParCurve()
ARCHIVE = "yield-curve-rates-1990-2024.csv"
Y2025 = "daily-treasury-rates_2025.csv"
Y2025_DEC = "daily-treasury-rates_2025_to-2025-12-19.csv"
BILLS = "daily-treasury-bill-rates_2025_to-2025-11-14.csv"


def parse(raw: bytes, name: str = "daily-treasury-rates.csv") -> dict[tuple[str, str], float]:
    obs = SOURCE.parse(raw, name).observations
    return {(s, str(d.date())): v for s, d, v in zip(obs.series_id, obs.ref_date, obs.value)}


def text(name: str) -> str:
    return (FIX / name).read_text()


def year_file(old: str, new: str) -> bytes:
    """The year-file fixture with one replacement."""
    src = text("daily-treasury-rates-small.csv")
    assert old in src
    return src.replace(old, new).encode()


def parse_error(raw: bytes, name: str = "bad.csv") -> ParseError:
    with pytest.raises(ParseError) as info:
        SOURCE.parse(raw, name)
    assert name in str(info.value)
    return info.value


# --- real files (../shared/data/ust_yields) ---------------------------------------


@pytest.fixture(scope="module")
def real(shared_data: Path) -> dict[str, dict[tuple[str, str], float]]:
    folder = shared_data / "ust_yields"
    return {n: parse((folder / n).read_bytes(), n) for n in (ARCHIVE, Y2025, Y2025_DEC)}


def test_real_archive_values(real: dict) -> None:
    arc = real[ARCHIVE]
    # yield-curve-rates-1990-2024.csv line 103:
    #   8/5/24,5.52,5.43,5.35,5.14,4.91,4.34,3.89,…,3.78,4.16,4.06
    assert arc[("ust.par.10y", "2024-08-05")] == 3.78
    assert arc[("ust.par.1m", "2024-08-05")] == 5.52
    assert arc[("ust.par.30y", "2024-08-05")] == 4.06
    # last line: 1/2/90,,,7.83,,7.89,…,7.94,,8  (two-digit year 90 -> 1990)
    assert arc[("ust.par.3m", "1990-01-02")] == 7.83
    assert arc[("ust.par.30y", "1990-01-02")] == 8.0
    assert ("ust.par.1m", "1990-01-02") not in arc
    assert not any(d == "2010-10-11" for (_, d) in arc)  # the blank holiday row
    assert "ust.par.1_5m" not in {s for (s, _) in arc}


def test_real_archive_tenor_starts(real: dict) -> None:
    firsts: dict[str, str] = {}
    for s, d in real[ARCHIVE]:
        firsts[s] = min(firsts.get(s, d), d)
    # MANIFEST.md §3: 1 Mo from 2001-07-31, 2 Mo 2018-10-16, 4 Mo 2022-10-19, 20 Yr 1993-10-01
    assert firsts["ust.par.1m"] == "2001-07-31"
    assert firsts["ust.par.2m"] == "2018-10-16"
    assert firsts["ust.par.4m"] == "2022-10-19"
    assert firsts["ust.par.20y"] == "1993-10-01"


def test_real_30y_gap(real: dict) -> None:
    days_30y = {d for (s, d) in real[ARCHIVE] if s == "ust.par.30y"}
    assert not [d for d in days_30y if "2002-02-19" <= d <= "2006-02-08"]
    # line 5725: 2/15/02 …,5.37 (last 30Y before the gap)
    # line 4730: 2/9/06 …,4.51 (first 30Y after it)
    assert real[ARCHIVE][("ust.par.30y", "2002-02-15")] == 5.37
    assert real[ARCHIVE][("ust.par.30y", "2006-02-09")] == 4.51


def test_real_2025_values(real: dict) -> None:
    sep, dec = real[Y2025], real[Y2025_DEC]
    # daily-treasury-rates_2025.csv line 2: 09/25/2025,4.24,4.20,…,4.18,4.73,4.75
    assert sep[("ust.par.1m", "2025-09-25")] == 4.24
    assert sep[("ust.par.1_5m", "2025-09-25")] == 4.20
    assert sep[("ust.par.10y", "2025-09-25")] == 4.18
    assert sep[("ust.par.30y", "2025-09-25")] == 4.75
    # daily-treasury-rates_2025_to-2025-12-19.csv line 2: 12/19/2025,3.71,3.71,…,4.16,4.77,4.82
    assert dec[("ust.par.10y", "2025-12-19")] == 4.16
    assert dec[("ust.par.30y", "2025-12-19")] == 4.82
    # line 212: 02/18/2025,4.38,4.41,… is the first 1.5-month figure; 02/14 (line 213) is empty
    assert dec[("ust.par.1_5m", "2025-02-18")] == 4.41
    assert ("ust.par.1_5m", "2025-02-14") not in dec
    assert min(d for (s, d) in dec if s == "ust.par.1_5m") == "2025-02-18"


def test_real_2025_vintages_agree(real: dict) -> None:
    sep, dec = real[Y2025], real[Y2025_DEC]
    assert len({d for (_, d) in sep}) == 184
    assert {k: dec[k] for k in sep} == sep


def test_real_bill_rates_file_refused(shared_data: Path) -> None:
    raw = (shared_data / "ust_yields" / BILLS).read_bytes()
    err = parse_error(raw, BILLS)
    assert err.row == 1 and "BILL" in str(err)


def test_local_globs_skip_bill_rates_file() -> None:
    globs = [g for spec in SOURCE.files for g in spec.local_globs]
    matches = lambda name: any(fnmatch(f"ust_yields/{name}", g) for g in globs)  # noqa: E731
    assert matches(ARCHIVE) and matches(Y2025) and matches(Y2025_DEC)
    assert not matches(BILLS)


def test_frame_dtypes_and_catalog() -> None:
    parsed = SOURCE.parse((FIX / "daily-treasury-rates-small.csv").read_bytes(), "x.csv")
    obs = parsed.observations
    assert str(obs.ref_date.dtype) == "datetime64[ns]" and str(obs.value.dtype) == "float64"
    assert [s.id for s in parsed.series] == list(SERIES_IDS.values())
    assert len(parsed.series) == 14 and {s.unit for s in parsed.series} == {"%"}


# --- fixtures: each quirk ----------------------------------------------------------


def test_fixture_archive() -> None:
    obs = parse((FIX / "yield-curve-rates-small.csv").read_bytes(), ARCHIVE)
    assert obs[("ust.par.10y", "2024-08-05")] == 3.8
    assert obs[("ust.par.30y", "1999-12-31")] == 6.5  # 99 -> 1999
    assert obs[("ust.par.30y", "2000-01-03")] == 6.6  # 00 -> 2000
    assert ("ust.par.30y", "2002-02-19") not in obs  # empty field dropped
    assert not any(d == "2010-10-11" for (_, d) in obs)  # all-blank holiday row
    assert ("ust.par.20y", "1990-01-02") not in obs


def test_fixture_year_file_quoted_header() -> None:
    obs = parse((FIX / "daily-treasury-rates-small.csv").read_bytes())
    assert obs[("ust.par.1_5m", "2025-02-18")] == 4.40
    assert ("ust.par.1_5m", "2025-02-14") not in obs
    assert obs[("ust.par.1m", "2025-02-14")] == 4.35


def test_label_spellings() -> None:
    src = text("daily-treasury-rates-small.csv")
    header, rest = src.split("\n", 1)
    spelled = ('Date,1 Month,1.5 Mo,2 Months,3 mo,4 Mo,6 Mo,1 Year,2 Yr,3 Yrs,5 Years,'
               '7 Yr,"10 Yr",20 Year,30 Yr')
    assert parse((spelled + "\n" + rest).encode()) == parse(src.encode())


def test_ascending_order_accepted() -> None:
    header, *rows = text("daily-treasury-rates-small.csv").split("\n")
    flipped = "\n".join([header, *reversed(rows)])
    assert parse(flipped.encode()) == parse(text("daily-treasury-rates-small.csv").encode())


# --- corruption -> ParseError naming file and row --------------------------------------


@pytest.mark.parametrize("label", ['"25 Yr"', '"8 Week"', '"1.5 Wk"', '"Extrapolation Factor"'])
def test_unknown_column_label(label: str) -> None:
    err = parse_error(year_file('"20 Yr"', label))
    assert err.row == 1 and label.strip('"') in str(err)


def test_duplicate_column_label() -> None:
    err = parse_error(year_file('"20 Yr"', '"30 Yr"'))
    assert err.row == 1


def test_bill_rates_fixture_refused() -> None:
    err = parse_error((FIX / "daily-treasury-bill-rates-small.csv").read_bytes())
    assert "BILL" in str(err)


def test_real_yield_curve_layout_refused() -> None:
    raw = b'Date,"5 YR","7 YR","10 YR","20 YR","30 YR"\n12/19/2025,1.4,1.6,1.9,2.4,2.6'
    err = parse_error(raw)
    assert "missing" in str(err) and "3m" in str(err)


def test_date_column_moved() -> None:
    raw = year_file('Date,"1 Mo"', '"1 Mo",Date')
    err = parse_error(raw)
    assert err.row == 1 and "column 2" in str(err)


def test_non_number() -> None:
    err = parse_error(year_file("4.55", "4.5S"))
    assert err.row == 3 and "4.5S" in str(err)


def test_na_marker_is_not_a_number() -> None:
    err = parse_error(text("yield-curve-rates-small.csv").replace("6.9,", "N/A,").encode())
    assert err.row == 5


def test_extra_field_in_row() -> None:
    err = parse_error(year_file("3.90,4.15", "3.90,,4.15"))
    assert err.row == 2 and "15 fields" in str(err)


def test_truncated_file() -> None:
    raw = (FIX / "yield-curve-rates-small.csv").read_bytes()[:-10]
    err = parse_error(raw)
    assert err.row == 7 and "14 fields" in str(err)


def test_mixed_year_widths() -> None:
    err = parse_error(year_file("02/14/2025", "02/14/25"))
    assert err.row == 4 and "MM/DD/YYYY" in str(err)


def test_bad_date() -> None:
    err = parse_error(year_file("02/18/2025", "02/30/2025"))
    assert err.row == 3


def test_repeated_date() -> None:
    err = parse_error(year_file("02/14/2025", "02/18/2025"))
    assert err.row == 4 and "2025-02-18" in str(err)


def test_empty_file() -> None:
    parse_error(b"")


# --- property: random corruption never yields a wrong number ---------------------------

FIXTURE = text("daily-treasury-rates-small.csv")
FULL = parse(FIXTURE.encode())


# Left out: digits and '-' (a digit swapped for a digit is a plausible number) and a
# line break (the files have no final line break, so one cut short inside the
# oldest row's last value can't be told from a whole file).
@settings(max_examples=300)
@given(pos=st.integers(min_value=0, max_value=len(FIXTURE) - 1),
       char=st.sampled_from(list('x,.;/ \r"')))
def test_substitution_never_gives_wrong_numbers(pos: int, char: str) -> None:
    try:
        got = parse((FIXTURE[:pos] + char + FIXTURE[pos + 1:]).encode())
    except ParseError:
        return
    assert all(FULL.get(k) == v for k, v in got.items())


# --- vectorised reading vs the row-by-row reading -------------------------------------


def outcome(raw: bytes, name: str, row_by_row: bool = False) -> tuple:
    """("ok", every column as a list, dtypes) or ("error", message, row); with
    ``row_by_row`` the vectorised reading is switched off."""
    with pytest.MonkeyPatch.context() as mp:
        if row_by_row:
            mp.setattr(yield_curve, "_read_fast", lambda *args: None)
        try:
            obs = SOURCE.parse(raw, name).observations
        except ParseError as e:
            return ("error", str(e), e.row)
    return ("ok", obs.to_dict("list"), [str(t) for t in obs.dtypes])


def test_real_files_vectorised_equals_row_by_row(shared_data: Path) -> None:
    for name in (ARCHIVE, Y2025, Y2025_DEC):
        raw = (shared_data / "ust_yields" / name).read_bytes()
        assert outcome(raw, name) == outcome(raw, name, row_by_row=True)


def test_real_files_take_the_vectorised_path(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_row_loop(*args: object) -> None:
        raise AssertionError("a well-formed file fell back to the row-by-row reading")

    monkeypatch.setattr(yield_curve, "_read_exact", no_row_loop)
    for name in (ARCHIVE, Y2025, Y2025_DEC):
        SOURCE.parse((shared_data / "ust_yields" / name).read_bytes(), name)


ARCHIVE_FIXTURE = text("yield-curve-rates-small.csv")


# both paths: the same numbers, or the same ParseError (file, row, what was expected)
@settings(max_examples=300)
@given(pos=st.integers(min_value=0, max_value=len(FIXTURE) - 1),
       char=st.sampled_from(list('x,.;/ \n\r"-019') + ["１"]),
       archive=st.booleans())
def test_vectorised_and_row_by_row_agree(pos: int, char: str, archive: bool) -> None:
    src = ARCHIVE_FIXTURE if archive else FIXTURE
    pos = min(pos, len(src) - 1)
    raw = (src[:pos] + char + src[pos + 1:]).encode()
    assert outcome(raw, "x.csv") == outcome(raw, "x.csv", row_by_row=True)


def test_stray_line_break() -> None:
    err = parse_error(year_file("4.30,4.40,4.30", "4.30,4.40\r,4.30"))
    assert err.row == 3 and "LF line breaks" in str(err)


def test_date_outside_datetime64_range() -> None:
    # datetime64[ns] would wrap 2300 round to 1715: a ParseError, never a wrong date
    err = parse_error(year_file("02/18/2025", "02/18/2300"))
    assert err.row == 3 and "1678-2261" in str(err) and "02/18/2300" in str(err)


# --- fetch --------------------------------------------------------------------------


class FakeGet:
    def __init__(self, missing: tuple[int, ...] = ()) -> None:
        self.urls: list[str] = []
        self.missing = missing

    def __call__(self, url: str, params: dict | None = None) -> Response | None:
        self.urls.append(url)
        if any(f"/{y}/" in url for y in self.missing):
            return None  # 304 Not Modified
        return Response(url, 200, b"Date,...", '"etag"', None)


def test_fetch_current_year() -> None:
    get = FakeGet()
    files = list(SOURCE.fetch(get, today=date(2026, 3, 2)))
    assert get.urls == [
        "https://home.treasury.gov/resource-center/data-chart-center/interest-rates/"
        "daily-treasury-rates.csv/2026/all?type=daily_treasury_yield_curve"
        "&field_tdr_date_value=2026&page&_format=csv"
    ]
    assert [f.name for f in files] == ["daily-treasury-rates_2026.csv"]
    assert files[0].etag == '"etag"'


def test_fetch_previous_year_in_january() -> None:
    get = FakeGet(missing=(2025,))
    files = list(SOURCE.fetch(get, today=date(2026, 1, 5)))
    assert ["/2025/" in u for u in get.urls] == [True, False]
    assert [f.name for f in files] == ["daily-treasury-rates_2026.csv"]  # 2025 unchanged (304)
