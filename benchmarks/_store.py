"""The sample store every benchmark measures against: built from the official files in ``../shared/data``."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def build_store(home: Path) -> None:
    """Ingest every source from the shared folder into ``home``; exit naming the sources that failed."""
    from yenflow.pipeline import update
    from yenflow.store import Store

    with Store(home / "yenflow.duckdb") as store:
        results = update(store, mirror=str(SHARED))
    failed = [r.source for r in results if not r.ok]
    if failed:
        sys.exit(f"sources failed: {failed}")


@contextmanager
def sample_home(home: Path | None) -> Iterator[Path]:
    """``home`` if given (an existing yenflow home), else a temporary one built from the shared folder
    (the build is timed and printed, outside every measurement) and removed afterwards."""
    if home is not None:
        yield home
        return
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        build_store(Path(tmp))
        print(f"store built from {SHARED} in {time.perf_counter() - t0:.1f} s")
        yield Path(tmp)
