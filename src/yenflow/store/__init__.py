"""The DuckDB store: catalog, raw archive, revision-aware observations."""

from yenflow.store.store import Store, open_store

__all__ = ["Store", "open_store"]
