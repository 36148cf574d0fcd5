"""The Store: one DuckDB file holding the catalog, the raw archive and every
vintage of every observation.

DuckDB allows one read-write process *or* several read-only ones, so read
commands open the file read-only and updates hold short write transactions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from yenflow.errors import StoreError, UnknownSeriesError
from yenflow.store import migrations, observations

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.sources.base import SeriesInfo


class Store:
    """Open (creating if needed) the store at ``path``; ``path=None`` is in memory."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        import duckdb

        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self.con = duckdb.connect(":memory:")
            else:
                if read_only and not self.path.exists():
                    # an empty store: create it once so readers get the schema
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    Store(self.path).close()
                if not read_only:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as e:
            raise StoreError(
                f"cannot open {self.path}: {e}. Another yenflow process may be "
                "updating it; retry when it has finished."
            ) from e
        self.read_only = read_only
        if not read_only:
            migrations.apply(self.con)

    # ----------------------------------------------------------------- lifecycle
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        return self.con.execute(sql + " ORDER BY s.id", params).df()

    def info(self, series_id: str) -> dict[str, Any]:
        rows = self.con.execute("SELECT * FROM series WHERE id = ?", [series_id]).fetchall()
        if not rows:
            raise UnknownSeriesError(series_id)
        cols = [d[0] for d in self.con.description]
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

        meta = self.info(series_id)
        df = observations.read(self.con, [series_id], start=start, end=end, as_of=as_of)
        s = pd.Series(
            df["value"].to_numpy(dtype="float64"),
            index=pd.DatetimeIndex(pd.to_datetime(df["ref_date"]), name="ref_date"),
            name=series_id,
        )
        s.attrs = {**meta, "as_of": None if as_of is None else str(as_of)}
        return s

    def frame(
        self, series_ids: list[str], start: Any = None, end: Any = None, as_of: Any = None
    ) -> "pd.DataFrame":
        """Several series side by side (outer join on dates); ``df.attrs['units']``."""
        import pandas as pd

        metas = {sid: self.info(sid) for sid in series_ids}
        long = observations.read(self.con, series_ids, start=start, end=end, as_of=as_of)
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
        for sid in series_ids:
            self.info(sid)
        return observations.read(self.con, series_ids, start=start, end=end, as_of=as_of)

    def vintages(self, series_id: str, ref_date: Any = None) -> "pd.DataFrame":
        self.info(series_id)
        return observations.vintages(self.con, series_id, ref_date)

    def has_series(self, series_id: str) -> bool:
        return bool(self.con.execute("SELECT 1 FROM series WHERE id = ?", [series_id]).fetchall())

    def sql(self, query: str, params: list[Any] | None = None) -> "pd.DataFrame":
        """Run read SQL against the store (tables: series, observations, raw_fetches, …)."""
        return self.con.execute(query, params or []).df()


def open_store(
    home: str | Path | None = None, *, read_only: bool = False
) -> Store:
    from yenflow.config import db_path

    return Store(db_path(home), read_only=read_only)
