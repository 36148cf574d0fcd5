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
    import numpy as np
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


@dataclass(frozen=True)
class Vintage:
    """One file's observations and the vintage stamp they get if stored.
    ``keys`` (from :func:`row_keys`) may be passed when already computed."""

    observations: "pd.DataFrame"
    seen_at: datetime
    raw_sha256: str
    keys: "np.ndarray | None" = None


def upsert(
    con: "duckdb.DuckDBPyConnection",
    obs: "pd.DataFrame",
    *,
    seen_at: datetime,
    raw_sha256: str,
) -> UpsertCounts:
    """Insert new and revised observations of one file; the caller owns the transaction."""
    return upsert_many(con, [Vintage(obs, seen_at, raw_sha256)])[0]


def upsert_many(con: "duckdb.DuckDBPyConnection", vintages: "list[Vintage]") -> list[UpsertCounts]:
    """Store several files' observations, oldest vintage first, in one pass.

    Per (series_id, ref_date) the stored latest value and each file's value
    are lined up in vintage order; a file's row is stored only when it is the
    first value ever seen (``new``) or differs from the value just before it
    (``revised``); otherwise it is ``unchanged``. Equivalent to upserting the
    files one after the other. The line-up works on numpy arrays of one int64
    key per (series, day) (a stable sort keeps the vintage order), so the
    frames themselves are never concatenated or sorted; only the rows to
    store reach DuckDB. Returns the counts per file, in the order given.
    """
    import numpy as np

    counts = [UpsertCounts() for _ in vintages]
    frames = [v.observations for v in vintages]
    ids = sorted({sid for f in frames if len(f) for sid in f["series_id"].unique()})
    if not ids:
        return counts
    stored = _stored_latest(con, ids)
    parts = ([stored] if stored is not None else []) + frames
    ords = ([0] if stored is not None else []) + list(range(1, len(frames) + 1))
    known = ([None] if stored is not None else []) + [v.keys for v in vintages]
    key = np.concatenate([k if k is not None else row_keys(f) for f, k in zip(parts, known)])
    val = np.concatenate([f["value"].to_numpy(dtype="float64") for f in parts])
    order = np.concatenate([np.full(len(f), o, dtype=np.int64) for f, o in zip(parts, ords)])
    if stored is None and not _has_duplicates(key):
        kind = np.zeros(len(key), dtype=np.int8)  # nothing stored and no key twice: all new
    else:
        idx = np.argsort(key, kind="stable")
        k, v = key[idx], val[idx]
        same_key = np.r_[False, k[1:] == k[:-1]]
        same_val = np.r_[False, v[1:] == v[:-1]]
        kind = np.empty(len(key), dtype=np.int8)
        kind[idx] = np.where(~same_key, 0, np.where(same_val, 2, 1))  # 0 new, 1 revised, 2 unchanged
    for code, field in ((0, "new"), (1, "revised"), (2, "unchanged")):
        per = np.bincount(order[kind == code], minlength=len(frames) + 1)
        for i, c in enumerate(counts):
            setattr(c, field, int(per[i + 1]))
    offsets = np.cumsum([0] + [len(f) for f in parts])
    first = 1 if stored is not None else 0
    small = []
    for i, frame in enumerate(frames):
        lo, hi = offsets[first + i], offsets[first + i + 1]
        keep = kind[lo:hi] != 2
        if keep.any():
            rows = frame if keep.all() else frame[keep]
            if len(rows) >= SMALL_FRAME:
                _insert(con, rows, vintages[i])
            else:
                small.append((rows, vintages[i]))
    if small:
        _insert_small(con, small)
    return counts


#: frames smaller than this are gathered into one INSERT (one DuckDB round trip
#: costs ~2 ms; copying a large frame to concatenate it costs more)
SMALL_FRAME = 20_000


def _insert_small(con: "duckdb.DuckDBPyConnection", parts: "list[tuple[pd.DataFrame, Vintage]]") -> None:
    import pandas as pd

    if len(parts) == 1:
        _insert(con, *parts[0])
        return
    cols = ["series_id", "ref_date", "value", "period_start", "released"]
    rows = pd.concat([f.reindex(columns=cols).assign(ord=i) for i, (f, _) in enumerate(parts)], ignore_index=True)
    files = pd.DataFrame({"ord": range(len(parts)), "seen_at": [v.seen_at for _, v in parts],
                          "raw_sha256": [v.raw_sha256 for _, v in parts]})
    con.register("rows_to_store", rows)
    con.register("row_files", files)
    try:
        con.execute("""INSERT INTO observations
                       SELECT r.series_id, r.ref_date::DATE, r.value, r.period_start::DATE, r.released::DATE,
                              f.seen_at, f.raw_sha256
                       FROM rows_to_store r JOIN row_files f USING (ord)""")
    finally:
        con.unregister("rows_to_store")
        con.unregister("row_files")


#: series id -> small integer, stable for the life of the process (keys of
#: different files and of the stored rows must agree)
_SERIES_CODES: dict[str, int] = {}


def row_keys(frame: "pd.DataFrame") -> "np.ndarray":
    """One int64 per row: series code in the high 32 bits, days since 1970 in the low."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(frame["series_id"])
    lookup = [_SERIES_CODES.setdefault(u, len(_SERIES_CODES)) for u in uniques]
    series_code = np.array(lookup, dtype=np.int64)[codes]
    days = pd.to_datetime(frame["ref_date"]).to_numpy(dtype="datetime64[D]").astype(np.int64)
    return (series_code << 32) | (days & 0xFFFFFFFF)


def _has_duplicates(key: "np.ndarray") -> bool:
    import pandas as pd

    return bool(pd.Series(key).duplicated().any())


def _insert(con: "duckdb.DuckDBPyConnection", rows: "pd.DataFrame", v: Vintage) -> None:
    optional = [c if c in rows.columns else "NULL" for c in ("period_start", "released")]
    con.register("rows_to_store", rows)
    try:
        con.execute(
            f"""INSERT INTO observations
                SELECT series_id, ref_date::DATE, value, {optional[0]}::DATE, {optional[1]}::DATE, ?, ?
                FROM rows_to_store""",
            [v.seen_at, v.raw_sha256],
        )
    finally:
        con.unregister("rows_to_store")


def _stored_latest(con: "duckdb.DuckDBPyConnection", series_ids: list[str]) -> "pd.DataFrame | None":
    """Latest stored value per (series, date) of ``series_ids``, as vintage 0."""

    has = con.execute("SELECT count(*) FROM observations WHERE series_id IN (SELECT unnest(?::VARCHAR[]))",
                      [series_ids]).fetchall()[0][0]
    if not has:
        return None
    df = con.execute(
        """SELECT series_id, ref_date, value FROM observations
           WHERE series_id IN (SELECT unnest(?::VARCHAR[]))
           QUALIFY row_number() OVER (PARTITION BY series_id, ref_date ORDER BY seen_at DESC) = 1""",
        [series_ids],
    ).df()
    return df


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

    return pd.Timestamp(value).to_pydatetime()  # type: ignore[arg-type]  # any of the types Timestamp takes
