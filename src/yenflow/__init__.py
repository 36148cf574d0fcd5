"""yenflow: watch Japan's money move, from official data.

>>> import yenflow
>>> store = yenflow.open()            # the store in $YENFLOW_HOME or the user data dir (read-only)
>>> store.get("jgb.10y", start="2024-07-25")   # pandas Series, unit in .attrs
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yenflow.errors import ParseError, SourceError, YenflowError

if TYPE_CHECKING:
    from pathlib import Path

    from yenflow.store import Store

__all__ = ["open", "YenflowError", "SourceError", "ParseError"]


def open(home: "str | Path | None" = None, *, read_only: bool = True) -> "Store":  # noqa: A001
    """Open the yenflow store for reading (``yenflow update`` writes it).

    Each query opens the file and closes it again, so a long-lived session
    never blocks an update in another process; ``with store:`` keeps one
    connection for a batch of reads. ``read_only=False`` opens it for writing
    (and creates it), holding the lock until ``close()``.
    """
    from yenflow.store import open_store

    return open_store(home, read_only=read_only)
