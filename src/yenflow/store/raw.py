"""Content-addressed raw archive, inside the DuckDB file.

Every fetched or imported file is kept once by sha256 (``raw_blobs``), and
every arrival is logged with its token-free URL, fetch time and ETag /
Last-Modified (``raw_fetches``). The store can be rebuilt from it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

    from yenflow.sources.base import RawFile


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def archive(
    con: "duckdb.DuckDBPyConnection",
    source: str,
    raw: "RawFile",
    digest: str,
    fetched_at: datetime,
    params: dict[str, Any] | None = None,
) -> None:
    """Keep the bytes (once) and log this arrival; caller owns the transaction."""
    con.execute(
        "INSERT INTO raw_blobs SELECT ?, ?, ? WHERE NOT EXISTS "
        "(SELECT 1 FROM raw_blobs WHERE sha256 = ?)",
        [digest, len(raw.content), raw.content, digest],
    )
    con.execute(
        "INSERT INTO raw_fetches VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            digest,
            source,
            raw.name,
            raw.url,
            fetched_at,
            raw.etag,
            raw.last_modified,
            json.dumps(params) if params else None,
        ],
    )


def validators(con: "duckdb.DuckDBPyConnection", url: str) -> tuple[str | None, str | None]:
    """ETag and Last-Modified of the newest fetch of ``url`` (for a conditional GET)."""
    row = con.execute(
        "SELECT etag, last_modified FROM raw_fetches WHERE url = ? "
        "ORDER BY fetched_at DESC LIMIT 1",
        [url],
    ).fetchall()
    return (row[0][0], row[0][1]) if row else (None, None)


def content(con: "duckdb.DuckDBPyConnection", digest: str) -> bytes:
    rows = con.execute("SELECT content FROM raw_blobs WHERE sha256 = ?", [digest]).fetchall()
    if not rows:
        raise KeyError(digest)
    return bytes(rows[0][0])
