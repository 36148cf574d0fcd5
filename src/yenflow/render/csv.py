"""CSV of a result's main table: ISO dates, the column's precision, no float noise."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from yenflow.render.format import csv_cell

if TYPE_CHECKING:
    from yenflow.views.result import Table


def write_csv(table: "Table", out: TextIO) -> None:
    flat = table.flat()
    cols = [str(c) for c in flat.columns]
    decimals = [table.decimals.get(c) for c in cols]
    w = csv.writer(out, lineterminator="\n")
    w.writerow(cols)
    for rec in flat.itertuples(index=False, name=None):
        w.writerow([csv_cell(v, d) for v, d in zip(rec, decimals)])
