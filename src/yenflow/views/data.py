"""Views of the store itself: series side by side, vintages, the catalog,
source status and the registered sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from yenflow.views.market import make_result
from yenflow.views.params import ParamError, ViewParams, check_range, opt
from yenflow.views.registry import view

if TYPE_CHECKING:
    from yenflow.views.market import Market
    from yenflow.views.result import ViewResult

#: a series whose last value in the window is this many days older than the
#: others' is flagged
STALE_GAP_DAYS = 7


@dataclass(frozen=True)
class ShowParams(ViewParams):
    series_ids: tuple[str, ...] = opt((), "Series ids, e.g. jgb.10y ust.par.10y fx.usdjpy", argument=True)
    start: date | None = opt(None, "First date (YYYY-MM-DD)")
    end: date | None = opt(None, "Last date (YYYY-MM-DD)")

    def check(self) -> None:
        if not self.series_ids:
            raise ParamError("SERIES_IDS", "give at least one series id (`yenflow series` lists them)")
        check_range(self.start, self.end)


@view("series_values", ShowParams, "Print series side by side, with their units and the date of each value.",
      "yenflow show jgb.10y ust.par.10y fx.usdjpy --start 2024-07-25 --end 2024-08-10", cli="show")
def series_values(market: "Market", p: ShowParams) -> "ViewResult":
    import pandas as pd

    from yenflow.views.result import Table

    market.load(p.series_ids)
    cols, units, warnings = {}, {}, []
    for sid in p.series_ids:
        s = market.series(sid, role="shown")
        s = s.loc[pd.Timestamp(p.start) if p.start else None: pd.Timestamp(p.end) if p.end else None]
        cols[sid], units[sid] = s, market.info(sid)["unit"] or ""
    frame = pd.DataFrame(cols).sort_index()
    frame.index.name = "ref_date"
    last = {sid: s.last_valid_index() for sid, s in cols.items()}
    for sid, d in last.items():
        if d is None:
            warnings.append(f"{sid} has no value in the window asked")
    newest = max((d for d in last.values() if d is not None), default=None)
    for sid, d in last.items():
        if d is not None and newest is not None and (newest - d).days > STALE_GAP_DAYS:
            warnings.append(f"{sid} ends {d:%Y-%m-%d}, {(newest - d).days} days before the newest series here "
                            f"({newest:%Y-%m-%d}): its last value is not current")
    conventions = [f"{sid}: {market.info(sid)['name']} ({units[sid]}; source {market.info(sid)['source']})"
                   for sid in p.series_ids]
    conventions.append("ref_date: the date each figure refers to (a period's last day for weekly/monthly series); "
                       "blank = no value published for that date")
    table = Table("values", frame, {"ref_date": "date", **units}, kind="series", date_column="ref_date",
                  title=", ".join(p.series_ids))
    return make_result(market, "series_values", "Series", p, [table], conventions, warnings)


@dataclass(frozen=True)
class VintagesParams(ViewParams):
    series_id: str | None = opt(None, "Series id", argument=True)
    date: date | None = opt(None, "Only this reference date (YYYY-MM-DD)")

    def check(self) -> None:
        if not self.series_id:
            raise ParamError("SERIES_ID", "give a series id (`yenflow series` lists them)")


@view("vintages", VintagesParams, "Every stored vintage of a series: value, when first seen, from which file.",
      "yenflow vintages fx.usdjpy --date 2019-02-20")
def vintages(market: "Market", p: VintagesParams) -> "ViewResult":
    from yenflow.views.result import Table

    sid = str(p.series_id)
    meta = market.info(sid)
    market._use(sid, "shown")
    sql = """SELECT o.ref_date, o.value, o.period_start, o.released, o.seen_at, left(o.raw_sha256, 12) AS raw_sha256,
                    (SELECT any_value(f.filename) FROM raw_fetches f WHERE f.sha256 = o.raw_sha256) AS file
             FROM observations o WHERE o.series_id = ?"""
    params: list[object] = [sid]
    if p.date is not None:
        sql += " AND o.ref_date = ?"
        params.append(p.date)
    if p.as_of is not None:
        sql += " AND o.seen_at <= ?"
        params.append(p.as_of)
    frame = market.store.con.execute(sql + " ORDER BY o.ref_date, o.seen_at", params).df()
    warnings = [] if len(frame) else [f"no vintage of {sid}" + (f" for {p.date}" if p.date else "") + " in the store"]
    units = {"ref_date": "date", "value": meta["unit"] or "", "period_start": "date", "released": "date",
             "seen_at": "UTC", "raw_sha256": "text", "file": "text"}
    table = Table("vintages", frame, units, title=f"Vintages of {sid} ({meta['unit']})", date_column="ref_date")
    conventions = ["seen_at: when this store first recorded the value (UTC); a row is added only when a file "
                   "brings a new or different value; released: the publisher's release date where known",
                   "as_of here filters on seen_at only (what this store had recorded by then)"]
    return make_result(market, "vintages", f"Vintages of {sid}", p, [table], conventions, warnings)


@dataclass(frozen=True)
class CatalogParams(ViewParams):
    query: str | None = opt(None, "Text to search in ids, names, units, descriptions and sources", argument=True)
    notes: bool = opt(False, "Add each series' notes: how yenflow read it from the publisher's file (long)")
    limit: int = opt(500, "Rows to show, in id order (0 = every match)", minimum=0, maximum=99_999)
    offset: int = opt(0, "Matches to skip first, in id order (the next page: --offset 500)", minimum=0,
                      maximum=9_999_999)


@view("catalog", CatalogParams, "Search the series catalog: id, name, unit, frequency, first and last observation.",
      "yenflow series jgb", cli="series")
def catalog(market: "Market", p: CatalogParams) -> "ViewResult":
    from yenflow.views.result import Table

    cat = market.store.catalog(p.query)
    cols = ["id", "name", "unit", "frequency", "first", "last", "observations", "source", "user_imported",
            "description"] + (["notes"] if p.notes else [])
    total = len(cat)
    rest = cat[cols].iloc[p.offset:]
    frame = rest.head(p.limit) if p.limit else rest
    units = {"first": "date", "last": "date", "observations": "count", "user_imported": "yes/no"}
    if len(frame) == total:
        shown = f"{total:,} series"
    elif p.offset == 0:
        shown = f"the first {len(frame):,} of {total:,} series"
    else:
        shown = f"series {p.offset + 1:,}–{p.offset + len(frame):,} of {total:,}" if len(frame) else \
            f"no series after the first {p.offset:,} of {total:,}"
    table = Table("series", frame, units, title=shown + (f" matching {p.query!r}" if p.query else ""))
    conventions = ["first/last: reference dates of the first and last stored observation (latest vintage); "
                   "observations: distinct dates", "user_imported: loaded by `yenflow import`, not an official source"]
    if len(frame) < total:
        after = p.offset + len(frame)
        more = f"; the next page: `--offset {after}`" if after < total else ""
        conventions.insert(0, f"{shown}, in id order: narrow with a search text, or `--limit 0` for every one{more}")
    if not p.notes:
        conventions.append("each series' notes (how it was read from the publisher's file): add `--notes`")
    warnings = [] if len(frame) or p.offset else [f"no series matches {p.query!r}"]
    return make_result(market, "catalog", "Series catalog", p, [table], conventions, warnings)


@dataclass(frozen=True)
class StatusParams(ViewParams):
    today: date | None = opt(None, "Judge staleness on this date (default: today)")


@view("status", StatusParams, "Per source: last update, last observation, rows, stale or fresh against the "
      "publisher's release calendar, last error.", "yenflow status")
def status(market: "Market", p: StatusParams) -> "ViewResult":
    import pandas as pd

    from yenflow import release_calendar
    from yenflow.sources import get_source, list_sources
    from yenflow.views.result import Table

    today = pd.Timestamp(p.today or (p.as_of.date() if p.as_of else date.today()))
    upto = [] if p.as_of is None else [p.as_of.date()]
    stats = market.store.sql(
        f"""SELECT s.source, max(o.ref_date) AS last_obs, count(o.series_id) AS rows, count(DISTINCT s.id) AS series
           FROM series s LEFT JOIN observations o ON o.series_id = s.id
           {'AND o.ref_date <= ?::DATE' if upto else ''} GROUP BY s.source""", upto).set_index("source")
    log = market.store.sql(
        f"""SELECT source,
                  max(finished_at) FILTER (WHERE ok OR status IN ('ok', 'partial')) AS last_update,
                  arg_max(error, finished_at) AS last_error,
                  arg_max(coalesce(status, CASE WHEN ok THEN 'ok' ELSE 'FAILED' END), finished_at) AS last_status
           FROM update_log {'WHERE finished_at <= ?' if upto else ''} GROUP BY source""",
        [p.as_of] if upto else []).set_index("source")
    names = list_sources() + sorted(set(stats.index) - set(list_sources()))
    rows: list[dict[str, object]] = []
    warnings: list[str] = []
    stale_names: list[str] = []
    empty: list[str] = []
    for name in names:
        last_obs = stats["last_obs"].get(name) if name in stats.index else None
        last_obs = None if last_obs is None or pd.isna(last_obs) else pd.Timestamp(last_obs)
        stale = release_calendar.is_stale(name, last_obs, today)
        if stale is None and name in list_sources():
            max_age = get_source(name).max_age_days
            if max_age < 10**5:
                stale = last_obs is None or (today - last_obs).days > max_age
        due = release_calendar.next_release(name, last_obs) if last_obs is not None else None
        last_run = "—" if name not in log.index else _last_run(log["last_status"][name], log["last_error"][name])
        rows.append({"source": name, "last_update": log["last_update"].get(name) if name in log.index else None,
                     "last_observation": last_obs, "series": int(stats["series"].get(name, 0)) if name in stats.index else 0,
                     "rows": int(stats["rows"].get(name, 0)) if name in stats.index else 0, "next_release_due": due,
                     "stale": {None: "—", True: "STALE", False: "fresh"}[stale], "last_run": last_run})
        if stale:
            (empty if last_obs is None else stale_names).append(name)
    if stale_names:
        warnings.append(f"stale (a release is overdue): {', '.join(stale_names)}; run `yenflow update`")
    if empty:
        warnings.append(f"no data yet: {', '.join(empty)}")
    frame = pd.DataFrame(rows)
    units = {"last_update": "UTC", "last_observation": "date", "series": "count", "rows": "count",
             "next_release_due": "date", "stale": "text", "last_run": "text"}
    table = Table("sources", frame, units, title=f"yenflow status ({today:%Y-%m-%d})")
    conventions = ["stale: the next release by the publisher's calendar is overdue by more than 2 business days "
                   "(Tokyo/New York holidays are not modelled); sources without a calendar use their maximum age",
                   "rows: stored vintages (every revision counts)",
                   *(["as of a past date: observations dated up to then and update runs finished by then; staleness "
                      "judged on that date"] if p.as_of else [])]
    return make_result(market, "status", "Source status", p, [table], conventions, warnings)


def _last_run(status: str, error: object) -> str:
    if status in ("ok", "no files") or not error:
        return str(status)
    return f"{status}: {str(error).removeprefix('partial: ')}"


@dataclass(frozen=True)
class SourcesParams(ViewParams):
    pass


@view("sources", SourcesParams, "The registered sources: publisher, the files each reads from a folder (--from), "
      "official URLs.", "yenflow sources", needs_store=False)
def sources(market: "Market | None", p: SourcesParams) -> "ViewResult":
    import pandas as pd

    from yenflow.sources import get_source, list_sources
    from yenflow.views.result import Table

    rows = []
    for name in list_sources():
        src = get_source(name)
        urls = src.urls(None)
        bundled = src.bundled()
        if bundled and not urls:
            online = "no download: a table shipped with yenflow, loaded in every mode"
        elif src.folder_only or not urls:
            online = "no: " + (src.folder_only or "folder or mirror only")
        else:
            online = "yes"
        rows.append({
            "source": name, "publisher": src.publisher, "title": src.title, "fetches_online": online,
            "official_urls": " ".join(urls) or "—",
            "files_under_from_dir": " ".join(g for spec in src.files for g in spec.local_globs)
            + (" (table shipped with yenflow)" if bundled else ""),
        })
    table = Table("sources", pd.DataFrame(rows), {}, title="yenflow sources")
    conventions = ["files whose name contains _derived (third-party re-exports) are never read by a source: "
                   "load them with `yenflow import`"]
    return make_result(None, "sources", "Sources", p, [table], conventions)



@dataclass(frozen=True)
class ConfigParams(ViewParams):
    pass


@view("config", ConfigParams, "The effective settings and where each came from (option, environment, config file, "
      "default); secrets are never printed.", "yenflow config show", needs_store=False, cli=None)
def config(market: "Market | None", p: ConfigParams) -> "ViewResult":
    import pandas as pd

    from yenflow import config as cfg
    from yenflow.views.result import Table

    frame = pd.DataFrame(cfg.effective())
    path = cfg.config_path()
    conventions = [f"config file: {path} ({'present' if path.is_file() else 'absent'}; set {cfg.CONFIG_ENV} to use another)",
                   "order: command-line option > environment variable > config file > default; [views.<name>] tables "
                   "set default parameters of any view (e.g. [views.hedge] basis_bp = -30)"]
    return make_result(None, "config", "yenflow settings", p, [Table("settings", frame, {}, title="yenflow settings")],
                       conventions)
