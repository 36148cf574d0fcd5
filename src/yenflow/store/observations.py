"""Revision-aware observations: upsert a parsed frame, read latest or as-of.

A (series_id, ref_date) pair can hold several vintages. Upserting a frame
adds a row only where the value is new or differs from the latest stored
vintage; nothing is ever updated in place or deleted. Reads pick, per
(series_id, ref_date), the newest vintage with ``seen_at <= as_of``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


@dataclass
class UpsertCounts:
    new: int = 0
    revised: int = 0
    unchanged: int = 0

    def __iadd__(self, other: "UpsertCounts") -> "UpsertCounts":
        self.new += other.new
        self.revised += other.revised
        self.unchanged += other.unchanged
        return self


def _incoming(obs: "pd.DataFrame") -> "pd.DataFrame":
    """The columns the table takes, optional ones filled with nulls."""
    import pandas as pd

    out = obs[["series_id", "ref_date", "value"]].copy()
    for col in ("period_start", "released"):
        out[col] = obs[col] if col in obs.columns else pd.NaT
    return out


def upsert(
    con: "duckdb.DuckDBPyConnection",
    obs: "pd.DataFrame",
    *,
    seen_at: datetime,
    raw_sha256: str,
) -> UpsertCounts:
    """Insert new and revised observations of ``obs``; the caller owns the transaction."""
    if obs.empty:
        return UpsertCounts()
    con.register("incoming_obs", _incoming(obs))
    try:
        seen = con.execute(
            "SELECT count(*) FROM observations WHERE series_id IN (SELECT DISTINCT series_id FROM incoming_obs)"
        ).fetchall()[0][0]
        if seen == 0:  # series new to the store: every row is new, no diff needed
            con.execute(
                """INSERT INTO observations SELECT series_id, ref_date::DATE, value, period_start::DATE,
                   released::DATE, ?, ? FROM incoming_obs""",
                [seen_at, raw_sha256],
            )
            return UpsertCounts(new=len(obs))
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE upsert_diff AS
            WITH inc AS (
                SELECT series_id, ref_date::DATE AS ref_date, value,
                       period_start::DATE AS period_start, released::DATE AS released
                FROM incoming_obs
            ),
            latest AS (
                SELECT o.series_id, o.ref_date, o.value
                FROM observations o
                WHERE o.series_id IN (SELECT DISTINCT series_id FROM inc)
                QUALIFY row_number() OVER (
                    PARTITION BY o.series_id, o.ref_date ORDER BY o.seen_at DESC) = 1
            )
            SELECT inc.*,
                   CASE WHEN latest.value IS NULL THEN 'new'
                        WHEN latest.value = inc.value THEN 'same'
                        ELSE 'revised' END AS kind
            FROM inc LEFT JOIN latest USING (series_id, ref_date)
            """
        )
        con.execute(
            """
            INSERT INTO observations
            SELECT series_id, ref_date, value, period_start, released, ?, ?
            FROM upsert_diff WHERE kind <> 'same'
            """,
            [seen_at, raw_sha256],
        )
        counts = dict(
            con.execute("SELECT kind, count(*) FROM upsert_diff GROUP BY kind").fetchall()
        )
    finally:
        con.unregister("incoming_obs")
        con.execute("DROP TABLE IF EXISTS upsert_diff")
    return UpsertCounts(
        new=counts.get("new", 0),
        revised=counts.get("revised", 0),
        unchanged=counts.get("same", 0),
    )


def read(
    con: "duckdb.DuckDBPyConnection",
    series_ids: list[str],
    *,
    start: object = None,
    end: object = None,
    as_of: object = None,
) -> "pd.DataFrame":
    """Long frame (series_id, ref_date, value, period_start, released, seen_at, raw_sha256)."""
    where = ["series_id IN (SELECT unnest(?::VARCHAR[]))"]
    params: list[object] = [series_ids]
    if as_of is not None:
        where.append("seen_at <= ?::TIMESTAMP")
        params.append(_ts(as_of))
    sql = f"""
        SELECT * FROM observations
        WHERE {' AND '.join(where)}
        QUALIFY row_number() OVER (
            PARTITION BY series_id, ref_date ORDER BY seen_at DESC) = 1
    """
    outer = []
    if start is not None:
        outer.append("ref_date >= ?::DATE")
        params.append(_ts(start))
    if end is not None:
        outer.append("ref_date <= ?::DATE")
        params.append(_ts(end))
    if outer:
        sql = f"SELECT * FROM ({sql}) WHERE {' AND '.join(outer)}"
    return con.execute(sql + " ORDER BY series_id, ref_date", params).df()


def vintages(
    con: "duckdb.DuckDBPyConnection", series_id: str, ref_date: object = None
) -> "pd.DataFrame":
    """Every stored vintage of a series (optionally one date), oldest first."""
    sql = "SELECT * FROM observations WHERE series_id = ?"
    params: list[object] = [series_id]
    if ref_date is not None:
        sql += " AND ref_date = ?::DATE"
        params.append(_ts(ref_date))
    return con.execute(sql + " ORDER BY ref_date, seen_at", params).df()


def _ts(value: object) -> object:
    """Accept str/date/datetime/Timestamp; return something DuckDB binds."""
    import pandas as pd

    return pd.Timestamp(value).to_pydatetime()
