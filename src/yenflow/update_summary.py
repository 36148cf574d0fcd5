"""What `update` prints (a per-source summary, notes and hints), and the per-source
status and source list behind `status` and `sources`.

The summary is plain text built from the results alone (no pandas, no rich), so
a run where nothing changed costs little more than reading and hashing the files.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.pipeline import SourceResult
    from yenflow.store import Store

OFFLINE_HINT = ("The publishers could not be reached. Without internet, read a folder or mirror of their files: "
                "`yenflow update --from DIR` (or set YENFLOW_MIRROR); see the README.")
_COLUMNS = ("source", "result", "files new", "files unchanged", "rows new", "rows revised", "rows unchanged", "seconds")


def summary_rows(results: "list[SourceResult]") -> list[tuple[str, ...]]:
    """One row per source, as printed (``_COLUMNS``)."""
    return [
        (r.source, r.status, str(r.files_new), str(r.files_skipped + r.files_not_modified), f"{r.counts.new:,}",
         f"{r.counts.revised:,}", f"{r.counts.unchanged:,}", f"{r.seconds:.2f}")
        for r in results
    ]


def print_summary(results: "list[SourceResult]", out: TextIO | None = None) -> None:
    """The per-source table, then each failure, partial download, note and hint on its own line."""
    out = out or sys.stdout
    rows = [_COLUMNS, *summary_rows(results)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_COLUMNS))]
    for k, row in enumerate(rows):
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip(), file=out)
        if k == 0:
            print("  ".join("-" * w for w in widths), file=out)
    for r in results:
        if r.error:
            print(f"{r.source}: {r.error}", file=out)
        for note in r.notes:
            print(f"{r.source}: {note}", file=out)
    hints = list(dict.fromkeys(r.hint for r in results if r.hint))
    for hint in hints:
        print(hint, file=out)
    if any(r.unreachable for r in results) and all(r.files_new == 0 for r in results):
        print(OFFLINE_HINT, file=out)
    if all(r.ok and r.files_new == 0 for r in results):
        print("nothing new: every file was already in the store", file=out)


def source_status(store: "Store", today: date | None = None) -> "pd.DataFrame":
    """One row per registered source: last successful update, last observation,
    rows stored, the next release due by the publisher's calendar, stale (that
    release is overdue; sources without a calendar fall back to their max
    age in days), and the last error if the most recent run failed."""
    import pandas as pd

    from yenflow import release_calendar
    from yenflow.sources import get_source, list_sources

    today = today or date.today()
    stats = store.sql(
        """
        SELECT s.source, max(o.ref_date) AS last_obs, count(o.series_id) AS rows,
               count(DISTINCT s.id) AS series
        FROM series s LEFT JOIN observations o ON o.series_id = s.id
        GROUP BY s.source
        """
    ).set_index("source")
    log = store.sql(
        """
        SELECT source,
               max(finished_at) FILTER (WHERE ok OR status IN ('ok', 'partial')) AS last_update,
               arg_max(error, finished_at) AS last_error,
               arg_max(coalesce(status, CASE WHEN ok THEN 'ok' ELSE 'FAILED' END), finished_at) AS last_status
        FROM update_log GROUP BY source
        """
    ).set_index("source")
    rows = []
    for name in list_sources() + sorted(set(stats.index) - set(list_sources())):
        max_age = get_source(name).max_age_days if name in list_sources() else None
        last_obs = stats["last_obs"].get(name) if name in stats.index else None
        last_obs = None if last_obs is None or pd.isna(last_obs) else pd.Timestamp(last_obs)
        stale = release_calendar.is_stale(name, last_obs, pd.Timestamp(today))
        if stale is None and max_age is not None and max_age < 10**5:
            stale = last_obs is None or (pd.Timestamp(today) - last_obs).days > max_age
        due = release_calendar.next_release(name, last_obs) if last_obs is not None else None
        rows.append(
            {
                "source": name,
                "last update (UTC)": log["last_update"].get(name) if name in log.index else None,
                "last observation": last_obs,
                "series": int(stats["series"].get(name, 0)) if name in stats.index else 0,
                "rows": int(stats["rows"].get(name, 0)) if name in stats.index else 0,
                "next release due": due,
                "stale": {None: "—", True: "STALE", False: "fresh"}[stale],
                "last run": "—" if name not in log.index else _last_run(log["last_status"][name], log["last_error"][name]),
            }
        )
    return pd.DataFrame(rows)


def _last_run(status: str, error: object) -> str:
    if status in ("ok", "no files") or not error:
        return status
    return f"{status}: {str(error).removeprefix('partial: ')}"


def sources_frame(today: date | None = None) -> "pd.DataFrame":
    """Registered sources: whether each downloads online and from which URLs
    (or why it reads only a folder), and the file names it looks for under --from DIR."""
    import pandas as pd

    from yenflow.sources import get_source, list_sources

    rows = []
    for name in list_sources():
        src = get_source(name)
        urls = src.urls(today)
        if src.folder_only or not urls:
            online = "no: " + (src.folder_only or "folder or mirror only")
        else:
            online = "yes"
        bundled = src.bundled()
        if bundled and not urls:
            online = "no download: a table shipped with yenflow, loaded in every mode"
        rows.append(
            {
                "source": name,
                "publisher": src.publisher,
                "title": src.title,
                "fetches online": online,
                "official URLs": " ".join(urls) or "—",
                "files under --from DIR": " ".join(g for spec in src.files for g in spec.local_globs)
                + (" (table shipped with yenflow)" if bundled else ""),
                "max age (days)": src.max_age_days,
            }
        )
    return pd.DataFrame(rows)
