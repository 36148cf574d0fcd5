"""Read access to the store from the server, one short read-only connection
per computation.

DuckDB lets one process write *or* several read: while ``yenflow update``
holds the file, opening it fails with a lock error. :func:`open_read_only` is
the one place that waits for the lock (the Store's own bounded wait) and
gives up with :class:`StoreBusy`; the server then serves the last result it
computed, so it keeps answering during an update and never shows a store
half-way through one (a reader only ever opens a file no writer holds).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from yenflow.errors import YenflowError

if TYPE_CHECKING:
    from yenflow.store import Store


class StoreBusy(YenflowError):
    """Another process (``yenflow update``) holds the store; retry in a few seconds."""


def open_read_only(path: Path, wait_s: float) -> "Store":
    """The store opened read-only (a connection held until it is closed), waiting up to ``wait_s``
    seconds while another process holds it; :class:`StoreBusy` after that."""
    from yenflow.errors import StoreError
    from yenflow.store import Store

    store = Store(path, read_only=True, wait=wait_s, on_wait=lambda message: None)
    try:
        store.con  # noqa: B018 - open now: the lock is taken (or waited for) here, not mid-view
    except StoreError as e:
        if "busy" in str(e) or "lock" in str(e).lower():
            raise StoreBusy(f"the store {path} is being written by another process (yenflow update); "
                            "retry in a few seconds") from e
        raise
    return store


def store_version(path: Path) -> tuple[int, ...]:
    """Changes whenever the store file (or its write-ahead log) changes: the cache key's store part."""
    out: list[int] = []
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            st = p.stat()
            out += [st.st_mtime_ns, st.st_size]
        except FileNotFoundError:
            out += [0, 0]
    return tuple(out)
