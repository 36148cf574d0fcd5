"""JPX weekly trading by type of investors (投資部門別売買状況, value), source ``jpx.investor_types``.

Two layouts of the same JPX statistics are read:

1. **JPX's weekly workbook** ``stock_val_1_YYMMNN.xls`` (value; the volume file
   ``stock_vol_1_…`` is refused). Layout as JPX documents it
   (jpx.co.jp/markets/statistics-equities/investor-type/07.html, "ファイル構成";
   English page …/english/…/investor-type/07-03.html): one worksheet per market
   section — since the 1st week of April 2022 "TSE Prime", "TSE Standard", "TSE
   Growth" and "Tokyo & Nagoya" (二市場), before that "TSE 1st", "TSE 2nd", "TSE
   Mothers", "TSE JASDAQ" and "Tokyo & Nagoya"; values in **thousand yen** (the
   sheet states 千円). Each investor category (自己計 proprietary, 委託計 brokerage,
   総計 total, 法人 institutions, 個人 individuals, 海外投資家 foreigners, 証券会社,
   投資信託, 事業法人, その他法人等, 金融機関, 生保・損保, 都銀・地銀等, 信託銀行,
   その他金融機関) is a block of rows 売り Sales / 買い Purchases / 合計 Total
   (差引き Balance in a merged cell). Weeks are column blocks headed
   ``MM/DD～MM/DD``: the previous week, then the reported week (the rightmost).
   The file name's ``YYMMNN`` is the year, month and week of the month JPX assigns
   the week to (``stock_val_1_260902`` = 2nd week of September 2026, 9/7～9/11).
   No official workbook could be copied into ../shared/data, so the parser is
   **label-driven**: it finds sheets, category labels (Japanese or English),
   the Sales/Purchases/Total rows and the rightmost week block by their text, takes
   the first number of the week block on each row, checks Total = Sales +
   Purchases, and computes net = purchases − sales (JPX's printed 差引き is not
   read). The column layout was taken from JPX's pages above and from the cell
   positions other open parsers of these files rely on (week header and value
   columns side by side, the Balance in a merged cell); check it against the
   first real file.
2. **J-Quants** (JPX's data API, ``/v2/equities/investor-types``) records: the
   API's JSON (``{"data": [...]}``) or a CSV of the same fields (``PubDate, StDate,
   EnDate, Section, PropSell, PropBuy, PropTot, PropBal, …, OthFinBal``; thousand
   yen). A CSV is always someone's re-export (the API serves JSON), so its series
   are marked third-party. J-Quants republishes a corrected week as a new record
   with the same (Section, StDate, EnDate) and a later ``PubDate``: the latest
   publication is kept and its ``PubDate`` is ``released``.

Output ids ``jpx.investor.<section>.<type>.<sales|purchases|net>``, e.g.
``jpx.investor.prime.foreigners.net``: unit ``JPY thousand`` as published, sign
**+ = net buying** (purchases − sales), ``ref_date`` = the week's last trading day,
``period_start`` = its first. JPX's sample covers trading participants with capital
of ¥3bn or more, exchange trades only (auction and ToSTNeT), by the trading
participant's client classification — see :mod:`yenflow.analytics.equity_flows`
for how this differs from MOF's cross-border statistics.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.base import FileSpec, Parsed, RawFile, SeriesInfo, Source

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.http import Response

NAME = "jpx.investor_types"
API_URL = "https://api.jquants.com/v2/equities/investor-types"
API_KEY_ENV = "JQUANTS_API_KEY"
UNIT = "JPY thousand"
MEASURES = ("sales", "purchases", "net")


@dataclass(frozen=True)
class InvestorType:
    slug: str
    jp: str  # JPX label, spaces removed
    en: tuple[str, ...]  # JPX English labels, lower-case, letters only
    jquants: str | None  # J-Quants v2 column prefix
    name: str


TYPES = (
    InvestorType("proprietary", "自己計", ("proprietary",), "Prop", "proprietary trading"),
    InvestorType("brokerage", "委託計", ("brokerage",), "Brk", "brokerage (all clients)"),
    InvestorType("total", "総計", ("total",), "Tot", "total (proprietary + brokerage)"),
    InvestorType("institutions", "法人", ("institutions",), None, "institutions"),
    InvestorType("individuals", "個人", ("individuals",), "Ind", "individuals"),
    InvestorType("foreigners", "海外投資家", ("foreigners",), "Frgn", "foreigners"),
    InvestorType("securities_cos", "証券会社", ("securitiescos", "securitiescompanies"), "SecCo", "securities companies"),
    InvestorType("investment_trusts", "投資信託", ("investmenttrusts",), "InvTr", "investment trusts"),
    InvestorType("business_cos", "事業法人", ("businesscos", "businesscompanies"), "BusCo",
                 "business companies (buyback proxy)"),
    InvestorType("other_cos", "その他法人等", ("othercos", "othercompanies"), "OthCo", "other companies"),
    InvestorType("financial_institutions", "金融機関", ("financialinstitutions",), None, "financial institutions"),
    InvestorType("insurance", "生保・損保", ("lifenonlifeinsurance", "lifeandnonlifeinsurance"), "InsCo",
                 "life and non-life insurance"),
    InvestorType("city_regional_banks", "都銀・地銀等", ("cityregionalbks", "cityregionalbanks", "cityandregionalbanks"),
                 "Bank", "city and regional banks"),
    InvestorType("trust_banks", "信託銀行", ("trustbanks",), "TrstBnk", "trust banks"),
    InvestorType("other_financials", "その他金融機関", ("otherfinancialinstitutions", "otherfinancials"), "OthFin",
                 "other financial institutions"),
)
BY_SLUG = {t.slug: t for t in TYPES}
#: J-Quants Section / JPX sheet name -> section slug
SECTIONS = {"TSEPrime": "prime", "TSEStandard": "standard", "TSEGrowth": "growth", "TokyoNagoya": "tokyo_nagoya",
            "TSE1st": "tse1", "TSE2nd": "tse2", "TSEMothers": "mothers", "TSEJASDAQ": "jasdaq"}
SECTION_NAMES = {"prime": "TSE Prime", "standard": "TSE Standard", "growth": "TSE Growth",
                 "tokyo_nagoya": "Tokyo & Nagoya", "tse1": "TSE 1st Section", "tse2": "TSE 2nd Section",
                 "mothers": "TSE Mothers", "jasdaq": "TSE JASDAQ"}
_SHEETS = {"tseprime": "prime", "tsestandard": "standard", "tsegrowth": "growth", "tokyonagoya": "tokyo_nagoya",
           "tokyoandnagoya": "tokyo_nagoya", "tse1st": "tse1", "tse1stsection": "tse1", "tse2nd": "tse2",
           "tse2ndsection": "tse2", "tsemothers": "mothers", "tsejasdaq": "jasdaq"}
_ROWS = {"sales": ("売り", "sales"), "purchases": ("買い", "purchases"), "total": ("合計", "total")}
_WEEK = re.compile(r"(\d{1,2})/(\d{1,2})\s*[～~〜-]\s*(\d{1,2})/(\d{1,2})")
_LABEL_MONTH = re.compile(r"(\d{4})年\s*(\d{1,2})月\s*第\s*(\d)\s*週")
_FILE = re.compile(r"stock_(val|vol)_1_(\d{2})(\d{2})(\d{2})", re.IGNORECASE)
_VALUE_UNIT = ("千円", "thousandyen", "1000yen", "¥1000", "jpy1000")
_VOLUME_UNIT = ("千株", "thousandshares", "1000shares")
JQ_KEYS = ("PubDate", "StDate", "EnDate", "Section")


def series_id(section: str, slug: str, measure: str) -> str:
    return f"jpx.investor.{section}.{slug}.{measure}"


def _info(section: str, t: InvestorType, measure: str, provenance: str) -> SeriesInfo:
    what = {"sales": "sales", "purchases": "purchases", "net": "net buying (purchases − sales)"}[measure]
    return SeriesInfo(
        id=series_id(section, t.slug, measure),
        name=f"JPX {SECTION_NAMES[section]}: {t.name}, weekly {what}",
        unit=UNIT,
        frequency="weekly",
        description=f"JPX trading by type of investors (value), {SECTION_NAMES[section]}, {t.name}: {what}; "
                    "thousand yen; ref_date = the week's last trading day. Exchange trades reported by trading "
                    "participants with capital of ¥3bn or more.",
        notes=provenance,
    )


def _error(filename: str, expected: str, found: object = None, row: int | None = None) -> ParseError:
    return ParseError(NAME, filename, expected, found, row)


def _norm(text: object) -> str:
    """NFKC, lower-case, no whitespace or punctuation (for label matching)."""
    s = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\s.,&・/()（）'’\-]", "", s)


_JP = {_norm(t.jp): t.slug for t in TYPES}
_EN = {e: t.slug for t in TYPES for e in t.en}


def _frame(recs: list[tuple[str, date, float, date, date | None]]) -> "pd.DataFrame":
    import pandas as pd

    df = pd.DataFrame(recs, columns=["series_id", "ref_date", "value", "period_start", "released"])
    for col in ("ref_date", "period_start", "released"):
        df[col] = pd.to_datetime(df[col]).astype("datetime64[ns]")
    if df["released"].isna().all():
        df = df.drop(columns="released")
    return df.sort_values(["series_id", "ref_date"], ignore_index=True)


# ------------------------------------------------------------------ J-Quants records
def _int(rec: dict[str, Any], key: str, filename: str, row: int) -> int:
    v = rec.get(key)
    try:
        if isinstance(v, bool) or v is None or str(v).strip() == "":
            raise ValueError
        f = float(v)
        if f != int(f):
            raise ValueError
        return int(f)
    except (TypeError, ValueError):
        raise _error(filename, f"a whole number of thousand yen in {key}", v, row) from None


def _day(text: object, key: str, filename: str, row: int) -> date:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise _error(filename, f"a date YYYY-MM-DD in {key}", text, row) from None


def _jquants_records(records: list[tuple[int, dict[str, Any]]], filename: str, provenance: str) -> Parsed:
    """Latest publication per (Section, StDate, EnDate); sales, purchases and net per investor type."""
    latest: dict[tuple[str, date, date], tuple[date, int, dict[str, Any]]] = {}
    for row, rec in records:
        missing = [k for k in JQ_KEYS if k not in rec]
        if missing:
            raise _error(filename, f"J-Quants investor-type fields {', '.join(JQ_KEYS)}", f"missing {missing}", row)
        section = SECTIONS.get(str(rec["Section"]).strip())
        if section is None:
            raise _error(filename, f"Section in {{{', '.join(SECTIONS)}}}", rec["Section"], row)
        start, end = _day(rec["StDate"], "StDate", filename, row), _day(rec["EnDate"], "EnDate", filename, row)
        pub = _day(rec["PubDate"], "PubDate", filename, row)
        if not start <= end < pub:
            raise _error(filename, "StDate <= EnDate < PubDate", f"{start} {end} {pub}", row)
        key = (section, start, end)
        if key not in latest or pub > latest[key][0]:
            latest[key] = (pub, row, rec)
        elif pub == latest[key][0]:
            raise _error(filename, f"one record per week and PubDate ({section} {start}–{end} {pub})", "two", row)
    recs: list[tuple[str, date, float, date, date | None]] = []
    infos: dict[str, SeriesInfo] = {}
    for (section, start, end), (pub, row, rec) in latest.items():
        for t in TYPES:
            if t.jquants is None:
                continue
            sell = _int(rec, f"{t.jquants}Sell", filename, row)
            buy = _int(rec, f"{t.jquants}Buy", filename, row)
            bal = _int(rec, f"{t.jquants}Bal", filename, row)
            if bal != buy - sell:
                raise ValidationError(NAME, filename, f"{t.jquants}Bal = {t.jquants}Buy − {t.jquants}Sell",
                                      f"{bal} vs {buy - sell}", row)
            for measure, v in zip(MEASURES, (sell, buy, bal)):
                info = infos.setdefault(series_id(section, t.slug, measure), _info(section, t, measure, provenance))
                recs.append((info.id, end, float(v), start, pub))
    if not recs:
        raise _error(filename, "at least one investor-type record")
    return Parsed(_frame(recs), list(infos.values()))


def parse_jquants_csv(raw: bytes, filename: str) -> Parsed:
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    for n, rec in enumerate(reader, start=2):
        if None in rec or None in rec.values():
            raise _error(filename, f"{len(reader.fieldnames or [])} comma-separated fields, as in the header",
                         "a different number", n)
        rows.append((n, rec))
    provenance = ("Third-party CSV re-export of J-Quants API records (JPX data), not a JPX download: "
                  f"loaded from {os.path.basename(filename)}; check provenance. J-Quants terms restrict redistribution.")
    return _jquants_records(rows, filename, provenance)


def parse_jquants_json(raw: bytes, filename: str) -> Parsed:
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _error(filename, "J-Quants API JSON", str(e)) from None
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise _error(filename, "a JSON object with a 'data' list of records (J-Quants v2 equities/investor-types)")
    return _jquants_records(list(enumerate(data, start=1)), filename, "J-Quants API v2 equities/investor-types (JPX).")


# ------------------------------------------------------------------ JPX workbook
def _cells(sheet: "pd.DataFrame") -> list[list[object]]:
    return [[None if (isinstance(v, float) and v != v) else v for v in row] for row in sheet.itertuples(index=False)]


def _is_number(v: object) -> bool:
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, (int, float)):
        return True
    return bool(re.fullmatch(r"-?[\d,]+(?:\.\d+)?", str(v).strip()))


def _as_number(v: object) -> float:
    return float(str(v).replace(",", "")) if not isinstance(v, (int, float)) else float(v)


def _week_block(cells: list[list[object]], filename: str, sheet: str) -> tuple[int, int, int, tuple[int, ...]]:
    """(header row, first column, end column, (m1, d1, m2, d2)) of the rightmost week header."""
    found = []
    for r, row in enumerate(cells[:40]):
        for c, v in enumerate(row):
            m = _WEEK.search(unicodedata.normalize("NFKC", str(v))) if isinstance(v, str) else None
            if m:
                found.append((c, r, tuple(int(x) for x in m.groups())))
    if not found:
        raise _error(filename, f"a week header 'MM/DD～MM/DD' in sheet {sheet!r}")
    c, r, week = max(found)
    width = max(len(row) for row in cells)
    return r, c, width, week


def _texts(row: list[object], stop: int) -> list[tuple[int, str]]:
    """(column, text) of the label cells left of the week columns."""
    return [(c, str(v)) for c, v in enumerate(row[:stop]) if isinstance(v, str) and v.strip()]


def _row_label(row: list[object], stop: int) -> tuple[int, str] | None:
    """The Sales/Purchases/Total label of a row: the rightmost label cell naming one."""
    for c, text in reversed(_texts(row, stop)):
        key = _norm(text)
        for name, (jp, en) in _ROWS.items():
            if key.startswith(_norm(jp)) or re.sub(r"[^a-z]", "", key) in (en, _norm(jp) + en):
                return c, name
    return None


def _category(row: list[object], stop: int) -> str | None:
    """The investor category a row opens: its leftmost label cell, unless that cell is
    the row's Sales/Purchases/Total label (English "Total" is both)."""
    texts = _texts(row, stop)
    if not texts:
        return None
    col, text = texts[0]
    sub = _row_label(row, stop)
    if sub is not None and sub[0] == col:
        return None
    key = _norm(text)
    return _JP.get(key) or _EN.get(re.sub(r"[^a-z]", "", key))


def _category_rows(cells: list[list[object]], start: int, stop: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for r in range(start, len(cells)):
        slug = _category(cells[r], stop)
        if slug and not any(s == slug for _, s in out):
            out.append((r, slug))
    return out


def _block_values(cells: list[list[object]], rows: range, c0: int, c1: int, where: str, filename: str
                  ) -> dict[str, float]:
    vals: dict[str, float] = {}
    for r in rows:
        label = _row_label(cells[r], c0)
        if label is None or label[1] in vals:
            continue
        name = label[1]
        nums = [v for v in cells[r][c0:c1] if _is_number(v)]
        if not nums:
            raise _error(filename, f"a value for {where} ({name}) in the week's columns", None, r + 1)
        vals[name] = _as_number(nums[0])
    for name in ("sales", "purchases"):
        if name not in vals:
            raise _error(filename, f"a {_ROWS[name][0]} ({name}) row for {where}", None, rows.start + 1)
    if "total" in vals and abs(vals["total"] - vals["sales"] - vals["purchases"]) > 1:
        raise ValidationError(NAME, filename, f"Total = Sales + Purchases for {where}",
                              f"{vals['total']:.0f} vs {vals['sales'] + vals['purchases']:.0f}", rows.start + 1)
    return vals


def _sheet_unit(cells: list[list[object]], filename: str, sheet: str) -> None:
    text = _norm(" ".join(str(v) for row in cells[:15] for v in row if v is not None))
    if any(u in text for u in _VOLUME_UNIT):
        raise _error(filename, "a value file in thousand yen (stock_val_…); this sheet is in thousand shares", sheet)
    if not any(u in text for u in _VALUE_UNIT):
        raise _error(filename, f"a unit label 千円 (thousand yen) at the top of sheet {sheet!r}")


def _week_dates(week: tuple[int, ...], label: tuple[int, int] | None, filename: str, sheet: str) -> tuple[date, date]:
    if label is None:
        raise _error(filename, "the year of the week: a label 'YYYY年M月第N週' in the sheet or a file name "
                     "stock_val_1_YYMMNN", sheet)
    year, month = label
    m1, d1, m2, d2 = week
    end_year = year + 1 if (month == 12 and m2 == 1) else year
    start_year = end_year - 1 if m1 > m2 else end_year
    try:
        return date(start_year, m1, d1), date(end_year, m2, d2)
    except ValueError:
        raise _error(filename, "calendar dates in the week header", f"{m1}/{d1}～{m2}/{d2}", None) from None


def _label_month(cells: list[list[object]], filename: str) -> tuple[int, int] | None:
    for row in cells[:40]:
        for v in row:
            m = _LABEL_MONTH.search(unicodedata.normalize("NFKC", str(v))) if isinstance(v, str) else None
            if m:
                return int(m[1]), int(m[2])
    f = _FILE.search(filename)
    return (2000 + int(f[2]), int(f[3])) if f else None


def parse_workbook(raw: bytes, filename: str) -> Parsed:
    """The reported week of every section sheet in a JPX ``stock_val_1`` workbook."""
    import pandas as pd

    f = _FILE.search(filename)
    if f and f[1].lower() == "vol":
        raise _error(filename, "the value file stock_val_1_… (the volume file stock_vol_1_… is in thousand shares)")
    try:
        sheets = pd.read_excel(io.BytesIO(raw), sheet_name=None, header=None, engine="calamine", dtype=object)
    except Exception as e:  # calamine raises its own error types for a damaged workbook
        raise _error(filename, "an Excel workbook (.xls/.xlsx)", f"{type(e).__name__}: {e}") from None
    recs: list[tuple[str, date, float, date, date | None]] = []
    infos: dict[str, SeriesInfo] = {}
    provenance = f"JPX weekly file {os.path.basename(filename)} (jpx.co.jp, investor-type statistics)."
    for sheet_name, sheet in sheets.items():
        section = _SHEETS.get(_norm(sheet_name))
        if section is None:
            continue
        cells = _cells(sheet)
        _sheet_unit(cells, filename, str(sheet_name))
        hr, c0, c1, week = _week_block(cells, filename, str(sheet_name))
        start, end = _week_dates(week, _label_month(cells, filename), filename, str(sheet_name))
        cats = _category_rows(cells, hr + 1, c0)
        if not cats:
            raise _error(filename, f"investor categories (海外投資家 Foreigners, 個人 Individuals…) in sheet {sheet_name!r}")
        bounds = [r for r, _ in cats[1:]] + [len(cells)]
        for (r, slug), stop in zip(cats, bounds):
            vals = _block_values(cells, range(r, stop), c0, c1, f"{sheet_name} {BY_SLUG[slug].jp}", filename)
            net = vals["purchases"] - vals["sales"]
            for measure, v in zip(MEASURES, (vals["sales"], vals["purchases"], net)):
                info = infos.setdefault(series_id(section, slug, measure),
                                        _info(section, BY_SLUG[slug], measure, provenance))
                recs.append((info.id, end, v, start, None))
    if not recs:
        raise _error(filename, f"a sheet named one of {', '.join(SECTION_NAMES.values())}", list(sheets))
    return Parsed(_frame(recs), list(infos.values()))


def parse(raw: bytes, filename: str) -> Parsed:
    if raw[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0") or filename.lower().endswith((".xls", ".xlsx")):
        return parse_workbook(raw, filename)
    if raw.lstrip()[:1] == b"{" or filename.lower().endswith(".json"):
        return parse_jquants_json(raw, filename)
    head = raw[:200].decode("utf-8-sig", errors="replace").split("\n", 1)[0]
    if all(k in head.split(",") for k in JQ_KEYS):
        return parse_jquants_csv(raw, filename)
    raise _error(filename, "a JPX stock_val_1 workbook, J-Quants API JSON, or a CSV of J-Quants records "
                 f"(header {','.join(JQ_KEYS)},…)", head[:60], 1)


class JpxInvestorTypes(Source):
    """JPX weekly trading by type of investors (value): JPX workbooks, J-Quants API records."""

    name: ClassVar[str] = NAME
    title: ClassVar[str] = "JPX trading by type of investors, weekly value (JPX workbook or J-Quants API)"
    publisher: ClassVar[str] = "Japan Exchange Group (JPX), via jpx.co.jp or J-Quants"
    # JPX's file URLs carry a changing directory: no fixed URL. Online: the J-Quants API with a key.
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec("stock_val", None, "jpx/stock_val_1.xls",
                 ("jpx/stock_val_1_*.xls", "jpx/stock_val_1_*.xlsx", "jpx/*investor-types*.json")),
    )
    max_age_days: ClassVar[int] = 14  # weekly, published the 4th business day of the next week
    folder_only: ClassVar[str] = ("JPX's own workbooks sit under a changing directory (no fixed URL): read from a "
                                  "folder; online only through the J-Quants API with JQUANTS_API_KEY set")

    def fetch(self, get: Callable[..., Response | None], today: "date | None" = None) -> Iterator[RawFile]:
        """J-Quants pages (``JQUANTS_API_KEY``), following ``pagination_key``; nothing without a key."""
        key = os.environ.get(API_KEY_ENV)
        if not key:
            return
        params: dict[str, str] = {}
        for page in range(1, 1000):
            resp = get(API_URL, params=dict(params), headers={"x-api-key": key})
            if resp is None:
                return
            yield RawFile(f"jquants_investor-types_{page}.json", resp.content, resp.url, resp.etag, resp.last_modified)
            try:
                nxt = json.loads(resp.content).get("pagination_key")
            except (ValueError, AttributeError):
                return  # parse() names the bad page
            if not nxt:
                return
            params = {"pagination_key": str(nxt)}

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse(raw, filename)
