"""US Treasury TIC: Major Foreign Holders of Treasury Securities (USD bn, month-end).

Files (both tab-delimited text, told apart by their header)
----------------------------------------------------------
* ``mfhhis01.txt`` (history, 2000-03 to the last full year): one block per
  year, newest first. A block is: a month row (``\\tDec\\tNov…``), the year row
  (``Country\\t2025\\t2025…``), a ``------`` row, one row per holder, ``Grand
  Total``, ``Of which:`` and ``For. Official`` / ``Treasury Bills`` /
  ``T-Bonds & Notes``. Names with commas are quoted (``"China, Mainland"``);
  footnote marks are stripped (``United Kingdom 2/`` -> United Kingdom).
  **Duplicated months:** a block with a series break shows the break month
  twice (June in 2002-2011, March in the 2000 block, which has only 11
  month columns): the left one is the new series, the right one the old
  series "shown for comparison only" (footnotes 6/-17/). We keep the LEFT
  (new-series) value and drop the comparison column.
  **End of file:** the blocks run year by year without a gap (each block's
  newest month is the month before the previous block's oldest), and after the
  last one comes the release footer ``Department of the Treasury/Federal
  Reserve Board`` with the release date (``3/18/26``), which is the file's
  publication date: a file cut between blocks is refused, not read as a shorter
  history.
* ``slt_table5.txt`` (current, rolling 13 months): title lines, then
  ``Country\\t2026-07\\t2026-06…`` (newest first) and one row per holder plus
  ``Grand Total`` and ``Of Which: Foreign Official[ Treasury Bills| T-Bonds &
  Notes]``.

Conventions: ``ref_date`` = last day of the month; ``value`` in **USD bn**.
``*`` (less than $50 million), ``n.a.`` and empty cells are dropped. Each block
/ table is checked: the holders plus ``All Other`` must add up to ``Grand
Total``, and foreign official to its bills + bonds & notes, within 1.5 bn
(rounding), else ValidationError. Holdings are custody
based (Belgium, UK, Luxembourg, Cayman include custodial positions).

Series: ``tic.holdings.<slug>`` for every row: ``japan``, ``china`` (China,
Mainland), ``uk``, ``total`` (Grand Total), ``foreign_official``,
``foreign_official_bills``, ``foreign_official_bonds_notes``, ``all_other`` and
a lower-case slug of any other name (``korea_south``, ``cayman_islands``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import TYPE_CHECKING, Any

from yenflow.errors import ParseError, ValidationError
from yenflow.sources import csvtools
from yenflow.sources.base import FileSpec, Parsed, SeriesInfo, Source

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

NAME = "ustreasury.tic"
_MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
_MISSING = {"", "*", "n.a.", "n.a", "na", "-", "--"}
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$", re.ASCII)
_SLUGS = {
    "china, mainland": "china", "united kingdom": "uk", "grand total": "total",
    "for. official": "foreign_official", "of which: foreign official": "foreign_official",
    "of which: foreign official treasury bills": "foreign_official_bills",
    "of which: foreign official t-bonds & notes": "foreign_official_bonds_notes",
    "carib bnkng ctrs": "caribbean_banking_centers",
}
_OFFICIAL_PARTS = {"treasury bills": "foreign_official_bills",
                   "t-bonds & notes": "foreign_official_bonds_notes"}
_NOT_HOLDERS = {"total", "foreign_official", "foreign_official_bills",
                "foreign_official_bonds_notes"}
_SUM_TOLERANCE = 1.5  # USD bn
_FOOTER = "department of the treasury/federal reserve board"
_RELEASE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})", re.ASCII)


def clean_name(name: str) -> str:
    """Strip quotes, spaces and footnote marks (``United Kingdom 2/``)."""
    return re.sub(r"\s+\d+/\s*$", "", " ".join(name.split()))


def slug(name: str) -> str:
    """Series slug of a holder name (see module docstring)."""
    key = clean_name(name).lower()
    return _SLUGS.get(key) or re.sub(r"[^a-z0-9]+", "_", key).strip("_")


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _rows(raw: bytes, filename: str) -> list[list[str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if not text.strip():
        raise ParseError(NAME, filename, "a tab-delimited TIC table", "an empty file")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))


def _value(cell: str, filename: str, line: int, what: str) -> float | None:
    text = cell.strip()
    if text.lower() in _MISSING:
        return None
    text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise ParseError(NAME, filename, f"holdings in USD bn for {what}", cell, line)
    return float(text)


class _Table:
    """Collects the rows of one block (history) or table (current) at a time, then
    reads their figures in one go and checks the block (:meth:`end`); keeps
    (slug, month-end, value) arrays for the whole file."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.names: dict[str, str] = {}
        self.published: dt.date | None = None
        self.parts: list[tuple[list[str], np.ndarray, np.ndarray]] = []  # slugs, months, values
        self._columns: list[tuple[int, dt.date]] = []
        self._rows: list[tuple[str, str, list[str], int]] = []  # slug, name, cells, line

    def start(self, columns: list[tuple[int, dt.date]]) -> None:
        self._columns, self._rows = columns, []

    def add_row(self, name: str, cells: list[str], line: int) -> None:
        key, clean = slug(name), clean_name(name)
        self._rows.append((key, clean, cells, line))
        self.names.setdefault(key, clean)

    def end(self, line: int | None) -> int:
        """Read and check the rows since :meth:`start`; returns the line of the last row
        with a figure (0 when none has one). ``line``: the block's last line for
        messages (default: that last row)."""
        import numpy as np

        if not self._rows:
            return 0
        values = self._figures()
        has = ~np.isnan(values).all(axis=1)
        if not has.any():
            return 0
        last = max(r[3] for r, h in zip(self._rows, has) if h)
        block: dict[str, np.ndarray] = {}
        for (key, name, _, row_line), row in zip(self._rows, values):
            if not (~np.isnan(row)).any():
                continue
            if key in block:
                both = ~np.isnan(block[key]) & ~np.isnan(row)
                if both.any():
                    month = self._columns[int(np.argmax(both))][1]
                    raise ValidationError(NAME, self.filename, f"{name} once per month",
                                          f"a second row for {month:%Y-%m}", row_line)
                row = np.where(np.isnan(row), block[key], row)
            block[key] = row
        self._check_sum(block, line or last)
        months = np.array([m for _, m in self._columns], dtype="datetime64[D]")
        keys = list(block)
        self.parts.append((keys, months, np.array([block[k] for k in keys])))
        return last

    def _figures(self) -> np.ndarray:
        """rows × month columns in USD bn, NaN for a missing marker; ParseError at the
        first cell that is neither."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        cols = [c for c, _ in self._columns]
        flat = [cells[c] if c < len(cells) else "" for _, _, cells, _ in self._rows for c in cols]
        cells = pc.utf8_trim_whitespace(pa.array(flat, pa.string()))
        missing = pc.is_in(pc.utf8_lower(cells), value_set=pa.array(sorted(_MISSING)))
        clean = pc.replace_substring(cells, ",", "")
        ok = pc.match_substring_regex(clean, r"^-?[0-9]+(?:\.[0-9]+)?$")
        bad = pc.invert(pc.or_(missing, ok)).to_numpy(zero_copy_only=False)
        if bad.any():
            i, j = divmod(int(np.argmax(bad)), len(cols))
            _, name, row, line = self._rows[i]
            month = self._columns[j][1]
            _value(flat[i * len(cols) + j], self.filename, line, f"{name} {month:%Y-%m}")
        values = pc.cast(pc.if_else(ok, clean, None), pa.float64())
        return values.to_numpy(zero_copy_only=False).reshape(len(self._rows), len(cols))

    def _check_sum(self, block: dict[str, np.ndarray], line: int) -> None:
        import numpy as np

        total = block.get("total")
        if total is None:
            raise ParseError(NAME, self.filename, "a 'Grand Total' row", row=line)
        months = [m for _, m in self._columns]
        data = np.array(list(block.values()))
        lacking = ~np.isnan(data).all(axis=0) & np.isnan(total)
        if lacking.any():
            raise ValidationError(NAME, self.filename, "a Grand Total for every month with "
                                  f"holdings (block ending line {line})",
                                  sorted(f"{months[j]:%Y-%m}" for j in np.flatnonzero(lacking)),
                                  line)
        holders = [v for k, v in block.items() if k not in _NOT_HOLDERS]
        parts = np.nansum(np.array(holders), axis=0) if holders else np.zeros(len(months))
        with np.errstate(invalid="ignore"):
            off = ~np.isnan(total) & (np.abs(parts - total) > _SUM_TOLERANCE)
        if off.any():
            j = int(np.argmax(off))
            raise ValidationError(NAME, self.filename,
                                  f"holders adding up to Grand Total {total[j]:g} for "
                                  f"{months[j]:%Y-%m} (block ending line {line})",
                                  round(float(parts[j]), 1), line)
        self._check_official(block, total, months, line)

    def _check_official(self, block: dict[str, np.ndarray], total: np.ndarray,
                        months: list[dt.date], line: int) -> None:
        """Foreign official = its bills + bonds & notes, and at most the Grand Total."""
        import numpy as np

        official = block.get("foreign_official")
        if official is None:
            return
        bills = block.get("foreign_official_bills")
        notes = block.get("foreign_official_bonds_notes")
        split = [p for p in (bills, notes) if p is not None]
        parts = np.nansum(np.array(split), axis=0) if split else np.zeros(len(months))
        with np.errstate(invalid="ignore"):
            bad = np.abs(parts - official) > _SUM_TOLERANCE if split else np.zeros(len(months), bool)
            bad |= official > np.where(np.isnan(total), np.inf, total)
        bad &= ~np.isnan(official)
        if bad.any():
            j = int(np.argmax(bad))
            raise ValidationError(NAME, self.filename,
                                  f"foreign official {official[j]:g} = bills + bonds & notes and "
                                  f"≤ Grand Total for {months[j]:%Y-%m} (block ending line {line})",
                                  round(float(parts[j]), 1), line)


# --------------------------------------------------------------------- mfhhis01
def _is_month_row(cells: list[str]) -> bool:
    vals = [c.strip() for c in cells[1:] if c.strip()]
    return (not cells[0].strip() and len(vals) >= 6
            and all(v[:3] in _MONTHS for v in vals))


def _block_columns(months: list[str], years: list[str], filename: str,
                   line: int) -> list[tuple[int, dt.date]]:
    """(column, month-end) per month column; the right-hand duplicate is dropped."""
    cols: list[tuple[int, dt.date]] = []
    seen = set()
    for col in range(1, max(len(months), len(years))):
        m = months[col].strip() if col < len(months) else ""
        y = years[col].strip() if col < len(years) else ""
        if not m and not y:
            continue
        if m[:3] not in _MONTHS or not re.fullmatch(r"(19|20)\d\d", y):
            raise ParseError(NAME, filename, "a month and a year above each column",
                             (m, y), line)
        end = _month_end(int(y), _MONTHS[m[:3]])
        if end in seen:
            continue  # series-break comparison column (old series)
        if cols and end > cols[-1][1]:
            raise ParseError(NAME, filename, "months newest first", m, line - 1)
        seen.add(end)
        cols.append((col, end))
    return cols


def _parse_history(rows: list[list[str]], filename: str) -> _Table:
    table = _Table(filename)
    columns: list[tuple[int, dt.date]] = []
    official = False
    last_data = 0
    block_data = 0  # line of the last row with figures in the current block
    for i, cells in enumerate(rows):
        line = i + 1
        if not cells:
            continue
        first = clean_name(cells[0].strip('"'))
        if _is_month_row(cells):
            if columns:
                block_data = table.end(line - 1) or 0
                last_data = block_data or last_data
            nxt = rows[i + 1] if i + 1 < len(rows) else []
            if not nxt or nxt[0].strip() != "Country":
                raise ParseError(NAME, filename, "a 'Country' year row under the month row",
                                 nxt[:3] if nxt else "end of file", line + 1)
            new = _block_columns(cells, nxt, filename, line + 1)
            _check_follows(columns, new, filename, line + 1)
            columns, official = new, False
            table.start(columns)
            last_data = line
            continue
        if first.lower() == _FOOTER:
            table.published = _release_date(rows, i, filename)
            break
        if first in ("Country", "") or not columns or set(first) <= {"-"}:
            continue
        if first.lower().startswith("of which"):
            official = True
            continue
        name = _OFFICIAL_PARTS.get(first.lower()) if official else None
        table.add_row(name or first, cells, line)
    block_data = table.end(None) if columns else 0
    if not block_data:
        raise ParseError(NAME, filename, "at least one yearly block (month row, "
                         "'Country' year row, holders)", row=len(rows))
    last_data = block_data
    if table.published is None:
        raise ParseError(NAME, filename, "the release footer 'Department of the Treasury/Federal "
                         "Reserve Board' and its date after the last block (file cut between "
                         "blocks?)", row=last_data)
    return table


def _check_follows(previous: list[tuple[int, dt.date]], new: list[tuple[int, dt.date]],
                   filename: str, line: int) -> None:
    """A block's newest month is the month before the previous block's oldest."""
    if not previous or not new:
        return
    oldest, newest = previous[-1][1], new[0][1]
    if newest != oldest.replace(day=1) - dt.timedelta(days=1):
        raise ParseError(NAME, filename, f"the block for the months before {oldest:%Y-%m} "
                         "(blocks year by year, without a gap)", f"{newest:%Y-%m}", line)


def _release_date(rows: list[list[str]], i: int, filename: str) -> dt.date:
    """The release date on the line after the footer (``3/18/26``)."""
    cell = rows[i + 1][0].strip() if i + 1 < len(rows) and rows[i + 1] else ""
    m = _RELEASE.fullmatch(cell)
    try:
        if m:
            return dt.date(2000 + int(m[3]), int(m[1]), int(m[2]))
    except ValueError:
        pass
    raise ParseError(NAME, filename, "the release date (M/D/YY) under the footer", cell or None,
                     i + 2)


# --------------------------------------------------------------------- slt_table5
def _parse_current(rows: list[list[str]], filename: str, header: int) -> _Table:
    table = _Table(filename)
    cols = []
    for col, label in enumerate(rows[header][1:], start=1):
        label = label.strip()
        if not label:
            continue
        m = re.fullmatch(r"(\d{4})-(\d{2})", label)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ParseError(NAME, filename, "month labels like 2026-07", label, header + 1)
        end = _month_end(int(m.group(1)), int(m.group(2)))
        if cols and end >= cols[-1][1]:
            raise ParseError(NAME, filename, "month columns newest first, each once", label,
                             header + 1)
        cols.append((col, end))
    if not cols:
        raise ParseError(NAME, filename, "month columns after 'Country'", row=header + 1)
    table.start(cols)
    for i, cells in enumerate(rows[header + 1:], start=header + 2):
        name = cells[0].strip() if cells else ""
        if not name or not any(c.strip() for c in cells[1:]):
            continue
        table.add_row(name, cells, i)
    if not table.end(len(rows)):
        raise ParseError(NAME, filename, "a 'Grand Total' row", row=len(rows))
    return table


def holdings_table(raw: bytes, filename: str) -> pd.DataFrame:
    """Long frame: slug, name, ref_date (month-end), value (USD bn); ``attrs["published"]``:
    the release date the file states (None when it states none)."""
    import pandas as pd

    rows = _rows(raw, filename)
    header = next((i for i, r in enumerate(rows[:40])
                   if r and r[0].strip() == "Country" and len(r) > 1
                   and re.fullmatch(r"\d{4}-\d{2}", r[1].strip())), None)
    if header is not None:
        table = _parse_current(rows, filename, header)
    elif any(_is_month_row(r) for r in rows[:40] if r):
        table = _parse_history(rows, filename)
    else:
        raise ParseError(NAME, filename, "'Country\\t2026-07…' (slt_table5) or a month row "
                         "'\\tDec\\tNov…' (mfhhis01) within the first 40 lines")
    import numpy as np

    slugs = sorted({k for keys, _, _ in table.parts for k in keys})
    code = {k: i for i, k in enumerate(slugs)}
    codes, days, values = [], [], []
    for keys, months, block in table.parts:
        keep = ~np.isnan(block)
        rows, cols = np.nonzero(keep)
        codes.append(np.array([code[k] for k in keys], dtype=np.int64)[rows])
        days.append(months[cols])
        values.append(block[keep])
    c, d, v = (np.concatenate(x) for x in (codes, days, values))
    order = np.lexsort((d, c))
    frame = pd.DataFrame({
        "slug": csvtools.str_series(slugs, c[order]),
        "name": csvtools.str_series([table.names[k] for k in slugs], c[order]),
        "ref_date": d[order].astype("datetime64[ns]"),
        "value": v[order],
    })
    frame.attrs["published"] = table.published
    return frame


def _info(key: str, name: str) -> SeriesInfo:
    label = {"total": "all foreign holders (Grand Total)",
             "foreign_official": "foreign official holders",
             "foreign_official_bills": "foreign official holders, Treasury bills",
             "foreign_official_bonds_notes": "foreign official holders, bonds & notes",
             }.get(key, name)
    return SeriesInfo(
        id=f"tic.holdings.{key}", name=f"US Treasury securities held by {label}",
        unit="USD bn", frequency="monthly",
        description="TIC Major Foreign Holders of Treasury Securities, end of month.",
        notes="Custody-based (custodial centres inflate Belgium/UK/Luxembourg/Cayman); "
              "series breaks in 2000-2011 keep the new series (mfhhis01 footnotes 6/-17/).",
    )


class UsTicHoldings(Source):
    """TIC major foreign holders: ``tic.holdings.<country>`` (USD bn, month-end)."""

    name = NAME
    title = "US Treasury TIC: major foreign holders of Treasury securities"
    publisher = "U.S. Department of the Treasury"
    max_age_days = 80  # monthly, released ~45-50 days after the month
    files = (
        FileSpec("mfhhis01", "https://ticdata.treasury.gov/Publish/mfhhis01.txt",
                 "tic/mfhhis01.txt", ("tic/mfhhis01.txt",)),
        FileSpec("slt_table5", "https://ticdata.treasury.gov/resource-center/"
                 "data-chart-center/tic/Documents/slt_table5.txt",
                 "tic/slt_table5.txt", ("tic/slt_table5.txt",)),
    )

    def parse(self, raw: bytes, filename: str) -> Parsed:
        import pandas as pd

        table = holdings_table(raw, filename)
        obs = pd.DataFrame({
            "series_id": ("tic.holdings." + table["slug"]).astype(str),
            "ref_date": table["ref_date"],
            "value": table["value"],
        })
        pairs = table[["slug", "name"]].drop_duplicates("slug")
        names: dict[str, Any] = dict(zip(pairs["slug"], pairs["name"]))
        return Parsed(obs, [_info(k, names[k]) for k in sorted(names)],
                      published=table.attrs.get("published"))
