"""Load a third-party re-export (a ``_derived`` file) through an official source's parser.

``yenflow update`` never picks up ``_derived`` files. When a re-export has the
fields of an official format a source already reads — e.g. a CSV of J-Quants
investor-type records, read by ``jpx.investor_types`` — this loads it explicitly,
with the same archive, vintage and validation rules as an update, and marks the
series user-imported in the catalog (their notes name the file). ``yenflow
rebuild`` re-parses it like any archived file of that source.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from yenflow.errors import YenflowError

if TYPE_CHECKING:
    from yenflow.pipeline import SourceResult
    from yenflow.store import Store

#: sources whose parser also reads a third-party re-export of their records
READS_REEXPORTS = ("jpx.investor_types",)


def import_reexport(store: "Store", path: Path, source_name: str) -> "SourceResult":
    """Parse ``path`` with ``source_name``'s parser and store it, marked user-imported.

    Never raises YenflowError: a failure comes back as a FAILED result with the error,
    the store unchanged.
    """
    from yenflow.pipeline import FAILED, SourceResult, _log, ingest
    from yenflow.sources import get_source
    from yenflow.sources.base import RawFile

    t0 = time.perf_counter()
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    if source_name not in READS_REEXPORTS:
        result = SourceResult(source_name, status=FAILED, error=(
            f"source {source_name!r} does not read re-exports; those that do: {', '.join(READS_REEXPORTS)}"))
    else:
        source = get_source(source_name)
        try:
            raw = RawFile(path.name, path.read_bytes(), path.resolve().as_uri())
            result = ingest(store, source, [raw], user=True)
        except OSError as e:
            result = SourceResult(source_name, status=FAILED, error=f"cannot read {path}: {e.strerror or e}")
        except YenflowError as e:
            result = SourceResult(source_name, status=FAILED, error=str(e))
    result.seconds = time.perf_counter() - t0
    _log(store, [(result, started)])
    return result
