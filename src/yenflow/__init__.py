"""yenflow: watch Japan's money move, from official data.

>>> import yenflow
>>> store = yenflow.open()            # the store in $YENFLOW_HOME or the user data dir
>>> store.get("jgb.10y", start="2024-07-25")   # pandas Series, unit in .attrs
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yenflow.errors import ParseError, SourceError, YenflowError

if TYPE_CHECKING:
    from pathlib import Path

    from yenflow.store import Store

__all__ = ["open", "YenflowError", "SourceError", "ParseError"]


def open(home: "str | Path | None" = None, *, read_only: bool = False) -> "Store":  # noqa: A001
    """Open the yenflow store (created on first use)."""
    from yenflow.store import open_store

    return open_store(home, read_only=read_only)
