"""FRED: fredgraph CSV (old and new), API JSON, catalog mapping, corruption, fetch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yenflow.errors import ParseError
from yenflow.http import Response
from yenflow.sources.fred import series
from yenflow.sources.fred.series import API_URL, DEFAULT_SERIES, KNOWN, FredSeries

FIX = Path(__file__).parent / "fixtures" / "fred"
SOURCE = FredSeries()


def parse(raw: bytes, name: str) -> dict[tuple[str, str], float]:
    obs = SOURCE.parse(raw, name).observations
    return {(s, str(d.date())): v for s, d, v in zip(obs.series_id, obs.ref_date, obs.value)}


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def parse_error(raw: bytes, name: str = "DGS10.csv") -> ParseError:
    with pytest.raises(ParseError) as info:
        SOURCE.parse(raw, name)
    assert name in str(info.value)
    return info.value


# --- real files (../shared/data/fred) ----------------------------------------------


@pytest.fixture(scope="module")
def fred_dir(shared_data: Path) -> Path:
    return shared_data / "fred"


def real(fred_dir: Path, name: str) -> dict[tuple[str, str], float]:
    return parse((fred_dir / name).read_bytes(), name.rsplit("/", 1)[-1])


def test_real_dexjpus_vintages(fred_dir: Path) -> None:
    old = real(fred_dir, "DEXJPUS_1971-2023.csv")  # old format: DATE, '.'
    mid = real(fred_dir, "DEXJPUS_2015-2025.csv")  # new format: observation_date, empty
    gap = real(fred_dir, "DEXJPUS_2017-06_2026-07.csv")
    new = real(fred_dir, "DEXJPUS_2025-12_2026-09.csv")
    # MANIFEST row counts minus missing: 13,750-537, 2,610-112, 2,392-103, 205-8
    assert [len(v) for v in (old, mid, gap, new)] == [13_213, 2_498, 2_289, 197]
    assert old[("fx.usdjpy", "1971-01-04")] == 357.73  # DEXJPUS_1971-2023.csv line 2
    assert old[("fx.usdjpy", "2023-09-15")] == 147.83  # line 13751
    assert ("fx.usdjpy", "2018-12-05") not in old  # line 12504: '.'
    assert mid[("fx.usdjpy", "2024-08-05")] == 143.95  # DEXJPUS_2015-2025.csv line 2367
    assert gap[("fx.usdjpy", "2024-08-05")] == 143.95  # DEXJPUS_2017-06_2026-07.csv line 1874
    assert gap[("fx.usdjpy", "2025-09-25")] == 149.78  # line 2172, inside the 2025 gap
    # DEXJPUS_2025-12_2026-09.csv lines 109-110 and 175: the intervention days
    assert new[("fx.usdjpy", "2026-04-29")] == 160.23
    assert new[("fx.usdjpy", "2026-04-30")] == 156.66
    assert new[("fx.usdjpy", "2026-07-30")] == 159.47
    assert ("fx.usdjpy", "2026-01-01") not in new  # line 25: empty
    for a, b in ((old, mid), (mid, gap), (gap, new)):  # vintages agree where they overlap
        assert {k: a[k] for k in a.keys() & b.keys()} == {k: b[k] for k in a.keys() & b.keys()}


def test_real_sofr_and_dgs10(fred_dir: Path) -> None:
    sofr = real(fred_dir, "SOFR.csv")
    assert sofr[("rate.sofr", "2024-08-05")] == 5.32  # SOFR.csv line 1656
    assert sofr[("rate.sofr", "2023-09-15")] == 5.31  # line 1425
    assert ("rate.sofr", "2026-01-01") not in sofr  # last line, empty
    assert real(fred_dir, "2026_ytd/SOFR.csv")[("rate.sofr", "2026-04-30")] == 3.66  # line 86
    dgs10 = real(fred_dir, "DGS10_1962-2025.csv")
    assert dgs10[("ust.cmt.10y", "1962-01-02")] == 4.06  # line 2
    assert dgs10[("ust.cmt.10y", "2024-08-05")] == 3.78  # line 16331 (= UST par 10Y that day)
    assert ("ust.cmt.10y", "2025-12-25") not in dgs10
    assert len(dgs10) == 16_694 - 713
    assert real(fred_dir, "2026_ytd/DGS10.csv")[("ust.cmt.10y", "2026-09-10")] == 4.95  # last line
    assert real(fred_dir, "2026_ytd/DFF.csv")[("rate.effr", "2026-01-01")] == 3.64  # a holiday


def test_real_t10y2y_equals_dgs10_minus_dgs2(fred_dir: Path) -> None:
    d10 = {d: v for (_, d), v in real(fred_dir, "2026_ytd/DGS10.csv").items()}
    d2 = {d: v for (_, d), v in real(fred_dir, "2026_ytd/DGS2.csv").items()}
    spread = {d: v for (s, d), v in real(fred_dir, "2026_ytd/T10Y2Y.csv").items()}
    assert {s for (s, _) in real(fred_dir, "2026_ytd/T10Y2Y.csv")} == {"ust.cmt.10y2y"}
    common = d10.keys() & d2.keys() & spread.keys()
    assert len(common) == 174
    assert all(round(d10[d] - d2[d], 2) == spread[d] for d in common)


def test_real_monthly_dates(fred_dir: Path) -> None:
    name = "IR3TIB01JPM156N.csv"
    parsed = SOURCE.parse((fred_dir / name).read_bytes(), name)
    obs = parsed.observations
    row = obs[obs.period_start == "2024-08-01"]
    # IR3TIB01JPM156N.csv line 270: 2024-08-01,0.25500 -> the month of August 2024
    assert str(row.ref_date.iloc[0].date()) == "2024-08-31" and row.value.iloc[0] == 0.255
    feb = obs[obs.period_start == "2024-02-01"]  # line 264: 2024-02-01,0.02700 (leap year)
    assert str(feb.ref_date.iloc[0].date()) == "2024-02-29" and feb.value.iloc[0] == 0.027
    info = parsed.series[0]
    assert (info.id, info.frequency) == ("rate.jpy.3m_interbank", "monthly")
    call = real(fred_dir, "IRSTCI01JPM156N.csv")
    assert call[("rate.jpy.call_monthly", "2017-06-30")] == -0.056  # line 2: 2017-06-01,-0.05600
    assert call[("rate.jpy.call_monthly", "2024-08-31")] == 0.227  # line 88


def test_real_derived_reexport_refused(fred_dir: Path) -> None:
    name = "IRSTCI01JPM156N_1992-2024_derived.csv"  # pandas re-export, header 'date,…'
    err = parse_error((fred_dir / name).read_bytes(), name)
    assert err.row == 1


# --- fixtures: formats and mapping --------------------------------------------------


def test_old_format_dot_missing() -> None:
    obs = parse(fixture("DEXJPUS_old.csv"), "DEXJPUS_old.csv")
    assert obs == {("fx.usdjpy", "2024-08-01"): 149.5, ("fx.usdjpy", "2024-08-02"): 146.5,
                   ("fx.usdjpy", "2024-08-06"): 144.7}


def test_new_format_empty_missing() -> None:
    parsed = SOURCE.parse(fixture("DGS10_new.csv"), "DGS10_new.csv")
    assert list(parsed.observations.columns) == ["series_id", "ref_date", "value"]
    assert str(parsed.observations.ref_date.dtype) == "datetime64[ns]"
    assert parse(fixture("DGS10_new.csv"), "x.csv") == {
        ("ust.cmt.10y", "2025-12-24"): 4.10, ("ust.cmt.10y", "2025-12-26"): 4.15}
    assert parsed.series == [KNOWN["DGS10"]] and parsed.series[0].unit == "%"


def test_api_json() -> None:
    obs = parse(fixture("DGS10.json"), "DGS10.json")
    assert obs == {("ust.cmt.10y", "2025-12-24"): 4.10, ("ust.cmt.10y", "2025-12-26"): 4.15,
                   ("ust.cmt.10y", "2025-12-29"): 4.12}
    assert parse(fixture("DGS10.json"), "raw/DGS10_2026-09-14.json") == obs


def test_monthly_period_fixture() -> None:
    obs = SOURCE.parse(fixture("IR3TIB01JPM156N_small.csv"), "IR3TIB01JPM156N.csv").observations
    assert [str(d.date()) for d in obs.ref_date] == ["2024-01-31", "2024-02-29", "2024-12-31"]
    assert [str(d.date()) for d in obs.period_start] == ["2024-01-01", "2024-02-01", "2024-12-01"]


def test_unknown_id_is_generic() -> None:
    raw = fixture("VIXCLS.csv").replace(b"VIXCLS", b"BAMLH0A0HYM2")  # an id not in the catalog
    parsed = SOURCE.parse(raw, "BAMLH0A0HYM2.csv")
    info = parsed.series[0]
    assert (info.id, info.unit, info.frequency) == ("fred.BAMLH0A0HYM2", "see FRED", "daily")
    assert parse(raw, "BAMLH0A0HYM2.csv")[("fred.BAMLH0A0HYM2", "2024-08-05")] == 38.5
    # VIXCLS itself is in the catalog
    assert parse(fixture("VIXCLS.csv"), "VIXCLS.csv")[("equity.vix.close", "2024-08-05")] == 38.5


@pytest.mark.parametrize(("dates", "frequency", "end"), [
    (["2024-01-01", "2024-02-01", "2024-03-01"], "monthly", "2024-03-31"),
    (["2024-01-01", "2024-04-01", "2024-07-01"], "quarterly", "2024-09-30"),
    (["2022-01-01", "2023-01-01", "2024-01-01"], "annual", "2024-12-31"),
    (["2024-01-03", "2024-01-10", "2024-01-17"], "weekly", "2024-01-17"),
])
def test_unknown_id_frequency_inferred(dates: list[str], frequency: str, end: str) -> None:
    raw = ("observation_date,XYZ1\n" + "".join(f"{d},1.5\n" for d in dates)).encode()
    parsed = SOURCE.parse(raw, "XYZ1.csv")
    assert parsed.series[0].frequency == frequency
    assert str(parsed.observations.ref_date.max().date()) == end


def test_several_columns() -> None:
    raw = b"observation_date,DGS2,DGS10\n2026-01-02,3.47,4.19\n2026-01-05,,4.17\n"
    obs = parse(raw, "fredgraph.csv")
    assert obs == {("ust.cmt.2y", "2026-01-02"): 3.47, ("ust.cmt.10y", "2026-01-02"): 4.19,
                   ("ust.cmt.10y", "2026-01-05"): 4.17}


def test_catalog_and_defaults() -> None:
    ids = {k: v.id for k, v in KNOWN.items()}
    assert ids["DEXJPUS"] == "fx.usdjpy" and KNOWN["DEXJPUS"].unit == "JPY per USD"
    assert ids["SOFR"] == "rate.sofr" and ids["DFF"] == "rate.effr"
    assert [ids[f"DGS{t}"] for t in ("1MO", "3MO", "6MO", "1", "2", "5", "10", "30")] == [
        "ust.cmt.1m", "ust.cmt.3m", "ust.cmt.6m", "ust.cmt.1y", "ust.cmt.2y", "ust.cmt.5y",
        "ust.cmt.10y", "ust.cmt.30y"]
    assert ids["DTB3"] == "ust.bill.3m_discount"
    assert KNOWN["T10Y2Y"].unit == "percentage points"
    assert ids["IRLTLT01JPM156N"] == "jgb.10y_oecd"
    assert {"DEXJPUS", "SOFR", "DFF", "DGS2", "DGS5", "DGS10", "DGS30", "IR3TIB01JPM156N",
            "IRSTCI01JPM156N", "DGS3MO"} <= set(DEFAULT_SERIES)
    assert all(KNOWN[k].frequency == "monthly" for k in ids if k.startswith("IR"))


# --- corruption -> ParseError naming file and row --------------------------------------


@pytest.mark.parametrize("header", ["Date,DGS10", "DGS10,observation_date", "observation_date",
                                    "observation_date,DGS 10", "observation_date,DGS10,DGS10"])
def test_bad_header(header: str) -> None:
    raw = fixture("DGS10_new.csv").replace(b"observation_date,DGS10", header.encode())
    assert parse_error(raw).row == 1


def test_non_number() -> None:
    err = parse_error(fixture("DGS10_new.csv").replace(b"4.15", b"4,15"))
    assert err.row == 4 and "3 fields" in str(err)
    err = parse_error(fixture("DEXJPUS_old.csv").replace(b"144.70", b"144.7O"), "DEXJPUS.csv")
    assert err.row == 5 and "144.7O" in str(err)


def test_truncated_file() -> None:
    err = parse_error(fixture("DGS10_new.csv")[:-2])
    assert err.row == 4 and "truncated" in str(err)


def test_dates_out_of_order_and_bad_date() -> None:
    assert parse_error(fixture("DGS10_new.csv").replace(b"2025-12-26", b"2025-12-20")).row == 4
    assert parse_error(fixture("DGS10_new.csv").replace(b"2025-12-26", b"2025-12-32")).row == 4
    assert parse_error(fixture("DGS10_new.csv").replace(b"2025-12-26", b"12/26/2025")).row == 4


def test_known_monthly_not_on_the_first() -> None:
    raw = fixture("IR3TIB01JPM156N_small.csv").replace(b"2024-12-01", b"2024-12-15")
    assert parse_error(raw, "IR3TIB01JPM156N.csv").row == 4


def _json(**changes: object) -> bytes:
    doc = json.loads(fixture("DGS10.json"))
    doc.update(changes)
    return json.dumps(doc).encode()


def test_json_errors() -> None:
    assert "units=lin" in str(parse_error(_json(units="pch"), "DGS10.json"))
    assert "offset" in str(parse_error(_json(count=9), "DGS10.json"))
    parse_error(fixture("DGS10.json")[:-40], "DGS10.json")  # truncated JSON
    parse_error(fixture("DGS10.json"), "observations.json")  # no FRED id in the name
    parse_error(b'{"error_code": 400, "error_message": "Bad Request."}', "DGS10.json")
    obs = json.loads(fixture("DGS10.json"))["observations"]
    obs[2]["value"] = "n/a"
    assert parse_error(_json(observations=obs), "DGS10.json").row == 3


# --- property: random corruption of the data never yields a wrong number -------------

FIXTURE = fixture("DEXJPUS_old.csv").decode()
FULL = parse(FIXTURE.encode(), "DEXJPUS_old.csv")
DATA_START = FIXTURE.index("\n") + 1  # a corrupted header id would be another series


@settings(max_examples=300)
@given(pos=st.integers(min_value=DATA_START, max_value=len(FIXTURE) - 1),
       char=st.sampled_from(list('x,.;/ \n\r"')))
def test_substitution_never_gives_wrong_numbers(pos: int, char: str) -> None:
    try:
        got = parse((FIXTURE[:pos] + char + FIXTURE[pos + 1:]).encode(), "DEXJPUS_old.csv")
    except ParseError:
        return
    assert all(FULL.get(k) == v for k, v in got.items())


# --- vectorised reading vs the row-by-row reading -------------------------------------

FAST = ("_read_csv_fast", "_read_json_fast")


def outcome(raw: bytes, name: str, row_by_row: bool = False) -> tuple:
    """("ok", every column as a list, dtypes, catalog rows) or ("error", message, row);
    with ``row_by_row`` the vectorised reading is switched off."""
    with pytest.MonkeyPatch.context() as mp:
        for fn in FAST if row_by_row else ():
            mp.setattr(series, fn, lambda *args: None)
        try:
            parsed = SOURCE.parse(raw, name)
        except ParseError as e:
            return ("error", str(e), e.row)
    obs = parsed.observations
    return ("ok", obs.to_dict("list"), [str(t) for t in obs.dtypes], parsed.series)


REAL_CSV = ("DEXJPUS_1971-2023.csv", "DEXJPUS_2015-2025.csv", "DGS10_1962-2025.csv",
            "IR3TIB01JPM156N.csv", "IRSTCI01JPM156N.csv", "SOFR.csv", "2026_ytd/DFF.csv")


def test_real_files_vectorised_equals_row_by_row(fred_dir: Path) -> None:
    for name in REAL_CSV:
        raw = (fred_dir / name).read_bytes()
        assert outcome(raw, name) == outcome(raw, name, row_by_row=True)
    raw = fixture("DGS10.json")
    assert outcome(raw, "DGS10.json") == outcome(raw, "DGS10.json", row_by_row=True)


def test_real_files_take_the_vectorised_path(
    fred_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_row_loop(*args: object) -> None:
        raise AssertionError("a well-formed file fell back to the row-by-row reading")

    monkeypatch.setattr(series, "_read_csv_exact", no_row_loop)
    monkeypatch.setattr(series, "_read_json_exact", no_row_loop)
    for name in REAL_CSV:
        SOURCE.parse((fred_dir / name).read_bytes(), name)
    SOURCE.parse(fixture("DGS10.json"), "DGS10.json")


MONTHLY = fixture("IR3TIB01JPM156N_small.csv").decode()
JSON = fixture("DGS10.json").decode()


# both paths: the same numbers, or the same ParseError (file, row, what was expected)
@settings(max_examples=300)
@given(pos=st.integers(min_value=0, max_value=len(JSON) - 1),
       char=st.sampled_from(list('x,.;/ \n\r"-019e{}') + ["１"]),
       which=st.sampled_from([(FIXTURE, "DEXJPUS_old.csv"), (MONTHLY, "IR3TIB01JPM156N.csv"),
                              (JSON, "DGS10.json")]))
def test_vectorised_and_row_by_row_agree(pos: int, char: str, which: tuple[str, str]) -> None:
    src, name = which
    pos = min(pos, len(src) - 1)
    raw = (src[:pos] + char + src[pos + 1:]).encode()
    assert outcome(raw, name) == outcome(raw, name, row_by_row=True)


def test_stray_line_break() -> None:
    err = parse_error(fixture("DEXJPUS_old.csv").replace(b"146.50\n", b"146.50\r\n"))
    assert err.row == 3 and "LF line breaks" in str(err)


def test_date_outside_datetime64_range() -> None:
    # datetime64[ns] would wrap 2300 round to 1715: a ParseError, never a wrong date
    err = parse_error(fixture("DGS10_new.csv").replace(b"2025-12-26", b"2300-12-26"))
    assert err.row == 4 and "1678-2261" in str(err) and "2300-12-26" in str(err)
    raw = fixture("DGS10.json").replace(b"2025-12-29", b"9999-12-29")
    assert parse_error(raw, "DGS10.json").row == 4


# --- fetch ----------------------------------------------------------------------------


class FakeGet:
    """Stands in for yenflow.http.get; echoes the full URL, key included, like a naive client."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict | None]] = []

    def __call__(self, url: str, params: dict | None = None) -> Response | None:
        self.calls.append((url, params))
        if params and params.get("series_id") == "DFF":
            return None  # 304 Not Modified
        query = "&".join(f"{k}={v}" for k, v in (params or {}).items())
        return Response(url + ("?" + query if query else ""), 200, b"{}", None, None)


def test_fetch_keyless_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    get = FakeGet()
    files = list(FredSeries(("DEXJPUS", "SOFR")).fetch(get))
    assert [c[0] for c in get.calls] == [
        "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DEXJPUS",
        "https://fred.stlouisfed.org/graph/fredgraph.csv?id=SOFR"]
    assert [f.name for f in files] == ["DEXJPUS.csv", "SOFR.csv"]


def test_fetch_api_key_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "abcdef0123456789abcdef0123456789"
    monkeypatch.setenv("FRED_API_KEY", key)
    get = FakeGet()
    files = list(FredSeries(("DGS10", "DFF")).fetch(get))
    assert get.calls[0] == (API_URL, {"series_id": "DGS10", "api_key": key, "file_type": "json"})
    assert [f.name for f in files] == ["DGS10.json"]  # DFF answered 304
    assert key not in files[0].url and "api_key=***" in files[0].url
    assert all(key not in repr(f) for f in files)


def test_file_specs() -> None:
    specs = SOURCE.files
    assert [s.key for s in specs] == list(DEFAULT_SERIES)
    assert specs[0].local_globs == ("fred/*.csv", "fred/**/*.csv")
    assert all(not s.local_globs for s in specs[1:])
    assert specs[0].url == "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DEXJPUS"
