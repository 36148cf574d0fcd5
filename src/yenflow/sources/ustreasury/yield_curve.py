"""US Treasury daily par yield curve rates (CSV), 1M-30Y, daily since 1990.

Conventions
-----------
* ``value``: par yield in **%**, bond-equivalent basis, as published
  (2 decimals in the year files; the archive drops trailing zeros).
* ``ref_date``: the business day the curve refers to (NY close). Treasury
  publishes no release time and no vintages.
* An empty field = no figure (the tenor did not exist: 1 Mo before 2001-07-31,
  2 Mo before 2018-10-16, 4 Mo before 2022-10-19, 1.5 Month before
  2025-02-18, 20 Yr before 1993-10-01; 30 Yr was not published
  2002-02-19 → 2006-02-08; holiday rows are empty in every tenor): dropped.

Two layouts, both newest first and without a final line break, are read by the
same :meth:`UsTreasuryParCurve.parse`: the 1990-2024 archive
(``yield-curve-rates-1990-2024.csv``: unquoted header, dates ``M/D/YY``, no 1.5-month
column) and the year files (``daily-treasury-rates.csv/{YYYY}``: quoted header
``Date,"1 Mo","1.5 Month",…``, dates ``MM/DD/YYYY``). Two-digit years are
1990-2089 (the curve starts in 1990). Columns are located by label; every
known spelling is mapped ("1 Mo", "1 Month", "1.5 Mo", "30 Yr", "30 Year",
…), any other label is a ParseError. The Daily Treasury *Bill* Rates file (same
download name, ``"4 WEEKS BANK DISCOUNT"`` columns) is refused, and so is any
file lacking the core par-curve tenors (e.g. the real yield curve).

A file must end as Treasury's files end (they have no final line break, so a
cut inside the last row still parses): the oldest row is the first business
day of a year (:func:`first_business_day`: each file holds whole years, newest
first, so rows cut off the end take the oldest days); in the
year files every yield has two decimals (``4.79``; a cut ``4.7`` is refused);
and the last row's last yield is not missing where the row above has one (the
archive drops trailing zeros, so a cut there shows as an empty field). Figures
and dates are ASCII digits only. A header-only file is refused, except a year
file named ``daily-treasury-rates_{YEAR}.csv`` (as ``fetch`` names them), which
has no row yet in the first days of January: it is parsed as "no data".

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
from yenflow.sources.base import FileSpec, Parsed, RawFile, SeriesInfo, Source

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import numpy as np

    from yenflow.http import Response

NAME = "ustreasury.par_curve"
YEAR_URL = (
    "https://home.treasury.gov/resource-center/data-chart-center/interest-rates/"
    "daily-treasury-rates.csv/{year}/all?type=daily_treasury_yield_curve"
    "&field_tdr_date_value={year}&page&_format=csv"
)
# (tenor key, label) in curve order; the key is the suffix of the series id
TENORS = (
    ("1m", "1 month"), ("1_5m", "1.5 month"), ("2m", "2 month"), ("3m", "3 month"),
    ("4m", "4 month"), ("6m", "6 month"), ("1y", "1 year"), ("2y", "2 year"),
    ("3y", "3 year"), ("5y", "5 year"), ("7y", "7 year"), ("10y", "10 year"),
    ("20y", "20 year"), ("30y", "30 year"),
)
SERIES_IDS = {key: f"ust.par.{key}" for key, _ in TENORS}
# a par-curve file always has these columns (even where a column is empty)
_CORE = ("3m", "6m", "1y", "2y", "3y", "5y", "7y", "10y", "30y")
_LABEL = re.compile(r"(\d+(?:\.\d)?)\s*(mo|mos|month|months|yr|yrs|year|years)", re.IGNORECASE)
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", re.ASCII)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)
_TWO_DECIMALS = re.compile(r"-?\d+\.\d\d", re.ASCII)
_YEAR_FILE = re.compile(r"daily-treasury-rates_(\d{4})\.csv$")
# the same date shape for the vectorised check (RE2, ASCII digits)
_FAST_DATE = r"[0-9]{1,2}/[0-9]{1,2}/(?:[0-9]{2}|[0-9]{4})"
_BILL_MARKERS = ("BANK DISCOUNT", "COUPON EQUIVALENT")


def _series(key: str, label: str) -> SeriesInfo:
    return SeriesInfo(
        id=SERIES_IDS[key],
        name=f"US Treasury {label} par yield",
        unit="%",
        frequency="daily",
        description="Daily Treasury par yield curve rate, bond-equivalent basis (US Treasury).",
        notes="Read off Treasury's fitted par curve (indicative bid-side closing quotes); "
        "Treasury publishes no vintages.",
    )


def _tenor_key(label: str) -> str | None:
    m = _LABEL.fullmatch(label.strip())
    if not m:
        return None
    number, unit = m[1].replace(".", "_"), m[2].lower()
    key = number + ("m" if unit.startswith("mo") else "y")
    return key if key in SERIES_IDS else None


def _columns(cells: list[str], filename: str) -> list[tuple[int, str]]:
    """(column index, series id) per tenor column of the header on line 1."""
    if not cells or cells[0].strip() != "Date":
        found = cells[0] if cells else ""
        if "Date" in (c.strip() for c in cells):
            found = f"'Date' in column {[c.strip() for c in cells].index('Date') + 1}"
        raise ParseError(NAME, filename, "'Date' as the first header label", found, 1)
    if any(marker in c.upper() for c in cells for marker in _BILL_MARKERS):
        raise ParseError(NAME, filename,
                         "a Daily Treasury PAR YIELD CURVE file ('1 Mo', …, '30 Yr'); this is "
                         "the Daily Treasury BILL Rates file, which yenflow does not read",
                         cells[1], 1)
    keys: dict[str, int] = {}
    for col, label in enumerate(cells[1:], start=1):
        key = _tenor_key(label)
        if key is None or key in keys:
            raise ParseError(NAME, filename, "known par-curve tenor labels "
                             "('1 Mo', '1.5 Month', …, '30 Yr'), each once", label, 1)
        keys[key] = col
    missing = [k for k in _CORE if k not in keys]
    if missing:
        raise ParseError(NAME, filename, f"the par-curve tenor columns; missing {missing}", row=1)
    return [(col, SERIES_IDS[key]) for key, col in keys.items()]


def _date(cell: str, filename: str, line: int, width: list[int]) -> date:
    """``M/D/YY`` or ``MM/DD/YYYY``; one file uses one year width (kept in ``width``)."""
    m = _DATE.fullmatch(cell)
    if m and (not width or width[0] == len(m[3])):
        width[:] = [len(m[3])]
        year = int(m[3])
        if len(m[3]) == 2:
            year += 1900 if year >= 90 else 2000
        try:
            return date(year, int(m[1]), int(m[2]))
        except ValueError:
            pass
    shape = "M/D/YY" if width == [2] else "MM/DD/YYYY" if width == [4] else "M/D/YY or MM/DD/YYYY"
    raise ParseError(NAME, filename, f"a date {shape}", cell, line)


def _value(cell: str, sid: str, filename: str, line: int, two_decimals: bool) -> float | None:
    if cell == "":
        return None
    if not _NUMBER.fullmatch(cell):
        raise ParseError(NAME, filename, f"a yield in % or an empty field for {sid}", cell, line)
    if two_decimals and not _TWO_DECIMALS.fullmatch(cell):
        raise ParseError(NAME, filename, f"a yield with two decimals like 4.79 for {sid} (the "
                         "year files print two; a cut file?)", cell, line)
    return float(cell)


def _check_order(dates: list[date], lines: list[int], filename: str) -> None:
    """Dates must run strictly one way (Treasury: newest first)."""
    if len(dates) < 2:
        return
    descending = dates[0] > dates[1]
    for i in range(1, len(dates)):
        ok = dates[i] < dates[i - 1] if descending else dates[i] > dates[i - 1]
        if not ok:
            way = "before" if descending else "after"
            raise ParseError(NAME, filename, f"a date {way} {dates[i - 1]} (one row per date)",
                             str(dates[i]), lines[i])


def _rows(text: str, filename: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every CSV row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as e:  # e.g. a stray quote swallowing the rest of the file
        raise ParseError(NAME, filename, "comma-separated rows", str(e), reader.line_num) from e


def _read_exact(
    rows: Iterator[tuple[int, list[str]]], columns: list[tuple[int, str]], filename: str
) -> tuple[np.ndarray, np.ndarray]:
    """(dates, values) row by row; ParseError at the first bad row."""
    import numpy as np

    width = len(columns) + 1
    dates: list[date] = []
    values: list[list[float | None]] = []
    lines: list[int] = []
    year_width: list[int] = []
    for line, cells in rows:
        if len(cells) != width:
            raise ParseError(NAME, filename, f"{width} fields", f"{len(cells)} fields", line)
        day = _date(cells[0], filename, line, year_width)
        dates.append(csvtools.within_years(day, NAME, filename, cells[0], line))
        lines.append(line)
        two = year_width == [4]
        values.append([_value(cells[col], sid, filename, line, two) for col, sid in columns])
    _check_order(dates, lines, filename)
    return (np.array(dates, dtype="datetime64[ns]"),
            np.array(values, dtype="float64").reshape(-1, len(columns)))


def _read_fast(body: str, sep: str, ncols: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(dates, values) of the body at once; None if any line needs :func:`_read_exact`."""
    import numpy as np
    import pyarrow.compute as pc

    two_digit_year = re.match(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2},", body) is not None
    number = csvtools.NUMBER if two_digit_year else r"-?[0-9]+\.[0-9]{2}"  # year files: 2 decimals
    if not csvtools.rows_match(body, _FAST_DATE + rf"(?:,(?:{number})?){{{ncols}}}", sep):
        return None
    first, values = csvtools.read_block(body, ncols + 1, ("",))
    month, day, year = csvtools.split_ints(first, "/", 3).T
    slash = pc.utf8_slice_codeunits(first, -3, -2).to_numpy(zero_copy_only=False) == "/"
    if len(slash) and (slash != slash[0]).any():  # 'M/D/YY' and 'MM/DD/YYYY' mixed
        return None
    if len(slash) and slash[0]:
        year = year + np.where(year >= 90, 1900, 2000)
    days = csvtools.civil_days(year, month, day)
    if days is None:
        return None
    step = days[1:] - days[:-1]  # one way throughout: newest first (or oldest first)
    if len(step) and not ((step < 0).all() or (step > 0).all()):
        return None
    return days.astype("datetime64[ns]"), values


FIRST_YEAR = 1990  # the par curve starts on 1990-01-02


def fetch_years(today: date, archived: Callable[[str], bool] | None = None) -> list[int]:
    """Years to download, oldest first: this year (and last year during
    January, for its final days) and, when ``archived`` tells which year URLs
    the raw archive holds, every earlier year not fetched yet."""
    years = {today.year} | ({today.year - 1} if today.month == 1 else set())
    if archived is not None:
        years |= {y for y in range(FIRST_YEAR, today.year) if not archived(YEAR_URL.format(year=y))}
    return sorted(years)


#: years whose first day with a par curve was not the usual one (none in the 1990–2024 archive: on
#: 2007-01-02, the day of mourning for President Ford, the Treasury still published a curve)
_FIRST_DAY_EXCEPTIONS: dict[int, date] = {}


def first_business_day(year: int) -> date:
    """The first US bond-market day of ``year``: 2 January, or 3 January when New
    Year's Day falls on a Sunday (observed on Monday the 2nd), moved past a weekend."""
    if year in _FIRST_DAY_EXCEPTIONS:
        return _FIRST_DAY_EXCEPTIONS[year]
    day = date(year, 1, 3 if date(year, 1, 1).weekday() == 6 else 2)
    while day.weekday() >= 5:
        day = date(year, 1, day.day + 1)
    return day


def _check_end(dates: np.ndarray, values: np.ndarray, columns: list[tuple[int, str]],
               filename: str, last_line: int) -> None:
    """The file ends as Treasury's files end (see the module docstring)."""
    import numpy as np

    if not len(dates):
        return
    oldest = dates.min().astype("datetime64[D]").item()
    first = first_business_day(oldest.year)
    if oldest != first:
        where = last_line if dates[-1] == dates.min() else None
        raise ParseError(NAME, filename, f"whole years: the oldest row on {first} (the first "
                         f"business day of {first.year}; rows cut off the end of the file?)",
                         str(oldest), where)
    if len(dates) > 1 and np.isnan(values[-1, -1]) and not np.isnan(values[-2, -1]):
        raise ParseError(NAME, filename, f"a {columns[-1][1]} yield in the last row, as in the row "
                         "above (the file cut inside its last figure?)", "an empty field", last_line)


class UsTreasuryParCurve(Source):
    """Daily Treasury par yield curve, 14 tenors (series ``ust.par.1m`` … ``ust.par.30y``)."""

    name = NAME
    title = "US Treasury daily par yield curve (1M-30Y)"
    publisher = "U.S. Department of the Treasury"
    max_age_days = 5
    files = (
        # archive: its name changes every year (…-1990-2024.csv); online, the same
        # years come from the per-year endpoint instead (see fetch)
        FileSpec("archive_1990_2024", None, "ust_yields/yield-curve-rates-1990-2024.csv",
                 ("ust_yields/yield-curve-rates-*.csv",)),
        # year files: fetch() builds the URL for each year
        FileSpec("year", None, "ust_yields/daily-treasury-rates.csv",
                 ("ust_yields/daily-treasury-rates*.csv",)),
    )

    def fetch(
        self, get: Callable[..., Response | None], today: date | None = None
    ) -> Iterator[RawFile]:
        """This year's file (last year's too during January), and once each the
        earlier years the raw archive does not hold yet, back to 1990 (the
        per-year endpoint serves every year; the 1990–… archive file's name
        changes every year). A year that cannot be fetched does not stop the others."""
        from yenflow.errors import FetchError

        today = today or date.today()
        for year in fetch_years(today, getattr(get, "archived", None)):
            try:
                resp = get(YEAR_URL.format(year=year))
            except FetchError:
                continue  # recorded by the pipeline's get (or not yet published)
            if resp is not None:
                name = f"daily-treasury-rates_{year}.csv"
                yield RawFile(name, resp.content, resp.url, resp.etag, resp.last_modified)

    def urls(self, today: date | None = None) -> list[str]:
        return [YEAR_URL.replace("{year}", "{YEAR}") + " (1990 to this year)"]

    def revalidate(self, url: str, today: date) -> bool:
        return url == YEAR_URL.format(year=today.year)

    def pending(self, url: str, today: date) -> str | None:
        """The new year's file is empty or missing until the first business day's curve."""
        if today.month == 1 and today.day <= 10 and url == YEAR_URL.format(year=today.year):
            return f"the Treasury par-curve file for {today.year}"
        return None

    def parse(self, raw: bytes, filename: str) -> Parsed:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ParseError(NAME, filename, "ASCII/UTF-8 text", f"byte {e.start}") from e
        sep = csvtools.line_separator(text, NAME, filename)
        rows = _rows(text, filename)
        line, header = next(rows, (1, []))
        columns = _columns(header, filename)
        read = _read_fast(csvtools.after_lines(text, sep, line), sep, len(columns))
        dates, values = read or _read_exact(rows, columns, filename)
        series = [_series(k, lab) for k, lab in TENORS]
        if not len(dates) and _YEAR_FILE.search(filename):
            return Parsed(csvtools.long_frame([], values, dates[:, None]), series,
                          no_data="a Treasury year file with no business day yet (early January)")
        _check_end(dates, values, columns, filename, line + len(dates))
        frame = csvtools.long_frame([sid for _, sid in columns], values, dates[:, None])
        return Parsed(frame, series)
