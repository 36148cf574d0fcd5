"""Content-addressed raw archive, inside the DuckDB file.

Every fetched or imported file is kept once by sha256 of its bytes
(``raw_blobs``, stored zstd-compressed, ``size`` = the original length), and
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


def archive_many(
    con: "duckdb.DuckDBPyConnection",
    source: str,
    items: "list[tuple[RawFile, str, datetime]]",
    params: dict[str, Any] | None = None,
) -> None:
    """Keep each file's bytes once (by sha256) and log every arrival, in two
    statements; the caller owns the transaction."""
    import pandas as pd

    blobs = pd.DataFrame(
        {"sha256": [d for _, d, _ in items], "size": [len(r.content) for r, _, _ in items],
         "content": [_compress(r.content) for r, _, _ in items], "codec": CODEC}
    ).drop_duplicates("sha256")
    fetches = pd.DataFrame(
        {"sha256": [d for _, d, _ in items], "source": source, "filename": [r.name for r, _, _ in items],
         "url": [r.url for r, _, _ in items], "fetched_at": [t for _, _, t in items],
         "etag": [r.etag for r, _, _ in items], "last_modified": [r.last_modified for r, _, _ in items],
         "params": json.dumps(params) if params else None}
    )
    con.register("new_blobs", blobs)
    con.register("new_fetches", fetches)
    try:
        con.execute(
            "INSERT INTO raw_blobs (sha256, size, content, codec) SELECT sha256, size, content, codec "
            "FROM new_blobs WHERE sha256 NOT IN (SELECT sha256 FROM raw_blobs)"
        )
        con.execute(
            "INSERT INTO raw_fetches SELECT sha256, source, filename, url, fetched_at, etag, last_modified, "
            "params FROM new_fetches"
        )
    finally:
        con.unregister("new_blobs")
        con.unregister("new_fetches")


def validators(con: "duckdb.DuckDBPyConnection", url: str) -> tuple[str | None, str | None]:
    """ETag and Last-Modified of the newest fetch of ``url`` (for a conditional GET)."""
    row = con.execute(
        "SELECT etag, last_modified FROM raw_fetches WHERE url = ? "
        "ORDER BY fetched_at DESC LIMIT 1",
        [url],
    ).fetchall()
    return (row[0][0], row[0][1]) if row else (None, None)


def validators_for(con: "duckdb.DuckDBPyConnection", source: str) -> dict[str, tuple[str | None, str | None]]:
    """Every URL archived for ``source`` with the ETag and Last-Modified of its newest
    fetch (None where that response's length could not be verified)."""
    rows = con.execute(
        "SELECT url, arg_max(etag, fetched_at), arg_max(last_modified, fetched_at) FROM raw_fetches "
        "WHERE source = ? GROUP BY url",
        [source],
    ).fetchall()
    return {url: (etag, last_mod) for url, etag, last_mod in rows}


def content(con: "duckdb.DuckDBPyConnection", digest: str) -> bytes:
    rows = con.execute("SELECT content, size, codec FROM raw_blobs WHERE sha256 = ?", [digest]).fetchall()
    if not rows:
        raise KeyError(digest)
    blob, size, codec = rows[0]
    if codec == "identity":
        return bytes(blob)
    import pyarrow as pa

    data = pa.decompress(bytes(blob), decompressed_size=size, codec=codec, asbytes=True)
    if sha256(data) != digest:
        raise ValueError(f"raw archive blob {digest[:12]} is corrupt (sha256 mismatch)")
    return data


CODEC = "zstd"


def _compress(content: bytes) -> bytes:
    import pyarrow as pa

    return pa.compress(content, codec=CODEC, asbytes=True)
