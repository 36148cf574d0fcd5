"""Reader for the BOJ Time-Series Data Search **flat files** (``dload_en.html``).

One layout serves every BOJ flat file (balance of payments ``bp_m_en.zip``,
regional BoP ``regbp_q_en.zip``, IIP ``qiip_q_en.zip``/``iip_cy_en.zip``,
flow of funds ``fof2_en.zip``, prices, TANKAN…): a zip holding one or more
CSVs, each **wide**, one row per series::

    ,,,,199601,199602,…                      header: empty leading cells, then periods
    CODE,"statistic","series name","unit",v1,v2,…   4 leading columns (BoP, IIP…)
    CODE,"statistic","series name",v1,v2,…          3 leading columns (flow of funds)

The number of leading columns is read from the header (3 or 4). Period labels:

==============  ======================================  ==========================
label           meaning                                 ref_date / period_start
==============  ======================================  ==========================
``YYYYMM``      a month (any ``MM`` > 04 proves it)     month end / the 1st
``YYYYQQ``      a quarter ``QQ`` = 01…04                quarter end / its 1st day
``YYYY``        a calendar year, or a **fiscal** year   31 Dec / 1 Jan; FY: 31 Mar
                (April–March) when the CSV name or      of ``YYYY+1`` / 1 Apr
                statistic says ``fiscal``
``YYYYMMDD``    a day                                   that day / —
==============  ======================================  ==========================

``YYYYMM`` and ``YYYYQQ`` look alike: a header whose suffixes never pass 04
is quarterly when it steps ``…04 → next year 01`` or the CSV name says
``_q``/``quarterly``, monthly when the name says ``_m``/``monthly``;
otherwise it is an error (a wrong guess would misdate every value).

Cells: an **empty cell or ``NA``** is missing (dropped); values are unrounded
decimals (``37181.0248625``), kept as published. The body is read by pyarrow
in one go with every value column typed as a number; a body pyarrow rejects
(or with ``nan``/``inf`` text) is read again row by row, so the first bad cell
is named (file, row, series code and period).
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from yenflow.errors import ParseError
from yenflow.sources import csvtools

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MISSING = ("", "NA")
NUMBER = csvtools.NUMBER + r"(?:[eE][-+]?[0-9]+)?"
_NUMBER = re.compile(rf"^{NUMBER}$")
_UNIT_NAMES = {"100 million yen": "JPY 100m", "billion yen": "JPY bn", "million yen": "JPY m",
               "million u.s. dollars": "USD m", "million us dollars": "USD m", "%": "%",
               "percent": "%"}


@dataclass
class FlatTable:
    """One CSV of a flat file: series × periods, in the publisher's units.

    ``values`` is (series, periods), NaN = missing. ``lines`` are the 1-based
    line numbers of the series rows. ``units`` are the raw unit cells (empty
    for 3-column files and for series without a unit, e.g. seasonal factors).
    """

    member: str
    statistic: str
    frequency: str  # 'monthly' | 'quarterly' | 'annual' | 'daily'
    fiscal: bool
    labels: list[str]
    ref_dates: "np.ndarray"  # datetime64[ns], one per period
    starts: "np.ndarray"  # datetime64[ns] (NaT for days)
    codes: list[str]
    names: list[str]
    units: list[str]
    lines: list[int]
    values: "np.ndarray"
    _rows: dict[str, int] = field(default_factory=dict, repr=False)

    def row(self, code: str) -> int | None:
        """Index of ``code`` in the table (None when absent)."""
        if not self._rows:
            self._rows = {c: i for i, c in enumerate(self.codes)}
        return self._rows.get(code)

    def period_index(self, label: str) -> int:
        return self.labels.index(label)


def catalog_unit(raw_unit: str, default: str) -> str:
    """The catalog unit for a unit cell (``100 million Yen`` → ``JPY 100m``)."""
    text = " ".join(raw_unit.split()).lower()
    if not text:
        return default
    return _UNIT_NAMES.get(text, raw_unit.strip())


# ------------------------------------------------------------------- files
def read_flat_file(raw: bytes, filename: str, source: str) -> list[FlatTable]:
    """Every CSV of a flat file (a zip of CSVs, or one bare CSV)."""
    from yenflow.sources import zipsafe

    if not zipsafe.is_zip(raw, filename):
        return [read_csv(raw, filename, filename, source)]
    members = _csv_members(raw, filename, source)
    tables = []
    for member in members:
        name, content = zipsafe.read_member(raw, filename, source=source, expected=member)
        tables.append(read_csv(content, f"{filename}!{name}", name, source))
    return tables


def _csv_members(raw: bytes, filename: str, source: str) -> list[str]:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as e:
        raise ParseError(source, filename, "a valid zip archive", str(e)) from e
    csvs = [re.split(r"[\\/]", n)[-1] for n in names if n.lower().endswith(".csv")]
    if not csvs:
        raise ParseError(source, filename, "a zip holding BOJ flat-file CSVs", names)
    return csvs


def _decode(raw: bytes, where: str, source: str) -> str:
    for enc in ("utf-8-sig", "cp932"):  # English files are ASCII; *_jp files Shift-JIS
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ParseError(source, where, "ASCII, UTF-8 or Shift-JIS text")


def read_csv(raw: bytes, where: str, member: str, source: str) -> FlatTable:
    """One flat-file CSV. ``where`` names it in errors (``bp_m_en.zip!bp_m_en.csv``)."""
    text = _decode(raw, where, source)
    if not text.strip():
        raise ParseError(source, where, "a header row of period labels", "an empty file")
    sep = csvtools.line_separator(text, source, where)
    header_line, _, body = text.partition(sep)
    header = next(csv.reader([header_line]))
    lead = _lead(header, where, source)
    labels = header[lead:]
    freq, fiscal = _frequency(labels, member, where, source)
    ref, start = _period_arrays(labels, freq, fiscal, where, source)
    width = len(header)
    body = body.rstrip(sep)
    if not body:
        raise ParseError(source, where, "series rows under the header", None, row=2)
    fast = _read_fast(body, width, lead)
    if fast is not None:
        meta, values = fast
    else:
        meta, values = _read_slow(body.split(sep), width, lead, labels, where, source)
    codes = [m[0].strip() for m in meta]
    _check_codes(codes, where, source)
    table = FlatTable(
        member=member,
        statistic=_common_statistic(meta, where, source),
        frequency=freq, fiscal=fiscal, labels=labels, ref_dates=ref, starts=start,
        codes=codes,
        names=[m[2].strip() for m in meta],
        units=[m[3].strip() if lead == 4 else "" for m in meta],
        lines=list(range(2, 2 + len(meta))),
        values=values,
    )
    return table


def _lead(header: list[str], where: str, source: str) -> int:
    lead = 0
    while lead < len(header) and not header[lead].strip():
        lead += 1
    if lead not in (3, 4) or lead == len(header):
        raise ParseError(source, where, "3 or 4 empty leading cells (code, statistic, name[, unit]) "
                         "then one period label per column", header[:6], row=1)
    return lead


# ----------------------------------------------------------------- periods
def _frequency(labels: list[str], member: str, where: str, source: str) -> tuple[str, bool]:
    """(catalog frequency, fiscal) of the header's period labels."""
    lengths = {len(x) for x in labels}
    if not all(x.isdigit() for x in labels) or len(lengths) != 1:
        bad = next((x for x in labels if not x.isdigit()), labels[0])
        raise ParseError(source, where, "period labels YYYY, YYYYMM, YYYYQQ or YYYYMMDD", bad, row=1)
    n = lengths.pop()
    hint = member.lower()
    if n == 4:
        return "annual", "fiscal" in hint or "_fy" in hint
    if n == 8:
        return "daily", False
    if n != 6:
        raise ParseError(source, where, "period labels YYYY, YYYYMM, YYYYQQ or YYYYMMDD", labels[0], row=1)
    suffixes = [int(x[4:]) for x in labels]
    if max(suffixes) > 4:
        return "monthly", False
    if _steps_as_quarters(labels) or re.search(r"_q(_|\.|$)|quarter", hint):
        return "quarterly", False
    if re.search(r"_m(_|\.|$)|month", hint):
        return "monthly", False
    raise ParseError(source, where, "a header that tells months from quarters (YYYYMM vs YYYYQQ: "
                     "no suffix above 04, no 04 → 01 step, no _m/_q in the file name)", labels[:5], row=1)


def _steps_as_quarters(labels: list[str]) -> bool:
    return any(a[4:] == "04" and b == f"{int(a[:4]) + 1}01" for a, b in zip(labels, labels[1:]))


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def period_dates(label: str, freq: str, fiscal: bool) -> tuple[date, date | None]:
    """(ref_date, period_start) of one header label; ValueError if it is not a period."""
    y = int(label[:4])
    if freq == "monthly":
        m = int(label[4:6])
        return _month_end(y, m), date(y, m, 1)
    if freq == "quarterly":
        q = int(label[4:6])
        if not 1 <= q <= 4:
            raise ValueError(label)
        return _month_end(y, 3 * q), date(y, 3 * q - 2, 1)
    if freq == "annual":
        return (date(y + 1, 3, 31), date(y, 4, 1)) if fiscal else (date(y, 12, 31), date(y, 1, 1))
    return date(y, int(label[4:6]), int(label[6:8])), None


def _period_arrays(labels: list[str], freq: str, fiscal: bool, where: str,
                   source: str) -> tuple["np.ndarray", "np.ndarray"]:
    import numpy as np

    refs, starts = [], []
    for label in labels:
        try:
            ref, start = period_dates(label, freq, fiscal)
        except ValueError:
            raise ParseError(source, where, f"a {freq} period label", label, row=1) from None
        refs.append(ref)
        starts.append(start)
    ref = np.array(refs, dtype="datetime64[D]").astype("datetime64[ns]")
    if len(set(refs)) != len(refs):
        dup = next(x for x in labels if labels.count(x) > 1)
        raise ParseError(source, where, "each period once in the header", dup, row=1)
    start = np.array([s if s is not None else "NaT" for s in starts],
                     dtype="datetime64[D]").astype("datetime64[ns]")
    return ref, start


# -------------------------------------------------------------------- rows
def _read_fast(body: str, width: int, lead: int) -> tuple[list[list[str]], "np.ndarray"] | None:
    """All rows read by pyarrow in one pass (values typed float64, ``''``/``NA``
    null); None when pyarrow rejects a row or a value is NaN/inf text, so that
    the row-by-row reader names the bad cell."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [f"c{i}" for i in range(width)]
    try:
        table = pcsv.read_csv(
            io.BytesIO(body.encode()),
            read_options=pcsv.ReadOptions(column_names=names),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() if i < lead else pa.float64() for i, n in enumerate(names)},
                null_values=list(MISSING), strings_can_be_null=False,
                quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    values = np.empty((table.num_rows, width - lead))
    for i in range(lead, width):
        col = table.column(i)
        values[:, i - lead] = col.to_numpy()  # null → NaN
        if int(np.isnan(values[:, i - lead]).sum()) != col.null_count:
            return None  # 'nan' text, not a missing marker
    if np.isinf(values).any():
        return None
    meta_cols = [table.column(i).to_pylist() for i in range(lead)]
    meta = [list(t) for t in zip(*meta_cols)]
    if lead == 3:
        meta = [[*m, ""] for m in meta]
    return meta, values


def _read_slow(lines: list[str], width: int, lead: int, labels: list[str], where: str,
               source: str) -> tuple[list[list[str]], "np.ndarray"]:
    """Row by row, naming the first bad row and cell."""
    import numpy as np

    meta: list[list[str]] = []
    rows: list[list[float]] = []
    for n, cells in enumerate(csv.reader(lines), start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            raise ParseError(source, where, f"{width} fields like the header", f"{len(cells)} fields", row=n)
        code = cells[0].strip()
        if not code:
            raise ParseError(source, where, "a series code in the first column", cells[:3], row=n)
        vals = []
        for label, cell in zip(labels, cells[lead:]):
            text = cell.strip()
            if text in MISSING:
                vals.append(float("nan"))
            elif _NUMBER.match(text):
                vals.append(float(text))
            else:
                raise ParseError(source, where, f"a number, an empty cell or NA for {code} {label}",
                                 cell, row=n)
        meta.append(cells[:lead] + ([""] if lead == 3 else []))
        rows.append(vals)
    return meta, np.array(rows, dtype="float64").reshape(len(rows), len(labels))


def _check_codes(codes: list[str], where: str, source: str) -> None:
    seen: set[str] = set()
    for n, code in enumerate(codes, start=2):
        if not code:
            raise ParseError(source, where, "a series code in the first column", "", row=n)
        if code in seen:
            raise ParseError(source, where, f"series code {code} once", code, row=n)
        seen.add(code)


def _common_statistic(meta: list[list[str]], where: str, source: str) -> str:
    stats = {m[1].strip() for m in meta}
    if len(stats) != 1:
        raise ParseError(source, where, "one statistic name in column 2", sorted(stats)[:3])
    return stats.pop()


# ------------------------------------------------------------------ output
@dataclass(frozen=True)
class Pick:
    """One series taken from a table: its row, catalog id and whether it is a
    stock (a position at the period end: no ``period_start``)."""

    row: int
    id: str
    stock: bool = False


def observations(table: FlatTable, picks: list[Pick]) -> "pd.DataFrame":
    """Tidy frame (``series_id, ref_date, value, period_start``) of the picked
    rows, series by series; missing cells are dropped."""
    import numpy as np

    rows = np.array([p.row for p in picks], dtype=int)
    values = table.values[rows, :].T  # (periods, series), as long_frame wants
    stock = np.array([p.stock for p in picks], dtype=bool)
    starts = np.where(stock[None, :], np.datetime64("NaT", "ns"), table.starts[:, None])
    return csvtools.long_frame([p.id for p in picks], values, table.ref_dates[:, None], order="F",
                               period_start=starts)
