"""MOF results of all JGB auctions (``jgb_historical_data.xls``, 国債入札結果).

The workbook (legacy BIFF8 .xls, one sheet per security, JP/EN labels) is read
with python-calamine. Each sheet: row 1 title, row 3 Japanese labels, row 4
English labels, row 5 units, auctions from row 6 (1-based, as Excel shows).
Columns are located by their Japanese label *and* checked against the English
label and the unit; a missing, renamed or unit-changed column is a ParseError.

Conventions
-----------
* ``ref_date`` = auction date (入札日, an Excel date cell), one observation per
  auction. Reopenings repeat the issue number (10Y No. 382 was auctioned on
  2026-04-02, 05-12 and 06-02); each auction is its own observation.
* Amounts (``offered``, ``bids``, ``accepted``) in **JPY 100m** (億円);
  ``bids`` = competitive bids tendered (応募額), ``accepted`` = competitive bids
  accepted (落札・割当額). Prices in **JPY per 100** face, yields in **%**.
* ``bid_to_cover = bids / accepted`` (competitive only, methods.md §12).
* ``tail_price = avg_price − min_price`` (JPY per 100, the Japanese market
  quote, e.g. 0.05 = "5 sen"); ``tail_bp = (max_yield − avg_yield) × 100``.
* Auction type: ``'price'`` (conventional price-competitive: average and
  lowest accepted price) or ``'yield'`` (40Y and GX climate-transition bonds:
  yield-competitive Dutch auction; the sheet has only the highest accepted
  yield and the price at that yield, stored as ``max_yield`` / ``min_price``;
  no average, hence no tail). The type is read from the English label of the
  price column and checked against the tenor (40Y must be 'yield', 2-30Y
  'price').
* ``―`` (U+2015) and ``－`` mark "not applicable" (e.g. non-competitive columns
  before they existed; the average of most inflation-indexed auctions): NaN in
  the table, no observation. Blank rows and ``*`` footnote rows are skipped.
* Two auctions of the same tenor on one auction date would share a
  (series_id, ref_date) key: the parser refuses that with a ValidationError
  naming both rows rather than silently keeping one (none of the 2,596 rows
  of the 2026-07 workbook collide; T-bills are split by maturity into
  ``tb3m``/``tb6m``/``tb1y`` so they do not either).
* 2002-2005: several 2Y/10Y/T-bill auctions show bids of ¥100-2,000 tn
  (bid-to-cover 38-1,081x): that is what MOF publishes (bids at the coupon
  boundary in the zero-rate era) and is kept as is.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source
from yenflow.sources.figures import ascii_float

if TYPE_CHECKING:
    import pandas as pd

NAME = "mof.jgb_auctions"
URL = "https://www.mof.go.jp/jgbs/reference/appendix/jgb_historical_data.xls"
FILE = "mof_auctions/jgb_historical_data.xls"

#: sheet name -> tenor slug used in series ids (``auction.jgb.<tenor>.<field>``)
SHEETS = {
    "40年債": "40y", "30年債": "30y", "20年債": "20y", "15変動": "frn15y",
    "10年債": "10y", "GX10年債": "gx10y", "10年物価連動": "jgbi10y", "5年債": "5y",
    "GX5年債": "gx5y", "2年債": "2y", "6年債": "6y", "4年債": "4y",
    "割3年": "discount3y", "TB": "tb",
}
#: tenors whose auction type is fixed by MOF's auction rules
EXPECTED_TYPE = {"40y": "yield", "30y": "price", "20y": "price", "10y": "price",
                 "5y": "price", "2y": "price"}
_TB_TERMS = {"3-month": "tb3m", "6-month": "tb6m", "1-year": "tb1y"}
_MISSING = {"", "―", "－", "-", "—", "‐"}
_HEADER_ROW, _EN_ROW, _UNIT_ROW, _FIRST_DATA = 2, 3, 4, 5  # 0-based
_EPOCH = dt.date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class _Field:
    key: str
    jp: str
    en: tuple[str, ...]  # accepted English labels (normalised, prefix match)
    kind: str  # 'int' | 'date' | 'num' | 'amount' | 'price' | 'pct' | 'text'
    required: bool = False


_FIELDS = (
    _Field("issue_number", "回号", ("issue number",), "int", True),
    _Field("term", "期間", ("maturity",), "text"),
    _Field("auction_date", "入札日", ("auction date",), "date", True),
    _Field("issue_date", "発行日", ("issue date",), "date", True),
    _Field("maturity_date", "償還日", ("maturity date",), "date", True),
    _Field("coupon", "表面利率", ("nominal coupon",), "pct"),
    _Field("offered", "発行予定額", ("offering amount",), "amount", True),
    _Field("bids", "応募額", ("amounts of competitive bids",), "amount", True),
    _Field("accepted", "落札・割当額", ("amounts of bids accepted",), "amount", True),
    _Field("avg_price", "平均価格", ("weighted average price",), "price"),
    _Field("avg_yield", "平均利回", ("yield at the average price",), "pct"),
    _Field("min_price", "最低価格",
           ("lowest accepted price", "price at the highest accepted yield"), "price", True),
    _Field("max_yield", "最高利回",
           ("yield at the lowest accepted price", "highest accepted yield"), "pct"),
    _Field("noncompetitive", "定率/非競争", ("amounts of non-competitive bids",), "amount"),
    _Field("nonprice1", "第I非価格競争", ("amounts of bids accepted at the non-price",), "amount"),
    _Field("nonprice2", "第II非価格競争", ("amounts of bids accepted at the non-price",), "amount"),
)
_BY_JP = {f.jp: f for f in _FIELDS}
_BY_KEY = {f.key: f for f in _FIELDS}
#: required columns whose cells may still be '―' on a given sheet (15Y floating-rate
#: notes published no prices before 2003)
_MAY_BE_MISSING = {"15変動": ("min_price",)}
_UNIT_MARK = {"amount": "億円", "price": "円", "pct": "%"}

#: per-auction table columns (the record shape shared with the result pages)
TABLE_COLUMNS = (
    "tenor", "sheet", "row", "issue_number", "auction_date", "issue_date",
    "maturity_date", "coupon", "offered", "bids", "accepted", "avg_price",
    "avg_yield", "min_price", "max_yield", "noncompetitive", "nonprice1",
    "nonprice2", "auction_type", "bid_to_cover", "tail_price", "tail_bp",
)
#: series field -> (unit, description)
SERIES_FIELDS = {
    "issue_number": ("number", "issue number (回号); a reopening repeats it"),
    "coupon": ("%", "nominal coupon (表面利率)"),
    "bid_to_cover": ("ratio", "competitive bids / competitive bids accepted"),
    "bids": ("JPY 100m", "competitive bids tendered (応募額)"),
    "accepted": ("JPY 100m", "competitive bids accepted (落札・割当額)"),
    "offered": ("JPY 100m", "planned offering amount (発行予定額)"),
    "avg_yield": ("%", "yield at the weighted average accepted price"),
    "max_yield": ("%", "highest accepted yield (yield at the lowest accepted price)"),
    "avg_price": ("JPY per 100", "weighted average accepted price"),
    "min_price": ("JPY per 100",
                  "lowest accepted price (yield auctions: price at the highest yield)"),
    "tail_price": ("JPY per 100", "price tail: average − lowest accepted price"),
    "tail_bp": ("bp", "yield tail: (highest − average accepted yield) × 100"),
}


def norm(text: str) -> str:
    """NFKC (full-width digits/brackets to ASCII, Ⅰ to I), trimmed, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --------------------------------------------------------------------- reading
def read_sheets(raw: bytes, filename: str) -> dict[str, list[list[Any]]]:
    """Cell grid of every sheet (python-calamine); unreadable bytes are a ParseError."""
    import io

    from python_calamine import CalamineWorkbook

    from yenflow.sources import zipsafe

    if zipsafe.is_zip(raw):  # an .xlsx saved under the .xls name
        zipsafe.check(raw, filename, source=NAME)
    _check_ole_length(raw, filename)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in wb.sheet_names}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # calamine errors, and pyo3 PanicException on damaged files
        raise ParseError(NAME, filename, "a readable .xls workbook (truncated or not BIFF8?)",
                         f"{type(e).__name__}: {e}") from None


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_ole_length(raw: bytes, filename: str) -> None:
    """An OLE2/BIFF8 file is a whole number of sectors; anything else is truncated
    (checked first because calamine panics on some truncated files)."""
    if not raw.startswith(_OLE_MAGIC):
        return
    shift = int.from_bytes(raw[30:32], "little") if len(raw) >= 32 else 0
    sector = 1 << shift if 7 <= shift <= 16 else 0
    if len(raw) < 512 or not sector or len(raw) % sector:
        raise ParseError(NAME, filename, "a whole .xls (OLE2) file: a multiple of its "
                         f"{sector or 512}-byte sector size (truncated download?)",
                         f"{len(raw)} bytes")


def _cell(row: list[Any], col: int) -> Any:
    return row[col] if col < len(row) else ""


def _columns(grid: list[list[Any]], sheet: str, filename: str) -> dict[str, int]:
    """Field key -> column index, located by the JP label and checked against EN/unit."""
    if len(grid) < _FIRST_DATA:
        raise ParseError(NAME, filename, f"header rows 3-5 in sheet {sheet!r}",
                         f"{len(grid)} rows", len(grid) or None)
    jp, en, unit = (grid[i] for i in (_HEADER_ROW, _EN_ROW, _UNIT_ROW))
    found: dict[str, int] = {}
    for col, label in enumerate(jp):
        key = norm(str(label)).rstrip("*").strip()
        field = _BY_JP.get(key)
        if field is None:
            continue
        if field.key in found:
            raise ParseError(NAME, filename, f"label {field.jp!r} once in sheet {sheet!r}",
                             "twice", _HEADER_ROW + 1)
        _check_label(field, en, unit, col, sheet, filename)
        found[field.key] = col
    missing = [f.jp for f in _FIELDS if f.required and f.key not in found]
    if missing:
        raise ParseError(NAME, filename, f"column labels {missing} in row 3 of sheet {sheet!r}",
                         [norm(str(c)) for c in jp if str(c).strip()], _HEADER_ROW + 1)
    return found


def _check_label(field: _Field, en: list[Any], unit: list[Any], col: int,
                 sheet: str, filename: str) -> None:
    label = norm(str(_cell(en, col))).lower()
    if not label.startswith(field.en):
        raise ParseError(NAME, filename,
                         f"English label {field.en[0]!r} under {field.jp!r} in sheet {sheet!r} "
                         f"(column {col + 1})", label, _EN_ROW + 1)
    mark = _UNIT_MARK.get(field.kind)
    got = norm(str(_cell(unit, col)))
    if mark and (mark not in got or (field.kind == "price" and "億" in got)):
        raise ParseError(NAME, filename,
                         f"unit {mark!r} under {field.jp!r} in sheet {sheet!r} (column {col + 1})",
                         got, _UNIT_ROW + 1)


# --------------------------------------------------------------------- values
def _value(v: Any, field: _Field, where: tuple[str, str, int]) -> Any:
    sheet, filename, row = where
    if isinstance(v, str) and norm(v) in _MISSING:
        if field.required and field.key not in _MAY_BE_MISSING.get(sheet.strip(), ()):
            raise ParseError(NAME, filename, f"a value under {field.jp!r} in sheet {sheet!r}",
                             v, row)
        return float("nan")
    try:
        return _convert(v, field)
    except (ValueError, TypeError, OverflowError):
        raise ParseError(NAME, filename, f"{_KIND_TEXT[field.kind]} under {field.jp!r} "
                         f"in sheet {sheet!r}", v, row) from None


_KIND_TEXT = {"int": "an issue number", "date": "an Excel date cell", "text": "a text label",
              "amount": "an amount in JPY 100m", "price": "a price per 100 yen",
              "pct": "a rate in %", "num": "a number"}


def _convert(v: Any, field: _Field) -> Any:
    if field.kind == "date":
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        raise ValueError(v)
    if field.kind == "text":
        if not isinstance(v, str):
            raise TypeError(v)
        return norm(v)
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, str):  # figures stored as text: ASCII digits only (sources.figures)
        text = v.strip().replace(",", "")
        if field.key == "noncompetitive" and "/" in text:
            text = text.split("/")[0]  # 3Y discount: 'accepted/tendered', header order
        v = ascii_float(text)
    number = float(v)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(v)
    if field.kind == "int":
        if number != int(number) or number <= 0:
            raise ValueError(v)
        return int(number)
    return number


def _is_skipped(row: list[Any]) -> bool:
    """Blank rows and footnote rows ('* 2017年10月以降は…' with nothing else)."""
    cells = [c for c in row if not (isinstance(c, str) and c.strip() == "")]
    if not cells:
        return True
    first = row[0]
    return (len(cells) == 1 and isinstance(first, str)
            and norm(first)[:1] in ("*", "※", "("))


# --------------------------------------------------------------------- records
def _tenor(sheet: str, rec: dict[str, Any], filename: str, row: int) -> str:
    base = SHEETS[sheet.strip()]
    if base != "tb":
        return base
    term = rec.get("term")
    m = re.search(r"\(([^)]+)\)", term) if isinstance(term, str) else None
    tenor = _TB_TERMS.get(m.group(1).strip().lower()) if m else None
    if tenor is None:
        raise ParseError(NAME, filename, f"a T-bill term like '6か月(6-month)' under '期間' "
                         f"in sheet {sheet!r}; known {sorted(_TB_TERMS)}", rec.get("term"), row)
    return tenor


def _auction_type(sheet: str, grid: list[list[Any]], cols: dict[str, int],
                  filename: str) -> str:
    en = norm(str(_cell(grid[_EN_ROW], cols["min_price"]))).lower()
    kind = "yield" if en.startswith("price at the highest accepted yield") else "price"
    need = ("max_yield",) if kind == "yield" else ("avg_price",)
    banned = ("avg_price", "avg_yield") if kind == "yield" else ()
    bad = [k for k in need if k not in cols] + [k for k in banned if k in cols]
    expected = EXPECTED_TYPE.get(SHEETS[sheet.strip()])
    if bad or (expected and expected != kind):
        raise ParseError(NAME, filename,
                         f"the columns of a {expected or kind}-competitive auction in sheet "
                         f"{sheet!r}", f"{kind} layout; columns {sorted(cols)}", _HEADER_ROW + 1)
    return kind


def _sheet_columns(sheet: str, grid: list[list[Any]], filename: str) -> dict[str, Any]:
    """The auctions of one sheet as columns (one numpy array per located field), checked.

    Column-wise: numbers and dates are taken from calamine's typed cells in one
    pass per column; only text cells (missing markers, the 3Y discount
    'accepted/tendered' pairs, numbers stored as text) go through :func:`_value`.
    """
    import numpy as np

    cols = _columns(grid, sheet, filename)
    kind = _auction_type(sheet, grid, cols, filename)
    body = grid[_FIRST_DATA:]
    keep = [i for i, row in enumerate(body) if not _is_skipped(row)]
    rows = [body[i] for i in keep]
    lines = [i + _FIRST_DATA + 1 for i in keep]
    n = len(rows)
    data: dict[str, Any] = {"sheet": np.full(n, sheet.strip(), dtype=object),
                            "row": np.array(lines, dtype=np.int64),
                            "auction_type": np.full(n, kind, dtype=object)}
    for key, col in cols.items():
        cells = [row[col] if col < len(row) else "" for row in rows]
        data[key] = _column(cells, _BY_KEY[key], sheet, filename, lines)
    data["tenor"] = np.array(_tenors(sheet, data.get("term"), lines, filename), dtype=object)
    _check_records(data, sheet, filename)
    return data


def _column(cells: list[Any], field: _Field, sheet: str, filename: str,
            lines: list[int]) -> Any:
    """One field's cells as a float array (NaN = not applicable), dates as
    datetime64[D], labels as normalised strings; ParseError at the first bad cell."""
    import numpy as np

    if field.kind == "text":
        return np.array([_value(c, field, (sheet, filename, ln)) for c, ln in zip(cells, lines)],
                        dtype=object)
    if field.kind == "date":  # proleptic ordinals: a fast way to datetime64
        days = [c.toordinal() if type(c) in (dt.datetime, dt.date)
                else _value(c, field, (sheet, filename, ln)).toordinal()
                for c, ln in zip(cells, lines)]
        return (np.array(days, dtype=np.int64) - _EPOCH).astype("datetime64[D]")
    nan = float("nan")
    values = np.array([c if type(c) is float else nan for c in cells], dtype="float64")
    for i in [i for i, c in enumerate(cells) if type(c) is not float]:
        # text, int or anything unusual: the exact per-cell reading
        values[i] = _value(cells[i], field, (sheet, filename, lines[i]))
    bad = ~np.isfinite(values) & ~np.isnan(values)
    if field.kind == "int":
        bad |= ~np.isnan(values) & ((values != np.floor(values)) | (values <= 0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ParseError(NAME, filename, f"{_KIND_TEXT[field.kind]} under {field.jp!r} "
                         f"in sheet {sheet!r}", cells[i], lines[i])
    if field.kind == "int" and np.isnan(values).any():
        i = int(np.argmax(np.isnan(values)))
        raise ParseError(NAME, filename, f"{_KIND_TEXT[field.kind]} under {field.jp!r} "
                         f"in sheet {sheet!r}", cells[i], lines[i])
    return values


def _tenors(sheet: str, terms: Any, lines: list[int], filename: str) -> list[str]:
    """Tenor slug per row (T-bills by term, read once per distinct label)."""
    seen: dict[Any, str] = {}
    out = []
    for term, line in zip(terms if terms is not None else [None] * len(lines), lines):
        if term not in seen:
            seen[term] = _tenor(sheet, {"term": term}, filename, line)
        out.append(seen[term])
    return out


def _check_records(f: dict[str, Any], sheet: str, filename: str) -> None:
    """Sanity bounds: a wrong column or unit shows up here, never as a silent number.
    The first failing row (in file order) is named."""
    import numpy as np

    price = f["min_price"]
    checks = (
        (f["accepted"] > 0, "bids accepted > 0", ("accepted",)),
        (f["bids"] >= f["accepted"], "bids ≥ bids accepted", ("bids", "accepted")),
        (f["offered"] > 0, "an offering amount > 0", ("offered",)),
        (np.isnan(price) | ((price >= 50) & (price <= 150)), "a price per 100 between 50 and 150",
         ("min_price",)),
        (f["issue_date"] >= f["auction_date"], "issue date on/after the auction date",
         ("issue_date",)),
        (f["maturity_date"] > f["issue_date"], "maturity after the issue date",
         ("maturity_date",)),
    )
    for ok, expected, keys in checks:
        if not ok.all():
            i = int(np.argmax(~ok))
            found = tuple(_plain(f[k][i]) for k in keys)
            raise ValidationError(NAME, filename, f"{expected} in sheet {sheet!r}",
                                  found[0] if len(found) == 1 else found, int(f["row"][i]))
    for key in ("avg_yield", "max_yield", "coupon"):
        if key not in f:
            continue
        v = f[key]
        bad = ~np.isnan(v) & ((v < -5) | (v > 25))
        if bad.any():
            i = int(np.argmax(bad))
            raise ValidationError(NAME, filename, f"{key} in % between -5 and 25 in sheet "
                                  f"{sheet!r}", float(v[i]), int(f["row"][i]))


def _plain(v: Any) -> Any:
    """A numpy scalar as the plain Python value an error message shows."""
    import numpy as np

    if isinstance(v, np.datetime64):
        return v.astype("datetime64[D]").item()
    return v.item() if hasattr(v, "item") else v


def records_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Per-auction table (TABLE_COLUMNS) with the derived bid-to-cover and tails, from
    one record (dict) per auction (the result pages)."""
    import pandas as pd

    return _finish(pd.DataFrame(records))


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """TABLE_COLUMNS with their dtypes, bid-to-cover and tails, sorted by tenor and date."""
    import numpy as np
    import pandas as pd

    df = df.reindex(columns=TABLE_COLUMNS)
    for col in ("auction_date", "issue_date", "maturity_date"):
        df[col] = pd.to_datetime(df[col]).astype("datetime64[ns]")
    nums = [c for c in TABLE_COLUMNS[7:] if c != "auction_type"]
    df[nums] = df[nums].astype("float64")
    df["issue_number"] = df["issue_number"].astype("Int64")
    df["row"] = df["row"].astype("Int64")
    df["bid_to_cover"] = df["bids"] / df["accepted"]
    df["tail_price"] = np.round(df["avg_price"] - df["min_price"], 6)
    df["tail_bp"] = np.round((df["max_yield"] - df["avg_yield"]) * 100, 6)
    return df.sort_values(["tenor", "auction_date"], kind="stable").reset_index(drop=True)


def check_unique_dates(table: pd.DataFrame, filename: str) -> None:
    """ValidationError when one tenor has two auctions on one date (see module doc)."""
    import pandas as pd

    dup = table[table.duplicated(["tenor", "auction_date"], keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        rows = dup[(dup.tenor == first.tenor) & (dup.auction_date == first.auction_date)]
        raise ValidationError(NAME, filename,
                              f"one {first.tenor} auction per date (sheet {first.sheet!r})",
                              f"{len(rows)} on {first.auction_date.date()} in rows "
                              f"{[int(r) for r in rows['row'] if pd.notna(r)]}",
                              int(rows["row"].iloc[-1]) if pd.notna(rows["row"].iloc[-1]) else None)


def auction_table(raw: bytes, filename: str = "jgb_historical_data.xls") -> pd.DataFrame:
    """Per-auction table of every sheet of the workbook (see TABLE_COLUMNS)."""
    sheets = read_sheets(raw, filename)
    return table_from_sheets(sheets, filename)


def table_from_sheets(sheets: dict[str, list[list[Any]]], filename: str) -> pd.DataFrame:
    """Same as :func:`auction_table` from an already-read cell grid (pure)."""
    unknown = [s for s in sheets if s.strip() not in SHEETS]
    if unknown:
        raise ParseError(NAME, filename, f"sheets {sorted(SHEETS)}", f"new sheet(s) {unknown}")
    for needed in ("10年債", "40年債"):
        if needed not in {s.strip() for s in sheets}:
            raise ParseError(NAME, filename, f"a sheet {needed!r}", sorted(sheets))
    import numpy as np
    import pandas as pd

    parts = [_sheet_columns(s, grid, filename) for s, grid in sheets.items()]
    columns = {}
    for col in TABLE_COLUMNS:
        if any(col in p for p in parts):
            columns[col] = np.concatenate([p[col] if col in p else _blank(p, col) for p in parts])
    table = _finish(pd.DataFrame(columns))
    check_unique_dates(table, filename)
    return table


def _blank(part: dict[str, Any], col: str) -> Any:
    """A column a sheet does not have: NaN (NaT for dates)."""
    import numpy as np

    n = len(part["row"])
    if col in ("auction_date", "issue_date", "maturity_date"):
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if col == "term":
        return np.full(n, None, dtype=object)
    return np.full(n, np.nan)


# --------------------------------------------------------------------- series
def series_id(tenor: str, field: str) -> str:
    return f"auction.jgb.{tenor}.{field}"


def table_observations(table: pd.DataFrame) -> pd.DataFrame:
    """Tidy observations (one row per auction and field; NaN fields dropped), sorted by
    series id and date."""
    import numpy as np
    import pandas as pd

    from yenflow.sources import csvtools

    if table.empty:
        return pd.DataFrame({"series_id": pd.Series([], dtype=str),
                             "ref_date": np.array([], dtype="datetime64[ns]"),
                             "value": np.array([], dtype="float64")})
    tenors, tenor_code = np.unique(table["tenor"].to_numpy(dtype=str), return_inverse=True)
    fields = list(SERIES_FIELDS)
    ids = sorted(series_id(t, f) for t in tenors for f in fields)
    code_of = {sid: i for i, sid in enumerate(ids)}
    lookup = np.array([[code_of[series_id(t, f)] for f in fields] for t in tenors], dtype=np.int64)
    values = table[fields].to_numpy(dtype="float64")  # auctions × fields
    codes = lookup[tenor_code.reshape(-1)]  # auctions × fields
    keep = ~np.isnan(values)
    dates = np.broadcast_to(table["auction_date"].to_numpy("datetime64[ns]")[:, None], values.shape)
    codes, values, dates = codes[keep], values[keep], dates[keep]
    order = np.lexsort((dates, codes))
    return pd.DataFrame({
        "series_id": csvtools.str_series(ids, codes[order]),
        "ref_date": dates[order],
        "value": values[order],
    })


def series_infos(obs: pd.DataFrame, provenance: str) -> list[SeriesInfo]:
    """Catalog rows for the series that have observations in ``obs``."""
    present = set(obs["series_id"].unique())
    out = []
    for tenor in sorted({sid.split(".")[2] for sid in present}):
        for field, (unit, what) in SERIES_FIELDS.items():
            if series_id(tenor, field) not in present:
                continue
            out.append(SeriesInfo(
                id=series_id(tenor, field),
                name=f"JGB {tenor} auction: {field.replace('_', ' ')}",
                unit=unit,
                frequency="weekly" if tenor.startswith("tb") else "monthly",
                description=f"MOF JGB auction results, {what}; one value per auction.",
                notes=f"ref_date = auction date; {provenance}",
            ))
    return out


class MofJgbAuctions(Source):
    """MOF all-auctions workbook: ``auction.jgb.<tenor>.<field>`` for every security."""

    name = NAME
    title = "MOF JGB auction results (all auctions since 1979)"
    publisher = "Ministry of Finance Japan"
    max_age_days = 45  # workbook is refreshed about monthly
    version = 2  # 2: issue number and coupon stored as series
    files = (FileSpec("jgb_historical_data", URL, FILE, (FILE,)),)

    def parse(self, raw: bytes, filename: str) -> Parsed:
        table = auction_table(raw, filename)
        obs = table_observations(table)
        return Parsed(obs, series_infos(obs, "from MOF's all-auctions workbook "
                                             "(jgb_historical_data.xls)"))
