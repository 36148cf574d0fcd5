"""The figures of a MOF securities-flow table as arrays: read, checked, emitted.

Used by the ITS weekly/monthly/by-investor parsers and BoP 6pi. The parsers walk
the rows once to classify them (period labels, month order, widths); the figures
under the located columns are then converted in one go (pyarrow: the common
``"1,689 "`` shape by regex and cast; only the rare other cells, such as missing
markers, go through :func:`its_common.number`), and every check runs on the
whole block with numpy:

* the published net against acquisition − disposition (``NET_TOLERANCE``,
  ±8 for investor aggregates), subtotal and total against their parts (±3);
* CY and FY rows against the sum of their months (±1 per month summed).

A failed check names the first offending row in file order, with the same
messages as the per-row checks they replace. Observations are built with
:func:`yenflow.sources.csvtools.long_frame`; missing markers (NaN) are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from yenflow.sources.mof import its_common as its

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import numpy as np
    import pandas as pd

Key = tuple[str, ...]  # (side, asset, measure) or (investor, measure)
_PLAIN = r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)$"  # after trimming: ASCII digits only


def read_figures(rows: "Sequence[list[str]]", cols: list[int], lines: "Sequence[int]",
                 ctx: its.Ctx, missing_ok: bool,
                 describe: "Callable[[int], str]") -> "tuple[np.ndarray, np.ndarray]":
    """(rows × cols floats, NaN for a missing marker; all-blank row mask).

    A blank cell in a row that has figures is a ParseError, and so is a missing
    marker unless ``missing_ok``; ``describe(j)`` names column ``j`` in it.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n, k = len(rows), len(cols)
    if n == 0:
        return np.zeros((0, k)), np.zeros(0, dtype=bool)
    cells = pc.utf8_trim_whitespace(pa.array([row[c] for row in rows for c in cols], pa.string()))
    plain = pc.match_substring_regex(cells, _PLAIN)
    numbers = pc.cast(pc.if_else(plain, pc.replace_substring(cells, ",", ""), None), pa.float64())
    values = numbers.to_numpy(zero_copy_only=False).reshape(n, k)
    plain_np = plain.to_numpy(zero_copy_only=False).reshape(n, k)
    blank = pc.equal(cells, "").to_numpy(zero_copy_only=False).reshape(n, k)
    blank_row = blank.all(axis=1)
    for i, j in zip(*np.nonzero(~plain_np & ~blank_row[:, None])):
        cell = rows[i][cols[j]]
        value = its.number(cell, ctx, lines[i], describe(j))  # junk raises here
        if value is None and (not cell.strip() or not missing_ok):
            raise ctx.error(describe(j), cell, lines[i])
        values[i, j] = np.nan if value is None else value
    return values, blank_row


@dataclass
class Figures:
    """A checked block: one row per period, one column per key."""

    keys: list[Key]
    values: "np.ndarray"  # periods × keys; NaN = no figure
    lines: "np.ndarray"  # physical line of each period's row
    index: dict[Key, int] = field(init=False)

    def __post_init__(self) -> None:
        self.index = {key: j for j, key in enumerate(self.keys)}

    def column(self, key: Key) -> "np.ndarray | None":
        j = self.index.get(key)
        return None if j is None else self.values[:, j]

    def add(self, key: Key, values: "np.ndarray") -> None:
        """Append a (derived) column."""
        import numpy as np

        self.keys.append(key)
        self.index[key] = len(self.keys) - 1
        self.values = np.column_stack([self.values, values])


def check_nets(fig: Figures, ctx: its.Ctx, what: "Callable[[Key], str]",
               tolerance: "Callable[[Key], float]") -> None:
    """Each published net within ``tolerance(prefix)`` of acquisition − disposition."""
    import numpy as np

    checks = []
    for key in fig.keys:
        if key[-1] != "net":
            continue
        prefix = key[:-1]
        acq, disp = fig.column((*prefix, "acq")), fig.column((*prefix, "disp"))
        if acq is None or disp is None:
            continue
        net = fig.column(key)
        computed = acq - disp
        with np.errstate(invalid="ignore"):
            bad = np.abs(net - computed) > tolerance(prefix)  # NaN compares False: skipped
        checks.append((bad, prefix, net, computed))
    failing = [(int(np.argmax(b)), n) for n, (b, *_) in enumerate(checks) if b.any()]
    if failing:
        i, n = min(failing)
        _, prefix, net, computed = checks[n]
        tol = tolerance(prefix)
        raise ctx.invalid(
            f"net {what(prefix)} = acquisition − disposition = {computed[i]:,.0f} (±{tol:.0f})",
            f"{net[i]:,.0f}", int(fig.lines[i]))


def check_flow_sums(fig: Figures, ctx: its.Ctx) -> None:
    """Per side: the published subtotal and total nets against the sum of their parts
    (skipped in a row where any of them is missing)."""
    import numpy as np

    checks = []
    for side in dict.fromkeys(k[0] for k in fig.keys):
        parts = [fig.column((side, a, "net")) for a in ("equity", "investment_funds", "bonds")]
        long_term = [p for p in parts if p is not None]
        bills = fig.column((side, "bills", "net"))
        for name, total, summed in (
            ("subtotal", fig.column((side, "subtotal", "net")), long_term),
            ("total", fig.column((side, "total", "net")), long_term + [bills]),
        ):
            if total is None or any(p is None for p in summed):
                continue
            expected = np.sum(summed, axis=0)
            with np.errstate(invalid="ignore"):
                bad = np.abs(total - expected) > its.SUM_TOLERANCE
            checks.append((bad, f"{side} {name} net", total, expected))
    failing = [(int(np.argmax(b)), n) for n, (b, *_) in enumerate(checks) if b.any()]
    if failing:
        i, n = min(failing)
        _, what, total, expected = checks[n]
        raise ctx.invalid(f"{what} = sum of its parts = {expected[i]:,.0f} (±3)",
                          f"{total[i]:,.0f}", int(fig.lines[i]))


def add_derived_debt(fig: Figures) -> None:
    """(side, 'debt', 'net') = bonds net + bills net for each side (NaN where either is
    missing); see :data:`its_common.DEBT_NOTE`."""
    for side in list(dict.fromkeys(k[0] for k in fig.keys)):
        bonds, bills = fig.column((side, "bonds", "net")), fig.column((side, "bills", "net"))
        if bonds is not None and bills is not None:
            fig.add((side, its.DERIVED_DEBT, "net"), bonds + bills)


def frame(fig: Figures, ids: "Callable[[Key], str]", starts: "np.ndarray",
          ends: "np.ndarray") -> "pd.DataFrame":
    """Tidy observations of every figure (period by period); NaN figures dropped."""
    from yenflow.sources import csvtools

    return csvtools.long_frame([ids(k) for k in fig.keys], fig.values,
                               ends.astype("datetime64[ns]")[:, None],
                               period_start=starts.astype("datetime64[ns]")[:, None])


def month_bounds(months: "Sequence[tuple[int, int]]") -> "tuple[np.ndarray, np.ndarray]":
    """(first day, last day) of each (year, month), as datetime64[D] arrays."""
    import numpy as np

    m = np.array([(y - 1970) * 12 + mo - 1 for y, mo in months], dtype=np.int64)
    starts = m.astype("datetime64[M]").astype("datetime64[D]")
    ends = (m + 1).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
    return starts, ends


# ------------------------------------------------------------------ monthly tables
@dataclass
class _Pending:
    line: int
    cells: list[str]
    label: its.Label
    ym: tuple[int, int] | None = None  # month rows


class MonthTable:
    """Sorts the rows of a monthly table into months and CY/FY rows, then reads and
    checks their figures as one block (:meth:`finish`).

    ``label_end``: the period label sits in ``cells[:label_end]``; ``value_cols``
    and ``keys``: the located value columns and their keys; a row with no figure at
    all is a month not yet published (skipped, never zero; no figures may follow
    it). Rows without a period label must carry no digits under the value columns
    (titles, English headers, section headings).
    """

    def __init__(self, ctx: its.Ctx, label_end: int, width: int, value_cols: list[int],
                 keys: list[Key], missing_ok: bool, describe: "Callable[[int], str]") -> None:
        self.ctx, self.label_end, self.width = ctx, label_end, width
        self.value_cols, self.keys = value_cols, keys
        self.missing_ok, self.describe = missing_ok, describe
        self.clock = its.MonthClock(ctx)
        self._months: list[_Pending] = []
        self._annuals: list[_Pending] = []
        # filled by finish()
        self.months: list[tuple[int, int]] = []
        self.prelim: list[bool] = []
        self.figures = Figures(list(keys), _empty(len(keys)), _empty(0, "int64"))
        self.annuals: list[tuple[str, int, int, np.ndarray]] = []  # (kind, year, line, values)

    def row(self, line: int, cells: list[str], label: its.Label | None = None) -> None:
        label = label or its.parse_label(cells[:self.label_end], self.ctx, line)
        if label.kind == "other":
            if its.has_digit([cells[c] for c in self.value_cols if c < len(cells)]):
                raise self.ctx.error("a month label like '2005,１月,Jan' or a CY/FY label",
                                     label.text, line)
            return
        its.check_width(cells, self.width, self.ctx, line)
        if label.kind == "month":
            self._months.append(_Pending(line, cells, label, self.clock.next(label, line)))
        else:
            self._annuals.append(_Pending(line, cells, label))

    def finish(self) -> None:
        """Read every figure; keep published months (blank ones only at the end)."""
        import numpy as np

        pending = self._months + self._annuals
        values, blank = read_figures([p.cells for p in pending], self.value_cols,
                                     [p.line for p in pending], self.ctx, self.missing_ok,
                                     self.describe)
        keep: list[int] = []
        first_blank: tuple[int, int] | None = None
        for i, p in enumerate(self._months):
            if blank[i]:
                first_blank = first_blank or p.ym
            elif first_blank:
                raise self.ctx.error(f"no figures after the unpublished month {first_blank[0]}-"
                                     f"{first_blank[1]:02d} (a blank row mid-series?)",
                                     p.label.text, p.line)
            else:
                keep.append(i)
        self.months = [self._months[i].ym for i in keep]  # type: ignore[misc]
        self.prelim = [self._months[i].label.prelim for i in keep]
        lines = np.array([self._months[i].line for i in keep], dtype=np.int64)
        self.figures = Figures(list(self.keys), values[keep], lines)
        offset = len(self._months)
        self.annuals = [(p.label.kind, p.label.year or 0, p.line, values[offset + i])
                        for i, p in enumerate(self._annuals) if not blank[offset + i]]

    def check(self, last_line: int) -> None:
        """At least one month, and every CY/FY row matching its months."""
        if not self.months:
            raise self.ctx.error("at least one published month after the header", row=last_line)
        check_annuals(self, self.ctx)


def _empty(k: int, dtype: str = "float64") -> "np.ndarray":
    import numpy as np

    return np.zeros((0, k), dtype=dtype) if dtype == "float64" else np.zeros(k, dtype=dtype)


def check_annuals(table: MonthTable, ctx: its.Ctx) -> None:
    """Each CY/FY figure equals the sum of its 12 months (missing = 0) within 1 per
    month summed. Skipped for periods the file does not cover completely."""
    import numpy as np

    row_of = {ym: i for i, ym in enumerate(table.months)}
    values = np.nan_to_num(table.figures.values, nan=0.0)
    for kind, year, line, annual in table.annuals:
        period = its.period_months(kind, year)
        if not all(ym in row_of for ym in period):
            continue
        total = values[[row_of[ym] for ym in period]].sum(axis=0)
        with np.errstate(invalid="ignore"):
            bad = np.abs(total - annual) > its.PER_MONTH_TOLERANCE * len(period)
        if bad.any():
            j = int(np.argmax(bad))
            key = ".".join(table.keys[j])
            raise ctx.invalid(f"{key} for {year}{kind} = sum of its months = {total[j]:,.0f} "
                              "(±12)", f"{annual[j]:,.0f}", line)
