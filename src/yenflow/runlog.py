"""For unattended updates: a lock so two runs never overlap, and one line per
run that monitoring can read.

The lock is an exclusive ``flock`` on ``<home>/update.lock`` held for the
whole run (released by the operating system if the process dies, so a killed
run never leaves a stale lock). A second run finds it taken and exits at once
with :data:`EXIT_LOCKED` (75, ``EX_TEMPFAIL``: "try again later").

Each run appends one JSON line to ``<home>/update-runs.jsonl`` and prints the
same facts as one ``key=value`` line on stderr::

    yenflow-update status=partial sources=31 ok=29 partial=1 failed=1 rows_new=1204 rows_revised=3 seconds=41.2 exit=1
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from yenflow.errors import YenflowError

if TYPE_CHECKING:
    from yenflow.pipeline import SourceResult

EXIT_LOCKED = 75
LOCK_NAME = "update.lock"
LOG_NAME = "update-runs.jsonl"


class RunLocked(YenflowError):
    """Another `yenflow update` holds the run lock."""


@contextmanager
def run_lock(home: Path) -> Iterator[None]:
    """Hold ``<home>/update.lock`` for the block; :class:`RunLocked` if another run has it."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / LOCK_NAME
    with open(path, "a+") as f:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: DuckDB's own write lock still serialises writers
            yield
            return
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            raise RunLocked(f"another yenflow update is running ({holder}); this run exits without doing anything") from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()} since {datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ}")
        f.flush()
        try:
            yield
        finally:
            f.seek(0)
            f.truncate()
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


@dataclass(frozen=True)
class RunRecord:
    started: datetime
    seconds: float
    status: str  # ok | partial | failed
    exit_code: int
    counts: dict[str, int]

    def line(self) -> str:
        parts = [f"status={self.status}", *(f"{k}={v}" for k, v in self.counts.items()),
                 f"seconds={self.seconds:.1f}", f"exit={self.exit_code}"]
        return "yenflow-update " + " ".join(parts)

    def json(self) -> str:
        return json.dumps({"started": self.started.isoformat(timespec="seconds"), "status": self.status,
                           "exit": self.exit_code, "seconds": round(self.seconds, 1), **self.counts})


def record(results: "list[SourceResult]", started: datetime, seconds: float, exit_code: int) -> RunRecord:
    counts = {
        "sources": len(results),
        "ok": sum(r.status == "ok" for r in results),
        "partial": sum(r.status == "partial" for r in results),
        "failed": sum(r.status == "FAILED" for r in results),
        "no_files": sum(r.status == "no files" for r in results),
        "files_new": sum(r.files_new for r in results),
        "rows_new": sum(r.counts.new for r in results),
        "rows_revised": sum(r.counts.revised for r in results),
    }
    status = "failed" if counts["failed"] else "partial" if counts["partial"] else "ok"
    return RunRecord(started, seconds, status, exit_code, counts)


def append(home: Path, rec: RunRecord) -> None:
    """Append the run to ``<home>/update-runs.jsonl`` (best effort: a full disk must not hide the update)."""
    try:
        with open(home / LOG_NAME, "a", encoding="utf-8") as f:
            f.write(rec.json() + "\n")
    except OSError:
        pass
