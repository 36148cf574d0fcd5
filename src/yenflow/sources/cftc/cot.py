"""CFTC Commitments of Traders: Japanese yen futures positioning.

Two sources, both for the CME yen future (CFTC contract market code
``097741``, ``JAPANESE YEN - CHICAGO MERCANTILE EXCHANGE``, one contract =
JPY 12,500,000), futures only:

* :class:`CftcTff` (``cftc.tff``): Traders in Financial Futures, from the
  annual ``fut_fin_txt_YYYY.zip`` (member ``FinFutYY.txt``) or the bare text
  file. Series ``cot.jpy.tff.{dealer,asset_mgr,lev_funds,other_rept,nonrept}
  .{long,short,net}`` and ``cot.jpy.tff.open_interest``.
* :class:`CftcLegacy` (``cftc.legacy``): legacy report, from the Public
  Reporting (Socrata) API JSON of dataset ``6dca-aqww`` or the annual
  ``annual.txt`` (optionally inside ``deacotYYYY.zip``). Series
  ``cot.jpy.legacy.{noncomm,comm,nonrept}.{long,short,net}`` and
  ``cot.jpy.legacy.open_interest``.

Year files (text, zipped or not) must end as the CFTC's do: with a line break
after a complete last row, and with the yen rows reaching back to the first
report of the year (the first Tuesday, so by 8 January, while the second
report is never earlier than the 8th; the rows of a market run newest first, so
a cut inside the yen block drops its oldest weeks): otherwise the file was cut
and is refused. Counts are ASCII digits only.

Conventions: every value is a number of contracts. ``net = long − short``
(positive = net long yen); spreading positions are not part of either leg.
``ref_date`` is the report date (positions as of Tuesday, or Monday in a
week whose Tuesday is a holiday). ``released`` is the Friday of that week,
when the CFTC publishes (15:30 ET); delays from holidays and government
shutdowns are *not* modelled. Missing markers (``.``, empty...) drop the
observation. Columns are located by label and must sit at their known
positions; any other layout is a :class:`~yenflow.errors.ParseError`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from yenflow.errors import FetchError, ParseError
from yenflow.sources.base import FileSpec, Parsed, RawFile, SeriesInfo, Source
from yenflow.sources import zipsafe

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pandas as pd

    from yenflow.http import Response

JPY_CODE = "097741"
JPY_PER_CONTRACT = 12_500_000
TFF_ZIP_URL = "https://www.cftc.gov/files/dea/history/fut_fin_txt_{year}.zip"
SOCRATA_URL = "https://publicreporting.cftc.gov/resource/6dca-aqww.json"  # legacy, futures only
MISSING = frozenset({"", ".", "-", "--", "―"})
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T00:00:00(?:\.0+)?)?", re.ASCII)
_WHOLE = re.compile(r"\d+", re.ASCII)

TIMING_NOTE = (
    "ref_date = report date (Tuesday positions; Monday when Tuesday is a holiday); "
    "released = Friday of that week (CFTC publishes 15:30 ET); holiday and shutdown "
    "delays are not modelled."
)

Column = tuple[str, int]  # (header label, 0-based position)


@dataclass(frozen=True)
class Layout:
    """Where the fields sit in one CFTC text layout."""

    report_date: Column
    yymmdd: Column
    code: Column
    units: Column
    futonly: Column | None
    values: dict[str, Column]  # 'open_interest', '<group>.long', '<group>.short'


@dataclass(frozen=True)
class Week:
    """One JPY report row: its row number, report date and raw values."""

    row: int
    report_date: date
    values: dict[str, float | None]


TFF_GROUPS = {
    "dealer": ("Dealer", "Dealer/Intermediary"),
    "asset_mgr": ("Asset_Mgr", "Asset Manager/Institutional"),
    "lev_funds": ("Lev_Money", "Leveraged Funds"),
    "other_rept": ("Other_Rept", "Other Reportables"),
    "nonrept": ("NonRept", "Nonreportable"),
}
_TFF_LEGS = {"dealer": 8, "asset_mgr": 11, "lev_funds": 14, "other_rept": 17, "nonrept": 22}
TFF_LAYOUT = Layout(
    report_date=("Report_Date_as_YYYY-MM-DD", 2),
    yymmdd=("As_of_Date_In_Form_YYMMDD", 1),
    code=("CFTC_Contract_Market_Code", 3),
    units=("Contract_Units", 81),
    futonly=("FutOnly_or_Combined", 86),
    values={
        "open_interest": ("Open_Interest_All", 7),
        **{
            f"{g}.{leg}": (f"{TFF_GROUPS[g][0]}_Positions_{leg.title()}_All", pos + i)
            for g, pos in _TFF_LEGS.items()
            for i, leg in enumerate(("long", "short"))
        },
    },
)

LEGACY_GROUPS = {
    "noncomm": ("Noncommercial", "Non-commercial"),
    "comm": ("Commercial", "Commercial"),
    "nonrept": ("Nonreportable", "Nonreportable"),
}
_LEGACY_LEGS = {"noncomm": 8, "comm": 11, "nonrept": 15}
LEGACY_LAYOUT = Layout(
    report_date=("As of Date in Form YYYY-MM-DD", 2),
    yymmdd=("As of Date in Form YYMMDD", 1),
    code=("CFTC Contract Market Code", 3),
    units=("Contract Units", 125),
    futonly=None,
    values={
        "open_interest": ("Open Interest (All)", 7),
        **{
            f"{g}.{leg}": (f"{LEGACY_GROUPS[g][0]} Positions-{leg.title()} (All)", pos + i)
            for g, pos in _LEGACY_LEGS.items()
            for i, leg in enumerate(("long", "short"))
        },
    },
)
#: Socrata field names of dataset 6dca-aqww (lower case; `_all` = all crop years)
LEGACY_API_FIELDS = {
    "open_interest": "open_interest_all",
    **{
        f"{g}.{leg}": f"{g}_positions_{leg}_all"
        for g in LEGACY_GROUPS
        for leg in ("long", "short")
    },
}
_API_DATE = "report_date_as_yyyy_mm_dd"
_API_CODE = "cftc_contract_market_code"
_API_UNITS = "contract_units"
_API_FUTONLY = "futonly_or_combined"


# --------------------------------------------------------------------- sources


class CftcTff(Source):
    """CFTC Traders in Financial Futures (futures only), Japanese yen 097741."""

    name: ClassVar[str] = "cftc.tff"
    title: ClassVar[str] = "CFTC Traders in Financial Futures (futures only): Japanese yen"
    publisher: ClassVar[str] = "U.S. Commodity Futures Trading Commission (CFTC)"
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec(
            key="tff_futures_only",
            url=None,  # year zips; fetch() builds the URLs
            # the newest year file in the ../shared/data layout (a mirror serves one vintage)
            mirror_path="cftc_cot/tff_futures_only_2026_to-2026-08-04/FinFutYY.txt",
            local_globs=("cftc_cot/fut_fin_txt_*.zip", "cftc_cot/tff_futures_only*/FinFutYY.txt"),
        ),
    )
    #: Friday release of Tuesday data: the newest week is 10 days old just
    #: before the next release; allow a few days of holiday delay.
    max_age_days: ClassVar[int] = 14

    def fetch(
        self, get: "Callable[..., Response | None]", today: date | None = None
    ) -> "Iterator[RawFile]":
        """Download this year's zip (and last year's too in January); each year on its own."""
        for year in tff_years(today or date.today()):
            try:
                resp = get(TFF_ZIP_URL.format(year=year))
            except FetchError:
                continue  # recorded by the pipeline's get (or not yet published)
            if resp is not None:
                name = f"fut_fin_txt_{year}.zip"
                yield RawFile(name, resp.content, resp.url, resp.etag, resp.last_modified)

    def urls(self, today: date | None = None) -> list[str]:
        return [TFF_ZIP_URL.format(year=y) for y in tff_years(today or date.today())]

    def pending(self, url: str, today: date) -> str | None:
        """The new year's zip does not exist (or is not a valid ZIP) before the
        first release of the year, a Friday in the first days of January."""
        if today.month == 1 and today.day <= 15 and url == TFF_ZIP_URL.format(year=today.year):
            return f"the CFTC TFF file for {today.year}"
        return None

    def parse(self, raw: bytes, filename: str) -> Parsed:
        if zipsafe.is_zip(raw, filename):
            member, raw = zipsafe.read_member(
                raw, filename, source=self.name, expected="FinFutYY.txt"
            )
            filename = f"{filename}!{member}"
        weeks = read_table(raw, filename, self.name, TFF_LAYOUT)
        frame = build_frame(weeks, filename, self.name, "cot.jpy.tff", TFF_GROUPS)
        return Parsed(frame, list(TFF_SERIES))


class CftcLegacy(Source):
    """CFTC legacy Commitments of Traders (futures only), Japanese yen 097741."""

    name: ClassVar[str] = "cftc.legacy"
    title: ClassVar[str] = "CFTC Commitments of Traders, legacy (futures only): Japanese yen"
    publisher: ClassVar[str] = "U.S. Commodity Futures Trading Commission (CFTC)"
    files: ClassVar[tuple[FileSpec, ...]] = (
        FileSpec(
            key="legacy_futures_only",
            url=None,  # Socrata query; fetch() builds it
            mirror_path="cftc_cot/api_legacy_futures_only/cftc-cot-jpy-legacy-futures-only.json",
            local_globs=(
                "cftc_cot/api_legacy_futures_only/*.json",
                "cftc_cot/legacy_futures_only*/annual.txt",
            ),
        ),
    )
    max_age_days: ClassVar[int] = 14

    def fetch(self, get: "Callable[..., Response | None]", today: date | None = None) -> "Iterator[RawFile]":
        """Query the Public Reporting API for the whole JPY history (~2,000 rows)."""
        resp = get(SOCRATA_URL, params=socrata_params())
        if resp is not None:
            name = "cftc-cot-jpy-legacy-futures-only.json"
            yield RawFile(name, resp.content, resp.url, resp.etag, resp.last_modified)

    def urls(self, today: date | None = None) -> list[str]:
        return [SOCRATA_URL + "?$where=cftc_contract_market_code='097741'…"]

    def parse(self, raw: bytes, filename: str) -> Parsed:
        if zipsafe.is_zip(raw, filename):
            member, raw = zipsafe.read_member(
                raw, filename, source=self.name, expected="annual.txt"
            )
            filename = f"{filename}!{member}"
        if raw[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):  # JSON, maybe BOM
            weeks = read_api_json(raw, filename, self.name)
        else:
            weeks = read_table(raw, filename, self.name, LEGACY_LAYOUT)
        frame = build_frame(weeks, filename, self.name, "cot.jpy.legacy", LEGACY_GROUPS)
        return Parsed(frame, list(LEGACY_SERIES))


def tff_years(today: date) -> list[int]:
    """Year files to download, oldest first: last year's too in January."""
    return [today.year - 1, today.year] if today.month == 1 else [today.year]


def socrata_params() -> dict[str, str]:
    """SoQL for every JPY week of the legacy futures-only dataset."""
    fields = [_API_DATE, _API_CODE, _API_UNITS, _API_FUTONLY, *LEGACY_API_FIELDS.values()]
    return {
        "$select": ",".join(fields),
        "$where": f"{_API_CODE}='{JPY_CODE}'",
        "$order": _API_DATE,
        "$limit": "100000",
    }


def release_date(report_date: date) -> date:
    """The Friday of the report week (Tuesday + 3 days, Monday + 4 days)."""
    return report_date + timedelta(days=(4 - report_date.weekday()) % 7)


# --------------------------------------------------------------------- text files


def read_table(raw: bytes, filename: str, source: str, layout: Layout) -> list[Week]:
    """JPY rows of a CFTC comma-separated year file (quoted header, CRLF or LF)."""
    text = raw.decode("utf-8-sig", errors="replace")  # ASCII in practice
    reader = csv.reader(io.StringIO(text, newline=""))
    weeks: list[Week] = []
    try:
        header = next(reader, None)
        if header is None:
            raise ParseError(source, filename, "a quoted header row", found="an empty file", row=1)
        check_header(header, layout, filename, source)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ParseError(
                    source, filename, f"{len(header)} fields like the header",
                    found=f"{len(row)} fields", row=reader.line_num,
                )
            if row[layout.code[1]].strip() == JPY_CODE:
                weeks.append(text_week(row, reader.line_num, layout, filename, source))
    except csv.Error as e:
        raise ParseError(
            source, filename, "well-formed CSV", found=str(e), row=reader.line_num
        ) from e
    if not text.endswith("\n"):
        raise ParseError(source, filename, "the file to end with a line break (truncated?)",
                         row=reader.line_num)
    _check_whole_year(weeks, filename, source)
    return weeks


def _check_whole_year(weeks: list[Week], filename: str, source: str) -> None:
    """A year file's yen rows start with the year's first report (see the module doc)."""
    if not weeks:
        return
    oldest = min(weeks, key=lambda w: w.report_date)
    if oldest.report_date.month != 1 or oldest.report_date.day > 8:
        raise ParseError(source, filename, "yen rows back to the first report of the year (by 8 "
                         "January; a year file cut inside the yen block?)",
                         oldest.report_date.isoformat(), oldest.row)


def check_header(header: list[str], layout: Layout, filename: str, source: str) -> None:
    """Every label we read must be at its known position (labels are stripped)."""
    labels = [h.strip() for h in header]
    columns = [layout.report_date, layout.yymmdd, layout.code, layout.units]
    columns += layout.values.values()
    if layout.futonly is not None:
        columns.append(layout.futonly)
    for label, pos in sorted(columns, key=lambda c: c[1]):  # report the leftmost problem
        here = labels[pos] if pos < len(labels) else None
        if here != label:
            moved = f"; it is at column {labels.index(label) + 1}" if label in labels else ""
            raise ParseError(
                source, filename, f"column {pos + 1} labelled {label!r}{moved}", found=here, row=1
            )


def text_week(row: list[str], line: int, layout: Layout, filename: str, source: str) -> Week:
    def cell(col: Column) -> str:
        return row[col[1]].strip()

    day = parse_date(cell(layout.report_date), layout.report_date[0], line, filename, source)
    if cell(layout.yymmdd) != day.strftime("%y%m%d"):
        raise ParseError(
            source, filename, f"{layout.yymmdd[0]!r} matching {day.isoformat()}",
            found=cell(layout.yymmdd), row=line,
        )
    check_units(cell(layout.units), line, filename, source)
    if layout.futonly is not None and cell(layout.futonly) != "FutOnly":
        raise ParseError(
            source, filename, "futures-only rows ('FutOnly'); this looks like a combined file",
            found=cell(layout.futonly), row=line,
        )
    values = {
        key: parse_count(row[pos], label, line, filename, source)
        for key, (label, pos) in layout.values.items()
    }
    return Week(line, day, values)


# --------------------------------------------------------------------- Socrata JSON


def read_api_json(raw: bytes, filename: str, source: str) -> list[Week]:
    """JPY records of a Socrata response (array of objects, numbers as strings).

    Socrata leaves out fields whose value is null: a position field missing
    from some records is a missing value, one missing from every JPY record
    is a renamed field (ParseError). ``row`` in errors is the 1-based record
    number in the array.
    """
    try:
        records = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        line = getattr(e, "lineno", None)  # records are one per line in Socrata output
        raise ParseError(source, filename, "a JSON array of records", found=str(e), row=line) from e
    if isinstance(records, dict):  # Socrata error bodies: {"error": true, "message": ...}
        found = records.get("message", records)
        raise ParseError(source, filename, "a JSON array of records", found=found)
    if not isinstance(records, list):
        raise ParseError(source, filename, "a JSON array of records", found=type(records).__name__)
    jpy = []
    for n, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            raise ParseError(source, filename, "a JSON object", found=rec, row=n)
        if str(field(rec, _API_CODE, n, filename, source)).strip() == JPY_CODE:
            jpy.append((n, rec))
    for name in LEGACY_API_FIELDS.values():  # Socrata omits null fields, so a field
        if jpy and not any(name in rec for _, rec in jpy):  # absent everywhere was renamed
            raise ParseError(
                source, filename, f"a field {name!r} in the JPY records",
                found="no such field", row=jpy[0][0],
            )
    return [api_week(rec, n, filename, source) for n, rec in jpy]


def api_week(rec: dict[str, Any], n: int, filename: str, source: str) -> Week:
    def text(key: str) -> str:
        return str(field(rec, key, n, filename, source)).strip()

    day = parse_date(text(_API_DATE), _API_DATE, n, filename, source)
    check_units(text(_API_UNITS), n, filename, source)
    if text(_API_FUTONLY) != "FutOnly":
        raise ParseError(
            source, filename, f"{_API_FUTONLY!r} = 'FutOnly' (dataset 6dca-aqww)",
            found=text(_API_FUTONLY), row=n,
        )
    values = {
        key: parse_count(rec.get(name), name, n, filename, source)
        for key, name in LEGACY_API_FIELDS.items()
    }
    return Week(n, day, values)


def field(rec: dict[str, Any], key: str, n: int, filename: str, source: str) -> Any:
    if key not in rec:
        raise ParseError(source, filename, f"a field {key!r}", found="no such field", row=n)
    return rec[key]


# --------------------------------------------------------------------- cells


def parse_date(text: str, label: str, row: int, filename: str, source: str) -> date:
    m = _ISO_DATE.fullmatch(text)
    try:
        if m is None:
            raise ValueError(text)
        return date.fromisoformat(m.group(1))
    except ValueError:
        raise ParseError(
            source, filename, f"a date YYYY-MM-DD in {label!r}", found=text, row=row
        ) from None


def parse_count(value: object, label: str, row: int, filename: str, source: str) -> float | None:
    """A non-negative whole number of contracts; None for a missing marker."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return float(value)
    text = str(value).strip()
    if text in MISSING:
        return None
    if _WHOLE.fullmatch(text):
        return float(int(text))
    raise ParseError(
        source, filename, f"a whole number of contracts in {label!r}", found=value, row=row
    )


def check_units(text: str, row: int, filename: str, source: str) -> None:
    """The notional analytics assume JPY 12,500,000 per contract: insist on it."""
    if "JPY 12,500,000" not in text:
        raise ParseError(
            source, filename, "contract units '(CONTRACTS OF JPY 12,500,000)'", found=text, row=row
        )


# --------------------------------------------------------------------- frame


def build_frame(
    weeks: list[Week], filename: str, source: str, prefix: str, groups: dict[str, tuple[str, str]]
) -> "pd.DataFrame":
    """Tidy observations: long, short, net per group and open interest, per week."""
    import numpy as np
    import pandas as pd

    if not weeks:
        raise ParseError(
            source, filename, f"at least one row for contract {JPY_CODE} (Japanese yen)"
        )
    seen: dict[date, int] = {}
    ids, days, values = [], [], []
    for w in weeks:
        if w.report_date in seen:
            raise ParseError(
                source, filename, f"one row per report date (also at row {seen[w.report_date]})",
                found=w.report_date.isoformat(), row=w.row,
            )
        seen[w.report_date] = w.row
        for sid, value in week_values(w, prefix, groups):
            ids.append(sid)
            days.append(w.report_date)
            values.append(value)
    ref = np.array(days, dtype="datetime64[D]")
    released = np.array([release_date(d) for d in days], dtype="datetime64[D]")
    frame = pd.DataFrame(
        {
            "series_id": pd.Series(ids, dtype=object),
            "ref_date": ref.astype("datetime64[ns]"),
            "value": np.array(values, dtype="float64"),
            "released": released.astype("datetime64[ns]"),
        }
    )
    return frame.sort_values(["series_id", "ref_date"], ignore_index=True)


def week_values(
    w: Week, prefix: str, groups: dict[str, tuple[str, str]]
) -> "Iterator[tuple[str, float]]":
    if w.values["open_interest"] is not None:
        yield f"{prefix}.open_interest", w.values["open_interest"]
    for g in groups:
        long, short = w.values[f"{g}.long"], w.values[f"{g}.short"]
        if long is not None:
            yield f"{prefix}.{g}.long", long
        if short is not None:
            yield f"{prefix}.{g}.short", short
        if long is not None and short is not None:
            yield f"{prefix}.{g}.net", long - short


# --------------------------------------------------------------------- catalog


def catalog(prefix: str, report: str, groups: dict[str, tuple[str, str]]) -> list[SeriesInfo]:
    """SeriesInfo rows for one report: open interest, then long/short/net per group."""
    where = "CME Japanese yen futures (CFTC code 097741, JPY 12,500,000 per contract), futures only"
    rows = [
        SeriesInfo(
            f"{prefix}.open_interest", f"JPY futures open interest ({report})", "contracts",
            "weekly", f"Open interest, all crop years; {where}.", TIMING_NOTE,
        )
    ]
    for g, (_, label) in groups.items():
        for leg, text in (
            ("long", "long positions"),
            ("short", "short positions"),
            ("net", "net position: long − short, positive = net long yen; spreads excluded"),
        ):
            rows.append(
                SeriesInfo(
                    f"{prefix}.{g}.{leg}", f"JPY futures {label} {leg} ({report})", "contracts",
                    "weekly", f"{label} {text}; {where}.", TIMING_NOTE,
                )
            )
    return rows


TFF_SERIES = catalog("cot.jpy.tff", "CFTC TFF", TFF_GROUPS)
LEGACY_SERIES = catalog("cot.jpy.legacy", "CFTC legacy COT", LEGACY_GROUPS)
