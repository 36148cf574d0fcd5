"""Nikkei Stock Average (Nikkei 225) daily history CSV, source ``nikkei.stock_average``.

File ``nikkei_stock_average_daily_en.csv``: header ``Date of Data,Close,Open,
High,Low`` (unquoted), then one line per trading day with every field a quoted
string (``"2024/08/05","31458.42",…``), dates ``YYYY/MM/DD``, LF line ends.
The last line is a copyright notice containing a cp932 right quote
(``Nikkei’s``), so the file is decoded as **cp932**, not UTF-8.

Output: ``equity.nikkei225.close|open|high|low`` in **index points**,
``ref_date`` = trading day. Columns are located by label; missing markers
(``-``, empty) are dropped; a day whose High/Low do not bracket Open/Close
raises ValidationError.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from yenflow.errors import ParseError, ValidationError
from yenflow.sources.figures import ascii_float
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source

if TYPE_CHECKING:
    import pandas as pd

SOURCE_NAME = "nikkei.stock_average"
DATE_LABEL = "Date of Data"
FIELDS = ("Close", "Open", "High", "Low")
_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$", re.ASCII)
_MISSING = ("", "-", "--", "―", "N/A")
_FOOTER = "copyright"  # the notice line: "This material is a copyrightable work of Nikkei…"

SERIES = tuple(
    SeriesInfo(
        id=f"equity.nikkei225.{f.lower()}",
        name=f"Nikkei Stock Average (Nikkei 225), daily {f.lower()}",
        unit="index points",
        frequency="daily",
        description=f"Nikkei 225 {f.lower()} of each Tokyo trading day, index points.",
        notes="Source: Nikkei Inc. (indexes.nikkei.co.jp). Copyrighted by Nikkei; "
              "reproduction requires Nikkei's permission.",
    )
    for f in FIELDS
)


def _error(
    filename: str, expected: str, found: object = None, row: int | None = None
) -> ParseError:
    return ParseError(SOURCE_NAME, filename, expected, found, row)


def _lines(raw: bytes, filename: str) -> list[tuple[str, list[str]]]:
    """(raw line, fields) per line; cp932 (the copyright line is not UTF-8)."""
    import csv

    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _error(filename, "cp932 text", raw[e.start : e.start + 4], row=line) from None
    lines = text.lstrip("\ufeff").splitlines()
    return [(ln, next(csv.reader([ln]), [])) for ln in lines]


def _columns(header: list[str], filename: str) -> dict[str, int]:
    cols = {h.strip(): i for i, h in enumerate(header)}
    missing = [f for f in (DATE_LABEL, *FIELDS) if f not in cols]
    if missing:
        raise _error(filename, f"header {DATE_LABEL},{','.join(FIELDS)}", ",".join(header), row=1)
    return cols


def _date(cell: str, filename: str, row: int) -> date:
    m = _DATE.match(cell.strip())
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    raise _error(filename, "a date YYYY/MM/DD", cell, row=row)


def _number(cell: str, field: str, filename: str, row: int) -> float | None:
    text = cell.strip()
    if text in _MISSING:
        return None
    try:
        return ascii_float(text.replace(",", ""))
    except ValueError:
        raise _error(filename, f"a number (ASCII digits) in {field}", cell, row=row) from None


def _is_footer(line: list[str], n: int, total: int) -> bool:
    return n == total and len(line) <= 2 and _FOOTER in " ".join(line).lower()


def _check_range(vals: dict[str, float | None], filename: str, row: int) -> None:
    hi, lo = vals["High"], vals["Low"]
    inner = [v for k, v in vals.items() if k in ("Open", "Close") and v is not None]
    if hi is not None and lo is not None and (lo > hi or not all(lo <= v <= hi for v in inner)):
        raise ValidationError(SOURCE_NAME, filename, "Low <= Open, Close <= High", vals, row)


def _row(
    text: str, line: list[str], cols: dict[str, int], filename: str, n: int
) -> tuple[date, dict[str, float | None]]:
    # every data field is quoted: a line cut short ends inside or at the start of a quote
    end = text.rstrip()
    if len(line) < len(cols) or not end.endswith('"') or end.count('"') % 2:
        raise _error(filename, f"{len(cols)} quoted fields (truncated line?)", text, row=n)
    day = _date(line[cols[DATE_LABEL]], filename, n)
    vals = {f: _number(line[cols[f]], f, filename, n) for f in FIELDS}
    _check_range(vals, filename, n)
    return day, vals


def parse_daily(raw: bytes, filename: str) -> Parsed:
    """Parse the Nikkei 225 daily history CSV."""
    lines = _lines(raw, filename)
    if not lines:
        raise _error(filename, f"a header line {DATE_LABEL},…", None, row=1)
    cols = _columns(lines[0][1], filename)
    last = max((i for i, (t, _) in enumerate(lines, 1) if t.strip()), default=1)
    recs: list[tuple[str, date, float]] = []
    seen: set[date] = set()
    for n, (text, line) in enumerate(lines[1:], start=2):
        if not text.strip() or _is_footer(line, n, last):
            continue
        day, vals = _row(text, line, cols, filename, n)
        if day in seen:
            raise _error(filename, "one line per date", day.isoformat(), row=n)
        seen.add(day)
        recs += [(f"equity.nikkei225.{f.lower()}", day, v)
                 for f, v in vals.items() if v is not None]
    if not _is_footer(lines[last - 1][1], last, last):
        raise _error(filename, "Nikkei's copyright notice as the last line (a cut file?)",
                     lines[last - 1][0][:60], row=last)
    return Parsed(_frame(recs), list(SERIES))


def _frame(recs: list[tuple[str, date, float]]) -> "pd.DataFrame":
    import pandas as pd

    df = pd.DataFrame(recs, columns=["series_id", "ref_date", "value"])
    df["series_id"] = df["series_id"].astype(str)
    df["ref_date"] = pd.to_datetime(df["ref_date"]).astype("datetime64[ns]")
    df["value"] = df["value"].astype("float64")
    return df.sort_values(["series_id", "ref_date"], ignore_index=True)


class NikkeiStockAverage(Source):
    """Nikkei 225 daily Close/Open/High/Low from Nikkei's history CSV."""

    name: ClassVar[str] = SOURCE_NAME
    title: ClassVar[str] = "Nikkei Stock Average (Nikkei 225), daily"
    publisher: ClassVar[str] = "Nikkei Inc."
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec(
            "daily_en",
            "https://indexes.nikkei.co.jp/nkave/historical/nikkei_stock_average_daily_en.csv",
            "equities/nikkei_stock_average_daily_en.csv",
            ("equities/nikkei_stock_average_daily_en.csv",),
        ),
    )
    max_age_days: ClassVar[int] = 5

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_daily(raw, filename)
