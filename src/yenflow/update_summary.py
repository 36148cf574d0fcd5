"""What `update` prints (a per-source summary, notes and hints), and the per-source
status and source list behind `status` and `sources`.

The summary is plain text built from the results alone (no pandas, no rich), so
a run where nothing changed costs little more than reading and hashing the files.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:

    from yenflow.pipeline import SourceResult

OFFLINE_HINT = ("The publishers could not be reached. Without internet, read a folder or mirror of their files: "
                "`yenflow update --from DIR` (or set YENFLOW_MIRROR); see the README.")
_COLUMNS = ("source", "result", "files new", "files unchanged", "rows new", "rows revised", "rows unchanged", "seconds")


def summary_rows(results: "list[SourceResult]") -> list[tuple[str, ...]]:
    """One row per source, as printed (``_COLUMNS``)."""
    return [
        (r.source, r.status, str(r.files_new), str(r.files_skipped + r.files_not_modified), f"{r.counts.new:,}",
         f"{r.counts.revised:,}", f"{r.counts.unchanged:,}", f"{r.seconds:.2f}")
        for r in results
    ]


def print_summary(results: "list[SourceResult]", out: TextIO | None = None) -> None:
    """The per-source table, then each failure, partial download, note and hint on its own line."""
    out = out or sys.stdout
    rows = [_COLUMNS, *summary_rows(results)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_COLUMNS))]
    for k, row in enumerate(rows):
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip(), file=out)
        if k == 0:
            print("  ".join("-" * w for w in widths), file=out)
    for r in results:
        if r.error:
            print(f"{r.source}: {r.error}", file=out)
        for note in r.notes:
            print(f"{r.source}: {note}", file=out)
    hints = list(dict.fromkeys(r.hint for r in results if r.hint))
    for hint in hints:
        print(hint, file=out)
    if any(r.unreachable for r in results) and all(r.files_new == 0 for r in results):
        print(OFFLINE_HINT, file=out)
    if all(r.ok and r.files_new == 0 for r in results):
        print("nothing new: every file was already in the store", file=out)


