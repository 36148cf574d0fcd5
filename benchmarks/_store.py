"""The sample store every benchmark measures against: built from the official files in ``../shared/data``."""

from __future__ import annotations

import sys
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
