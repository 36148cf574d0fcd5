"""Japan CPI from the Statistics Bureau's own CSV files, source ``statbureau.cpi``.

Files (cp932; LF or CRLF)
-------------------------
* ``zmi<BASE>aa.csv`` — national CPI by group and item (類・品目別価格指数),
  monthly index with **3-decimal reference values** (e.g. ``zmi2020aa.csv``,
  2020-01 →; from the August-2026 release the Bureau publishes the 2025 base,
  ``…/cpi/2025/csv/zmi2025aa.csv``, 2025-01 →).
* ``zmi<BASE>s.csv`` — the long-term series (長期時系列) on the same base, monthly
  from 1970, **1 decimal** as published.

Both open with six header rows — JP names, EN names, ``類・品目符号(Group/Item
code)``, serial number, weight, weight per 10,000 — then ``YYYYMM,v1,v2,…``.
Column positions differ between files and bases, so series are picked by their
**item code** in the code row: ``0001`` all items, ``0161`` all items less fresh
food (core), ``0178`` less fresh food and energy (core-core), and where the file
has them ``0202`` goods and ``0220`` services. Empty cells (items not priced in
a month) are missing values.

Output
------
One series per base and file kind, the base in the id, as published:
``cpi.jp.base2020.core`` (from ``zmi2020aa``, 3 decimals) and
``cpi.jp.base2020.longterm.core`` (from ``zmi2020s``, 1 decimal); unit
``index, 2020=100``; ``ref_date`` = the month's last day, ``period_start`` its
first. The base year is read from the file name and checked against the data:
the twelve base-year months of all items must average 100 (±0.05). Indices of
different bases are never mixed in one series; the y/y history across bases is
built explicitly in :mod:`yenflow.analytics.inflation`.

Why two kinds: the Bureau computes its published y/y rates from the unrounded
index, which the 3-decimal file reproduces (65 of 65 months 2021-01→2026-05 of
core y/y match the published rounding; the 1-decimal index gives 44 of 65).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from yenflow.errors import FetchError, ParseError, ValidationError
from yenflow.sources.base import FileSpec, Parsed, RawFile, SeriesInfo, Source

if TYPE_CHECKING:
    from datetime import date

    from yenflow.http import Response

NAME = "statbureau.cpi"
URL = "https://www.stat.go.jp/data/cpi/{base}/csv/zmi{base}aa.csv"
BASES_ONLINE = (2025, 2020)  # newest first; the 2025 base is published from August 2026
CODE_LABEL = "類・品目符号"
_FILE = re.compile(r"zmi(\d{4})(aa|s)\.csv$", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})(\d{2})")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
BASE_AVERAGE_TOLERANCE = 0.05


@dataclass(frozen=True)
class Item:
    code: str
    slug: str
    name: str
    required: bool


ITEMS = (
    Item("0001", "all_items", "all items (headline)", True),
    Item("0161", "core", "all items less fresh food (core)", True),
    Item("0178", "core_core", "all items less fresh food and energy (core-core)", True),
    Item("0202", "goods", "goods", False),
    Item("0220", "services", "services", False),
)
KINDS = {
    "aa": ("", "national, by group and item (zmi{base}aa.csv): reference values to 3 decimals"),
    "s": ("longterm.", "national, long-term series (zmi{base}s.csv): 1 decimal as published"),
}


def series_id(base: int, slug: str, kind: str = "aa") -> str:
    """``cpi.jp.base2020.core`` (3-decimal file) or ``cpi.jp.base2020.longterm.core``."""
    return f"cpi.jp.base{base}.{KINDS[kind][0]}{slug}"


def _info(base: int, item: Item, kind: str) -> SeriesInfo:
    what = KINDS[kind][1].format(base=base)
    return SeriesInfo(
        id=series_id(base, item.slug, kind),
        name=f"Japan CPI, {item.name}, {base} base",
        unit=f"index, {base}=100",
        frequency="monthly",
        description=f"Statistics Bureau of Japan consumer price index, {what}; item code {item.code}.",
        notes=f"Base {base} = 100. Indices of different bases are separate series; "
              "y/y across bases: yenflow.analytics.inflation.",
    )


def _error(filename: str, expected: str, found: object = None, row: int | None = None) -> ParseError:
    return ParseError(NAME, filename, expected, found, row)


def _base_and_kind(filename: str) -> tuple[int, str]:
    m = _FILE.search(filename.replace("\\", "/").rsplit("/", 1)[-1])
    if not m:
        raise _error(filename, "a Statistics Bureau CPI file named zmi<base year>aa.csv or zmi<base year>s.csv")
    return int(m[1]), m[2].lower()


def _rows(raw: bytes, filename: str) -> list[list[str]]:
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _error(filename, "cp932 text", raw[e.start : e.start + 4], row=line) from None
    if text and not text.endswith("\n"):
        raise _error(filename, "the file to end with a line break (truncated?)", row=text.count("\n") + 1)
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def _columns(rows: list[list[str]], filename: str) -> tuple[int, dict[str, int]]:
    """(row index of the code row, item code -> column)."""
    for i, row in enumerate(rows[:10]):
        if row and row[0].strip().startswith(CODE_LABEL):
            codes = [c.strip() for c in row]
            cols = {}
            for item in ITEMS:
                found = [j for j, c in enumerate(codes) if c == item.code]
                if len(found) > 1:
                    raise _error(filename, f"item code {item.code} once in the code row", f"{len(found)} times", i + 1)
                if found:
                    cols[item.code] = found[0]
                elif item.required:
                    raise _error(filename, f"item code {item.code} ({item.name}) in the code row", None, i + 1)
            return i, cols
    raise _error(filename, f"a code row starting '{CODE_LABEL}(Group/Item code)' in the first 10 rows")


def _number(cell: str, code: str, filename: str, row: int) -> float | None:
    text = cell.strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise _error(filename, f"an index value or an empty cell for item {code}", cell, row)
    return float(text)


def _records(rows: list[list[str]], start: int, cols: dict[str, int], filename: str
             ) -> list[tuple[int, int, str, float]]:
    recs: list[tuple[int, int, str, float]] = []
    last: tuple[int, int] | None = None
    width = max(cols.values()) + 1
    for n, row in enumerate(rows[start:], start=start + 1):
        if not any(c.strip() for c in row):
            continue
        m = _MONTH.fullmatch(row[0].strip())
        if not m or not 1 <= int(m[2]) <= 12:
            raise _error(filename, "a data row starting with the month YYYYMM", row[0], n)
        month = (int(m[1]), int(m[2]))
        if last is not None and month <= last:
            raise _error(filename, f"months in ascending order after {last[0]}{last[1]:02d}", row[0], n)
        if len(row) < width:
            raise _error(filename, f"at least {width} fields", f"{len(row)} fields", n)
        last = month
        for code, j in cols.items():
            v = _number(row[j], code, filename, n)
            if v is not None:
                recs.append((month[0], month[1], code, v))
    if not recs:
        raise _error(filename, "monthly data rows after the header")
    return recs


def _check_base(recs: list[tuple[int, int, str, float]], base: int, filename: str) -> None:
    """All items averages 100 over the base year (when the file holds all twelve months)."""
    vals = [v for y, _, code, v in recs if y == base and code == "0001"]
    if len(vals) == 12 and abs(sum(vals) / 12 - 100.0) > BASE_AVERAGE_TOLERANCE:
        raise ValidationError(NAME, filename, f"all items to average 100 over {base} (the base year in the file name)",
                              round(sum(vals) / 12, 3))


def parse_cpi(raw: bytes, filename: str) -> Parsed:
    """The monthly index of the selected items, one series per item, on the file's base."""
    import pandas as pd

    base, kind = _base_and_kind(filename)
    rows = _rows(raw, filename)
    code_row, cols = _columns(rows, filename)
    data_start = code_row + 4  # serial number, weight, weight per 10,000 follow the code row
    recs = _records(rows, data_start, cols, filename)
    _check_base(recs, base, filename)
    items = {i.code: i for i in ITEMS}
    df = pd.DataFrame(recs, columns=["year", "month", "code", "value"])
    start = pd.to_datetime(dict(year=df["year"], month=df["month"], day=1))
    obs = pd.DataFrame({
        "series_id": [series_id(base, items[c].slug, kind) for c in df["code"]],
        "ref_date": (start + pd.offsets.MonthEnd(0)).astype("datetime64[ns]"),
        "value": df["value"].astype("float64"),
        "period_start": start.astype("datetime64[ns]"),
    })
    return Parsed(obs, [_info(base, items[c], kind) for c in cols])


class StatBureauCpi(Source):
    """Japan CPI (national), Statistics Bureau CSVs: headline, core, core-core, goods, services."""

    name: ClassVar[str] = NAME
    title: ClassVar[str] = "Japan CPI, national (Statistics Bureau CSV: by item, 3 decimals; long-term series)"
    publisher: ClassVar[str] = "Statistics Bureau of Japan (総務省統計局)"
    files: ClassVar[tuple[FileSpec, ...]] = (
        *(FileSpec(f"zmi{b}aa", URL.format(base=b), f"cpi/zmi{b}aa.csv", ("cpi/zmi*aa.csv",) if k == 0 else ())
          for k, b in enumerate(BASES_ONLINE)),
        # the long-term series lives on e-Stat without a stable file URL: folder or mirror only
        FileSpec("zmi2020s", None, "cpi/zmi2020s.csv", ("cpi/zmi*s.csv",)),
    )
    max_age_days: ClassVar[int] = 62  # monthly, released about three weeks after the month

    def fetch(self, get: Callable[..., Response | None], today: "date | None" = None) -> Iterator[RawFile]:
        """Every base the Bureau serves; a base not (or no longer) online (404) is skipped
        (the pipeline records the failed download; the other bases still come)."""
        missing = []
        specs = [s for s in self.files if s.url]
        for spec in specs:
            try:
                resp = get(spec.url)
            except FetchError:  # recorded by the pipeline's get; the other bases still come
                missing.append(spec.url)
                continue
            if resp is not None:
                yield RawFile(spec.mirror_path.rsplit("/", 1)[-1], resp.content, resp.url, resp.etag, resp.last_modified)
        if len(missing) == len(specs):
            raise FetchError(NAME, missing[0], f"none of the CPI bases is online ({', '.join(missing)}: HTTP 404)", 404)

    def pending(self, url: str, today: "date") -> str | None:
        """The newest base's file does not exist before the Bureau switches to it."""
        newest = URL.format(base=max(BASES_ONLINE))
        return f"the {max(BASES_ONLINE)}-base CPI file (published once the Bureau rebases)" if url == newest else None

    def parse(self, raw: bytes, filename: str) -> Parsed:
        return parse_cpi(raw, filename)
