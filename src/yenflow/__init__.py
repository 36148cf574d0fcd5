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
    from yenflow.views.result import ViewResult

__all__ = ["open", "view", "list_views", "YenflowError", "SourceError", "ParseError", "__version__"]


def __getattr__(name: str) -> object:
    if name == "__version__":  # from the installed package's metadata, read on first use
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("yenflow")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
            return "0+unknown"
    raise AttributeError(name)


def open(home: "str | Path | None" = None, *, read_only: bool = True) -> "Store":  # noqa: A001
    """Open the yenflow store for reading (``yenflow update`` writes it).

    Each query opens the file and closes it again, so a long-lived session
    never blocks an update in another process; ``with store:`` keeps one
    connection for a batch of reads. ``read_only=False`` opens it for writing
    (and creates it), holding the lock until ``close()``.
    """
    from yenflow.store import open_store

    return open_store(home, read_only=read_only)


def view(name: str, home: "str | Path | None" = None, **params: object) -> "ViewResult":
    """Run one view on the store and return its result (tables as DataFrames,
    units, conventions, warnings, inputs). ``params`` are the view's typed
    parameters (``yenflow.list_views()`` names the views); ``as_of`` shows it as the store
    knew it then.

    >>> r = yenflow.view("hedge", bond_tenor=10, side="jp", as_of="2026-06-30")
    >>> r.frame()            # the main table
    """
    from yenflow.store import open_store
    from yenflow.views import registry

    spec = registry.get(name)
    if not spec.needs_store:
        return registry.run(None, name, params)
    with open_store(home, read_only=True) as store:
        return registry.run(store, name, params)


def list_views() -> "dict[str, str]":
    """Every view's name and what it shows."""
    from yenflow.views import registry

    return {name: spec.summary for name, spec in sorted(registry.specs().items())}
