"""BOJ Time-Series API source: parsing (JSON/CSV), fetch paging and errors on a loopback server.

Fixtures in tests/fixtures/boj/ are hand-written after the examples in the BOJ
manual (api_manual.pdf, III.3 and IV.1) and the envelope in sources.md §7.
"""

from __future__ import annotations

import functools
import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from yenflow import http
from yenflow.errors import FetchError, ParseError
from yenflow.sources.boj import BOJ_CREDIT, MPM_DECISIONS, BojApi
from yenflow.sources.boj.api import (
    CORE_SERIES,
    POLICY_TARGET,
    BojSeries,
    _period,
    group_requests,
    parse_page,
    policy_target_on,
    policy_target_parsed,
)

FIX = Path(__file__).parent / "fixtures" / "boj"
PATH = "/api/v1/getDataCode"


def _raw(name: str) -> bytes:
    return (FIX / name).read_bytes()


def _get() -> Any:
    return functools.partial(http.get, source="boj.api")


def _api(server: HTTPServer, series: list[BojSeries] | None = None, **kw: Any) -> BojApi:
    return BojApi(series or [BojSeries("FM01", "STRDCLUCON", "D", "x", "x", "%")],
                  base_url=server.url_for("/api/v1"), pause=0, **kw)


def _page(db: str, codes: list[str], nextpos: int | None, freq: str = "DAILY") -> dict[str, Any]:
    return {
        "STATUS": 200, "MESSAGEID": "M181000I", "MESSAGE": "Successfully completed",
        "DATE": "2026-02-21T15:00:00.000+09:00",
        "PARAMETER": {"FORMAT": "JSON", "LANG": "EN", "DB": db, "STARTDATE": "",
                      "ENDDATE": "", "STARTPOSITION": ""},
        "NEXTPOSITION": nextpos,
        "RESULTSET": [
            {"SERIES_CODE": c, "NAME_OF_TIME_SERIES": c, "UNIT": "percent per annum",
             "FREQUENCY": freq, "CATEGORY": "x", "LAST_UPDATE": 20260220,
             "VALUES": {"SURVEY_DATES": [20260219, 20260220], "VALUES": [0.727, 0.728]}}
            for c in codes
        ],
    }


# --------------------------------------------------------------------------- parse


def test_parse_json_daily() -> None:
    p = BojApi().parse(_raw("getDataCode_FM01_D.json"), "FM01_D_p1.json")
    obs = p.observations
    tona = obs[obs.series_id == "rate.jpy.tona"].set_index("ref_date")["value"]
    assert tona[pd.Timestamp("2024-07-31")] == 0.077
    assert tona[pd.Timestamp("2024-08-01")] == 0.227
    assert pd.Timestamp("2024-08-03") not in tona.index  # null = missing, dropped
    assert obs["ref_date"].dtype == "datetime64[ns]" and obs["value"].dtype == "float64"
    assert not obs["value"].isna().any()
    # an unmapped code gets boj.<db>.<code> and the unit the response states
    info = {s.id: s for s in p.series}
    assert info["boj.fm01.strdcluconh"].unit == "percent per annum"
    assert info["rate.jpy.tona"].unit == "%" and info["rate.jpy.tona"].frequency == "daily"
    assert all(BOJ_CREDIT in s.notes for s in p.series)


def test_parse_csv_monthly_en() -> None:
    p = BojApi().parse(_raw("getDataCode_BP01_M.csv"), "BP01_M_p1.csv")
    obs = p.observations.set_index(["series_id", "ref_date"])
    assert obs.loc[("bop.current_account", pd.Timestamp("2025-11-30")), "value"] == 36741.0
    assert obs.loc[("bop.current_account", pd.Timestamp("2025-11-30")), "period_start"] == \
        pd.Timestamp("2025-11-01")
    # empty VALUES cell = missing
    assert ("bop.current_account", pd.Timestamp("2025-12-31")) not in obs.index
    # quoted name with commas, fractional value, negative = net sale of USTs
    assert obs.loc[("bop.pi.assets.us_lt_sovereign.net", pd.Timestamp("2025-12-31")),
                   "value"] == -310.0
    assert obs.loc[("bop.pi.assets.us_lt_sovereign.net", pd.Timestamp("2025-11-30")),
                   "value"] == 12804.5
    assert {s.unit for s in p.series} == {"JPY 100m"}


def test_parse_json_quarterly_jp_labels() -> None:
    p = BojApi().parse(_raw("getDataCode_FF_Q.json"), "FF_Q_p1.json")
    obs = p.observations.set_index(["series_id", "ref_date"])["value"]
    assert obs[("fof.jgb_fil.overseas", pd.Timestamp("2025-12-31"))] == 751234.0
    assert obs[("fof.jgb_fil.overseas", pd.Timestamp("2026-03-31"))] == 815678.0
    assert obs[("boj.ff.fof_ffas500a110", pd.Timestamp("2026-03-31"))] == 1234.0
    info = {s.id: s for s in p.series}
    assert info["boj.ff.fof_ffas500a110"].unit == "億円"  # unmapped: unit as reported
    assert info["boj.ff.fof_ffas500a110"].name.startswith("資産・現金")


def test_parse_csv_shift_jis() -> None:
    p = BojApi().parse(_raw("getDataCode_FF_Q_jp.csv"), "FF_Q_p1.csv")
    obs = p.observations
    assert list(obs["series_id"].unique()) == ["fof.tbill.overseas"]
    assert obs.set_index("ref_date")["value"][pd.Timestamp("2026-03-31")] == 757500.0
    assert obs["period_start"].min() == pd.Timestamp("2025-10-01")


def test_parse_no_data_is_empty() -> None:
    p = BojApi().parse(_raw("nodata_M181030I.json"), "FM08_D_p1.json")
    assert p.observations.empty and p.series == []
    assert list(p.observations.columns[:3]) == ["series_id", "ref_date", "value"]


@pytest.mark.parametrize(
    ("letter", "survey", "ref", "start"),
    [
        ("D", "20240805", date(2024, 8, 5), None),
        ("M", "202402", date(2024, 2, 29), date(2024, 2, 1)),
        ("Q", "202401", date(2024, 3, 31), date(2024, 1, 1)),
        ("Q", "202404", date(2024, 12, 31), date(2024, 10, 1)),
        ("CY", "2024", date(2024, 12, 31), date(2024, 1, 1)),
        ("FY", "2024", date(2025, 3, 31), date(2024, 4, 1)),
        ("CH", "202502", date(2025, 12, 31), date(2025, 7, 1)),
        ("FH", "202502", date(2026, 3, 31), date(2025, 10, 1)),
    ],
)
def test_survey_dates(letter: str, survey: str, ref: date, start: date | None) -> None:
    assert _period(letter, survey) == (ref, start)


@pytest.mark.parametrize(("letter", "survey"), [("Q", "202405"), ("M", "20240"), ("D", "2024080"),
                                                 ("M", "2024ab")])
def test_bad_survey_dates(letter: str, survey: str) -> None:
    with pytest.raises(ValueError):
        _period(letter, survey)


def _mutate(name: str, fn: Any) -> bytes:
    doc = json.loads(_raw(name))
    fn(doc)
    return json.dumps(doc).encode()


def test_non_number_value_names_file_and_item() -> None:
    raw = _mutate("getDataCode_FM01_D.json",
                  lambda d: d["RESULTSET"][0]["VALUES"]["VALUES"].__setitem__(2, "0.2x"))
    with pytest.raises(ParseError) as e:
        parse_page(raw, "FM01_D_p1.json")
    assert e.value.file == "FM01_D_p1.json" and e.value.row == 3
    assert "STRDCLUCON" in str(e.value)


def test_length_mismatch_is_parse_error() -> None:
    raw = _mutate("getDataCode_FM01_D.json",
                  lambda d: d["RESULTSET"][0]["VALUES"]["VALUES"].pop())
    with pytest.raises(ParseError, match="equal length"):
        parse_page(raw, "FM01_D_p1.json")


def test_unit_conflict_is_parse_error() -> None:
    raw = _mutate("getDataCode_FM01_D.json",
                  lambda d: d["RESULTSET"][0].__setitem__("UNIT", "100 million yen"))
    with pytest.raises(ParseError, match="unit %"):
        parse_page(raw, "FM01_D_p1.json")


def test_frequency_conflict_is_parse_error() -> None:
    raw = _mutate("getDataCode_FM01_D.json",
                  lambda d: d["RESULTSET"][0].__setitem__("FREQUENCY", "MONTHLY"))
    with pytest.raises(ParseError, match="frequency D"):
        parse_page(raw, "FM01_D_p1.json")


def test_bad_survey_date_in_file_names_row() -> None:
    raw = _raw("getDataCode_BP01_M.csv").replace(b",202511,36741", b",2025-11,36741")
    with pytest.raises(ParseError) as e:
        parse_page(raw, "BP01_M_p1.csv")
    assert e.value.row == 14 and "BP01_M_p1.csv" in str(e.value)


def test_csv_missing_column_and_short_line() -> None:
    raw = _raw("getDataCode_BP01_M.csv")
    with pytest.raises(ParseError, match="columns") as e:
        parse_page(raw.replace(b"SURVEY_DATES,VALUES", b"DATES,VALUES"), "x.csv")
    assert e.value.row == 12
    with pytest.raises(ParseError) as e2:
        parse_page(raw.replace(b"20260209,202511,36741", b"20260209"), "x.csv")
    assert e2.value.row == 14


def test_duplicate_date_and_missing_code() -> None:
    raw = _mutate("getDataCode_FM01_D.json",
                  lambda d: d["RESULTSET"][1]["VALUES"]["SURVEY_DATES"].__setitem__(1, 20240801))
    with pytest.raises(ParseError, match="once for STRDCLUCONH") as e:
        parse_page(raw, "FM01_D_p1.json")
    assert e.value.row == 2
    raw = _mutate("getDataCode_FM01_D.json", lambda d: d["RESULTSET"][0].pop("SERIES_CODE"))
    with pytest.raises(ParseError, match=r"RESULTSET\[0\] with a SERIES_CODE"):
        parse_page(raw, "FM01_D_p1.json")


def test_error_envelope_is_parse_error() -> None:
    with pytest.raises(ParseError, match="M181005E"):
        parse_page(_raw("error_M181005E.json"), "bad.json")


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(_raw("getDataCode_FM01_D.json")) - 2))
def test_truncated_json_always_parse_error(cut: int) -> None:
    raw = _raw("getDataCode_FM01_D.json").rstrip()
    with pytest.raises(ParseError):
        parse_page(raw[:cut], "FM01_D_p1.json")


# --------------------------------------------------------------------------- catalog, policy


def test_catalog_carries_credit_and_core_ids() -> None:
    cat = {s.id: s for s in BojApi().catalog()}
    for sid, unit in [("rate.jpy.tona", "%"), ("rate.jpy.call_3m_monthly", "%"),
                      ("rate.boj.basic_loan", "%"), ("fx.usdjpy.tokyo_17", "JPY per USD"),
                      ("fx.usdjpy.monthly_avg", "JPY per USD"), ("bop.current_account", "JPY 100m"),
                      ("bop.pi.assets.net", "JPY 100m"), ("bop.pi.assets.equity", "JPY 100m"),
                      ("bop.pi.assets.debt", "JPY 100m"),
                      ("bop.pi.assets.us_lt_sovereign.net", "JPY 100m"), ("iip.net", "JPY bn"),
                      ("fof.jgb_fil.overseas", "JPY 100m"), ("rate.boj.policy_target", "%")]:
        assert cat[sid].unit == unit, sid
    assert all(BOJ_CREDIT in s.notes for s in cat.values())
    assert "日本銀行時系列統計データ検索サイトの API 機能を使用しています" in BOJ_CREDIT
    assert "not guaranteed by the Bank of Japan" in BOJ_CREDIT
    assert "ACT/365F" in cat["rate.jpy.tona"].description


def test_policy_target_table() -> None:
    decided = [d.decided for d in MPM_DECISIONS]
    assert decided == sorted(decided)
    assert all(d.decided < d.effective or d.decided == d.effective for d in MPM_DECISIONS)
    assert policy_target_on(date(2024, 3, 20)) == -0.10
    assert policy_target_on(date(2024, 7, 31)) == 0.05
    assert policy_target_on(date(2024, 8, 1)) == 0.25
    assert policy_target_on(date(2025, 1, 27)) == 0.50
    assert policy_target_on(date(2025, 12, 22)) == 0.75
    assert policy_target_on(date(2015, 1, 1)) is None
    p = policy_target_parsed()
    assert p.series == [POLICY_TARGET]
    obs = p.observations.set_index("ref_date")
    assert obs.loc[pd.Timestamp("2025-12-22"), "value"] == 0.75
    assert obs.loc[pd.Timestamp("2025-12-22"), "released"] == pd.Timestamp("2025-12-19")


def test_policy_target_matches_bis_file(shared_data: Path) -> None:
    # boj/boj-policy-rate_BIS-CBPOL-D.JP_derived.csv: BIS dates a change from its effective day,
    # e.g. line "2025-12-22,0.7500"; compare every decision from 2024 on (the 2016 NIRP row
    # differs: BIS starts -0.1 at 2016-09-21, the YCC date).
    bis = pd.read_csv(shared_data / "boj" / "boj-policy-rate_BIS-CBPOL-D.JP_derived.csv",
                      parse_dates=["date"]).set_index("date")["value"]
    for d in MPM_DECISIONS:
        if d.effective.year >= 2024:
            eff = pd.Timestamp(d.effective)
            assert bis[eff] == pytest.approx(d.target), d
            assert bis[bis.index < eff].iloc[-1] != pytest.approx(d.target), d


# --------------------------------------------------------------------------- fetch (loopback)


def test_requests_grouped_by_db_and_frequency() -> None:
    groups = {(r.db, r.freq): r.codes for r in group_requests(CORE_SERIES)}
    assert groups[("FM08", "D")] == ("FXERD04",)
    assert groups[("FM08", "M")] == ("FXERM07",)
    assert "BPPI6D3NAUS" in groups[("BP01", "M")] and ("BP01", "CY") in groups


def test_paging_with_nextposition(httpserver: HTTPServer) -> None:
    seen: list[dict[str, str]] = []
    codes = ["STRDCLUCON", "STRDCLUCONH", "STRDCLUCONL"]

    def handler(request: Request) -> Response:
        args = dict(request.args)
        seen.append(args)
        start = int(args.get("startPosition", "1"))
        nextpos = start + 1 if start < 3 else None
        return Response(json.dumps(_page("FM01", [codes[start - 1]], nextpos)),
                        content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(handler)
    api = _api(httpserver, [BojSeries("FM01", c, "D", c, c, "%") for c in codes],
               start=date(2026, 2, 1))
    files = list(api.fetch(_get()))
    assert [f.name for f in files] == ["FM01_D_p1.json", "FM01_D_p2.json", "FM01_D_p3.json"]
    assert [s.get("startPosition") for s in seen] == [None, "2", "3"]
    assert all(s["code"] == ",".join(codes) and s["db"] == "FM01" and s["lang"] == "en"
               and s["format"] == "json" and s["startDate"] == "202602" for s in seen)
    assert "startPosition=2" in files[1].url
    parsed = [api.parse(f.content, f.name) for f in files]
    assert sum(len(p.observations) for p in parsed) == 6


def test_more_than_250_codes_split(httpserver: HTTPServer) -> None:
    sizes: list[int] = []

    def handler(request: Request) -> Response:
        codes = request.args["code"].split(",")
        sizes.append(len(codes))
        return Response(json.dumps(_page("PR01", codes[:1], None, "MONTHLY")),
                        content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(handler)
    series = [BojSeries("PR01", f"PRCG{i:04d}", "M", f"p{i}", "p", "index") for i in range(260)]
    files = list(_api(httpserver, series).fetch(_get()))
    assert sizes == [250, 10]
    assert [f.name for f in files] == ["PR01_M_p1.json", "PR01_M_p2.json"]


def test_pause_between_requests(httpserver: HTTPServer) -> None:
    pauses: list[float] = []
    httpserver.expect_request(PATH).respond_with_json(_page("FM01", ["STRDCLUCON"], None))
    series = [BojSeries("FM01", "STRDCLUCON", "D", "a", "a", "%"),
              BojSeries("FM08", "FXERD04", "D", "b", "b", "JPY per USD"),
              BojSeries("FM08", "FXERM07", "M", "c", "c", "JPY per USD")]
    api = BojApi(series, base_url=httpserver.url_for("/api/v1"), sleep=pauses.append)
    assert len(list(api.fetch(_get()))) == 3
    assert pauses == [1.0, 1.0]  # default pause, none before the first request


def test_http_400_error_body(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        _raw("error_M181005E.json"), status=400, content_type="application/json")
    with pytest.raises(FetchError) as e:
        list(_api(httpserver).fetch(_get()))
    assert "HTTP 400" in str(e.value) and "M1810xxE" in str(e.value)
    assert e.value.source == "boj.api"


def test_error_body_with_http_200(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        _raw("error_M181013E.json"), status=200, content_type="application/json")
    with pytest.raises(FetchError) as e:
        list(_api(httpserver).fetch(_get()))
    assert "M181013E" in str(e.value) and "does not exist" in str(e.value)
    assert "getDataCode" in e.value.url


def test_no_data_is_not_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        _raw("nodata_M181030I.json"), content_type="application/json")
    files = list(_api(httpserver).fetch(_get()))
    assert len(files) == 1
    assert BojApi().parse(files[0].content, files[0].name).observations.empty


def test_503_then_200_is_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        _raw("error_M181091S.json"), status=503, content_type="application/json")
    httpserver.expect_ordered_request(PATH).respond_with_json(_page("FM01", ["STRDCLUCON"], None))
    files = list(_api(httpserver).fetch(_get()))
    assert len(files) == 1 and len(httpserver.log) == 2


def test_429_then_200_and_persistent_429(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data("slow down", status=429)
    httpserver.expect_ordered_request(PATH).respond_with_json(_page("FM01", ["STRDCLUCON"], None))
    assert len(list(_api(httpserver).fetch(_get()))) == 1
    httpserver.clear()
    httpserver.expect_request(PATH).respond_with_data("slow down", status=429)
    with pytest.raises(FetchError, match="HTTP 429 after 3 attempts"):
        list(_api(httpserver).fetch(_get()))


def test_nextposition_that_does_not_advance(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_json(_page("FM01", ["STRDCLUCON"], 1))
    with pytest.raises(FetchError, match="does not advance"):
        list(_api(httpserver).fetch(_get()))


def test_csv_format_paging(httpserver: HTTPServer) -> None:
    body = _raw("getDataCode_BP01_M.csv")
    first = body.replace(b"NEXTPOSITION,", b"NEXTPOSITION,2")

    def handler(request: Request) -> Response:
        return Response(first if "startPosition" not in request.args else body,
                        content_type="text/csv")

    httpserver.expect_request(PATH).respond_with_handler(handler)
    series = [BojSeries("BP01", "BPBP6JYNCB", "M", "a", "a", "JPY 100m"),
              BojSeries("BP01", "BPPI6D3NAUS", "M", "b", "b", "JPY 100m")]
    files = list(_api(httpserver, series, fmt="csv").fetch(_get()))
    assert [f.name for f in files] == ["BP01_M_p1.csv", "BP01_M_p2.csv"]
