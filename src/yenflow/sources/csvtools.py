"""Vectorised reading of line-per-row official CSVs (MOF JGB yields, UST par curve, FRED).

How the parsers use these helpers: after the header, the whole body is checked
in one pass against one strict pattern per row (:func:`rows_match`, RE2 through
pyarrow; ``[0-9]`` is ASCII only). If every line passes, the block is converted
in one go (:func:`read_block`: pyarrow's CSV reader, whose numbers are correctly
rounded, so each value equals Python's ``float(cell)``) and the tidy frame is
built with numpy masks (:func:`long_frame`).

A file that fails any of these checks is not rejected here: the parser then
reads it row by row with its exact per-cell checks, which raise the ParseError
naming the first bad row (and read as before the rare inputs the ASCII
patterns leave out, such as full-width digits). So the fast path only ever
accepts input the row-by-row path accepts, with the same result.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from yenflow.errors import ParseError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    import numpy as np
    import pandas as pd
    import pyarrow as pa

#: a decimal number, ASCII digits (the parsers' ``-?\d+(?:\.\d+)?`` without Unicode digits)
NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
#: the years a datetime64[ns] column holds (1677-09-21 … 2262-04-11), with room
#: for the last day of a period that starts in the last year
YEARS = (1678, 2261)


def line_separator(text: str, source: str, filename: str) -> str:
    """``"\\r\\n"`` or ``"\\n"``, whichever ends the first line; a stray CR or LF is a
    damaged row, not data: ParseError naming its line."""
    first = text.find("\n")
    crlf = first > 0 and text[first - 1] == "\r"
    if crlf and text.count("\r") == text.count("\n") == text.count("\r\n"):
        return "\r\n"  # every CR and every LF belongs to a CRLF pair
    if not crlf and "\r" not in text:
        return "\n"
    stray = re.search(r"\r(?!\n)|(?<!\r)\n" if crlf else r"\r", text)
    assert stray is not None
    raise ParseError(source, filename, f"{'CRLF' if crlf else 'LF'} line breaks throughout",
                     "a stray line break", text.count("\n", 0, stray.start()) + 1)


def within_years(day: date, source: str, filename: str, cell: str, row: int | None) -> date:
    """``day``, or ParseError if datetime64[ns] cannot hold it (it would wrap round)."""
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ParseError(source, filename, f"a date in the years {YEARS[0]}-{YEARS[1]}",
                         cell, row)
    return day


def after_lines(text: str, sep: str, n: int) -> str:
    """``text`` without its first ``n`` lines (``sep`` ends each line)."""
    pos = 0
    for _ in range(n):
        pos = text.find(sep, pos)
        if pos < 0:
            return ""
        pos += len(sep)
    return text[pos:]


def rows_match(body: str, row: str, sep: str) -> bool:
    """Is every line of ``body`` (``sep`` between lines, optionally after the last)
    a full match of the RE2 pattern ``row``, which must match neither an empty
    string nor a line break? True for an empty body."""
    import pyarrow as pa
    import pyarrow.compute as pc

    end = sep.replace("\r", r"\r").replace("\n", r"\n")
    pattern = rf"\A(?:(?:{row})(?:{end}|\z))*\z"
    return bool(pc.match_substring_regex(pa.array([body], pa.string()), pattern)[0].as_py())


def split_lines(text: str, sep: str) -> list[str]:
    """The physical lines, as ``csv.reader`` sees them when no field is quoted
    (an empty line is kept; the final line break ends the last line)."""
    lines = text.split(sep)
    if lines[-1] == "":
        lines.pop()
    return lines


def all_match(strings: Sequence[str], pattern: str) -> np.ndarray:
    """Per string: does it match ``pattern`` in full (RE2 syntax)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not strings:
        return np.zeros(0, dtype=bool)
    hits = pc.match_substring_regex(pa.array(strings, pa.string()), f"^(?:{pattern})$")
    return hits.to_numpy(zero_copy_only=False)


def read_block(body: str, width: int, missing: Sequence[str]) -> tuple[pa.Array, np.ndarray]:
    """First field (strings) and the other ``width - 1`` fields as floats (NaN for a
    ``missing`` marker) of the lines of ``body``, already checked by :func:`rows_match`."""
    import io

    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv

    if not body:
        return pa.array([], pa.string()), np.zeros((0, width - 1))
    names = [f"c{i}" for i in range(width)]
    table = pcsv.read_csv(
        io.BytesIO(body.encode()),
        read_options=pcsv.ReadOptions(column_names=names),
        parse_options=pcsv.ParseOptions(quote_char=False),
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa.string() if i == 0 else pa.float64() for i, n in enumerate(names)},
            null_values=list(missing), strings_can_be_null=False),
    )
    values = np.empty((table.num_rows, width - 1))
    for i in range(1, width):
        values[:, i - 1] = table.column(i).to_numpy()
    return table.column(0).combine_chunks(), values


def to_float(strings: Sequence[str], missing: Sequence[str]) -> np.ndarray:
    """Floats of strings already checked to be numbers or ``missing`` markers (NaN)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pa.array(strings, pa.string())
    cells = pc.if_else(pc.is_in(cells, value_set=pa.array(list(missing), pa.string())),
                       pa.scalar(None, pa.string()), cells)
    return pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)


def split_ints(strings: pa.Array, sep: str, n: int) -> np.ndarray:
    """(len(strings), n) integers of strings made of ``n`` digit runs joined by ``sep``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.split_pattern(strings, sep).flatten()
    return pc.cast(parts, pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64).reshape(-1, n)


def civil_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray | None:
    """datetime64[D] of each (year, month, day); None if any is not a calendar date
    or lies outside the years the fast path handles."""

    months = (year - 1970) * 12 + (month - 1)
    start = months.astype("datetime64[M]").astype("datetime64[D]")
    days = start + (day - 1)
    end = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (days < end)
    return days if bool(ok.all()) and _in_years(days) else None


def iso_days(strings: pa.Array) -> np.ndarray | None:
    """datetime64[D] of ``YYYY-MM-DD`` strings; None if any is not a calendar date
    or lies outside the years the fast path handles."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        days = pc.cast(strings, pa.date32()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # e.g. 2025-02-30
        return None
    return days if _in_years(days) else None


def _in_years(days: np.ndarray) -> bool:
    import numpy as np

    low, high = (np.datetime64(f"{y}-01-01", "D") for y in (YEARS[0], YEARS[1] + 1))
    return bool(((days >= low) & (days < high)).all())


def str_series(names: Sequence[str], codes: np.ndarray) -> pd.Series:
    """``pd.Series([names[c] for c in codes], dtype=str)``, without the Python list."""
    import pandas as pd
    import pyarrow as pa

    dtype = pd.Series([], dtype=str).dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return pd.Series(pa.array(list(names), pa.large_string()).take(pa.array(codes)),
                         dtype=dtype)
    return pd.Series(pd.Index(list(names), dtype=object).take(codes), dtype=str)


def long_frame(ids: Sequence[str], value: np.ndarray, ref_date: np.ndarray,
               order: str = "C", **extra: np.ndarray) -> pd.DataFrame:
    """The tidy frame of a (rows x series) block: one row per non-NaN ``value``,
    taken in ``order`` ("C": row by row, "F": series by series). ``ids`` name the
    columns of ``value``; ``ref_date`` and ``extra`` (datetime64[ns]) broadcast
    against it, e.g. shape (rows, 1) for one date per row."""
    import numpy as np
    import pandas as pd

    keep = ~np.isnan(value).ravel(order)

    def cells(a: np.ndarray) -> np.ndarray:
        return np.broadcast_to(a, value.shape).ravel(order)[keep]

    frame = pd.DataFrame({
        "series_id": str_series(ids, cells(np.arange(len(ids), dtype=np.int32))),
        "ref_date": cells(ref_date),
        "value": cells(value),
    }, copy=False)  # the arrays are new: no need to copy them again
    for name, a in extra.items():
        frame[name] = cells(a)
    return frame
