"""Update summaries and per-source status (what `update` and `status` print)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from yenflow.pipeline import SourceResult
    from yenflow.store import Store


def summary_frame(results: "list[SourceResult]") -> "pd.DataFrame":
    import pandas as pd

    rows = []
    for r in results:
        rows.append(
            {
                "source": r.source,
                "result": "ok" if r.ok else "FAILED",
                "files new": r.files_new,
                "files unchanged": r.files_skipped + r.files_not_modified,
                "rows new": r.counts.new,
                "rows revised": r.counts.revised,
                "rows unchanged": r.counts.unchanged,
                "seconds": round(r.seconds, 2),
                "error": r.error or "",
            }
        )
    return pd.DataFrame(rows)


def print_summary(results: "list[SourceResult]") -> None:
    from rich.table import Table

    df = summary_frame(results)
    table = Table(title="yenflow update", header_style="bold")
    for c in df.columns:
        if c != "error":
            table.add_column(c, justify="left" if c in ("source", "result") else "right")
    for _, row in df.iterrows():
        style = None if row["result"] == "ok" else "red"
        table.add_row(*[str(row[c]) for c in df.columns if c != "error"], style=style)
    from yenflow.output import get_console

    console = get_console()
    console.print(table)
    for r in results:
        if not r.ok:
            console.print(f"[red]{r.source}[/red]: {r.error}", highlight=False, soft_wrap=True)
    if any(r.error and ("ConnectError" in r.error or "could not be reached" in r.error) for r in results):
        console.print("The publishers could not be reached. Without internet, read a folder or mirror of their files: "
                      "`yenflow update --from DIR` (or set YENFLOW_MIRROR); see the README.")
    if all(r.ok and r.files_new == 0 for r in results):
        console.print("nothing new: every file was already in the store")


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
        SELECT source, max(finished_at) FILTER (WHERE ok) AS last_update,
               arg_max(error, finished_at) AS last_error,
               arg_max(ok, finished_at) AS last_ok
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
                "last run": "—" if name not in log.index else ("ok" if log["last_ok"][name] else "FAILED: " + str(log["last_error"][name])),
            }
        )
    return pd.DataFrame(rows)


def sources_frame() -> "pd.DataFrame":
    """Registered sources with the file names each looks for under --from DIR."""
    import pandas as pd

    from yenflow.sources import get_source, list_sources

    rows = []
    for name in list_sources():
        src = get_source(name)
        rows.append(
            {
                "source": name,
                "publisher": src.publisher,
                "title": src.title,
                "files under --from DIR": " ".join(g for spec in src.files for g in spec.local_globs)
                + (" (table shipped with yenflow)" if src.bundled() else ""),
                "official URLs": " ".join(spec.url for spec in src.files if spec.url) or "(built in fetch)",
                "max age (days)": src.max_age_days,
            }
        )
    return pd.DataFrame(rows)
