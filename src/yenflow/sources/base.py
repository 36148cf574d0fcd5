"""The contract every source implements.

A source is *pure* where it can be: :meth:`Source.parse` turns the bytes of
one official file into a :class:`Parsed` (tidy observations + catalog rows)
and never touches the network or the store. Fetching is done by the update
pipeline through :mod:`yenflow.http`, driven by the source's
:class:`FileSpec` list.

Tidy observation frame (``Parsed.observations``):

==============  =====================  ==========================================
column          dtype                  meaning
==============  =====================  ==========================================
series_id       str                    catalog id, e.g. ``jgb.10y``
ref_date        datetime64[ns]         the date the figure refers to (for a
                                       period: its last day, e.g. the Saturday
                                       ending a MOF week, the month's last day)
value           float64                in the series' catalog unit, never NaN
                                       (missing markers are dropped in parse)
period_start    datetime64[ns], opt.   first day of the period (weeks, months)
released        datetime64[ns], opt.   when the publisher made it known, where
                                       the file or calendar says (e.g. CFTC
                                       Friday release for Tuesday positions)
==============  =====================  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import date

    import pandas as pd

    from yenflow.http import Response

REQUIRED_COLUMNS = ("series_id", "ref_date", "value")
OPTIONAL_COLUMNS = ("period_start", "released")


@dataclass(frozen=True)
class SeriesInfo:
    """One catalog row. ``unit`` is explicit: '%', 'bp', 'JPY per USD', 'JPY 100m'..."""

    id: str
    name: str
    unit: str
    frequency: str  # 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'annual'
    description: str = ""
    notes: str = ""  # breaks, conventions, provenance caveats (e.g. 'third-party re-export')


@dataclass
class Parsed:
    """Result of parsing one raw file. ``published``: the date the file itself says it
    was published or last updated (MOF's 最終更新日, TIC's release date), where it
    says one; no observation may refer to a later date. ``no_data``: the
    publisher's own statement that the file holds no figures (e.g. the BOJ API's
    "Successfully completed, but there was no data"); without one, a file that
    yields no observation is refused as header-only or truncated."""

    observations: "pd.DataFrame"
    series: list[SeriesInfo] = field(default_factory=list)
    published: "date | None" = None
    no_data: str | None = None


@dataclass(frozen=True)
class FileSpec:
    """One file a source reads.

    ``url``: the official download URL (None if the file only comes from a
    mirror/folder or the source builds URLs itself in ``fetch``).
    ``mirror_path``: the canonical path of this file under a mirror
    folder/URL laid out like ``../shared/data``. ``local_globs``: globs
    matched under a local folder (several vintages may match; each is
    ingested as its own raw file, oldest data first). Files whose name
    contains ``_derived`` (third-party re-exports) are never picked up by a
    source: they come in only through ``yenflow import``.
    """

    key: str
    url: str | None
    mirror_path: str
    local_globs: tuple[str, ...]


@dataclass(frozen=True)
class RawFile:
    """Bytes of one fetched or imported file, with where they came from."""

    name: str  # file name shown in errors, e.g. 'jgbcme_all.csv'
    content: bytes
    url: str  # official URL, mirror URL or file:// path (credentials scrubbed)
    etag: str | None = None
    last_modified: str | None = None


class Source:
    """Base class; subclasses set the class attributes and implement ``parse``.

    ``fetch`` is the only stage with I/O. The default downloads each
    ``FileSpec.url`` through the ``get`` callable the pipeline passes in
    (``get(url, params=None) -> yenflow.http.Response | None``; it adds
    conditional-GET headers and returns None when the publisher answers 304;
    the pipeline's ``get`` also has ``archived(url, params=None) -> bool``,
    true when a file from that URL is already in the raw archive). A file
    that cannot be fetched raises :class:`~yenflow.errors.FetchError`; the
    default ``fetch`` carries on with the other files (the pipeline records
    the failure and reports the source partial). API sources (FRED API, BOJ
    API, CFTC Socrata) and sources whose URLs depend on the date override
    ``fetch``.
    """

    name: ClassVar[str]  # registry key, e.g. 'mof.jgb_yields'
    title: ClassVar[str]  # human title for status/README
    publisher: ClassVar[str]
    files: ClassVar[tuple[FileSpec, ...]]
    #: a source is stale when its newest observation is older than this many
    #: calendar days (derived from the publisher's release calendar)
    max_age_days: ClassVar[int] = 7
    #: bump when parse() changes output, so unchanged raw files are re-parsed
    version: ClassVar[int] = 1
    #: why the source reads only a folder or mirror ("" = it downloads online)
    folder_only: ClassVar[str] = ""
    #: what the user can do when the publisher's host is down or stalls
    stall_hint: ClassVar[str] = ""

    def fetch(self, get: "Callable[..., Response | None]", today: "date | None" = None) -> "Iterator[RawFile]":
        from yenflow.errors import FetchError

        for spec in self.files:
            if spec.url is None:
                continue
            try:
                resp = get(spec.url)
            except FetchError:
                continue  # recorded by the pipeline's get; the other files still come
            if resp is not None:
                name = spec.mirror_path.rsplit("/", 1)[-1]
                yield RawFile(name, resp.content, resp.url, resp.etag, resp.last_modified)

    def urls(self, today: "date | None" = None) -> list[str]:
        """The official URLs this source downloads (for `yenflow sources`); URL
        patterns with ``{…}`` where the file depends on the date."""
        return [spec.url for spec in self.files if spec.url]

    def revalidate(self, url: str, today: "date") -> bool:
        """True for a file that a cache in front of the publisher may serve stale
        (a current-year file rewritten every day): it is asked for with
        ``Cache-Control: no-cache`` so caches check with the publisher."""
        return False

    def pending(self, url: str, today: "date") -> str | None:
        """If ``url`` is a current-period file that may not be published yet on
        ``today`` (a 404, an empty body or an invalid ZIP then means "not yet",
        not an error), what it is; else None."""
        return None

    def bundled(self) -> "list[RawFile]":
        """Files shipped with yenflow itself (hand-maintained tables), ingested
        in every mode: online, mirror and folder. Most sources have none."""
        return []

    def parse(self, raw: bytes, filename: str) -> Parsed:  # pragma: no cover
        raise NotImplementedError
