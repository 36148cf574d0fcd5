"""FRED series (Federal Reserve Bank of St. Louis): fredgraph CSV and API JSON.

Conventions
-----------
* ``value``: as published by FRED, in the unit of the catalog row (``%`` for
  rates and yields, ``JPY per USD`` for DEXJPUS, percentage points for
  T10Y2Y). Missing markers (``.`` in the old CSV and the API, an empty field in
  the new CSV) are dropped.
* ``ref_date``: the observation date for daily series. FRED dates monthly,
  quarterly and annual data on the period's **first** day; here ``ref_date`` is
  the period's **last** day and ``period_start`` its first day.
* FRED ids map to yenflow ids through :data:`KNOWN`; any other id becomes
  ``fred.<ID>`` with unit ``"see FRED"`` and a frequency inferred from the
  dates (first-of-month dates ~1, 3 or 12 months apart: monthly, quarterly,
  annual; a 7-day step: weekly; otherwise daily, dated as given).

Accepted files: fredgraph CSV, old (``DATE,<ID>``, ``.`` = missing) or new
(``observation_date,<ID>``, empty = missing), one or more id columns, the ids
read from the header; and the API's ``series/observations`` JSON
(``{"observations":[{"date":…,"value":…}]}``). That JSON does not carry the
series id, so it is taken from the **file name**: ``<ID>.json`` or
``<ID>_<anything>.json`` (``fetch`` names its files that way). The JSON must be
untransformed (``units`` = ``lin``) and complete (``count`` = number of
observations). Files end with a line break; one that does not is truncated.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from yenflow.errors import ParseError
from yenflow.http import scrub
from yenflow.sources.base import FileSpec, Parsed, RawFile, SeriesInfo, Source

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pandas as pd

    from yenflow.http import Response

NAME = "fred"
API_URL = "https://api.stlouisfed.org/fred/series/observations"
CSV_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv?id={id}"
API_KEY_ENV = "FRED_API_KEY"
_DATE_LABELS = ("DATE", "observation_date")
_ID = re.compile(r"[A-Z0-9]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_MISSING = (".", "")
PERIODS = {"monthly": 1, "quarterly": 3, "annual": 12}  # months per period

#: ids `fetch` downloads by default
DEFAULT_SERIES = (
    "DEXJPUS", "SOFR", "DFF", "DGS2", "DGS5", "DGS10", "DGS30", "DGS3MO",
    "IR3TIB01JPM156N", "IRSTCI01JPM156N",
)
_H15 = "H.15 constant-maturity Treasury yield, bond-equivalent basis."
_OECD = "OECD Main Economic Indicators via FRED; monthly average."
# FRED id -> (yenflow id, name, unit, frequency, description)
_CATALOG = {
    "DEXJPUS": ("fx.usdjpy", "USD/JPY noon buying rate in New York", "JPY per USD", "daily",
                "Federal Reserve H.10: noon buying rate in New York, JPY per USD."),
    "SOFR": ("rate.sofr", "Secured Overnight Financing Rate", "%", "daily",
             "FRBNY SOFR, % ACT/360, business days."),
    "DFF": ("rate.effr", "Effective federal funds rate", "%", "daily",
            "FRBNY EFFR, % ACT/360; every calendar day (weekends carry Friday's rate)."),
    "DTB3": ("ust.bill.3m_discount", "3-month Treasury bill, secondary market", "%", "daily",
             "H.15 3-month T-bill secondary-market rate, % on a bank-discount basis."),
    "T10Y2Y": ("ust.cmt.10y2y", "10Y minus 2Y Treasury CMT spread", "percentage points",
               "daily", "DGS10 - DGS2 as published by FRED."),
    "IR3TIB01JPM156N": ("rate.jpy.3m_interbank", "Japan 3-month interbank rate", "%",
                        "monthly", _OECD),
    "IRSTCI01JPM156N": ("rate.jpy.call_monthly", "Japan call money rate (immediate)", "%",
                        "monthly", _OECD),
    "IRLTLT01JPM156N": ("jgb.10y_oecd", "Japan 10-year government bond yield (OECD)", "%",
                        "monthly", _OECD),
}
_CATALOG |= {
    f"DGS{code}": (f"ust.cmt.{tenor}", f"US Treasury {tenor.upper()} constant-maturity yield",
                   "%", "daily", _H15)
    for code, tenor in (("1MO", "1m"), ("3MO", "3m"), ("6MO", "6m"), ("1", "1y"), ("2", "2y"),
                        ("3", "3y"), ("5", "5y"), ("7", "7y"), ("10", "10y"), ("20", "20y"),
                        ("30", "30y"))
}
#: FRED id -> catalog row
KNOWN = {
    fred_id: SeriesInfo(sid, name, unit, freq, desc, notes=f"FRED series {fred_id}.")
    for fred_id, (sid, name, unit, freq, desc) in _CATALOG.items()
}


def generic_info(fred_id: str, frequency: str) -> SeriesInfo:
    return SeriesInfo(f"fred.{fred_id}", f"FRED series {fred_id}", "see FRED", frequency,
                      f"FRED series {fred_id}, as published; not in yenflow's FRED catalog.",
                      notes="frequency inferred from the observation dates")


@dataclass
class Column:
    """One FRED series read from a file; ``rows`` are the file rows (CSV line or
    JSON observation number) of each date, for error messages."""

    fred_id: str
    dates: list[date] = field(default_factory=list)
    values: list[float | None] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


def _date(cell: str, filename: str, row: int | None) -> date:
    if _DATE.fullmatch(cell):
        try:
            return date.fromisoformat(cell)
        except ValueError:
            pass
    raise ParseError(NAME, filename, "a date YYYY-MM-DD", cell, row)


def _value(cell: str, fred_id: str, filename: str, row: int | None) -> float | None:
    if cell in _MISSING:
        return None
    if not _NUMBER.fullmatch(cell):
        raise ParseError(NAME, filename, f"a number, '.' or an empty field for {fred_id}",
                         cell, row)
    return float(cell)


def _add_date(col: Column, day: date, filename: str, row: int) -> None:
    if col.dates and day <= col.dates[-1]:
        raise ParseError(NAME, filename, f"a date after {col.dates[-1]}", day.isoformat(), row)
    col.dates.append(day)
    col.rows.append(row)


def _add_row(columns: list[Column], cells: list[str], width: int, filename: str, row: int) -> None:
    if len(cells) != width:
        raise ParseError(NAME, filename, f"{width} fields", f"{len(cells)} fields", row)
    day = _date(cells[0], filename, row)
    for k, col in enumerate(columns):
        _add_date(col, day, filename, row)
        col.values.append(_value(cells[k + 1], col.fred_id, filename, row))


def _header_ids(header: list[str], filename: str) -> list[str]:
    if len(header) < 2 or header[0] not in _DATE_LABELS:
        raise ParseError(NAME, filename, "a header 'DATE,<ID>' or 'observation_date,<ID>'",
                         ",".join(header), 1)
    ids = header[1:]
    if not all(_ID.fullmatch(i) for i in ids) or len(set(ids)) != len(ids):
        raise ParseError(NAME, filename, "distinct FRED series ids (A-Z, 0-9) after the date",
                         ",".join(header), 1)
    return ids


def _check_line_breaks(text: str, filename: str) -> None:
    """One line-break style per file: a stray CR or LF is a damaged row, not data."""
    first = text.find("\n")
    crlf = first > 0 and text[first - 1] == "\r"
    stray = re.search(r"\r(?!\n)|(?<!\r)\n" if crlf else r"\r", text)
    if stray:
        raise ParseError(NAME, filename, f"{'CRLF' if crlf else 'LF'} line breaks throughout",
                         "a stray line break", text.count("\n", 0, stray.start()) + 1)


def parse_csv(raw: bytes, filename: str) -> list[Column]:
    """Columns of a fredgraph CSV (old or new header)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ParseError(NAME, filename, "ASCII/UTF-8 text", f"byte {e.start}") from e
    _check_line_breaks(text, filename)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        columns = [Column(fred_id) for fred_id in _header_ids(header, filename)]
        for cells in reader:
            _add_row(columns, cells, len(header), filename, reader.line_num)
    except csv.Error as e:  # e.g. a stray quote swallowing the rest of the file
        raise ParseError(NAME, filename, "comma-separated rows", str(e), reader.line_num) from e
    if text and not text.endswith("\n"):
        raise ParseError(NAME, filename, "the file to end with a line break (truncated?)",
                         row=reader.line_num)
    return columns


def _id_from_filename(filename: str) -> str:
    stem = filename.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
    fred_id = stem.split("_", 1)[0]
    if not _ID.fullmatch(fred_id):
        raise ParseError(NAME, filename, "an API JSON file named '<FRED_ID>.json' "
                         "(e.g. DGS10.json)", stem)
    return fred_id


def parse_json(raw: bytes, filename: str) -> list[Column]:
    """The one column of a ``series/observations`` JSON response."""
    import json

    fred_id = _id_from_filename(filename)
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", None)
        raise ParseError(NAME, filename, "FRED API JSON", str(e), line) from e
    obs = doc.get("observations") if isinstance(doc, dict) else None
    if not isinstance(obs, list):
        raise ParseError(NAME, filename, "a JSON object with an 'observations' list")
    if doc.get("units", "lin") != "lin":
        raise ParseError(NAME, filename, "untransformed data (units=lin)", doc["units"])
    count, offset = doc.get("count", len(obs)), doc.get("offset", 0)
    if not (isinstance(count, int) and isinstance(offset, int)) or count != offset + len(obs):
        raise ParseError(NAME, filename, f"all {count} observations in one response",
                         f"{len(obs)} from offset {offset}")
    col = Column(fred_id)
    for n, item in enumerate(obs, start=1):
        if not isinstance(item, dict) or not {"date", "value"} <= item.keys():
            raise ParseError(NAME, filename, "observations with 'date' and 'value'", item, n)
        _add_date(col, _date(str(item["date"]), filename, n), filename, n)
        col.values.append(_value(str(item["value"]), fred_id, filename, n))
    return [col]


def _infer_frequency(dates: list[date]) -> str:
    if len(dates) < 2:
        return "daily"
    gaps = sorted((b - a).days for a, b in zip(dates, dates[1:]))
    step = gaps[len(gaps) // 2]
    if all(d.day == 1 for d in dates):
        months = {d.month for d in dates}
        if 28 <= step <= 31:
            return "monthly"
        if 89 <= step <= 92 and months <= {1, 4, 7, 10}:
            return "quarterly"
        if 365 <= step <= 366 and months == {1}:
            return "annual"
    return "weekly" if step == 7 else "daily"


def _period_end(start: date, months: int) -> date:
    m = start.month - 1 + months
    return date(start.year + m // 12, m % 12 + 1, 1) - timedelta(days=1)


def _frame(columns: list[Column], filename: str) -> Parsed:
    import numpy as np
    import pandas as pd

    ids: list[str] = []
    ends: list[date] = []
    starts: list[date] = []
    values: list[float] = []
    infos: list[SeriesInfo] = []
    for col in columns:
        info = KNOWN.get(col.fred_id) or generic_info(col.fred_id, _infer_frequency(col.dates))
        infos.append(info)
        months = PERIODS.get(info.frequency)
        for day, v, row in zip(col.dates, col.values, col.rows):
            if v is None:
                continue
            if months and day.day != 1:
                raise ParseError(NAME, filename, f"{info.frequency} data dated on the 1st",
                                 day.isoformat(), row)
            ids.append(info.id)
            starts.append(day)
            ends.append(_period_end(day, months) if months else day)
            values.append(v)
    frame = pd.DataFrame({
        "series_id": pd.Series(ids, dtype=str),
        "ref_date": np.array(ends, dtype="datetime64[ns]"),
        "value": np.array(values, dtype="float64"),
    })
    if any(PERIODS.get(i.frequency) for i in infos):
        frame["period_start"] = np.array(starts, dtype="datetime64[ns]")
    return Parsed(frame, infos)


class FredSeries(Source):
    """FRED daily and monthly series (H.10, H.15, FRBNY, OECD MEI) via fredgraph or the API."""

    name = NAME
    title = "FRED series (USD/JPY, SOFR, EFFR, UST CMT, Japan OECD rates)"
    publisher = "FRED (Federal Reserve Bank of St. Louis)"
    # H.10 (DEXJPUS) is posted weekly on Mondays, so a week-old last value is normal
    max_age_days = 10
    # One spec per default id for the official and mirror downloads; the folder
    # globs sit on the first spec only so that each local file is read once.
    files = tuple(
        FileSpec(fred_id, CSV_URL.format(id=fred_id), f"fred/{fred_id}.csv",
                 ("fred/*.csv", "fred/**/*.csv") if k == 0 else ())
        for k, fred_id in enumerate(DEFAULT_SERIES)
    )

    def __init__(self, series: tuple[str, ...] = DEFAULT_SERIES) -> None:
        self.series = series

    def fetch(self, get: Callable[..., Response | None]) -> Iterator[RawFile]:
        """API JSON when ``FRED_API_KEY`` is set, else the keyless fredgraph CSV."""
        api_key = os.environ.get(API_KEY_ENV)
        for fred_id in self.series:
            if api_key:
                params = {"series_id": fred_id, "api_key": api_key, "file_type": "json"}
                resp, name = get(API_URL, params=params), f"{fred_id}.json"
            else:
                resp, name = get(CSV_URL.format(id=fred_id)), f"{fred_id}.csv"
            if resp is not None:
                yield RawFile(name, resp.content, scrub(resp.url), resp.etag, resp.last_modified)

    def parse(self, raw: bytes, filename: str) -> Parsed:
        if filename.lower().endswith(".json") or raw.lstrip()[:1] == b"{":
            return _frame(parse_json(raw, filename), filename)
        return _frame(parse_csv(raw, filename), filename)
