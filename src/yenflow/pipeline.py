"""The update pipeline: fetch → archive → parse → validate → upsert.

Per source, everything from archiving to upserting happens in one DuckDB
transaction: a file that fails to parse or validate leaves the store exactly
as it was for that source, and the next source still runs. Downloads are
contained per file: a file that cannot be fetched (404, exhausted retries, a
host that is down) is named and the source's other files are still stored —
the source is then reported *partial*, never "ok". A current-period file the
publisher has not put out yet (the new year's file in early January) is a
note, not a failure.

A raw file is skipped only when it is byte-identical to the last file
ingested from the same location for that source (and parser version): a
publisher that restores an earlier file gets that file's values back as the
latest vintage. A file that replaces an earlier one from the same location
with fewer observations over an overlapping period is refused unless the user
allows it (``allow_shrink``): truncated downloads never replace full ones.

Online, the store's write lock is released while a source downloads, so
readers are blocked only while a source is written.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yenflow.errors import FetchError, HostDownError, NotPublishedError, ValidationError, YenflowError
from yenflow.store import raw as raw_archive
from yenflow.store.observations import UpsertCounts, Vintage, row_keys, upsert_many

if TYPE_CHECKING:
    import numpy as np

    from yenflow.http import Response, Session
    from yenflow.sources.base import Parsed, RawFile, Source
    from yenflow.store import Store

#: ``progress(source, stage, nbytes)``: stage "start", "file" (a download of nbytes arrived) or "done"
Progress = Callable[[str, str, int], None]

OK, PARTIAL, FAILED, NO_FILES = "ok", "partial", "FAILED", "no files"


@dataclass
class SourceResult:
    source: str
    status: str = OK  # ok | partial | FAILED | no files
    files_new: int = 0
    files_skipped: int = 0  # same bytes as the last file from that location
    files_not_modified: int = 0  # publisher answered 304
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    error: str | None = None  # why the source failed, or which files could not be fetched
    notes: list[str] = field(default_factory=list)  # not yet published, skipped links, no files…
    hint: str | None = None  # what the user can do (offline, FRED_API_KEY…)
    unreachable: bool = False  # a host could not be reached or stalled
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Nothing failed (``no files``: nothing to read is not a failure)."""
        return self.status in (OK, NO_FILES)


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
def local_matches(folder: Path, patterns: Iterable[str]) -> Iterator[Path]:
    """Every path under ``folder`` matching each glob in turn (sorted), except ``_derived`` files (yenflow's own
    derived copies): what an update from a folder considers."""
    for pattern in patterns:
        for path in sorted(folder.glob(pattern)):
            if "_derived" not in path.name:
                yield path


def collect_local(source: "Source", folder: Path, notes: list[str] | None = None) -> list["RawFile"]:
    """Every file under ``folder`` matching the source's globs (no ``_derived``).

    Links that lead outside ``folder`` are not followed (each is named in
    ``notes``); a source with no matching file gets a note saying so.
    """
    from yenflow.sources.base import RawFile

    notes = [] if notes is None else notes
    if not folder.is_dir():
        raise FetchError(source.name, str(folder), "folder does not exist")
    root = folder.resolve()
    seen: dict[Path, None] = {}
    outside: list[str] = []
    patterns = [g for spec in source.files for g in spec.local_globs]
    for path in local_matches(folder, patterns):
        real = path.resolve()
        if not real.is_relative_to(root):
            outside.append(f"{path.relative_to(folder)} → {real}")
            continue
        if real.is_file():
            seen.setdefault(real, None)
    if outside:
        notes.append(f"skipped {len(outside)} link(s) leading outside {folder}: " + ", ".join(sorted(set(outside))))
    if not seen and patterns:
        notes.append(f"no files found under {folder} for {', '.join(patterns)}")
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
            _forgive(get, e)
            missing.append(spec.mirror_path)
            continue
        if resp is not None:
            name = spec.mirror_path.rsplit("/", 1)[-1]
            out.append(RawFile(name, resp.content, resp.url, resp.etag, resp.last_modified))
    if specs and len(missing) == len(specs):
        raise FetchError(source.name, base_url, f"the mirror has none of {', '.join(missing)} (HTTP 404)", 404)
    if missing and isinstance(get, SourceGet):
        get.notes.append(f"the mirror has no {', '.join(missing)}")
    return out


def _forgive(get: object, e: FetchError) -> None:
    if isinstance(get, SourceGet) and e in get.failures:
        get.failures.remove(e)


class SourceGet:
    """The ``get`` a source's ``fetch`` receives: ``get(url, params=None)``.

    Adds ETag/Last-Modified from the archive and returns None on a 304.
    Records every download that failed (so a source that carries on with its
    other files is reported partial), and turns a missing current-period file
    (:meth:`Source.pending`) into a note. Validators are kept only for bodies
    whose length was verified. ``archived(url, params=None)`` tells whether a
    file from that URL is already in the raw archive (for files fetched once).
    The archive records the URL that was *asked for* (query included,
    secrets scrubbed), not where redirects ended.
    """

    def __init__(self, store: "Store", source: "Source", session: "Session", today: date | None = None) -> None:
        self.source = source
        self.session = session
        self.today = today or date.today()
        self.validators = raw_archive.validators_for(store.con, source.name)
        self.failures: list[FetchError] = []
        self.notes: list[str] = []
        self.not_modified: list[str] = []

    def archived(self, url: str, params: dict | None = None) -> bool:
        from yenflow import http

        return http.full_url(url, params) in self.validators

    def __call__(self, url: str, params: dict | None = None, **kw: Any) -> "Response | None":
        import dataclasses

        from yenflow import http

        asked = http.full_url(url, params)
        etag, last_mod = self.validators.get(asked, (None, None))
        pending = self.source.pending(asked, self.today)
        if self.source.revalidate(asked, self.today):
            kw["headers"] = {"Cache-Control": "no-cache", "Pragma": "no-cache", **kw.get("headers", {})}
        try:
            resp = self.session.get(url, params=params, etag=etag, last_modified=last_mod, source=self.source.name, **kw)
        except FetchError as e:
            if pending and e.status in (404, 410):
                raise self._not_published(asked, pending, f"HTTP {e.status}") from e
            self.failures.append(e)
            raise
        if resp.not_modified:
            self.not_modified.append(asked)
            return None
        if pending and (not resp.content.strip() or (asked.split("?")[0].endswith(".zip") and resp.content[:2] != b"PK")):
            raise self._not_published(asked, pending, "an empty body" if not resp.content.strip() else "not a ZIP yet")
        if not resp.complete:  # length not verifiable: fetch it unconditionally next time
            resp = dataclasses.replace(resp, etag=None, last_modified=None)
        return dataclasses.replace(resp, url=asked)

    def _not_published(self, url: str, what: str, answer: str) -> NotPublishedError:
        self.notes.append(f"{what} is not published yet ({url} answered {answer})")
        return NotPublishedError(self.source.name, url, f"not published yet ({answer})")


def _fetch_all(source: "Source", get: SourceGet) -> list["RawFile"]:
    """Run the source's fetch; files yielded before a failure are kept."""
    raws: list[RawFile] = []
    try:
        for rf in source.fetch(get, today=get.today):
            raws.append(rf)
    except NotPublishedError:
        pass
    except FetchError as e:
        if not any(f.url == e.url for f in get.failures):
            get.failures.append(e)
    return raws


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
@dataclass(frozen=True)
class _Previous:
    """The last file ingested from one location: its bytes and what it held."""

    sha256: str
    observations: int | None
    first_date: date | None
    last_date: date | None


#: per source: {url: last file from there}, {(digest, parser version) parsed}
Known = dict[str, tuple[dict[str, _Previous], set[tuple[str, int]]]]


def known_files(store: "Store", source: str | None = None) -> Known:
    """Per source (all, or one), the last file ingested from each location (URL)
    and the (digest, parser version) pairs already parsed: two queries for a
    whole run, so a run with nothing new stays cheap."""
    con = store.con
    where, args = ("WHERE source = ?", [source]) if source else ("", [])
    rows = con.execute(
        f"""
        WITH last AS (
            SELECT source, url, arg_max(sha256, fetched_at) AS sha256 FROM raw_fetches {where} GROUP BY source, url
        ), counts AS (
            SELECT source, raw_sha256, max(coalesce(observations, rows_new + rows_revised + rows_unchanged)) AS n,
                   min(first_date) AS first_date, max(last_date) AS last_date
            FROM ingests {where} GROUP BY source, raw_sha256
        )
        SELECT last.source, last.url, last.sha256, counts.n, counts.first_date, counts.last_date
        FROM last LEFT JOIN counts ON counts.source = last.source AND counts.raw_sha256 = last.sha256
        """,
        args * 2,
    ).fetchall()
    out: Known = {}
    for src, url, sha, n, first, last in rows:
        out.setdefault(src, ({}, set()))[0][url] = _Previous(sha, n, first, last)
    for src, digest, version in con.execute(f"SELECT DISTINCT source, raw_sha256, parser_version FROM ingests {where}",
                                            args).fetchall():
        out.setdefault(src, ({}, set()))[1].add((digest, version))
    return out


def _version() -> str:
    import yenflow

    return str(yenflow.__version__)


def _span(parsed: "Parsed") -> tuple[int, date | None, date | None]:
    obs = parsed.observations
    if not len(obs):
        return 0, None, None
    return len(obs), obs["ref_date"].min().date(), obs["ref_date"].max().date()


def check_shrink(source: str, rf: "RawFile", span: tuple[int, date | None, date | None],
                 prev: _Previous | None) -> None:
    """Refuse a file that replaces the last one from its location with fewer
    observations over an overlapping period (a truncated or partial copy).

    A rolling file that moved on (its first date after the last file's last
    date, e.g. a new month's current-month file) is not a shrink.
    """
    n, first, _ = span
    if prev is None or prev.observations is None or prev.last_date is None or n >= prev.observations:
        return
    if first is not None and first > prev.last_date:
        return
    raise ValidationError(
        source, rf.name,
        f"at least the {prev.observations:,} observations of the last file from {rf.url} "
        "(a shorter file looks truncated; the store keeps the earlier values — if the publisher really "
        "shortened it, run again with --allow-shrink)",
        f"{n:,} observations",
    )


def _norm_id(series_id: str) -> str:
    return re.sub(r"\s+", "", series_id).lower()


def check_owners(store: "Store", source: str, ids: Iterable[str], user: bool) -> None:
    """A series belongs to one source: an import never takes over an official
    series, an official source never takes over an imported one, and ids that
    differ from an existing one only in case or spaces are refused."""
    rows = store.con.execute("SELECT id, source, user_imported FROM series").fetchall()
    owner = {sid: (src, imported) for sid, src, imported in rows}
    by_norm = {_norm_id(sid): sid for sid in owner}
    for sid in ids:
        if user and (sid != sid.strip() or re.search(r"\s", sid)):
            raise YenflowError(f"series id {sid!r} contains spaces; use dots and underscores (e.g. user.basis.usdjpy_3m)")
        if sid in owner:
            src, imported = owner[sid]
            if src == source:
                continue
            if user and not imported:
                raise YenflowError(f"series {sid!r} belongs to source {src!r}; the import ({source}) cannot take it over: "
                                   "import under another id (e.g. prefix it with user.)")
            if not user and imported:
                raise YenflowError(f"series {sid!r} is a user import ({src}); source {source!r} publishes a series with the "
                                   f"same id and was not stored: re-import yours under another id (e.g. user.{sid}) "
                                   "and drop the old one")
            continue
        twin = by_norm.get(_norm_id(sid))
        if twin is not None and twin != sid:
            raise YenflowError(f"series {sid!r} ({source}) differs from the existing {twin!r} ({owner[twin][0]}) only in "
                               "case or spaces; use the existing id or a clearly different one")


def ingest(
    store: "Store",
    source: "Source",
    raws: Iterable["RawFile"],
    *,
    clock: _Clock | None = None,
    params: dict | None = None,
    parse: Callable[["RawFile"], "Parsed"] | None = None,
    user: bool = False,
    allow_shrink: bool = False,
    known: Known | None = None,
) -> SourceResult:
    """Parse and store ``raws`` for ``source`` atomically; raises on failure (store unchanged).
    ``known``: :func:`known_files` read for the whole run (else read here)."""
    clock = clock or _Clock()
    result = SourceResult(source.name)
    version = getattr(source, "version", 1)
    known = known_files(store, source.name) if known is None else known
    previous, parsed_before = known.get(source.name, ({}, set()))
    done = {d for d, v in parsed_before if v == version}
    todo: list[tuple[RawFile, str, Parsed, Any, tuple]] = []
    taken: set[tuple[str, str]] = set()
    for rf in raws:
        digest = raw_archive.sha256(rf.content)
        prev = previous.get(rf.url)
        if (prev is not None and prev.sha256 == digest and digest in done) or (rf.url, digest) in taken:
            result.files_skipped += 1
            continue
        taken.add((rf.url, digest))
        parsed = parse(rf) if parse else source.parse(rf.content, rf.name)
        keys = validate(parsed, source.name, rf.name, store.has_series)
        span = _span(parsed)
        if not allow_shrink:
            check_shrink(source.name, rf, span, prev)
        todo.append((rf, digest, parsed, keys, span))
    # a file whose data reach later is the newer vintage
    todo.sort(key=lambda t: (_last_date(t[2]), t[0].name))
    if not todo:
        return result
    con = store.con
    stamps = [clock() for _ in todo]
    infos = {info.id: info for _, _, parsed, _, _ in todo for info in parsed.series}  # newest file's metadata wins
    check_owners(store, source.name, set(infos) | {sid for _, _, p, _, _ in todo for sid in p.observations["series_id"].unique()}, user)
    con.execute("BEGIN TRANSACTION")
    try:
        raw_archive.archive_many(con, source.name, [(rf, d, t) for (rf, d, _, _, _), t in zip(todo, stamps)], params)
        store.register_series(source.name, list(infos.values()), user=user)
        per_file = upsert_many(
            con, [Vintage(parsed.observations, seen_at, digest, keys)
                  for (_, digest, parsed, keys, _), seen_at in zip(todo, stamps)]
        )
        _record_ingests(con, source.name, version,
                        [(rf.url, digest, seen_at, c, span) for (rf, digest, _, _, span), seen_at, c in zip(todo, stamps, per_file)])
        for c in per_file:
            result.counts += c
        result.files_new = len(todo)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result


def _record_ingests(con: Any, source: str, version: int, rows: list[tuple]) -> None:
    con.executemany(
        "INSERT INTO ingests (source, raw_sha256, parser_version, ingested_at, rows_new, rows_revised, rows_unchanged, "
        "url, observations, first_date, last_date, yenflow_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[source, digest, version, seen_at, c.new, c.revised, c.unchanged, url, *span, _version()]
         for url, digest, seen_at, c, span in rows],
    )


def _last_date(parsed: "Parsed") -> object:
    import pandas as pd

    obs = parsed.observations
    return obs["ref_date"].max() if len(obs) else pd.Timestamp.min


def _online(mirror: str | None) -> bool:
    return not mirror or mirror.startswith(("http://", "https://"))


def update_source(
    store: "Store",
    source: "Source",
    mirror: str | None = None,
    session: "Session | None" = None,
    *,
    allow_shrink: bool = False,
    today: date | None = None,
    logs: list[tuple[SourceResult, datetime]] | None = None,
    known: Known | None = None,
) -> SourceResult:
    """Fetch (or read from ``mirror``) and ingest one source; never raises YenflowError.

    The run is logged in ``update_log`` now, or appended to ``logs`` for the
    caller to write with the others in one commit."""
    from yenflow import http

    t0 = time.perf_counter()
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    own = session is None and _online(mirror)
    session = http.Session() if own else session
    get: SourceGet | None = None
    notes: list[str] = []
    raws: list[RawFile] = []
    try:
        if not _online(mirror):
            raws = collect_local(source, Path(mirror), notes)  # type: ignore[arg-type]
        else:
            get = SourceGet(store, source, session, today)  # type: ignore[arg-type]
            store.release()  # readers may use the store while we download
            raws = collect_mirror(source, mirror, get) if mirror else _fetch_all(source, get)
            notes += get.notes
        bundled = source.bundled()
        result = ingest(store, source, raws + bundled, allow_shrink=allow_shrink, known=known)
        result.notes = notes
        if not raws and not bundled and not _online(mirror) and notes:
            result.status = NO_FILES
    except YenflowError as e:
        result = SourceResult(source.name, status=FAILED, error=str(e), notes=notes + (get.notes if get else []))
    except Exception as e:  # a parser bug must not stop the other sources
        result = SourceResult(source.name, status=FAILED, notes=notes,
                              error=f"{type(e).__name__}: {e} (a yenflow bug: please report it)")
    finally:
        if own and session is not None:
            session.close()
    if get is not None:
        _account(result, source, get, raws)
    result.seconds = time.perf_counter() - t0
    if logs is None:
        _log(store, [(result, started)])
    else:
        logs.append((result, started))
    return result


def _account(result: SourceResult, source: "Source", get: SourceGet, raws: list["RawFile"]) -> None:
    """Fold the download failures into the result: partial when some files came
    through (or were unchanged), failed when none did."""
    result.files_not_modified = len(get.not_modified)
    if not get.failures:
        return
    failed = "; ".join(str(e) for e in get.failures)
    if result.status == FAILED:
        result.error = f"{result.error}; {failed}" if result.error and failed not in result.error else (result.error or failed)
    elif raws or get.not_modified:
        result.status = PARTIAL
        result.error = f"partial: {failed}"
    else:
        result.status = FAILED
        result.error = failed
    stalled = any(isinstance(e, HostDownError) or "timed out" in e.cause or "Connect" in e.cause or "longer than" in e.cause
                  for e in get.failures)
    result.unreachable = stalled
    if stalled and source.stall_hint:
        result.hint = source.stall_hint


def _log(store: "Store", runs: list[tuple[SourceResult, datetime]]) -> None:
    """Write the runs to ``update_log`` in one statement (one commit), secrets scrubbed."""
    from yenflow.http import scrub

    finished = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        store.con.executemany(
            "INSERT INTO update_log (source, started_at, finished_at, ok, files_new, files_skipped, rows_new, rows_revised, "
            "rows_unchanged, error, status, notes, yenflow_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[r.source, started, max(finished, started), r.status == OK, r.files_new, r.files_skipped + r.files_not_modified,
              r.counts.new, r.counts.revised, r.counts.unchanged, scrub(r.error) if r.error else None, r.status,
              scrub("\n".join(r.notes)) if r.notes else None, _version()] for r, started in runs],
        )
    except YenflowError:  # the store stayed busy: the results are still reported
        pass


def update(
    store: "Store",
    names: list[str] | None = None,
    mirror: str | None = None,
    progress: Progress | None = None,
    *,
    allow_shrink: bool = False,
    today: date | None = None,
) -> list[SourceResult]:
    """Update the named sources (default: all registered), one after the other.

    One HTTP session serves the whole run: a host that is down or the network
    being unreachable is found once, not once per source.
    """
    from yenflow import http
    from yenflow.sources import get_source, list_sources

    results = []
    session = http.Session() if _online(mirror) else None
    # from a folder the whole run takes seconds: its log is written in one commit at the end
    logs: list[tuple[SourceResult, datetime]] | None = None if session else []
    known = None if session else known_files(store)  # online, each source reads its own after the download
    current = [""]
    if session is not None and progress is not None:
        session.on_body = lambda nbytes: progress(current[0], "file", nbytes)
    try:
        for name in names or list_sources():
            current[0] = name
            if progress:
                progress(name, "start", 0)
            try:
                source = get_source(name)
            except YenflowError as e:
                results.append(SourceResult(name, status=FAILED, error=str(e)))
                continue
            results.append(update_source(store, source, mirror, session, allow_shrink=allow_shrink, today=today, logs=logs,
                                         known=known))
            if progress:
                progress(name, "done", 0)
    finally:
        if session is not None:
            session.close()
        if logs:
            _log(store, logs)
    return results


def rebuild(store: "Store") -> int:
    """Drop every observation and re-parse the raw archive in arrival order.

    Every archived arrival is applied again in order (one identical to the
    previous file from the same location is a no-op and skipped), so vintage
    times are the archived fetch times and a reverted file is a vintage
    again: the rebuilt store answers ``as_of`` queries exactly as before.
    Returns the number of files parsed.
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
        last: dict[tuple[str, str], str] = {}
        parsed_files = 0
        for digest, source_name, filename, url, fetched_at, params in fetches:
            if last.get((source_name, url)) == digest:
                continue
            last[(source_name, url)] = digest
            p = json.loads(params) if params else None
            source = user_source(p) if source_name.startswith("user:") else get_source(source_name)
            parsed = source.parse(raw_archive.content(con, digest), filename)
            store.register_series(source_name, parsed.series, user=source_name.startswith("user:"))
            counts = upsert_many(con, [Vintage(parsed.observations, fetched_at, digest)])[0]
            _record_ingests(con, source_name, getattr(source, "version", 1), [(url, digest, fetched_at, counts, _span(parsed))])
            parsed_files += 1
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return parsed_files


def import_file(store: "Store", path: Path, params: dict, *, allow_shrink: bool = False) -> SourceResult:
    """Import a user file as series ``params['series_id']`` (see sources.user.ImportSpec)."""
    from yenflow.sources.base import RawFile
    from yenflow.sources.user import user_source

    t0 = time.perf_counter()
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    source = user_source(params)
    try:
        check_owners(store, source.name, [params["series_id"]], user=True)
        raw = RawFile(path.name, path.read_bytes(), path.resolve().as_uri())
        result = ingest(store, source, [raw], params=params, user=True, allow_shrink=allow_shrink)
    except YenflowError as e:
        result = SourceResult(source.name, status=FAILED, error=str(e))
    result.seconds = time.perf_counter() - t0
    _log(store, [(result, started)])
    return result
