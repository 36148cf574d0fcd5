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

Dates outside 1678-2261 (what datetime64[ns] holds) are a ParseError. Speed: the
observations are checked and converted in one go (:mod:`yenflow.sources.csvtools`);
only a file that fails those checks is read row by row, to name the first bad
row in the ParseError.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from yenflow.errors import FetchError, ParseError
from yenflow.http import scrub
from yenflow.sources import csvtools
from yenflow.sources.base import FileSpec, Parsed, RawFile, SeriesInfo, Source

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import numpy as np
    import pyarrow as pa

    from yenflow.http import Response

NAME = "fred"
API_URL = "https://api.stlouisfed.org/fred/series/observations"
CSV_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv?id={id}"
API_KEY_ENV = "FRED_API_KEY"
_DATE_LABELS = ("DATE", "observation_date")
_ID = re.compile(r"[A-Z0-9]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)
_MISSING = (".", "")
# the same shapes for the vectorised check (RE2, ASCII digits)
_FAST_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_FAST_VALUE = rf"{csvtools.NUMBER}|\.|"
PERIODS = {"monthly": 1, "quarterly": 3, "annual": 12}  # months per period

#: ids `fetch` downloads by default
DEFAULT_SERIES = (
    "DEXJPUS", "SOFR", "DFF", "DGS2", "DGS5", "DGS10", "DGS30", "DGS3MO", "DTB3",
    "IR3TIB01JPM156N", "IRSTCI01JPM156N", "CPIAUCSL", "SP500", "VIXCLS", "NIKKEI225",
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
    "DTB3": ("ust.bill.3m_discount", "3-month Treasury bill, secondary market (discount basis)", "%", "daily",
             "H.15 3-month T-bill secondary-market rate, % on a bank-discount basis "
             "(d = (100 − P)/100 × 360/t): below the bond-equivalent yield of the same bill "
             "(DGS3MO, ust.cmt.3m), e.g. 3.63 vs 3.73 on 2026-03-26."),
    "CPIAUCSL": ("cpi.us.all_items_sa", "US CPI-U, all items, seasonally adjusted", "index 1982-84=100",
                 "monthly", "BLS Consumer Price Index for All Urban Consumers, all items in U.S. city "
                 "average, seasonally adjusted, index 1982-84 = 100. October 2025 was not published "
                 "(federal shutdown): the month is missing, not zero."),
    "SP500": ("equity.sp500.close", "S&P 500 daily close", "index points", "daily",
              "S&P Dow Jones Indices S&P 500 close via FRED (FRED carries only the last 10 years); "
              "empty on US market holidays."),
    "VIXCLS": ("equity.vix.close", "CBOE Volatility Index (VIX) close", "index points", "daily",
               "CBOE VIX close via FRED: 30-day implied volatility of the S&P 500, in annualised "
               "percentage points. FRED shows values on some US holidays when SP500 is empty."),
    "NIKKEI225": ("equity.nikkei225.close_fred", "Nikkei 225 close (via FRED)", "index points", "daily",
                  "Nikkei Stock Average close as carried by FRED, on FRED's US-weekday calendar: "
                  "present on US holidays, empty on Tokyo holidays. The Nikkei's own file "
                  "(equity.nikkei225.close, source nikkei.stock_average) is preferred where both exist."),
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
                   "%", "daily", _H15 + (" For the 3-month bill this is the investment (coupon-equivalent) "
                                         "yield, above DTB3's discount rate." if code == "3MO" else ""))
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
class Table:
    """What one file holds: the FRED ids (one column each), the dates of its rows
    (datetime64[D], ascending), the values (rows x ids, NaN = missing) and each
    row's place in the file (CSV line or JSON observation number), for errors."""

    fred_ids: list[str]
    dates: np.ndarray
    values: np.ndarray
    rows: np.ndarray


def _table(fred_ids: list[str], dates: list[date], values: list[list[float | None]],
           rows: list[int]) -> Table:
    import numpy as np

    return Table(fred_ids, np.array(dates, dtype="datetime64[D]"),
                 np.array(values, dtype="float64").reshape(-1, len(fred_ids)),
                 np.array(rows, dtype=np.int64))


def _date(cell: str, filename: str, row: int | None) -> date:
    if _DATE.fullmatch(cell):
        try:
            day = date.fromisoformat(cell)
        except ValueError:
            pass
        else:
            return csvtools.within_years(day, NAME, filename, cell, row)
    raise ParseError(NAME, filename, "a date YYYY-MM-DD", cell, row)


def _value(cell: str, fred_id: str, filename: str, row: int | None) -> float | None:
    if cell in _MISSING:
        return None
    if not _NUMBER.fullmatch(cell):
        raise ParseError(NAME, filename, f"a number, '.' or an empty field for {fred_id}",
                         cell, row)
    return float(cell)


def _add_date(dates: list[date], day: date, filename: str, row: int) -> None:
    if dates and day <= dates[-1]:
        raise ParseError(NAME, filename, f"a date after {dates[-1]}", day.isoformat(), row)
    dates.append(day)


def _fast_dates(cells: pa.Array) -> np.ndarray | None:
    """datetime64[D] of cells matching ``_FAST_DATE``, if all are calendar dates in
    ascending order, else None."""
    days = csvtools.iso_days(cells)
    return None if days is None or (days[1:] <= days[:-1]).any() else days


def _header_ids(header: list[str], filename: str) -> list[str]:
    if len(header) < 2 or header[0] not in _DATE_LABELS:
        raise ParseError(NAME, filename, "a header 'DATE,<ID>' or 'observation_date,<ID>'",
                         ",".join(header), 1)
    ids = header[1:]
    if not all(_ID.fullmatch(i) for i in ids) or len(set(ids)) != len(ids):
        raise ParseError(NAME, filename, "distinct FRED series ids (A-Z, 0-9) after the date",
                         ",".join(header), 1)
    return ids


def _read_csv_exact(rows: Iterator[tuple[int, list[str]]], ids: list[str],
                    filename: str) -> Table:
    """The data rows one by one; ParseError at the first bad row."""
    dates: list[date] = []
    values: list[list[float | None]] = []
    lines: list[int] = []
    for row, cells in rows:
        width = len(ids) + 1
        if len(cells) != width:
            raise ParseError(NAME, filename, f"{width} fields", f"{len(cells)} fields", row)
        _add_date(dates, _date(cells[0], filename, row), filename, row)
        values.append([_value(c, i, filename, row) for c, i in zip(cells[1:], ids)])
        lines.append(row)
    return _table(ids, dates, values, lines)


def _read_csv_fast(body: str, sep: str, first_row: int, ids: list[str]) -> Table | None:
    """The data lines at once; None if any needs :func:`_read_csv_exact`."""
    import numpy as np

    if not csvtools.rows_match(body, _FAST_DATE + rf"(?:,(?:{_FAST_VALUE})){{{len(ids)}}}", sep):
        return None
    first, values = csvtools.read_block(body, len(ids) + 1, _MISSING)
    days = _fast_dates(first)
    if days is None:
        return None
    return Table(ids, days, values, np.arange(first_row, first_row + len(values)))


def parse_csv(raw: bytes, filename: str) -> Table:
    """The series of a fredgraph CSV (old or new header)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ParseError(NAME, filename, "ASCII/UTF-8 text", f"byte {e.start}") from e
    sep = csvtools.line_separator(text, NAME, filename)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        ids = _header_ids(next(reader, []), filename)
        table = None
        if text.endswith("\n"):  # else truncated: the exact reading says where
            body = csvtools.after_lines(text, sep, reader.line_num)
            table = _read_csv_fast(body, sep, reader.line_num + 1, ids)
        rows = ((reader.line_num, cells) for cells in reader)
        table = table or _read_csv_exact(rows, ids, filename)
    except csv.Error as e:  # e.g. a stray quote swallowing the rest of the file
        raise ParseError(NAME, filename, "comma-separated rows", str(e), reader.line_num) from e
    if text and not text.endswith("\n"):
        raise ParseError(NAME, filename, "the file to end with a line break (truncated?)",
                         row=reader.line_num)
    return table


def _id_from_filename(filename: str) -> str:
    stem = filename.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
    fred_id = stem.split("_", 1)[0]
    if not _ID.fullmatch(fred_id):
        raise ParseError(NAME, filename, "an API JSON file named '<FRED_ID>.json' "
                         "(e.g. DGS10.json)", stem)
    return fred_id


def _read_json_exact(obs: list, fred_id: str, filename: str) -> Table:
    """The observations one by one; ParseError at the first bad one."""
    dates: list[date] = []
    values: list[list[float | None]] = []
    for n, item in enumerate(obs, start=1):
        if not isinstance(item, dict) or not {"date", "value"} <= item.keys():
            raise ParseError(NAME, filename, "observations with 'date' and 'value'", item, n)
        _add_date(dates, _date(str(item["date"]), filename, n), filename, n)
        values.append([_value(str(item["value"]), fred_id, filename, n)])
    return _table([fred_id], dates, values, list(range(1, len(obs) + 1)))


def _read_json_fast(obs: list, fred_id: str) -> Table | None:
    """The observations at once; None if any needs :func:`_read_json_exact`."""
    import numpy as np
    import pyarrow as pa

    try:
        dates = [str(item["date"]) for item in obs]
        cells = [str(item["value"]) for item in obs]
    except (TypeError, KeyError):  # not an object with 'date' and 'value'
        return None
    if not (csvtools.all_match(dates, _FAST_DATE).all()
            and csvtools.all_match(cells, _FAST_VALUE).all()):
        return None
    days = _fast_dates(pa.array(dates, pa.string()))
    if days is None:
        return None
    values = csvtools.to_float(cells, _MISSING).reshape(-1, 1)
    return Table([fred_id], days, values, np.arange(1, len(obs) + 1))


def parse_json(raw: bytes, filename: str) -> Table:
    """The one series of a ``series/observations`` JSON response."""
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
    return _read_json_fast(obs, fred_id) or _read_json_exact(obs, fred_id, filename)


def _infer_frequency(dates: np.ndarray) -> str:
    """Frequency of ascending datetime64[D] dates (see the module docstring)."""
    import numpy as np

    if len(dates) < 2:
        return "daily"
    step = int(np.sort(np.diff(dates).astype(np.int64))[(len(dates) - 1) // 2])
    month = dates.astype("datetime64[M]")
    if (month.astype("datetime64[D]") == dates).all():
        months = set((month.astype(np.int64) % 12 + 1).tolist())
        if 28 <= step <= 31:
            return "monthly"
        if 89 <= step <= 92 and months <= {1, 4, 7, 10}:
            return "quarterly"
        if 365 <= step <= 366 and months == {1}:
            return "annual"
    return "weekly" if step == 7 else "daily"


def _period_end(start: np.ndarray, months: int) -> np.ndarray:
    """Last day of the ``months``-month periods starting on the (first-of-month) ``start``."""
    import numpy as np

    next_start = (start.astype("datetime64[M]") + months).astype("datetime64[D]")
    return next_start - np.timedelta64(1, "D")


def _check_first_of_month(table: Table, col: int, info: SeriesInfo, filename: str) -> None:
    """Monthly and longer periods are dated on their first day (rows with a value)."""
    import numpy as np

    days = table.dates
    first = days.astype("datetime64[M]").astype("datetime64[D]")
    bad = ~np.isnan(table.values[:, col]) & (days != first)
    if bad.any():
        i = int(np.argmax(bad))
        raise ParseError(NAME, filename, f"{info.frequency} data dated on the 1st",
                         str(days[i]), int(table.rows[i]))


def _frame(table: Table, filename: str) -> Parsed:
    """Tidy frame, series by series; periods get their last day as ``ref_date``."""
    import numpy as np

    infos: list[SeriesInfo] = []
    ends: list[np.ndarray] = []
    for col, fred_id in enumerate(table.fred_ids):
        info = KNOWN.get(fred_id) or generic_info(fred_id, _infer_frequency(table.dates))
        months = PERIODS.get(info.frequency)
        if months:
            _check_first_of_month(table, col, info, filename)
        ends.append(_period_end(table.dates, months) if months else table.dates)
        infos.append(info)
    extra: dict[str, np.ndarray] = {}
    if any(PERIODS.get(i.frequency) for i in infos):
        extra["period_start"] = table.dates[:, None].astype("datetime64[ns]")
    ref_date = np.column_stack(ends).astype("datetime64[ns]")
    frame = csvtools.long_frame([i.id for i in infos], table.values, ref_date, order="F",
                                **extra)
    return Parsed(frame, infos)


class FredSeries(Source):
    """FRED daily and monthly series (H.10, H.15, FRBNY, OECD MEI) via fredgraph or the API."""

    name = NAME
    title = "FRED series (USD/JPY, SOFR, EFFR, UST CMT and bills, Japan OECD rates, US CPI, S&P 500, VIX, Nikkei)"
    publisher = "FRED (Federal Reserve Bank of St. Louis)"
    # 2: CPIAUCSL, SP500, VIXCLS and NIKKEI225 get catalog ids (were fred.<ID>)
    version = 2
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

    stall_hint = ("FRED's keyless download (fred.stlouisfed.org) stalls scripted clients at times: set FRED_API_KEY "
                  "(free at fredaccount.stlouisfed.org/apikeys) to use the FRED API instead")

    def fetch(self, get: Callable[..., Response | None], today: date | None = None) -> Iterator[RawFile]:
        """API JSON when ``FRED_API_KEY`` is set, else the keyless fredgraph CSV;
        a series that cannot be fetched does not stop the others."""
        from yenflow.config import fred_api_key

        api_key = fred_api_key()
        for fred_id in self.series:
            try:
                if api_key:
                    params = {"series_id": fred_id, "api_key": api_key, "file_type": "json"}
                    resp, name = get(API_URL, params=params), f"{fred_id}.json"
                else:
                    resp, name = get(CSV_URL.format(id=fred_id)), f"{fred_id}.csv"
            except FetchError:
                continue  # recorded by the pipeline's get
            if resp is not None:
                yield RawFile(name, resp.content, scrub(resp.url), resp.etag, resp.last_modified)

    def urls(self, today: date | None = None) -> list[str]:
        from yenflow.config import fred_api_key

        if fred_api_key():
            return [f"{API_URL}?series_id={i}&api_key=***&file_type=json" for i in self.series]
        return [CSV_URL.format(id=i) for i in self.series]

    def parse(self, raw: bytes, filename: str) -> Parsed:
        if filename.lower().endswith(".json") or raw.lstrip()[:1] == b"{":
            return _frame(parse_json(raw, filename), filename)
        return _frame(parse_csv(raw, filename), filename)
