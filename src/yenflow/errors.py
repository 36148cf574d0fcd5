"""Exception hierarchy. Each message names what failed and how to fix it."""

from __future__ import annotations


class YenflowError(Exception):
    """Base class for every error yenflow raises on purpose."""


class SourceError(YenflowError):
    """A source could not be fetched or read."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"[{source}] {message}")


class FetchError(SourceError):
    """A download failed after its retries (names the URL and the cause)."""

    def __init__(self, source: str, url: str, cause: str, status: int | None = None) -> None:
        self.url = url
        self.cause = cause
        self.status = status
        super().__init__(source, f"could not fetch {url}: {cause}")


class HostDownError(FetchError):
    """A host (or the whole network) is skipped for the rest of the run: it refused,
    could not be resolved, timed out repeatedly or used its time budget."""


class NotPublishedError(FetchError):
    """A current-period file the publisher has not put out yet (e.g. the new year's
    file in early January): a note, not a failure."""


class ParseError(SourceError):
    """A file does not have the layout its parser expects.

    Always names the source, the file, the row (1-based line or row number in
    the file as a person would count it, when one applies) and what was
    expected versus what was found, so the user can open the file and look.
    """

    def __init__(
        self,
        source: str,
        file: str,
        expected: str,
        found: object = None,
        row: int | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.expected = expected
        self.found = found
        where = f"{file}" + (f", row {row}" if row is not None else "")
        got = f"; found {found!r}" if found is not None else ""
        super().__init__(source, f"{where}: expected {expected}{got}")


class ValidationError(ParseError):
    """Parsed values failed a sanity check (range, duplicates, sums)."""


class StoreError(YenflowError):
    """The store could not be opened or written."""


class UnknownSeriesError(YenflowError):
    """A series id is not in the catalog."""

    def __init__(self, series_id: str) -> None:
        self.series_id = series_id
        super().__init__(
            f"unknown series {series_id!r}; run `yenflow series` to list the catalog"
        )
