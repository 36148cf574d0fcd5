"""The Store: one DuckDB file holding the catalog, the raw archive and every
vintage of every observation.

DuckDB allows one read-write process *or* several read-only ones, and a
process holds its lock as long as a connection is open. So:

* a read-only Store opens a connection per query and closes it at once
  (``with store:`` keeps one connection for a batch of reads), so a notebook
  session never blocks ``yenflow update``;
* a read-write Store holds its connection while it writes; the update
  pipeline releases it (:meth:`~Store.release`) while it downloads;
* opening waits while another process holds a conflicting lock, up to
  ``$YENFLOW_LOCK_TIMEOUT`` seconds (default 60), saying so once on stderr;
* reading never creates a store: a missing one is a clear :class:`StoreError`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yenflow.errors import StoreError, UnknownSeriesError
from yenflow.store import migrations, observations

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from yenflow.sources.base import SeriesInfo


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Store:
    """The store at ``path`` (``None``: in memory).

    ``read_only=False`` creates the file if needed and applies migrations;
    ``read_only=True`` requires it to exist. ``wait``: seconds to wait for
    another process's lock (default ``$YENFLOW_LOCK_TIMEOUT`` or 60);
    ``on_wait`` is told once when waiting starts (default: a line on stderr).
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        wait: float | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        from yenflow.config import lock_timeout

        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.wait = lock_timeout() if wait is None else wait
        self.on_wait = on_wait or _say
        self._con: duckdb.DuckDBPyConnection | None = None
        if self.path is None:
            import duckdb

            self._con = duckdb.connect(":memory:")
            migrations.apply(self._con)
        elif read_only:
            if not self.path.is_file():
                raise StoreError(
                    f"no yenflow store at {self.path}: run `yenflow update` (or `yenflow update --from DIR`) "
                    "first, or check --home / $YENFLOW_HOME"
                )
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = self._connect()
            migrations.apply(self._con)

    # ----------------------------------------------------------------- lifecycle
    def _connect(self) -> "duckdb.DuckDBPyConnection":
        """Open the file, waiting (bounded) while another process holds a conflicting lock."""
        import duckdb

        due = time.monotonic() + self.wait
        told = False
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=self.read_only)
            except duckdb.IOException as e:
                if "lock" not in str(e).lower():
                    raise StoreError(f"cannot open {self.path}: {e}") from e
                doing = "updating" if self.read_only else "reading"
                if time.monotonic() >= due:
                    raise StoreError(
                        f"the store {self.path} is busy: another yenflow process has been {doing} it for more "
                        f"than {self.wait:g}s; retry when it has finished (or raise $YENFLOW_LOCK_TIMEOUT)"
                    ) from e
                if not told:
                    self.on_wait(f"yenflow: another process is {doing} {self.path}; waiting up to {self.wait:g}s…")
                    told = True
                time.sleep(0.2)

    @property
    def con(self) -> "duckdb.DuckDBPyConnection":
        """The held connection (opened, and waited for, on first use)."""
        if self._con is None:
            self._con = self._connect()
        return self._con

    def release(self) -> None:
        """Close the file's connection so other processes can open it; the next
        use of :attr:`con` opens it again."""
        if self._con is not None and self.path is not None:
            self._con.close()
            self._con = None

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> "Store":
        if self.read_only:
            self.con  # hold one connection for the block's reads
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _reading(self) -> Iterator["duckdb.DuckDBPyConnection"]:
        """The held connection, or one opened for this query and closed after it."""
        if self._con is not None:
            yield self._con
            return
        con = self._connect()
        try:
            yield con
        finally:
            con.close()

    # ------------------------------------------------------------------- catalog
    def register_series(self, source: str, infos: "list[SeriesInfo]", user: bool = False) -> None:
        """Insert or refresh catalog rows in one statement (caller owns the transaction)."""
        import pandas as pd

        if not infos:
            return
        df = pd.DataFrame(
            [(s.id, source, s.name, s.unit, s.frequency, s.description, s.notes, user) for s in infos],
            columns=["id", "source", "name", "unit", "frequency", "description", "notes", "user_imported"],
        ).drop_duplicates("id", keep="last")
        self.con.register("incoming_series", df)
        try:
            self.con.execute(
                """
                INSERT INTO series
                SELECT *, now()::TIMESTAMP FROM incoming_series
                ON CONFLICT (id) DO UPDATE SET source = excluded.source,
                    name = excluded.name, unit = excluded.unit,
                    frequency = excluded.frequency, description = excluded.description,
                    notes = excluded.notes, user_imported = excluded.user_imported,
                    updated_at = excluded.updated_at
                """
            )
        finally:
            self.con.unregister("incoming_series")

    def catalog(self, query: str | None = None) -> "pd.DataFrame":
        """Catalog with first/last observation and row counts; ``query`` filters
        on id, name, description, unit and source (case-insensitive)."""
        sql = """
            WITH latest AS (
                SELECT series_id, ref_date FROM observations
                GROUP BY series_id, ref_date
            ), span AS (
                SELECT series_id, min(ref_date) AS first, max(ref_date) AS last,
                       count(*) AS observations
                FROM latest GROUP BY series_id
            )
            SELECT s.id, s.source, s.name, s.unit, s.frequency, span.first, span.last,
                   coalesce(span.observations, 0) AS observations, s.user_imported,
                   s.description, s.notes
            FROM series s LEFT JOIN span ON span.series_id = s.id
        """
        params: list[Any] = []
        if query:
            sql += """ WHERE s.id ILIKE ? OR s.name ILIKE ? OR s.description ILIKE ?
                       OR s.unit ILIKE ? OR s.source ILIKE ?"""
            params = [f"%{query}%"] * 5
        with self._reading() as con:
            return con.execute(sql + " ORDER BY s.id", params).df()

    def info(self, series_id: str) -> dict[str, Any]:
        with self._reading() as con:
            return self._info(con, series_id)

    @staticmethod
    def _info(con: "duckdb.DuckDBPyConnection", series_id: str) -> dict[str, Any]:
        rows = con.execute("SELECT * FROM series WHERE id = ?", [series_id]).fetchall()
        if not rows:
            raise UnknownSeriesError(series_id)
        cols = [d[0] for d in con.description]
        return dict(zip(cols, rows[0]))

    # --------------------------------------------------------------------- reads
    def get(
        self, series_id: str, start: Any = None, end: Any = None, as_of: Any = None
    ) -> "pd.Series":
        """One series as a pandas Series (DatetimeIndex ``ref_date``).

        ``series.attrs`` carries the catalog row (unit, frequency, source,
        notes) and ``as_of``. ``as_of`` returns the values as this store knew
        them at that time (vintages first seen at or before it).
        """
        import pandas as pd

        with self._reading() as con:
            meta = self._info(con, series_id)
            df = observations.read(con, [series_id], start=start, end=end, as_of=as_of)
        s = pd.Series(
            df["value"].to_numpy(dtype="float64"),
            index=pd.DatetimeIndex(pd.to_datetime(df["ref_date"]), name="ref_date"),
            name=series_id,
        )
        attrs: dict[Any, Any] = {**meta, "as_of": None if as_of is None else str(as_of)}
        s.attrs = attrs
        return s

    def frame(
        self, series_ids: list[str], start: Any = None, end: Any = None, as_of: Any = None
    ) -> "pd.DataFrame":
        """Several series side by side (outer join on dates); ``df.attrs['units']``."""
        import pandas as pd

        with self._reading() as con:
            metas = {sid: self._info(con, sid) for sid in series_ids}
            long = observations.read(con, series_ids, start=start, end=end, as_of=as_of)
        wide = long.pivot(index="ref_date", columns="series_id", values="value")
        wide.index = pd.DatetimeIndex(pd.to_datetime(wide.index), name="ref_date")
        wide = wide.reindex(columns=series_ids)
        wide.columns.name = None
        wide.attrs = {
            "units": {sid: m["unit"] for sid, m in metas.items()},
            "as_of": None if as_of is None else str(as_of),
        }
        return wide

    def observations(
        self, series_ids: list[str], start: Any = None, end: Any = None, as_of: Any = None
    ) -> "pd.DataFrame":
        """Long frame incl. period_start, released, seen_at and raw_sha256."""
        with self._reading() as con:
            for sid in series_ids:
                self._info(con, sid)
            return observations.read(con, series_ids, start=start, end=end, as_of=as_of)

    def vintages(self, series_id: str, ref_date: Any = None) -> "pd.DataFrame":
        with self._reading() as con:
            self._info(con, series_id)
            return observations.vintages(con, series_id, ref_date)

    def has_series(self, series_id: str) -> bool:
        with self._reading() as con:
            return bool(con.execute("SELECT 1 FROM series WHERE id = ?", [series_id]).fetchall())

    def sql(self, query: str, params: list[Any] | None = None) -> "pd.DataFrame":
        """Run read SQL against the store (tables: series, observations, raw_fetches, …)."""
        with self._reading() as con:
            return con.execute(query, params or []).df()


def open_store(home: str | Path | None = None, *, read_only: bool = True) -> Store:
    """The store in ``home``; read-only unless ``read_only=False`` (which creates it)."""
    from yenflow.config import db_path

    return Store(db_path(home), read_only=read_only)
