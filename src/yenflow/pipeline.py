"""The update pipeline: fetch → archive → parse → validate → upsert.

Per source, everything from archiving to upserting happens in one DuckDB
transaction: a source that fails (network, layout, validation) leaves the
store exactly as it was, and the next source still runs. Raw files already
ingested by the same parser version are skipped by their sha256, so a re-run
with nothing new reads and hashes files but parses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yenflow.errors import FetchError, ValidationError, YenflowError
from yenflow.store import raw as raw_archive
from yenflow.store.observations import UpsertCounts, Vintage, row_keys, upsert, upsert_many

if TYPE_CHECKING:
    import numpy as np

    from yenflow.http import Response
    from yenflow.sources.base import Parsed, RawFile, Source
    from yenflow.store import Store

Progress = Callable[[str, str], None]


@dataclass
class SourceResult:
    source: str
    ok: bool = True
    files_new: int = 0
    files_skipped: int = 0  # same bytes already ingested
    files_not_modified: int = 0  # publisher answered 304
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    error: str | None = None
    seconds: float = 0.0


class _Clock:
    """Strictly increasing UTC timestamps (naive, UTC), one per ingested file."""

    def __init__(self) -> None:
        self.last: datetime | None = None

    def __call__(self) -> datetime:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        if self.last is not None and now <= self.last:
            now = self.last + timedelta(microseconds=1)
        self.last = now
        return now


# ----------------------------------------------------------------- collecting
def collect_local(source: "Source", folder: Path) -> list["RawFile"]:
    """Every file under ``folder`` matching the source's globs (no ``_derived``)."""
    from yenflow.sources.base import RawFile

    if not folder.is_dir():
        raise FetchError(source.name, str(folder), "folder does not exist")
    seen: dict[Path, None] = {}
    for spec in source.files:
        for pattern in spec.local_globs:
            for path in sorted(folder.glob(pattern)):
                if path.is_file() and "_derived" not in path.name:
                    seen.setdefault(path.resolve(), None)
    return [RawFile(p.name, p.read_bytes(), p.as_uri()) for p in seen]


def collect_mirror(source: "Source", base_url: str, get: Callable[..., "Response | None"]) -> list["RawFile"]:
    """The canonical files of a source from a mirror URL laid out like ../shared/data.

    A file the mirror does not have (404) is skipped: mirrors often hold only
    the history files. A mirror with none of the source's files is an error.
    """
    from yenflow.sources.base import RawFile

    out = []
    missing = []
    specs = [spec for spec in source.files if "*" not in spec.mirror_path]  # a glob cannot be fetched
    for spec in specs:
        url = base_url.rstrip("/") + "/" + spec.mirror_path
        try:
            resp = get(url)
        except FetchError as e:
            if e.status != 404:
                raise
            missing.append(spec.mirror_path)
            continue
        if resp is not None:
            name = spec.mirror_path.rsplit("/", 1)[-1]
            out.append(RawFile(name, resp.content, resp.url, resp.etag, resp.last_modified))
    if specs and len(missing) == len(specs):
        raise FetchError(source.name, base_url, f"the mirror has none of {', '.join(missing)} (HTTP 404)", 404)
    return out


def _conditional_get(
    store: "Store", source: str, not_modified: list[str], unreachable: set[str] | None = None
) -> Callable[..., "Response | None"]:
    """A ``get`` for sources: adds ETag/Last-Modified from the archive; 304 → None.

    The archive records the URL that was *asked for* (query included, secrets
    scrubbed), not where redirects ended, so the next run finds its validators.
    A host that could not be connected to (DNS failure, refused) is not tried
    again in the same run: an air-gapped machine fails fast instead of waiting
    out every retry of every file.
    """
    import dataclasses
    from urllib.parse import urlsplit

    from yenflow import http

    unreachable = set() if unreachable is None else unreachable

    def get(url: str, params: dict | None = None, **kw: object) -> "Response | None":
        asked = http.full_url(url, params)
        host = urlsplit(url).netloc
        if host in unreachable:
            raise FetchError(source, asked, f"host {host} could not be reached earlier in this run")
        etag, last_mod = raw_archive.validators(store.con, asked)
        try:
            resp = http.get(url, params=params, etag=etag, last_modified=last_mod, source=source, **kw)
        except FetchError as e:
            if e.cause.startswith("ConnectError"):
                unreachable.add(host)
            raise
        if resp.not_modified:
            not_modified.append(asked)
            return None
        return dataclasses.replace(resp, url=asked)

    return get


# ------------------------------------------------------------------ validating
def validate(parsed: "Parsed", source: str, filename: str, known: Callable[[str], bool]) -> "np.ndarray | None":
    """Checks every parser's output must pass: structure, at least one observation
    (a header-only or cut file is an error, not "ok, 0 rows"), then dates, ranges
    per unit and spikes (:mod:`yenflow.sources.plausibility`). Returns the rows'
    (series, day) keys (:func:`row_keys`), reused by the upsert."""
    import numpy as np
    import pandas as pd

    from yenflow.sources import plausibility

    obs = parsed.observations
    missing = {"series_id", "ref_date", "value"} - set(obs.columns)
    if missing:
        raise ValidationError(source, filename, f"columns series_id, ref_date, value; missing {sorted(missing)}")
    if obs.empty:
        if parsed.no_data:  # the publisher says so (e.g. a BOJ API page for a range with no data)
            return None
        raise ValidationError(source, filename, "at least one observation (a header-only or truncated file?)",
                              "none")
    if not pd.api.types.is_datetime64_any_dtype(obs["ref_date"]):
        raise ValidationError(source, filename, "ref_date as datetime64", str(obs["ref_date"].dtype))
    values = obs["value"].to_numpy(dtype="float64")
    if not np.isfinite(values).all():
        raise ValidationError(source, filename, "finite values (missing markers dropped in parse)", "NaN/inf")
    # one int64 key per (series, day): hashing it is ~10× faster than duplicated() on two columns
    keys = row_keys(obs)
    dup = pd.Series(keys).duplicated(keep=False).to_numpy()
    if dup.any():
        first = obs[dup].iloc[0]
        raise ValidationError(
            source, filename, "one value per series and date",
            f"{first['series_id']} {first['ref_date']:%Y-%m-%d} more than once",
        )
    declared = {s.id for s in parsed.series}
    for sid in obs["series_id"].unique():
        if sid not in declared and not known(sid):
            raise ValidationError(source, filename, f"a catalog entry for series {sid!r}")
    if source.startswith("user:"):  # a user's own series: any unit, any range
        plausibility.check_dates(parsed, source, filename)
    else:
        plausibility.check(parsed, source, filename)
    return keys


# ------------------------------------------------------------------- ingesting
def ingest(
    store: "Store",
    source: "Source",
    raws: Iterable["RawFile"],
    *,
    clock: _Clock | None = None,
    params: dict | None = None,
    parse: Callable[["RawFile"], "Parsed"] | None = None,
    user: bool = False,
) -> SourceResult:
    """Parse and store ``raws`` for ``source`` atomically; raises on failure (store unchanged)."""
    clock = clock or _Clock()
    result = SourceResult(source.name)
    version = getattr(source, "version", 1)
    done = {
        r[0]
        for r in store.con.execute(
            "SELECT raw_sha256 FROM ingests WHERE source = ? AND parser_version = ?",
            [source.name, version],
        ).fetchall()
    }
    todo: list[tuple[RawFile, str, Parsed, Any]] = []
    for rf in raws:
        digest = raw_archive.sha256(rf.content)
        if digest in done:
            result.files_skipped += 1
            continue
        done.add(digest)
        parsed = parse(rf) if parse else source.parse(rf.content, rf.name)
        keys = validate(parsed, source.name, rf.name, store.has_series)
        todo.append((rf, digest, parsed, keys))
    # a file whose data reach later is the newer vintage
    todo.sort(key=lambda t: (_last_date(t[2]), t[0].name))
    if not todo:
        return result
    con = store.con
    stamps = [clock() for _ in todo]
    infos = {info.id: info for _, _, parsed, _ in todo for info in parsed.series}  # newest file's metadata wins
    con.execute("BEGIN TRANSACTION")
    try:
        raw_archive.archive_many(con, source.name, [(rf, d, t) for (rf, d, _, _), t in zip(todo, stamps)], params)
        store.register_series(source.name, list(infos.values()), user=user)
        per_file = upsert_many(
            con, [Vintage(parsed.observations, seen_at, digest, keys)
                  for (_, digest, parsed, keys), seen_at in zip(todo, stamps)]
        )
        con.executemany(
            "INSERT INTO ingests VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[source.name, digest, version, seen_at, c.new, c.revised, c.unchanged]
             for (_, digest, _, _), seen_at, c in zip(todo, stamps, per_file)],
        )
        for c in per_file:
            result.counts += c
        result.files_new = len(todo)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result


def _last_date(parsed: "Parsed") -> object:
    import pandas as pd

    obs = parsed.observations
    return obs["ref_date"].max() if len(obs) else pd.Timestamp.min


def update_source(
    store: "Store", source: "Source", mirror: str | None = None, unreachable: set[str] | None = None
) -> SourceResult:
    """Fetch (or read from ``mirror``) and ingest one source; never raises YenflowError."""
    t0 = time.perf_counter()
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    not_modified: list[str] = []
    try:
        get = _conditional_get(store, source.name, not_modified, unreachable)
        if mirror and not mirror.startswith(("http://", "https://")):
            raws = collect_local(source, Path(mirror))
        elif mirror:
            raws = collect_mirror(source, mirror, get)
        else:
            raws = list(source.fetch(get))
        result = ingest(store, source, raws + source.bundled())
    except YenflowError as e:
        result = SourceResult(source.name, ok=False, error=str(e))
    except Exception as e:  # a parser bug must not stop the other sources
        result = SourceResult(source.name, ok=False, error=f"{type(e).__name__}: {e} (a yenflow bug: please report it)")
    result.files_not_modified = len(not_modified)
    result.seconds = time.perf_counter() - t0
    _log(store, result, started)
    return result


def _log(store: "Store", r: SourceResult, started: datetime) -> None:
    store.con.execute(
        "INSERT INTO update_log VALUES (?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?)",
        [r.source, started, r.ok, r.files_new, r.files_skipped + r.files_not_modified,
         r.counts.new, r.counts.revised, r.counts.unchanged, r.error],
    )


def update(
    store: "Store",
    names: list[str] | None = None,
    mirror: str | None = None,
    progress: Progress | None = None,
) -> list[SourceResult]:
    """Update the named sources (default: all registered), one after the other."""
    from yenflow.sources import get_source, list_sources

    results = []
    unreachable: set[str] = set()  # hosts that refused or failed DNS in this run
    for name in names or list_sources():
        if progress:
            progress(name, "start")
        try:
            source = get_source(name)
        except YenflowError as e:
            results.append(SourceResult(name, ok=False, error=str(e)))
            continue
        results.append(update_source(store, source, mirror, unreachable))
        if progress:
            progress(name, "done")
    return results


def rebuild(store: "Store") -> int:
    """Drop every observation and re-parse the raw archive in arrival order.

    Vintage times are the archived fetch times, so the rebuilt store answers
    ``as_of`` queries exactly as before. Returns the number of files parsed.
    """
    import json

    from yenflow.sources import get_source
    from yenflow.sources.user import user_source

    con = store.con
    fetches = con.execute(
        "SELECT sha256, source, filename, url, fetched_at, params FROM raw_fetches ORDER BY fetched_at"
    ).fetchall()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM observations")
        con.execute("DELETE FROM ingests")
        done: set[tuple[str, str]] = set()
        for digest, source_name, filename, url, fetched_at, params in fetches:
            if (source_name, digest) in done:
                continue
            done.add((source_name, digest))
            p = json.loads(params) if params else None
            source = user_source(p) if source_name.startswith("user:") else get_source(source_name)
            parsed = source.parse(raw_archive.content(con, digest), filename)
            store.register_series(source_name, parsed.series, user=source_name.startswith("user:"))
            counts = upsert(con, parsed.observations, seen_at=fetched_at, raw_sha256=digest)
            con.execute(
                "INSERT INTO ingests VALUES (?, ?, ?, ?, ?, ?, ?)",
                [source_name, digest, getattr(source, "version", 1), fetched_at, counts.new, counts.revised, counts.unchanged],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(done)


def import_file(store: "Store", path: Path, params: dict) -> SourceResult:
    """Import a user file as series ``params['series_id']`` (see sources.user.ImportSpec)."""
    from yenflow.sources.base import RawFile
    from yenflow.sources.user import user_source

    t0 = time.perf_counter()
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    source = user_source(params)
    owner = store.con.execute("SELECT source FROM series WHERE id = ?", [params["series_id"]]).fetchall()
    if owner and not owner[0][0].startswith("user:"):
        result = SourceResult(source.name, ok=False, error=(
            f"series {params['series_id']!r} belongs to source {owner[0][0]!r}; import under another id "
            "(e.g. prefix it with user.)"))
    else:
        raw = RawFile(path.name, path.read_bytes(), path.resolve().as_uri())
        try:
            result = ingest(store, source, [raw], params=params, user=True)
        except YenflowError as e:
            result = SourceResult(source.name, ok=False, error=str(e))
    result.seconds = time.perf_counter() - t0
    _log(store, result, started)
    return result
