"""MOF JGB constant-maturity yields (国債金利情報), 1Y-40Y, daily since 1974-09-24.

Conventions
-----------
* ``value``: yield in **%**, semiannual compound, read by MOF off a curve fitted
  through selected JGBs at JSDA reference prices (15:00 Tokyo close); up to
  3 decimals, negative in 2016-2024. Released 09:30 Tokyo the next business day
  (not in the file, so ``released`` is not set).
* ``ref_date``: the pricing date. Rows come in ascending date order; a date out
  of order or repeated is a ParseError.
* ``-`` = no figure (the tenor did not exist yet, e.g. 40Y before 2007-11-06, or
  was not computed): dropped, never zero.

One :meth:`MofJgbYields.parse` reads all four official files and tells them
apart by the header row: English ``jgbcme_all.csv`` / ``jgbcme.csv`` (UTF-8,
optional BOM, header ``Date,1Y,…,40Y``, dates ``2024/8/5``) and Japanese
``jgbcm_all.csv`` / ``jgbcm.csv`` (cp932, header ``基準日,1年,…,40年``, era dates
``S49.9.24``/``H31.4.30``/``R1.5.7`` with S = 1925 + y, H = 1988 + y,
R = 2018 + y, checked against each era's first and last day). Columns are
mapped by label. Title rows before the header, all-empty ``,,,`` rows and
``※`` footnote rows are skipped. The files end with a line break; one that
does not is taken as truncated.

Dates outside 1678-2261 (what datetime64[ns] holds) are a ParseError. Speed: the
body is checked and converted in one go (:mod:`yenflow.sources.csvtools`); only
a file that fails those checks is read row by row, to name the first bad row in
the ParseError.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import TYPE_CHECKING

from yenflow.errors import ParseError
from yenflow.sources import csvtools
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source

if TYPE_CHECKING:
    from collections.abc import Iterator

    import numpy as np
    import pyarrow as pa

NAME = "mof.jgb_yields"
TENORS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40)
SERIES_IDS = {t: f"jgb.{t}y" for t in TENORS}
_EN = "https://www.mof.go.jp/english/policy/jgbs/reference/interest_rate/"
_JP = "https://www.mof.go.jp/jgbs/reference/interest_rate/"
_DIR = "mof_jgb_yields/"
_HEADER_SCAN = 5  # the header must sit within the first lines
_FIRST_CELL = {"Date": "en", "基準日": "jp"}
_LABEL = {"en": re.compile(r"(\d+)Y"), "jp": re.compile(r"(\d+)年")}
_EN_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII)
_JP_DATE = re.compile(r"([SHR])(\d{1,2}|元)\.(\d{1,2})\.(\d{1,2})", re.ASCII)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)
# the same shapes for the vectorised check (RE2, ASCII digits)
_FAST_DATE = {
    "en": r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}",
    "jp": r"[SHR](?:[0-9]{1,2}|元)\.[0-9]{1,2}\.[0-9]{1,2}",
}
# era letter -> (year offset, first day, last day)
_ERAS = {
    "S": (1925, date(1926, 12, 25), date(1989, 1, 7)),
    "H": (1988, date(1989, 1, 8), date(2019, 4, 30)),
    "R": (2018, date(2019, 5, 1), date.max),
}
_DESCRIPTION = (
    "MOF JGB constant-maturity yield, semiannual compound, read off a curve "
    "fitted to JSDA reference prices (15:00 Tokyo)."
)


def _series(tenor: int) -> SeriesInfo:
    return SeriesInfo(
        id=SERIES_IDS[tenor],
        name=f"JGB {tenor}Y constant-maturity yield (MOF)",
        unit="%",
        frequency="daily",
        description=_DESCRIPTION,
        notes="Released 09:30 Tokyo the next business day; '-' (no figure) is dropped.",
    )


def _decode(raw: bytes, filename: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp932")
    except UnicodeDecodeError as e:
        raise ParseError(NAME, filename, "UTF-8 or Shift-JIS (cp932) text",
                         f"byte {e.start}") from e


def _rows(text: str, filename: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every CSV row; a missing final line break is an error."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as e:  # e.g. a stray quote swallowing the rest of the file
        raise ParseError(NAME, filename, "comma-separated rows", str(e), reader.line_num) from e
    if text and not text.endswith("\n"):
        raise ParseError(NAME, filename, "the file to end with a line break (truncated?)",
                         row=reader.line_num)


def _check_unit(cells: list[str], filename: str, line: int) -> None:
    """The title row states the unit, ``(Unit : %)`` / ``(単位 : %)``: it must be %."""
    for cell in cells:
        if ("Unit" in cell or "単位" in cell) and "%" not in cell:
            raise ParseError(NAME, filename, "values in % ('(Unit : %)')", cell, line)


def _header_kind(cells: list[str], filename: str, line: int) -> str | None:
    """'en'/'jp' if this row is the header; ParseError if the date label is not column 1."""
    labels = [c.strip() for c in cells]
    for col, label in enumerate(labels):
        if label in _FIRST_CELL:
            if col != 0:
                raise ParseError(NAME, filename, f"{label!r} in column 1",
                                 f"column {col + 1}", line)
            return _FIRST_CELL[label]
    return None


def _columns(cells: list[str], kind: str, filename: str, line: int) -> list[tuple[int, str]]:
    """(column index, series id) for each tenor, located by its label."""
    found: dict[int, int] = {}
    for col, label in enumerate(cells[1:], start=1):
        m = _LABEL[kind].fullmatch(label.strip())
        tenor = int(m.group(1)) if m else None
        if tenor not in SERIES_IDS or tenor in found:
            unit = "Y" if kind == "en" else "年"
            raise ParseError(NAME, filename, f"tenor labels 1{unit}…40{unit}, each once",
                             label, line)
        found[tenor] = col
    missing = [t for t in TENORS if t not in found]
    if missing:
        raise ParseError(NAME, filename, f"a column for every tenor; missing {missing} (years)",
                         row=line)
    return [(col, SERIES_IDS[t]) for t, col in found.items()]


def _date(cell: str, kind: str, filename: str, line: int) -> date:
    try:
        if kind == "en":
            m = _EN_DATE.fullmatch(cell)
            if m:
                return date(int(m[1]), int(m[2]), int(m[3]))
        else:
            m = _JP_DATE.fullmatch(cell)
            if m:
                offset, first, last = _ERAS[m[1]]
                year = 1 if m[2] == "元" else int(m[2])
                d = date(offset + year, int(m[3]), int(m[4]))
                if first <= d <= last:
                    return d
    except ValueError:
        pass
    shape = "YYYY/M/D" if kind == "en" else "an era date like S49.9.24, H31.4.30, R1.5.7"
    raise ParseError(NAME, filename, f"a date {shape}", cell, line)


def _value(cell: str, label: str, filename: str, line: int) -> float | None:
    if cell == "-":
        return None
    if not _NUMBER.fullmatch(cell):
        raise ParseError(NAME, filename, f"a yield in % or '-' under {label}", cell, line)
    return float(cell)


def _is_skipped(cells: list[str]) -> bool:
    """All-empty ``,,,`` rows and ``※`` footnotes carry no data."""
    if cells and all(c.strip() == "" for c in cells):
        return True
    return bool(cells) and cells[0].lstrip().startswith("※")


def _read_exact(
    rows: Iterator[tuple[int, list[str]]], kind: str, columns: list[tuple[int, str]],
    width: int, filename: str,
) -> tuple[np.ndarray, np.ndarray]:
    """(dates, values) row by row; ParseError at the first bad row."""
    import numpy as np

    dates: list[date] = []
    values: list[list[float | None]] = []
    previous = date.min
    for line, cells in rows:
        if _is_skipped(cells):
            continue
        if len(cells) != width:
            raise ParseError(NAME, filename, f"{width} fields", f"{len(cells)} fields", line)
        day = _date(cells[0], kind, filename, line)
        csvtools.within_years(day, NAME, filename, cells[0], line)
        if day <= previous:
            raise ParseError(NAME, filename, f"a date after {previous}", cells[0], line)
        previous = day
        values.append([_value(cells[col], sid, filename, line) for col, sid in columns])
        dates.append(day)
    return (np.array(dates, dtype="datetime64[ns]"),
            np.array(values, dtype="float64").reshape(-1, len(columns)))


def _is_skipped_line(line: str) -> bool:
    """:func:`_is_skipped` for an unquoted line."""
    return '"' not in line and line != "" and (
        line.replace(",", "").strip() == "" or line.lstrip().startswith("※"))


def _read_fast(
    body: str, sep: str, kind: str, ncols: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """(dates, values) of the body at once; None if any line needs :func:`_read_exact`."""
    import numpy as np

    row = _FAST_DATE[kind] + rf"(?:,(?:{csvtools.NUMBER}|-)){{{ncols}}}"
    if not csvtools.rows_match(body, row, sep):  # fine if the others are blank or notes
        lines = csvtools.split_lines(body, sep)
        good = csvtools.all_match(lines, row)
        if not all(_is_skipped_line(lines[i]) for i in np.flatnonzero(~good)):
            return None
        body = "\n".join(lines[i] for i in np.flatnonzero(good))
    first, values = csvtools.read_block(body, ncols + 1, ("-",))
    days = _fast_dates(first, kind)
    if days is None or (days[1:] <= days[:-1]).any():
        return None
    return days.astype("datetime64[ns]"), values


def _fast_dates(cells: pa.Array, kind: str) -> np.ndarray | None:
    """datetime64[D] of date cells that match ``_FAST_DATE[kind]``; None if one is not a
    calendar date inside its era (the exact reading then names it)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == "en":
        return csvtools.civil_days(*csvtools.split_ints(cells, "/", 3).T)
    letter = pc.utf8_slice_codeunits(cells, 0, 1)
    era = pc.index_in(letter, value_set=pa.array(list(_ERAS))).to_numpy(zero_copy_only=False)
    numbers = pc.replace_substring(pc.utf8_slice_codeunits(cells, 1), "元", "1")
    year, month, day = csvtools.split_ints(numbers, ".", 3).T
    offset, first, last = zip(*_ERAS.values())
    days = csvtools.civil_days(np.array(offset)[era] + year, month, day)
    if days is None:
        return None
    first_day = np.array(first, dtype="datetime64[D]")[era]
    last_day = np.array(last, dtype="datetime64[D]")[era]
    return days if ((days >= first_day) & (days <= last_day)).all() else None


class MofJgbYields(Source):
    """MOF JGB constant-maturity yields, 15 tenors (series ``jgb.1y`` … ``jgb.40y``)."""

    name = NAME
    title = "MOF JGB constant-maturity yields (1Y-40Y, daily)"
    publisher = "Ministry of Finance Japan"
    max_age_days = 5
    files = (
        FileSpec("en_history", _EN + "historical/jgbcme_all.csv", _DIR + "jgbcme_all.csv",
                 (_DIR + "jgbcme_all.csv",)),
        FileSpec("jp_history", _JP + "data/jgbcm_all.csv", _DIR + "jgbcm_all.csv",
                 (_DIR + "jgbcm_all.csv",)),
        FileSpec("en_current", _EN + "jgbcme.csv", _DIR + "jgbcme.csv",
                 (_DIR + "jgbcme.csv", _DIR + "jgbcme_current_month*.csv")),
        FileSpec("jp_current", _JP + "jgbcm.csv", _DIR + "jgbcm.csv",
                 (_DIR + "jgbcm.csv", _DIR + "jgbcm_current_month*.csv")),
    )

    def parse(self, raw: bytes, filename: str) -> Parsed:
        text = _decode(raw, filename)
        sep = csvtools.line_separator(text, NAME, filename)
        rows = _rows(text, filename)
        kind, columns, width, line = self._read_header(rows, filename)
        read = None
        if text.endswith("\n"):  # else truncated: the exact reading says where
            body = csvtools.after_lines(text, sep, line)
            read = _read_fast(body, sep, kind, len(columns))
        dates, values = read or _read_exact(rows, kind, columns, width, filename)
        frame = csvtools.long_frame([sid for _, sid in columns], values, dates[:, None])
        return Parsed(frame, [_series(t) for t in TENORS])

    @staticmethod
    def _read_header(
        rows: Iterator[tuple[int, list[str]]], filename: str
    ) -> tuple[str, list[tuple[int, str]], int, int]:
        """(kind, columns, width, line number) of the header row."""
        line = 0
        for line, cells in rows:
            kind = _header_kind(cells, filename, line)
            if kind is not None:
                return kind, _columns(cells, kind, filename, line), len(cells), line
            _check_unit(cells, filename, line)
            if line >= _HEADER_SCAN:
                break
        expected = f"a header row starting 'Date' or '基準日' in the first {_HEADER_SCAN} lines"
        raise ParseError(NAME, filename, expected, row=line or None)
