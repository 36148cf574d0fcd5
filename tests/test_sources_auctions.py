"""MOF JGB auctions: the all-auctions workbook and the same-day result pages."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.mof.auction_results_page import (
    MofAuctionResultPages,
    page_table,
    parse_price,
    parse_wareki,
    parse_yen_amount,
)
from yenflow.sources.mof.auctions import (
    TABLE_COLUMNS,
    MofJgbAuctions,
    auction_table,
    norm,
    table_from_sheets,
)

FIXTURES = Path(__file__).parent / "fixtures" / "mof_auctions"
WORKBOOK = "mof_auctions/jgb_historical_data.xls"


# --------------------------------------------------------------------- real workbook
@pytest.fixture(scope="module")
def table(shared_data: Path) -> pd.DataFrame:
    return auction_table((shared_data / WORKBOOK).read_bytes(), "jgb_historical_data.xls")


def _row(table: pd.DataFrame, tenor: str, date: str) -> pd.Series:
    rows = table[(table["tenor"] == tenor) & (table["auction_date"] == pd.Timestamp(date))]
    assert len(rows) == 1
    return rows.iloc[0]


def test_row_counts_per_sheet(table: pd.DataFrame) -> None:
    # MANIFEST.md §10: 2,596 auction rows, 40Y 94, 30Y 224, 20Y 342, 10Y 447, 5Y 317, 2Y 481, TB 443
    counts = table.groupby("tenor").size()
    assert len(table) == 2596
    majors = counts[["40y", "30y", "20y", "10y", "5y", "2y"]].tolist()
    assert majors == [94, 224, 342, 447, 317, 481]
    assert counts[["tb3m", "tb6m", "tb1y"]].sum() == 443
    assert counts[["jgbi10y", "gx10y", "gx5y", "frn15y", "6y", "4y", "discount3y"]].tolist() == [
        72, 5, 6, 42, 42, 68, 13]


@pytest.mark.parametrize(
    ("date", "row", "bids", "accepted", "avg", "low", "avg_y", "max_y"),
    [  # sheet 10年債, Excel rows 450-452: the three auctions of reopened issue No. 382
        ("2026-04-02", 450, 50460, 19672, 100.40, 100.04, 2.350, 2.395),
        ("2026-05-12", 451, 76166, 19510, 98.89, 98.86, 2.540, 2.544),
        ("2026-06-02", 452, 70031, 19839, 98.06, 98.01, 2.649, 2.656),
    ],
)
def test_ten_year_reopenings_of_382(table: pd.DataFrame, date: str, row: int, bids: float,
                                    accepted: float, avg: float, low: float, avg_y: float,
                                    max_y: float) -> None:
    r = _row(table, "10y", date)
    assert (r["row"], r["issue_number"], r["coupon"], r["offered"]) == (row, 382, 2.4, 26000)
    assert (r["bids"], r["accepted"]) == (bids, accepted)
    # e.g. 50460 / 19672 = 2.5651
    assert r["bid_to_cover"] == pytest.approx(bids / accepted, abs=1e-12)
    prices = (r["avg_price"], r["min_price"], r["avg_yield"], r["max_yield"])
    assert prices == (avg, low, avg_y, max_y)
    assert r["tail_price"] == pytest.approx(round(avg - low, 2), abs=1e-9)
    assert r["tail_bp"] == pytest.approx(round((max_y - avg_y) * 100, 1), abs=1e-9)
    assert r["auction_type"] == "price"


def test_ten_year_btc_by_hand(table: pd.DataFrame) -> None:
    assert _row(table, "10y", "2026-04-02")["bid_to_cover"] == pytest.approx(2.565067, abs=1e-6)
    assert _row(table, "10y", "2026-05-12")["bid_to_cover"] == pytest.approx(3.903947, abs=1e-6)
    assert _row(table, "10y", "2026-06-02")["bid_to_cover"] == pytest.approx(3.529966, abs=1e-6)
    # 2002-09-20, No. 242: bids 11,852 = accepted 11,852 (the first undersubscribed 10Y auction)
    assert _row(table, "10y", "2002-09-20")["bid_to_cover"] == 1.0


def test_forty_year_is_a_yield_auction(table: pd.DataFrame) -> None:
    # sheet 40年債, Excel row 99: No. 19, 2026-05-27, 3.8%, offered 3,000, bids 8,094,
    # accepted 2,996, price at the highest yield 99.18, highest accepted yield 3.84
    r = _row(table, "40y", "2026-05-27")
    assert (r["issue_number"], r["row"], r["auction_type"]) == (19, 99, "yield")
    assert (r["offered"], r["bids"], r["accepted"]) == (3000, 8094, 2996)
    assert (r["min_price"], r["max_yield"]) == (99.18, 3.84)
    assert r["bid_to_cover"] == pytest.approx(8094 / 2996)
    assert pd.isna(r["avg_price"]) and pd.isna(r["avg_yield"]) and pd.isna(r["tail_bp"])
    assert r["issue_date"] == pd.Timestamp("2026-05-28")
    assert r["maturity_date"] == pd.Timestamp("2066-03-20")


def test_other_sheets_quirks(table: pd.DataFrame) -> None:
    # 30年債 row 6: average price/yield '―' (U+2015) in 1999 -> NaN, no tail
    r = _row(table, "30y", "1999-09-02")
    assert pd.isna(r["avg_price"]) and pd.isna(r["tail_price"]) and r["min_price"] == 99.2
    # 10年物価連動 row 62: issue number stored as the text '27', negative yield
    r = _row(table, "jgbi10y", "2022-08-04")
    assert (r["issue_number"], r["min_price"], r["max_yield"]) == (27, 107.35, -0.708)
    # 'TB ' sheet (trailing space), extra 期間 column '１年（1-year）', '－' missing marker
    r = _row(table, "tb1y", "2009-01-15")
    assert (r["issue_number"], r["bids"], r["accepted"]) == (443, 58848, 15871.9)
    assert (r["avg_yield"], r["max_yield"]) == (0.2265, 0.2335)
    assert pd.isna(r["coupon"])
    # 2年債 row 6: the first auction in the workbook
    r = _row(table, "2y", "1979-08-27")
    assert (r["issue_number"], r["bids"], r["accepted"], r["avg_price"]) == (3, 1817, 1139, 99.3)


def test_source_parse_contract(shared_data: Path) -> None:
    raw = (shared_data / WORKBOOK).read_bytes()
    parsed = MofJgbAuctions().parse(raw, "jgb_historical_data.xls")
    obs = parsed.observations
    assert list(obs.columns) == ["series_id", "ref_date", "value"]
    assert str(obs["ref_date"].dtype) == "datetime64[ns]" and obs["value"].dtype == "float64"
    assert not obs["value"].isna().any()
    assert not obs.duplicated(["series_id", "ref_date"]).any()
    assert set(obs["series_id"]) == {s.id for s in parsed.series}
    units = {s.id: s.unit for s in parsed.series}
    assert units["auction.jgb.10y.bid_to_cover"] == "ratio"
    assert units["auction.jgb.10y.bids"] == "JPY 100m"
    assert units["auction.jgb.10y.tail_bp"] == "bp"
    assert units["auction.jgb.30y.tail_price"] == "JPY per 100"
    assert "auction.jgb.40y.tail_bp" not in units  # uniform-yield auction: no tail
    one = obs.set_index(["series_id", "ref_date"])["value"]
    assert one[("auction.jgb.10y.tail_bp", pd.Timestamp("2026-04-02"))] == 4.5
    assert one[("auction.jgb.40y.max_yield", pd.Timestamp("2026-05-27"))] == 3.84


def test_truncated_workbook_is_a_parse_error(shared_data: Path) -> None:
    raw = (shared_data / WORKBOOK).read_bytes()
    for cut in (100, len(raw) // 2, len(raw) - 1):
        with pytest.raises(ParseError, match="jgb_historical_data.xls"):
            auction_table(raw[:cut], "jgb_historical_data.xls")
    with pytest.raises(ParseError, match="readable .xls"):
        auction_table(b"<html>not found</html>", "jgb_historical_data.xls")


# --------------------------------------------------------------------- synthetic grids
_U_AMT, _U_PRICE, _U_PCT = "（億円）\n(100 million yen)", "（円）\n(per 100 yen)", "（％）"
_TEN_COLS = [  # (JP label, EN label, unit) as in the workbook's 10年債 sheet
    ("回号", "Issue Number", ""), ("入札日", "Auction Date", ""), ("発行日", "Issue Date", ""),
    ("償還日", "Maturity Date", ""), ("表面利率", "Nominal Coupon", _U_PCT),
    ("発行予定額", "Offering Amount ", _U_AMT), ("応募額", "Amounts of Competitive Bids ", _U_AMT),
    ("落札・割当額", "Amounts of Bids Accepted ", _U_AMT),
    ("平均価格", "Weighted Average Price", _U_PRICE),
    ("平均利回", "Yield at the Average Price", _U_PCT),
    ("最低価格", "Lowest Accepted Price", _U_PRICE),
    ("最高利回", "Yield at the Lowest Accepted Price", _U_PCT),
    ("第Ⅱ非価格競争", "Amounts of Bids Accepted at the Non-price -competitive Auction Ⅱ", _U_AMT),
]
_FORTY_COLS = _TEN_COLS[:8] + [
    ("最低価格", "Price at the Highest Accepted Yield", _U_PRICE),
    ("最高利回", "Highest Accepted Yield", _U_PCT),
]
D = dt.date


def _grid(cols: list[tuple[str, str, str]], title: str,
          rows: list[list[object]]) -> list[list[object]]:
    n = len(cols)
    return [["", title] + [""] * (n - 2), [""] * n, [c[0] for c in cols], [c[1] for c in cols],
            [c[2] for c in cols], *rows]


def _sheets() -> dict[str, list[list[object]]]:
    """Two-sheet workbook written for these tests (invented auctions)."""
    ten = _grid(_TEN_COLS, "１０年債（10-year）", [
        [500.0, D(2030, 1, 7), D(2030, 1, 8), D(2039, 12, 20), 1.5, 20000.0, 60000.0, 15000.0,
         100.1, 1.489, 100.05, 1.494, 500.0],
        [500.0, D(2030, 2, 4), D(2030, 2, 5), D(2039, 12, 20), 1.5, 20000.0, 45000.0, 15000.0,
         99.5, 1.555, 99.3, 1.577, "―"],
        ["", "", "", "", "", "", "", "", "", "", "", "", ""],
        ["* 注記（footnote）", "", "", "", "", "", "", "", "", "", "", "", ""],
    ])
    forty = _grid(_FORTY_COLS, "４０年債（40-year）", [
        [30.0, D(2030, 1, 20), D(2030, 1, 21), D(2069, 3, 20), 3.0, 3000.0, 8000.0, 2999.0,
         99.5, 3.02],
    ])
    return {"40年債": forty, "10年債": ten}


def test_synthetic_workbook_parses() -> None:
    t = table_from_sheets(_sheets(), "book.xls")
    assert list(t.columns) == list(TABLE_COLUMNS)
    assert t["tenor"].tolist() == ["10y", "10y", "40y"]
    second = t.iloc[1]
    assert second["row"] == 7 and second["bid_to_cover"] == 3.0
    assert second["tail_price"] == pytest.approx(0.2) and second["tail_bp"] == pytest.approx(2.2)
    assert pd.isna(second["nonprice2"])  # '―' before the column existed
    assert t.iloc[2]["auction_type"] == "yield"


def _expect(sheets: dict[str, list[list[object]]], match: str, row: int | None = None,
            err: type[ParseError] = ParseError) -> ParseError:
    with pytest.raises(err, match=match) as info:
        table_from_sheets(sheets, "book.xls")
    assert "book.xls" in str(info.value)
    if row is not None:
        assert info.value.row == row
    return info.value


def test_moved_column_label_is_caught() -> None:
    s = _sheets()
    jp = s["10年債"][2]
    jp[8], jp[10] = jp[10], jp[8]  # JP labels swapped, EN labels and data not
    _expect(s, "English label", row=4)


def test_header_rows_moved_down_is_caught() -> None:
    s = _sheets()
    s["10年債"].insert(0, [""] * len(_TEN_COLS))
    _expect(s, "column labels", row=3)


def test_missing_column_is_caught() -> None:
    s = _sheets()
    s["10年債"] = [r[:6] + r[7:] for r in s["10年債"]]  # drop 応募額
    err = _expect(s, "応募額", row=3)
    assert "10年債" in str(err)


def test_changed_unit_is_caught() -> None:
    s = _sheets()
    s["10年債"][4][6] = "（百万円）"
    _expect(s, "unit '億円'", row=5)


@pytest.mark.parametrize(
    ("col", "value", "match"),
    [
        (6, "abc", "amount in JPY 100m"),
        (7, "―", "a value under '落札・割当額'"),
        (1, "2030/01/07", "Excel date cell"),
        (1, "", "a value under '入札日'"),
        (0, 500.5, "issue number"),
        (10, True, "a price per 100"),
    ],
)
def test_bad_cell_names_sheet_and_row(col: int, value: object, match: str) -> None:
    s = _sheets()
    s["10年債"][6][col] = value
    err = _expect(s, match, row=7)
    assert "'10年債'" in str(err)


def test_truncated_row_is_caught() -> None:
    s = _sheets()
    s["10年債"][6] = s["10年債"][6][:5]
    _expect(s, "under", row=7)


def test_sanity_checks() -> None:
    s = _sheets()
    s["10年債"][5][6] = 100.0  # bids below accepted
    _expect(s, "bids ≥ bids accepted", row=6, err=ValidationError)
    s = _sheets()
    s["10年債"][5][10] = 10.01  # a yield in the price column
    _expect(s, "price per 100", row=6, err=ValidationError)


def test_same_day_same_tenor_is_refused() -> None:
    s = _sheets()
    s["10年債"][6][1] = D(2030, 1, 7)
    s["10年債"][6][2] = D(2030, 1, 8)
    err = _expect(s, "one 10y auction per date", err=ValidationError)
    assert "[6, 7]" in str(err)


def test_layout_must_match_auction_type() -> None:
    s = _sheets()
    s["40年債"] = _sheets()["10年債"]  # 40Y must be a yield auction
    _expect(s, "yield-competitive")
    s = _sheets()
    s["新しい債券"] = s.pop("10年債")
    _expect(s, "new sheet")


_REQUIRED_NUMERIC = [5, 6, 7, 10]  # 発行予定額, 応募額, 落札・割当額, 最低価格


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(row=st.sampled_from([5, 6]), col=st.sampled_from(_REQUIRED_NUMERIC),
       text=st.text(min_size=1, max_size=8))
def test_random_text_in_a_number_cell_never_parses_silently(row: int, col: int, text: str) -> None:
    sheets = copy.deepcopy(_sheets())
    original = sheets["10年債"][row][col]
    sheets["10年債"][row][col] = text
    try:
        t = table_from_sheets(sheets, "book.xls")
    except ParseError as e:
        assert e.row == row + 1 and "book.xls" in str(e)
        return
    # only a text that *is* a plausible number may parse, and then to exactly that number
    key = {5: "offered", 6: "bids", 7: "accepted", 10: "min_price"}[col]
    assert t.loc[t["row"] == row + 1, key].iloc[0] == float(norm(text).replace(",", ""))
    assert original != text


# --------------------------------------------------------------------- result pages
def _page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_ten_year_result_page_shift_jis() -> None:
    t = page_table(_page("resul20260602.htm"), "resul20260602.htm")
    r = t.iloc[0]
    assert list(t.columns) == list(TABLE_COLUMNS) and len(t) == 1
    assert (r["tenor"], r["issue_number"], r["auction_type"]) == ("10y", 382, "price")
    assert r["auction_date"] == pd.Timestamp("2026-06-02")
    assert (r["issue_date"], r["maturity_date"]) == (pd.Timestamp("2026-06-03"),
                                                      pd.Timestamp("2036-03-20"))
    assert (r["coupon"], r["bids"], r["accepted"]) == (2.4, 70031.0, 19839.0)  # 7兆31億円, 1兆9,839億円
    prices = (r["min_price"], r["max_yield"], r["avg_price"], r["avg_yield"])
    assert prices == (98.01, 2.656, 98.06, 2.649)
    assert r["tail_price"] == pytest.approx(0.05) and r["tail_bp"] == pytest.approx(0.7)
    assert r["noncompetitive"] == pytest.approx(2.37)  # 2億3,700万円 in the 非競争 section
    assert r["nonprice1"] == 6151.0
    assert pd.isna(r["offered"])


def test_result_page_matches_the_workbook_row(table: pd.DataFrame) -> None:
    page = page_table(_page("resul20260602.htm"), "resul20260602.htm").iloc[0]
    book = _row(table, "10y", "2026-06-02")
    for key in ("issue_number", "bids", "accepted", "avg_price", "min_price", "avg_yield",
                "max_yield", "bid_to_cover", "tail_price", "tail_bp", "coupon", "nonprice1"):
        assert page[key] == pytest.approx(book[key]), key
    forty = page_table(_page("resul20260527.htm"), "resul20260527.htm").iloc[0]
    book40 = _row(table, "40y", "2026-05-27")
    for key in ("bids", "accepted", "min_price", "max_yield", "bid_to_cover"):
        assert forty[key] == pytest.approx(book40[key]), key


def test_forty_year_result_page_utf8_full_width() -> None:
    r = page_table(_page("resul20260527.htm"), "resul20260527.htm").iloc[0]
    assert (r["tenor"], r["issue_number"], r["auction_type"]) == ("40y", 19, "yield")
    assert (r["bids"], r["accepted"]) == (8094.0, 2996.0)  # ８，０９４億円 (full-width)
    assert (r["max_yield"], r["min_price"]) == (3.84, 99.18)
    assert pd.isna(r["avg_yield"]) and pd.isna(r["tail_bp"])


def test_page_source_parse_gives_workbook_series_ids() -> None:
    parsed = MofAuctionResultPages().parse(_page("resul20260602.htm"), "resul20260602.htm")
    obs = parsed.observations.set_index("series_id")["value"]
    assert obs["auction.jgb.10y.bid_to_cover"] == pytest.approx(70031 / 19839)
    assert obs["auction.jgb.10y.tail_bp"] == pytest.approx(0.7)
    assert set(obs.index) == {s.id for s in parsed.series}
    assert str(parsed.observations["ref_date"].dtype) == "datetime64[ns]"


def test_malformed_page_names_file_and_line() -> None:
    name = "resul20260512_malformed.htm"
    with pytest.raises(ParseError, match="募入平均価格") as info:
        page_table(_page(name), name)
    assert name in str(info.value) and info.value.row == 27  # line of '（4）募入平均価格'


def test_page_corruptions() -> None:
    good = _page("resul20260602.htm")
    with pytest.raises(ParseError, match="auction date 20260603"):
        page_table(good, "resul20260603.htm")
    with pytest.raises(ParseError, match="resul20260602.htm"):
        page_table(good[: len(good) // 2], "resul20260602.htm")
    bad = good.decode("cp932").replace("1兆9,839億円", "未定").encode("cp932")
    with pytest.raises(ParseError, match="募入決定額"):
        page_table(bad, "resul20260602.htm")
    swapped = good.decode("cp932").replace("98円01銭", "98円11銭").encode("cp932")
    with pytest.raises(ValidationError, match="average price ≥ lowest"):
        page_table(swapped, "resul20260602.htm")
    with pytest.raises(ParseError, match="title"):
        page_table(b"<html><body>404 Not Found</body></html>", "resul20260602.htm")


def test_non_price_competitive_page_has_no_auction() -> None:
    html = ("<html><head><meta charset='utf-8'></head><body>"
            "<h1>10年利付国債（第382回）の第Ⅱ非価格競争入札結果</h1><p>令和8年6月3日</p>"
            "<p>募入決定額 1,270億円</p></body></html>").encode()
    assert page_table(html, "resul20260603a.htm").empty
    assert MofAuctionResultPages().parse(html, "resul20260603a.htm").observations.empty


def test_text_helpers() -> None:
    assert parse_yen_amount("7兆31億円") == 70031
    assert parse_yen_amount("１兆９，８３９億円") == 19839
    assert parse_yen_amount("2億3,700万円") == pytest.approx(2.37)
    assert parse_yen_amount("0円") == 0
    assert parse_price("99円99銭4厘5毛") == pytest.approx(99.9945)
    assert parse_price("100円") == 100
    assert parse_wareki("令和元年5月7日") == dt.date(2019, 5, 7)
    assert parse_wareki("平成31年4月30日") == dt.date(2019, 4, 30)
    for bad in ("億円", "7兆億円x", "円"):
        with pytest.raises(ValueError):
            parse_yen_amount(bad)
