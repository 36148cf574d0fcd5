"""The one result every view returns, and its JSON shape.

A :class:`ViewResult` holds one or more named :class:`Table` s (a DataFrame,
the unit of each column, the date each row refers to, and whether the table
is a time series or a snapshot), the conventions behind the numbers, warnings
(stale or fallback inputs), the inputs used and the ``as_of`` it was computed
for. Renderers (console, CSV, JSON, web, report) draw it; none of them
computes anything.

JSON shape (``ViewResult.to_dict``)::

    {"view", "title", "params", "as_of", "version",
     "tables": [{"name", "title", "kind", "units", "date_column", "rows": [...]}],
     "conventions": [...], "warnings": [...], "inputs": [{"series_id", "unit", ...}]}

Row keys are the frame's snake_case column names, dates are ISO strings,
missing values are ``null``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

TableKind = Literal["series", "snapshot"]


@dataclass(frozen=True)
class Chart:
    """How a table is best drawn: a hint for the web and report renderers.

    ``kind``: ``line``, ``bar``, ``area``, ``scatter`` or ``none``; ``x`` the
    column (or ``None`` for the index); ``y`` the columns to draw;
    ``y_title`` the axis title with its unit; ``secondary`` columns drawn on a
    right-hand axis; ``zero_line`` draws y = 0 (flows, spreads).
    ``lines``: columns drawn as lines over a bar chart (rolling sums over
    weekly flows); ``band``: (low, high) columns shaded between (percentile
    bands); ``group``: a text column whose values each get a trace (long
    tables); ``labels``: (column, legend label) pairs, e.g. to put a curve's
    date in its legend; ``x_title``: the x axis title when x is not a date;
    ``shade``: (table, start column, end column) of the same result whose
    spans are shaded (drawdowns); ``secondary_title``: the right axis title.
    """

    kind: str = "line"
    y: tuple[str, ...] = ()
    x: str | None = None
    y_title: str = ""
    secondary: tuple[str, ...] = ()
    zero_line: bool = False
    events: bool = True
    lines: tuple[str, ...] = ()
    band: tuple[str, ...] = ()
    group: str | None = None
    labels: tuple[tuple[str, str], ...] = ()
    x_title: str = ""
    shade: tuple[str, ...] = ()
    secondary_title: str = ""


@dataclass(frozen=True)
class Table:
    """One named table of a result.

    ``frame`` is the data; for a time series its index is the date each row
    refers to (a DatetimeIndex named ``date_column``), for a snapshot a plain
    index and, where rows carry dates, the column ``date_column`` holds them.
    ``units`` maps column names to their unit (``"%"``, ``"bp"``,
    ``"JPY bn"``, ``"date"``, ``"text"``…); ``decimals`` the precision at which
    CSV and console print a column (the publisher's precision where it has
    one).
    """

    name: str
    frame: "pd.DataFrame"
    units: dict[str, str]
    kind: TableKind = "snapshot"
    title: str = ""
    date_column: str | None = None
    decimals: dict[str, int] = field(default_factory=dict)
    chart: Chart | None = None

    def columns(self) -> list[str]:
        """Column names including the index when it holds data (dates, labels)."""
        return ([self.index_name] if self.has_index else []) + [str(c) for c in self.frame.columns]

    @property
    def has_index(self) -> bool:
        import pandas as pd

        return self.frame.index.name is not None or isinstance(self.frame.index, pd.DatetimeIndex)

    @property
    def index_name(self) -> str:
        return str(self.frame.index.name or self.date_column or "date")

    def flat(self) -> "pd.DataFrame":
        """The frame with a meaningful index moved into the first column."""
        if not self.has_index:
            return self.frame.reset_index(drop=True)
        out = self.frame.reset_index()
        out.columns = [self.index_name, *[str(c) for c in self.frame.columns]]
        return out

    def rows(self) -> list[dict[str, Any]]:
        """JSON-ready rows: ISO dates, ``None`` for missing, plain Python numbers."""
        flat = self.flat()
        cols = list(flat.columns)
        return [{c: json_value(v, self.decimals.get(c)) for c, v in zip(cols, rec)}
                for rec in flat.itertuples(index=False, name=None)]

    def to_dict(self) -> dict[str, Any]:
        units = {c: self.units.get(c, "") for c in self.columns()}
        return {"name": self.name, "title": self.title, "kind": self.kind, "units": units,
                "date_column": self.date_column, "rows": self.rows()}


@dataclass(frozen=True)
class Input:
    """A stored series a view read: what it is, its unit, its last observation
    (as of the view's ``as_of``), its source and the role it played."""

    series_id: str
    unit: str
    last_date: date | None
    source: str
    role: str = ""
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"series_id": self.series_id, "name": self.name, "unit": self.unit,
                "last_date": None if self.last_date is None else self.last_date.isoformat(),
                "source": self.source, "role": self.role}


@dataclass(frozen=True)
class ViewResult:
    """What a view returns: immutable, renderable by every interface."""

    view: str
    title: str
    params: dict[str, Any]
    as_of: datetime | None
    tables: tuple[Table, ...]
    conventions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    inputs: tuple[Input, ...] = ()

    @property
    def main(self) -> Table:
        """The first table: what CSV writes and a chart draws first."""
        return self.tables[0]

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(f"{self.view} has no table {name!r}; it has {[t.name for t in self.tables]}")

    def frame(self, name: str | None = None) -> "pd.DataFrame":
        """The DataFrame of a table (the main one by default)."""
        return (self.main if name is None else self.table(name)).frame

    def to_dict(self) -> dict[str, Any]:
        from yenflow import __version__

        return {
            "view": self.view,
            "title": self.title,
            "params": {k: json_value(v) for k, v in self.params.items()},
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "version": __version__,
            "tables": [t.to_dict() for t in self.tables],
            "conventions": list(self.conventions),
            "warnings": list(self.warnings),
            "inputs": [i.to_dict() for i in self.inputs],
        }


def json_value(v: Any, decimals: int | None = None) -> Any:
    """A value as JSON wants it: ISO dates, None for NaN/NaT, plain numbers
    rounded to ``decimals`` (or to 12 significant digits: no float noise)."""
    import numpy as np

    if v is None:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f) or math.isinf(f):
            return None
        return clean_float(f, decimals)
    if isinstance(v, datetime) or type(v).__name__ == "Timestamp":
        if v != v:  # NaT
            return None
        ts = v
        if ts.hour == 0 and ts.minute == 0 and ts.second == 0 and ts.microsecond == 0:
            return ts.date().isoformat()
        return ts.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if type(v).__name__ in ("NaTType", "NAType"):
        return None
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    return v


def clean_float(f: float, decimals: int | None = None) -> float | int:
    """``f`` without binary noise: rounded to ``decimals`` if given, else to 12
    significant digits (``175.00000000000006`` → ``175.0``)."""
    if decimals is not None:
        f = round(f, decimals)
    elif abs(f) < 1e-9:
        f = 0.0  # the remainder of a subtraction of equal decimals, not a value
    else:
        f = float(f"{f:.12g}")
    return f + 0.0  # no -0.0
