"""JPX weekly trading by type of investors: the J-Quants export in ../shared/data/jpx
(third-party CSV of J-Quants API records, thousand yen) and JPX's own weekly workbook
layout (hand-built workbooks: no official JPX file is in ../shared/data; the layout
follows JPX's description, see yenflow.sources.jpx.investor_types).

Expected values are read from the raw CSV with the csv module (line numbers 1-based)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from fixtures.jsda.xlsx_builder import build_xlsx
from yenflow.errors import ParseError, ValidationError
from yenflow.sources.jpx.investor_types import TYPES, JpxInvestorTypes

SOURCE = JpxInvestorTypes()
DERIVED = "jquants_investor_types_TSEPrime_2022-2026_derived.csv"


def _csv_path(shared: Path) -> Path:
    return shared / "jpx" / DERIVED


def _line(shared: Path, n: int) -> dict[str, str]:
    """Line ``n`` of the J-Quants export as a record (line 1 is the header)."""
    with _csv_path(shared).open(newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[n - 2]


def _values(raw: bytes, name: str) -> pd.Series:
    return SOURCE.parse(raw, name).observations.set_index(["series_id", "ref_date"])["value"]


# --------------------------------------------------------------- J-Quants export
def test_jquants_export_latest_publication_kept(shared_data: Path) -> None:
    p = SOURCE.parse(_csv_path(shared_data).read_bytes(), DERIVED)
    obs = p.observations
    v = obs.set_index(["series_id", "ref_date"])["value"]
    aug23 = pd.Timestamp("2024-08-23")
    # lines 126 (PubDate 2024-08-29) and 128 (PubDate 2024-09-10, JPX's correction) cover 2024-08-19…23:
    # BusCoBal 219,401,187 → 220,235,776; the later publication is kept
    assert v[("jpx.investor.prime.business_cos.net", aug23)] == 220235776
    assert v[("jpx.investor.prime.foreigners.net", aug23)] == -408854431  # unchanged by the correction
    # lines 127/129: week 2024-08-26…30, BusCoBal 186,417,116 → 186,651,134
    assert v[("jpx.investor.prime.business_cos.net", pd.Timestamp("2024-08-30"))] == 186651134
    rel = obs.set_index(["series_id", "ref_date"])["released"]
    assert rel[("jpx.investor.prime.business_cos.net", aug23)] == pd.Timestamp("2024-09-10")
    # line 205, the last week (2026-02-09…13): FrgnBal +1,191,806,644, IndBal −1,138,162,022 (thousand yen)
    feb13 = pd.Timestamp("2026-02-13")
    assert v[("jpx.investor.prime.foreigners.net", feb13)] == 1191806644
    assert v[("jpx.investor.prime.foreigners.sales", feb13)] == 27745835987
    assert v[("jpx.investor.prime.foreigners.purchases", feb13)] == 28937642631
    assert v[("jpx.investor.prime.individuals.net", feb13)] == -1138162022
    assert v[("jpx.investor.prime.trust_banks.net", feb13)] == -433732326
    ps = obs.set_index(["series_id", "ref_date"])["period_start"]
    assert ps[("jpx.investor.prime.foreigners.net", feb13)] == pd.Timestamp("2026-02-09")
    # 204 records, two of them superseded: 202 weeks × 13 investor types × (sales, purchases, net)
    assert len(obs) == 202 * 13 * 3
    infos = {s.id: s for s in p.series}
    assert infos["jpx.investor.prime.foreigners.net"].unit == "JPY thousand"
    assert "Third-party" in infos["jpx.investor.prime.foreigners.net"].notes


def test_jquants_balance_must_equal_purchases_minus_sales(shared_data: Path) -> None:
    raw = _csv_path(shared_data).read_bytes().replace(b",1191806644,", b",1191806645,")
    with pytest.raises(ValidationError, match=r"row 205: expected FrgnBal = FrgnBuy − FrgnSell"):
        SOURCE.parse(raw, DERIVED)


def test_jquants_unknown_section(shared_data: Path) -> None:
    raw = _csv_path(shared_data).read_bytes().replace(b"2026-02-13,TSEPrime", b"2026-02-13,TSEPro")
    with pytest.raises(ParseError, match=r"row 205: expected Section in .*'TSEPro'"):
        SOURCE.parse(raw, DERIVED)


def test_jquants_api_json_and_pagination(shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yenflow.http import Response

    recs = [_line(shared_data, 204), _line(shared_data, 205)]
    pages = {None: {"data": [recs[0]], "pagination_key": "p2"}, "p2": {"data": [recs[1]]}}
    seen = []

    def get(url: str, params: dict | None = None, headers: dict | None = None) -> Response:
        seen.append((params, headers))
        body = json.dumps(pages[(params or {}).get("pagination_key")]).encode()
        return Response(url=url, status=200, content=body, etag=None, last_modified=None)

    monkeypatch.setenv("JQUANTS_API_KEY", "k" * 20)
    files = list(SOURCE.fetch(get))
    assert [f.name for f in files] == ["jquants_investor-types_1.json", "jquants_investor-types_2.json"]
    assert seen[0][1] == {"x-api-key": "k" * 20} and seen[1][0] == {"pagination_key": "p2"}
    v = _values(files[1].content, files[1].name)
    assert v[("jpx.investor.prime.foreigners.net", pd.Timestamp("2026-02-13"))] == 1191806644
    monkeypatch.delenv("JQUANTS_API_KEY")
    assert list(SOURCE.fetch(get)) == []  # no key: nothing to fetch, no error


def test_import_reexport_marks_user_imported(shared_data: Path, tmp_path: Path) -> None:
    from yenflow.pipeline import rebuild
    from yenflow.store import Store
    from yenflow.thirdparty import import_reexport

    with Store(tmp_path / "s.duckdb") as store:
        r = import_reexport(store, _csv_path(shared_data), "jpx.investor_types")
        assert r.ok and r.counts.new == 202 * 13 * 3
        info = store.info("jpx.investor.prime.individuals.net")
        assert info["user_imported"] and DERIVED in info["notes"]
        assert store.get("jpx.investor.prime.individuals.net").loc["2026-02-13"] == -1138162022
        again = import_reexport(store, _csv_path(shared_data), "jpx.investor_types")
        assert again.ok and again.files_skipped == 1
        assert rebuild(store) == 1
        assert store.get("jpx.investor.prime.business_cos.net").loc["2024-08-23"] == 220235776
        bad = import_reexport(store, _csv_path(shared_data), "fred")
        assert not bad.ok and "does not read re-exports" in (bad.error or "")
        missing = import_reexport(store, tmp_path / "nope.csv", "jpx.investor_types")
        assert not missing.ok and "cannot read" in (missing.error or "")


# --------------------------------------------------------------- JPX workbook layout
JP_LABELS = {"individuals": "個　人"}  # JPX writes 個人 with an ideographic space


def _block(t: object, prev: dict[str, str], cur: dict[str, str], english: bool) -> list[list[object]]:
    """One investor category: 売り/買い/合計 rows, previous week in columns 3-5, reported week in 7-9
    (value, share %, balance — the balance merged, so only on the first row)."""
    p = t.jquants  # type: ignore[attr-defined]
    label = t.en[0].title() if english else JP_LABELS.get(t.slug, t.jp)  # type: ignore[attr-defined]
    rows = []
    for i, (jp, en, key) in enumerate((("売り", "Sales", "Sell"), ("買い", "Purchases", "Buy"), ("合計", "Total", "Tot"))):
        row: list[object] = [label if i == 0 else None, jp, en, None, None, None, None, None, None, None]
        for col, rec in ((3, prev), (7, cur)):
            row[col] = int(rec[p + key])
            row[col + 1] = round(100 * int(rec[p + key]) / int(rec["TotTot"]), 1)
            if i == 0:
                row[col + 2] = int(rec[p + "Bal"])
        rows.append(row)
    return rows


def _sheet(prev: dict[str, str], cur: dict[str, str], english: bool = False, unit: str = "(単位：千円)") -> list[list[object]]:
    rows: list[list[object]] = [
        ["投資部門別売買状況　東証プライム / Trading by Type of Investors (TSE Prime)"],
        ["2026年2月第2週"],
        [unit],
        [None, None, None, "前週 Last week", None, None, None, "今週 This week"],
        [None, None, None, "02/02～02/06", None, None, None, "02/09～02/13"],
        [None, None, None, "金額 Value", "比率 Share", "差引き Balance", None, "金額 Value", "比率 Share", "差引き Balance"],
    ]
    for t in TYPES:
        if t.jquants:
            rows += _block(t, prev, cur, english)
    return rows


def _workbook(shared: Path, **kw: object) -> bytes:
    prev, cur = _line(shared, 204), _line(shared, 205)
    return build_xlsx({"TSE Prime": _sheet(prev, cur, **kw), "Notes": [["注記"]]})  # type: ignore[arg-type]


@pytest.mark.parametrize("english", [False, True])
def test_workbook_reads_the_reported_week(shared_data: Path, english: bool) -> None:
    v = _values(_workbook(shared_data, english=english), "stock_val_1_260202.xlsx")
    cur = _line(shared_data, 205)
    feb13 = pd.Timestamp("2026-02-13")
    for t in TYPES:
        if t.jquants:
            p = t.jquants
            assert v[(f"jpx.investor.prime.{t.slug}.sales", feb13)] == int(cur[p + "Sell"])
            assert v[(f"jpx.investor.prime.{t.slug}.purchases", feb13)] == int(cur[p + "Buy"])
            assert v[(f"jpx.investor.prime.{t.slug}.net", feb13)] == int(cur[p + "Bal"])
    assert {d for _, d in v.index} == {feb13}  # the previous-week column is not read


def test_workbook_agrees_with_the_jquants_records(shared_data: Path) -> None:
    wb = _values(_workbook(shared_data), "stock_val_1_260202.xlsx")
    jq = _values(_csv_path(shared_data).read_bytes(), DERIVED)
    common = wb.index.intersection(jq.index)
    assert len(common) == len(wb) == 39
    assert (wb[common] == jq[common]).all()


def test_workbook_year_from_file_name_when_no_label(shared_data: Path) -> None:
    prev, cur = _line(shared_data, 204), _line(shared_data, 205)
    rows = _sheet(prev, cur)
    rows[1] = [None]
    raw = build_xlsx({"TSE Prime": rows})
    v = _values(raw, "stock_val_1_260202.xls")
    assert v[("jpx.investor.prime.foreigners.net", pd.Timestamp("2026-02-13"))] == 1191806644
    with pytest.raises(ParseError, match="the year of the week"):
        SOURCE.parse(raw, "investor_types.xlsx")


def test_workbook_refuses_volume_and_checks_totals(shared_data: Path) -> None:
    with pytest.raises(ParseError, match=r"stock_vol_1_260202.xls: expected the value file"):
        SOURCE.parse(_workbook(shared_data), "stock_vol_1_260202.xls")
    with pytest.raises(ParseError, match="this sheet is in thousand shares"):
        SOURCE.parse(_workbook(shared_data, unit="(単位：千株)"), "stock_val_1_260202.xlsx")
    with pytest.raises(ParseError, match="a unit label 千円"):
        SOURCE.parse(_workbook(shared_data, unit=""), "stock_val_1_260202.xlsx")
    prev, cur = _line(shared_data, 204), dict(_line(shared_data, 205))
    cur["FrgnTot"] = str(int(cur["FrgnTot"]) + 1000)
    with pytest.raises(ValidationError, match=r"Total = Sales \+ Purchases for TSE Prime 海外投資家"):
        SOURCE.parse(build_xlsx({"TSE Prime": _sheet(prev, cur)}), "stock_val_1_260202.xlsx")


def test_workbook_without_section_sheets() -> None:
    with pytest.raises(ParseError, match="expected a sheet named one of TSE Prime"):
        SOURCE.parse(build_xlsx({"Sheet1": [["x"]]}), "stock_val_1_260202.xlsx")


def test_unknown_layout() -> None:
    with pytest.raises(ParseError, match="a JPX stock_val_1 workbook, J-Quants API JSON, or a CSV"):
        SOURCE.parse(b"date,value\n2026-02-13,1\n", "flows.csv")
