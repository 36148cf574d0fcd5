"""BOJ flat files: the wide-layout reader, the balance-of-payments source
(bp_m_en.zip, regbp_q_en.zip), the catch-all source for other BOJ flat files,
and link discovery on the BOJ download page.

Expected values were read from the raw CSVs inside the sample zips with the
csv module (``csv.reader(open('bp_m_en.csv'))``, row = series code, column =
period label) and are cited next to each assert."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer

from yenflow.errors import FetchError, ParseError, ValidationError
from yenflow.pipeline import update_source
from yenflow.sources.boj.bop_flat import BojBopFlat, parse_bop_flat
from yenflow.sources.boj.flat_file import read_csv, read_flat_file
from yenflow.sources.boj.flat_links import file_links
from yenflow.sources.boj.other_flat import BojOtherFlatFiles, parse_other_flat
from yenflow.store import Store

BOP_STAT = '"Balance of Payments (Data Based on the BPM6)"'


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return buf.getvalue()


def _series(parsed: object) -> pd.Series:
    obs = parsed.observations  # type: ignore[attr-defined]
    return obs.set_index(["series_id", "ref_date"])["value"]


@pytest.fixture(scope="module")
def bp_m(shared_data: Path) -> object:
    return parse_bop_flat((shared_data / "boj/bop/bp_m_en.zip").read_bytes(), "bp_m_en.zip")


@pytest.fixture(scope="module")
def regbp(shared_data: Path) -> object:
    return parse_bop_flat((shared_data / "boj/bop/regbp_q_en.zip").read_bytes(), "regbp_q_en.zip")


# ------------------------------------------------------------------ reader on the real files


def test_reader_layouts_of_the_real_files(shared_data: Path) -> None:
    bp = read_flat_file((shared_data / "boj/bop/bp_m_en.zip").read_bytes(), "bp_m_en.zip", "t")
    assert [(t.member, t.frequency, t.values.shape) for t in bp] == [("bp_m_en.csv", "monthly", (2769, 374))]
    t = bp[0]
    # header 199601 … 202702 (4 leading empty cells); BPBP6JYNCB 199601 = 341.51732161
    assert str(t.ref_dates[0])[:10] == "1996-01-31" and str(t.ref_dates[-1])[:10] == "2027-02-28"
    assert t.values[t.row("BPBP6JYNCB"), 0] == 341.51732161
    assert t.units[0] == "100 million Yen"
    fof = read_flat_file((shared_data / "boj/flow_of_funds/fof2_en.zip").read_bytes(), "fof2_en.zip", "t")
    by_member = {x.member: x for x in fof}
    fy, q = by_member["ff_dl_fof_fiscal-year_en.csv"], by_member["ff_dl_fof_quarterly_en.csv"]
    # 3 leading columns (no unit); FY header 1979 … 2025 = end-March 1980 … 2026; quarters 199704 … 202601
    assert (fy.frequency, fy.fiscal, q.frequency) == ("annual", True, "quarterly")
    assert str(fy.ref_dates[0])[:10] == "1980-03-31" and str(q.ref_dates[0])[:10] == "1997-12-31"
    assert str(q.ref_dates[-1])[:10] == "2026-03-31" and fy.units[0] == ""
    # FOF_FFAS500L700 column 202404 = -5323703 (2024 Q4)
    assert q.values[q.row("FOF_FFAS500L700"), q.period_index("202404")] == -5323703


# ------------------------------------------------------------------ bp_m_en.zip


def test_us_located_investors_april_2025(bp_m: object) -> None:
    s = _series(bp_m)
    apr = pd.Timestamp("2025-04-30")
    # BPPI6E1N9US 202504 = 8461.18011 (100 million yen) = ¥846 bn, not ¥8.4 tn
    assert s["bop.country.liabilities.total.us.net", apr] == 8461.18011
    # the liabilities side codes acquisition R and disposition P: BPPI6E1R9US = 95866.02631,
    # BPPI6E1P9US = 87404.8462
    assert s["bop.country.liabilities.total.us.acq", apr] == 95866.02631
    assert s["bop.country.liabilities.total.us.disp", apr] == 87404.8462
    # by instrument: BPPI6E2N9US 4849.15451, BPPI6E3N9US 9253.2103, BPPI6E4N9US -5641.1847
    assert s["bop.country.liabilities.equity.us.net", apr] == 4849.15451
    assert s["bop.country.liabilities.bonds.us.net", apr] == 9253.2103
    assert s["bop.country.liabilities.bills.us.net", apr] == -5641.1847
    # all counterparts BPPI6E1N5 = 125895.99430216; U.K. BPPI6E1N9GB = 125898.35275064
    assert s["bop.country.liabilities.total.all.net", apr] == 125895.99430216
    assert s["bop.country.liabilities.total.gb.net", apr] == 125898.35275064


def test_assets_side_and_sovereign_and_currency(bp_m: object) -> None:
    s = _series(bp_m)
    apr = pd.Timestamp("2025-04-30")
    # assets: P is acquisition. BPPI6D1P5 = 633024.08033278, BPPI6D1R5 = 618738.2942249
    assert s["bop.country.assets.total.all.acq", apr] == 633024.08033278
    assert s["bop.country.assets.total.all.disp", apr] == 618738.2942249
    # Japanese net purchases of US long-term sovereign debt: BPPI6D3NAUS 202504 = -10776.93226836
    assert s["bop.sovereign.long_term.us.net", apr] == -10776.93226836
    # BPPI6D1N8US (assets in U.S. dollars, net) 202504 = 15455.87699238
    assert s["bop.currency.total.usd.net", apr] == 15455.87699238
    # current account BPBP6JYNCB 202504 = 23700.34989018
    assert s["bop.summary.current_account", apr] == 23700.34989018


def test_country_series_start_2014_and_skip_na(bp_m: object) -> None:
    obs = bp_m.observations  # type: ignore[attr-defined]
    us = obs[obs["series_id"] == "bop.country.liabilities.total.us.net"]
    # BPPI6E1N9US: empty before 201401, 201401 = 4425.43382, last 202604 = 37181.0248625
    assert us["ref_date"].min() == pd.Timestamp("2014-01-31") and us["value"].iloc[0] == 4425.43382
    assert us["ref_date"].max() == pd.Timestamp("2026-04-30") and us["value"].iloc[-1] == 37181.0248625
    assert (us["period_start"] == us["ref_date"] - pd.offsets.MonthBegin(1)).all()
    # BPPI6E1N9RW (unallocated) 202504 = NA: no row
    rw = obs[obs["series_id"] == "bop.country.liabilities.total.rw.net"]
    assert pd.Timestamp("2025-04-30") not in set(rw["ref_date"])
    assert rw["value"].iloc[-1] == -367.51881  # 202604
    # the 2026-05 … 2027-02 header columns hold only projected seasonal factors, never stored
    assert obs["ref_date"].max() == pd.Timestamp("2026-04-30")


def test_catalog_rows(bp_m: object) -> None:
    infos = {i.id: i for i in bp_m.series}  # type: ignore[attr-defined]
    us = infos["bop.country.liabilities.total.us.net"]
    assert us.unit == "JPY 100m" and us.frequency == "monthly"
    assert "U.S.A." in us.name and "transactor" in us.notes and "BPPI6E1N9US" in us.description
    # 59 economies and aggregates + 'all', 2 sides × 4 instruments × 3 measures
    econ = {i.split(".")[4] for i in infos if i.startswith("bop.country.")}
    assert len(econ) == 60 and {"us", "gb", "ci", "lx", "as", "ep", "all"} <= econ
    assert len([i for i in infos if i.startswith("bop.country.")]) == 60 * 2 * 4 * 3


# ------------------------------------------------------------------ regbp_q_en.zip


def test_regional_quarters(regbp: object, shared_data: Path) -> None:
    s = _series(regbp)
    q4 = pd.Timestamp("2025-12-31")
    # BPBP6QFLUS2 column 202504 (= 2025 Q4, not April) = -10060.38876
    assert s["bop.region.portfolio.us.liabilities", q4] == -10060.38876
    # BPBP6QFBUS 202504 = 4349.97753411; MOF 6a-20 prints the same quarter for U.S.A. as 4,350
    assert s["bop.region.financial_account.us.net", q4] == 4349.97753411
    # BPBP6QCBUS 201401 = 2014 Q1 current account with the U.S.
    obs = regbp.observations  # type: ignore[attr-defined]
    ca = obs[obs["series_id"] == "bop.region.current_account.us.net"]
    assert ca["ref_date"].min() == pd.Timestamp("2014-03-31")
    assert ca["period_start"].min() == pd.Timestamp("2014-01-01")


# ------------------------------------------------------------------ hand-made edge cases

_HEAD4 = ",,,,201401,201402,201403\n"


def _bop_csv(rows: dict[str, tuple[str, str]]) -> str:
    return _HEAD4 + "".join(f'{code},{BOP_STAT},"{name}","100 million Yen",{vals}\n'
                            for code, (name, vals) in rows.items())


_US = "Portfolio Investment Liabilities/Total/U.S.A./"


def test_net_must_equal_acquisition_minus_disposition() -> None:
    text = _bop_csv({"BPPI6E1R9US": (_US + "Acquisition", "10,20,30"),
                     "BPPI6E1P9US": (_US + "Disposition", "4,5,6"),
                     "BPPI6E1N9US": (_US + "Net", "6,15,99")})
    with pytest.raises(ValidationError) as e:
        parse_bop_flat(text.encode(), "bp_m_en.csv")
    assert "bop.country.liabilities.total.us.net" in str(e.value) and "201403" in str(e.value)
    assert e.value.row == 4


def test_measure_comes_from_the_name_not_the_code_letter() -> None:
    # on the liabilities side R is acquisition: a file whose R row says "Disposition" and whose
    # N row is not "Net" is refused, naming the row
    text = _bop_csv({"BPPI6E1N9US": (_US + "Acquisition", "1,2,3")})
    with pytest.raises(ParseError) as e:
        parse_bop_flat(text.encode(), "bp_m_en.csv")
    assert e.value.row == 2 and "BPPI6E1N9US" in str(e.value)


def test_bad_cell_names_row_code_and_period() -> None:
    text = _bop_csv({"BPPI6E1N9US": (_US + "Net", "1,x7,3")})
    with pytest.raises(ParseError) as e:
        parse_bop_flat(text.encode(), "bp_m_en.csv")
    assert e.value.row == 2 and "BPPI6E1N9US 201402" in str(e.value) and "'x7'" in str(e.value)


def test_wrong_field_count_is_named() -> None:
    text = _bop_csv({"BPPI6E1N9US": (_US + "Net", "1,2")})
    with pytest.raises(ParseError, match="7 fields like the header"):
        parse_bop_flat(text.encode(), "bp_m_en.csv")


def test_months_vs_quarters() -> None:
    # 201401…201404 then 201501: a quarterly header; 201401…201403 alone is ambiguous
    q = read_csv(b',,,,201403,201404,201501\nA,"S","n","u",1,NA,\n', "x.csv", "x.csv", "t")
    assert q.frequency == "quarterly" and str(q.ref_dates[2])[:10] == "2015-03-31"
    with pytest.raises(ParseError, match="tells months from quarters"):
        read_csv(b",,,,201401,201402\nA,\"S\",\"n\",\"u\",1,2\n", "x.csv", "x.csv", "t")
    m = read_csv(b',,,,201401,201402\nA,"S","n","u",1,2\n', "x_m_en.csv", "x_m_en.csv", "t")
    assert m.frequency == "monthly" and str(m.ref_dates[1])[:10] == "2014-02-28"


def test_missing_markers_and_three_leading_columns() -> None:
    t = read_csv(b',,,1979,1980\nFOF_X,"Flow of Funds (2008 SNA)","a/b",,NA\nFOF_Y,"Flow of Funds (2008 SNA)","c",5,\n',
                 "f.csv", "ff_dl_fof_fiscal-year_en.csv", "t")
    assert t.fiscal and t.units == ["", ""] and str(t.ref_dates[1])[:10] == "1981-03-31"
    assert pd.isna(t.values[0]).all() and t.values[1, 0] == 5


def test_leading_columns_must_be_three_or_four() -> None:
    with pytest.raises(ParseError, match="3 or 4 empty leading cells") as e:
        read_csv(b",,201401\nA,B,1\n", "x.csv", "x.csv", "t")
    assert e.value.row == 1


def test_other_statistics_are_refused_by_the_bop_source() -> None:
    text = b',,,,201401\nPRCG20_2200000000,"Corporate Goods Price Index","All","2020 average=100",100.1\n'
    with pytest.raises(ParseError, match="boj.flat_files"):
        parse_bop_flat(text, "cgpi_m_en.csv")


# ------------------------------------------------------------------ other BOJ flat files


def test_a_dropped_in_flat_file_is_stored_as_published() -> None:
    # hand-made, in the IIP calendar-year layout: 4 leading columns, bare calendar years
    text = (",,,,2023,2024\n"
            'BPBP6KN,"International Investment Position (Data Based on the BPM6)","Net IIP","Billion yen",'
            "471306.1,533050.2\n")
    p = parse_other_flat(_zip({"iip_cy_en.csv": text}), "iip_cy_en.zip")
    info = p.series[0]
    assert (info.id, info.unit, info.frequency) == ("boj.flat.bpbp6kn", "JPY bn", "annual")
    s = _series(p)
    assert s["boj.flat.bpbp6kn", pd.Timestamp("2024-12-31")] == 533050.2
    with pytest.raises(ParseError, match="boj.bop_flat"):
        parse_other_flat(_bop_csv({"BPPI6E1N9US": (_US + "Net", "1,2,3")}).encode(), "bp_m_en.csv")


# ------------------------------------------------------------------ link discovery and fetch


def test_download_page_links(shared_data: Path) -> None:
    links = file_links((shared_data / "boj/dload_en.html").read_bytes())
    assert links["bp_m_en.zip"] == "https://www.stat-search.boj.or.jp/info/bp_m_en.zip"
    assert {"regbp_q_en.zip", "qiip_q_en.zip", "iip_cy_en.zip", "fof2_en.zip"} <= set(links)
    assert not any(name.endswith(".html") for name in links)


def _serve_boj(httpserver: HTTPServer, shared: Path, page: bytes | None = None) -> type[BojBopFlat]:
    page = page if page is not None else (shared / "boj/dload_en.html").read_bytes()
    httpserver.expect_request("/info/dload_en.html").respond_with_data(page, headers={"ETag": '"p1"'})
    for name in ("bp_m_en.zip", "regbp_q_en.zip"):
        body = (shared / "boj/bop" / name).read_bytes()
        httpserver.expect_request(f"/info/{name}").respond_with_data(body, headers={"ETag": f'"{name}"'})
    return type("LocalBop", (BojBopFlat,), {"page_url": httpserver.url_for("/info/dload_en.html")})


def test_fetch_follows_the_download_page(httpserver: HTTPServer, shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    r = update_source(store, _serve_boj(httpserver, shared_data)())
    assert r.ok and r.files_new == 2
    served = [req.path for req, _ in httpserver.log]
    assert served == ["/info/dload_en.html", "/info/bp_m_en.zip", "/info/regbp_q_en.zip"]
    assert store.get("bop.country.liabilities.total.us.net").loc["2025-04-30"] == 8461.18011


def test_a_page_without_the_file_is_a_fetch_error(httpserver: HTTPServer, shared_data: Path,
                                                  tmp_path: Path) -> None:
    page = (shared_data / "boj/dload_en.html").read_bytes().replace(b'href="bp_m_en.zip"', b'href="bp_m_en2.zip"')
    store = Store(tmp_path / "s.duckdb")
    r = update_source(store, _serve_boj(httpserver, shared_data, page)())
    assert not r.ok and "no longer links bp_m_en.zip" in (r.error or "")
    with pytest.raises(FetchError):
        list(_serve_boj(httpserver, shared_data, page)().fetch(lambda url, **kw: _page_only(page, url)))


def _page_only(page: bytes, url: str) -> object:
    from yenflow.http import Response

    return Response(url=url, status=200, content=page, etag=None, last_modified=None)


def test_other_flat_files_source_skips_unlinked_iip(httpserver: HTTPServer, shared_data: Path,
                                                    tmp_path: Path) -> None:
    # a page that links neither IIP zip: nothing to fetch, not an error
    httpserver.expect_request("/info/dload_en.html").respond_with_data(b"<a href='bp_m_en.zip'>BoP</a>")
    cls = type("LocalOther", (BojOtherFlatFiles,), {"page_url": httpserver.url_for("/info/dload_en.html")})
    r = update_source(Store(tmp_path / "s.duckdb"), cls())
    assert r.ok and r.files_new == 0
