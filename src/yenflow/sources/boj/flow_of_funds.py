"""BOJ Flow of Funds time-series workbook ``sjlong.xlsx``, source ``boj.flow_of_funds``.

Reads reference table **G-1 "From-whom-to-whom" of domestic debt securities,
amount outstanding** (sheet ``64`` in the sample edition; found by its block
titles, not by sheet name). Three blocks are read, each a holder-by-quarter
table in **100 million yen** at **quarter end**:

=====================================================================  =============
block title                                                            series prefix
=====================================================================  =============
Issued by Central government and Fiscal Loan Fund (short-term and      ``fof.jgb``
long-term)
… (long-term) = central government securities and FILP bonds           ``fof.jgb_long``
… (short-term) = treasury discount bills                               ``fof.tbill``
=====================================================================  =============

Series ids are ``<prefix>.<holder>`` with holder one of :data:`HOLDERS`
(``total`` is the amount outstanding; ``boj`` is the "of which: central bank"
line inside ``financial_institutions``; ``social_security_funds`` is the
public pension reserve (GPIF etc.)). Shares of the total are computed in
:mod:`yenflow.analytics.holdings` (``jgb_shares``), not here.

Columns are quarters ``YYYY/NQ``; ``(P)`` marks preliminary figures, which
the next edition revises (each edition is a vintage in the store; the
preliminary quarters of the file are listed in each SeriesInfo.notes).
Holders must add up to the amount outstanding (±10), else ValidationError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.figures import ascii_float
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source

if TYPE_CHECKING:
    import pandas as pd

SOURCE_NAME = "boj.flow_of_funds"
UNIT_LABEL = "(100 million yen)"
SUM_TOLERANCE = 10.0  # 100m yen; the published table adds up exactly in the sample

#: block title (normalised) → series prefix, description
BLOCKS: dict[str, tuple[str, str]] = {
    "issued by central government and fiscal loan fund (short-term and long-term)": (
        "fof.jgb", "JGBs incl. T-bills and FILP bonds (central government + Fiscal Loan Fund)"),
    "issued by central government and fiscal loan fund (long-term)": (
        "fof.jgb_long", "central government securities and FILP bonds (long-term JGBs)"),
    "issued by central government and fiscal loan fund (short-term)": (
        "fof.tbill", "treasury discount bills (T-bills)"),
}

#: row label (normalised) → holder key, display name
HOLDERS: dict[str, tuple[str, str]] = {
    "amount outstanding": ("total", "total amount outstanding"),
    "held by financial institutions": ("financial_institutions", "financial institutions"),
    "of which: held by central bank": ("boj", "the Bank of Japan (central bank)"),
    "held by nonfinancial corporations": ("nonfinancial_corporations", "nonfinancial corporations"),
    "held by central government": ("central_government", "the central government"),
    "held by local governments": ("local_governments", "local governments"),
    "held by social security funds": ("social_security_funds",
                                      "social security funds (public pensions)"),
    "held by households": ("households", "households"),
    "held by private nonprofit institutions serving households": (
        "npish", "private nonprofit institutions serving households"),
    "held by overseas": ("overseas", "overseas (non-residents)"),
}
#: sectors that add up to the total (``boj`` is inside financial institutions)
_SUMMANDS = ("financial_institutions", "nonfinancial_corporations", "central_government",
             "local_governments", "social_security_funds", "households", "npish", "overseas")

_QUARTER = re.compile(r"^(\d{4})/([1-4])Q(\(P\))?$")


def _norm(cell: Any) -> str:
    return " ".join(str(cell).split()).lower() if isinstance(cell, str) else ""


def _quarter_end(year: int, q: int) -> date:
    return date(year, 3 * q, 31 if q in (1, 4) else 30)


@dataclass
class _Block:
    prefix: str
    what: str
    title_row: int  # 0-based
    columns: dict[int, tuple[date, bool]]  # col → (quarter end, preliminary)
    values: dict[str, dict[int, float]]  # holder → col → value
    rows: dict[str, int]  # holder → 1-based sheet row


class _Sheet:
    """One worksheet's cells with error helpers naming file, sheet and row."""

    def __init__(self, filename: str, name: str, rows: list[list[Any]]) -> None:
        self.filename, self.name, self.rows = filename, name, rows

    def error(self, expected: str, found: object = None, row: int | None = None) -> ParseError:
        where = f"{self.filename}, sheet {self.name!r}"
        return ParseError(SOURCE_NAME, where, expected, found, row)


def _open(raw: bytes, filename: str) -> list[_Sheet]:
    import io

    from python_calamine import CalamineWorkbook

    from yenflow.sources import zipsafe

    zipsafe.check(raw, filename, source=SOURCE_NAME)  # before calamine inflates anything
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        return [_Sheet(filename, n, wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names]
    except Exception as e:  # calamine raises its own error types for broken zips/xml
        raise ParseError(SOURCE_NAME, filename, "a readable .xlsx workbook",
                         f"{type(e).__name__}: {e}") from None


def _find_sheet(sheets: list[_Sheet], filename: str) -> _Sheet:
    """The sheet holding the JGB blocks (``64`` first, then any other)."""
    ordered = sorted(sheets, key=lambda s: s.name != "64")
    for sheet in ordered:
        titles = {_norm(r[0]) for r in sheet.rows if r}
        if all(t in titles for t in BLOCKS):
            return sheet
    raise ParseError(SOURCE_NAME, filename, "a sheet with the G-1 blocks "
                     + "; ".join(repr(t) for t in BLOCKS))


def _header(sheet: _Sheet, r: int) -> dict[int, tuple[date, bool]]:
    """Quarter columns of the header row ``r`` (0-based) under a block title."""
    if r >= len(sheet.rows):
        raise sheet.error("a quarter header row under the block title", None, row=r + 1)
    cols: dict[int, tuple[date, bool]] = {}
    for c, cell in enumerate(sheet.rows[r]):
        text = str(cell).strip() if isinstance(cell, str) else ""
        m = _QUARTER.match(text.replace(" ", ""))
        if m:
            cols[c] = (_quarter_end(int(m[1]), int(m[2])), bool(m[3]))
        elif text:
            raise sheet.error("quarter labels like '2024/1Q' or '2026/1Q(P)'", cell, row=r + 1)
    if not cols:
        raise sheet.error("quarter labels like '2024/1Q'", sheet.rows[r], row=r + 1)
    return cols


def _label(row: list[Any], first_col: int) -> str:
    for cell in row[1:first_col]:
        if _norm(cell):
            return _norm(cell)
    return ""


def _number(sheet: _Sheet, cell: Any, r: int, label: str) -> float | None:
    if isinstance(cell, bool):
        raise sheet.error(f"a number for {label!r}", cell, row=r + 1)
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell).strip()
    if text in ("", "-", "--", "―", "－", "…", "."):
        return None
    try:
        return ascii_float(text.replace(",", ""))
    except ValueError:
        raise sheet.error(f"a number (ASCII digits) for {label!r}", cell, row=r + 1) from None


def _read_block(sheet: _Sheet, title_row: int, prefix: str, what: str) -> _Block:
    title = sheet.rows[title_row]
    if not any(_norm(c) == UNIT_LABEL for c in title):
        raise sheet.error(f"the unit label {UNIT_LABEL!r} on the block title row",
                          title, row=title_row + 1)
    cols = _header(sheet, title_row + 1)
    block = _Block(prefix, what, title_row, cols, {}, {})
    first_col = min(cols)
    for r in range(title_row + 2, len(sheet.rows)):
        row = sheet.rows[r]
        label = _label(row, first_col)
        if not label:
            break
        if label not in HOLDERS:
            raise sheet.error("a holder label (" + ", ".join(HOLDERS) + ")", label, row=r + 1)
        holder = HOLDERS[label][0]
        if holder in block.values:
            raise sheet.error(f"{label!r} once per block", label, row=r + 1)
        cells = {c: _number(sheet, row[c] if c < len(row) else "", r, label) for c in cols}
        block.values[holder] = {c: v for c, v in cells.items() if v is not None}
        block.rows[holder] = r + 1
    missing = [HOLDERS[k][0] for k in HOLDERS if HOLDERS[k][0] not in block.values]
    if missing:
        raise sheet.error(f"holder rows {missing} in block {prefix}", None, row=title_row + 1)
    return block


def _check_sums(sheet: _Sheet, block: _Block) -> None:
    for c, (quarter, _) in block.columns.items():
        parts = [block.values[h][c] for h in _SUMMANDS if c in block.values[h]]
        total = block.values["total"].get(c)
        if total is None or len(parts) < len(_SUMMANDS):
            continue
        if abs(sum(parts) - total) > SUM_TOLERANCE:
            raise ValidationError(
                SOURCE_NAME, f"{sheet.filename}, sheet {sheet.name!r}",
                f"holders adding up to the amount outstanding {total:,.0f} for {quarter} "
                f"in block {block.prefix}", f"{sum(parts):,.0f}", block.rows["total"],
            )


def _blocks(sheet: _Sheet) -> list[_Block]:
    found: list[_Block] = []
    for r, row in enumerate(sheet.rows):
        key = _norm(row[0]) if row else ""
        if key in BLOCKS:
            if any(b.prefix == BLOCKS[key][0] for b in found):
                raise sheet.error(f"block {key!r} once", key, row=r + 1)
            found.append(_read_block(sheet, r, *BLOCKS[key]))
    return found


def _infos(block: _Block) -> list[SeriesInfo]:
    prelim = sorted({q.isoformat() for q, p in block.columns.values() if p})
    note = "Source: Bank of Japan, Flow of Funds Accounts (sjlong.xlsx, table G-1)."
    if prelim:
        note += " Preliminary (P) in this edition: " + ", ".join(prelim) + "."
    what = block.what[0].upper() + block.what[1:]
    out = []
    for holder, display in HOLDERS.values():
        held = "in total" if holder == "total" else f"held by {display}"
        out.append(SeriesInfo(
            id=f"{block.prefix}.{holder}",
            name=f"{what}, amount outstanding {held}",
            unit="JPY 100m",
            frequency="quarterly",
            description=(f"Flow of Funds from-whom-to-whom table G-1: {block.what}, amount "
                         f"outstanding at quarter end {held}, 100 million yen."),
            notes=note,
        ))
    return out


def _frame(blocks: list[_Block]) -> "pd.DataFrame":
    import pandas as pd

    recs = [
        (f"{b.prefix}.{holder}", b.columns[c][0], v)
        for b in blocks for holder, cells in b.values.items() for c, v in cells.items()
    ]
    df = pd.DataFrame(recs, columns=["series_id", "ref_date", "value"])
    df["series_id"] = df["series_id"].astype(str)
    df["ref_date"] = pd.to_datetime(df["ref_date"]).astype("datetime64[ns]")
    df["value"] = df["value"].astype("float64")
    return df.sort_values(["series_id", "ref_date"], ignore_index=True)


def parse_sjlong(raw: bytes, filename: str) -> Parsed:
    """Parse the G-1 JGB blocks of a ``sjlong.xlsx`` edition."""
    sheet = _find_sheet(_open(raw, filename), filename)
    blocks = _blocks(sheet)
    for b in blocks:
        _check_sums(sheet, b)
    return Parsed(_frame(blocks), [i for b in blocks for i in _infos(b)])


class BojFlowOfFunds(Source):
    """BOJ Flow of Funds: JGB holdings by holder (table G-1 of ``sjlong.xlsx``)."""

    name: ClassVar[str] = SOURCE_NAME
    title: ClassVar[str] = "BOJ Flow of Funds: JGBs by holder (from-whom-to-whom)"
    publisher: ClassVar[str] = "Bank of Japan"
    files: ClassVar[tuple[FileSpec, ...]] = (
        # the English time-series tables, linked from
        # https://www.boj.or.jp/en/statistics/sj/index.htm (English labels, as the parser expects)
        FileSpec(
            "sjlong",
            "https://www.boj.or.jp/en/statistics/sj/sjlong.xlsx",
            "boj/flow_of_funds/sjlong.xlsx",
            ("boj/flow_of_funds/sjlong.xlsx",),
        ),
    )
    #: quarterly, released about 11 weeks after quarter end
    max_age_days: ClassVar[int] = 190

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_sjlong(raw, filename)
