"""The yenflow command line. Read commands are built from the view registry
(:mod:`yenflow.cli_views`): options → one view → a renderer. The commands
here write (update, import, rebuild) or export files. Library errors become
one ``Error: …`` line: exit 2 for bad options, 1 otherwise."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from yenflow.cli_views import PlainGroup

if TYPE_CHECKING:
    from yenflow.store import Store

_base = typer.Typer(  # the commands defined here; the views' are added by full_app() or listed by listing_app()
    name="yenflow",
    cls=PlainGroup,
    help="Is Japanese money coming home? Official Japanese and US data in one revision-aware store.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: rich's help renderer costs ~190 ms at start-up
)


def _version(value: bool) -> None:
    if value:
        import yenflow

        typer.echo(f"yenflow {yenflow.__version__}")
        raise typer.Exit(0)


@_base.callback()
def _main(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Print the version and exit.")] = None,
) -> None:
    """Is Japanese money coming home? Official Japanese and US data in one revision-aware store."""


HomeOpt = Annotated[Optional[Path], typer.Option("--home", help="Store folder (default $YENFLOW_HOME or the user data dir).")]
StartOpt = Annotated[Optional[str], typer.Option("--start", help="First date (YYYY-MM-DD).")]
EndOpt = Annotated[Optional[str], typer.Option("--end", help="Last date (YYYY-MM-DD).")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="Values as this store knew them at this time (UTC).")]


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _open(home: Path | None, read_only: bool = True) -> "Store":
    import yenflow
    from yenflow.errors import YenflowError

    try:
        store = yenflow.open(home, read_only=read_only)
        store.con  # open now (waiting while another process holds the store): errors become one line
        return store
    except YenflowError as e:
        _fail(str(e))
        raise  # unreachable


class _Errors:
    """Turn library errors into `Error: …` + exit 1, once, at the CLI boundary."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, et: type | None, e: BaseException | None, tb: object) -> bool:
        from yenflow.errors import YenflowError

        if isinstance(e, YenflowError):
            _fail(str(e))
        return False


@_base.command()
def update(
    sources: Annotated[Optional[list[str]], typer.Argument(help="Sources to update (default: all). See `yenflow sources`.")] = None,
    from_: Annotated[Optional[str], typer.Option("--from", help="Read the publishers' files from this folder or mirror URL instead of the official URLs (also $YENFLOW_MIRROR).")] = None,
    home: HomeOpt = None,
    monitor: Annotated[bool, typer.Option("--answer/--no-answer", "--monitor/--no-monitor",
                                          help="Show the answer (the three questions) after updating.")] = True,
    allow_shrink: Annotated[bool, typer.Option("--allow-shrink", help="Accept a file with fewer observations than the last one from the same place (normally refused as truncated).")] = False,
) -> None:
    """Fetch, archive, parse and store every source; then show the answer to the three questions.

    Exit code 1 if any source failed or was only partly updated (the others are
    still updated); 2 for an unknown source or a missing --from folder.

    Example:

        yenflow update --from ../shared/data
    """
    from yenflow import config
    from yenflow.pipeline import update as run_update
    from yenflow.sources import SOURCES, list_sources
    from yenflow.update_summary import print_summary

    unknown = [s for s in sources or [] if s not in SOURCES]
    if unknown:
        typer.echo(f"Error: unknown source {', '.join(map(repr, unknown))}; known sources: {', '.join(SOURCES)}", err=True)
        raise typer.Exit(2)
    mirror = config.mirror(from_)
    if mirror and not mirror.startswith(("http://", "https://")) and not Path(mirror).is_dir():
        typer.echo(f"Error: --from {mirror}: no such folder (give a folder laid out like ../shared/data, or a mirror URL)", err=True)
        raise typer.Exit(2)
    import time
    from datetime import datetime, timezone

    from yenflow import runlog

    names = sources or list_sources()
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    try:
        with runlog.run_lock(config.home_dir(home)):
            from yenflow import update_manifest

            update_manifest.forget(config.home_dir(home))  # recorded again below if this run completes cleanly
            with _open(home, read_only=False) as store:
                results = run_update(store, names, mirror, _progress(len(names)), allow_shrink=allow_shrink)
            update_manifest.save(config.home_dir(home), mirror, names, sources, allow_shrink, results, started)
    except runlog.RunLocked as e:
        typer.echo(f"Error: {e}", err=True)
        raise typer.Exit(runlog.EXIT_LOCKED) from None
    exit_code = 0 if all(r.ok for r in results) else 1
    rec = runlog.record(results, started, time.perf_counter() - t0, exit_code)
    runlog.append(config.home_dir(home), rec)
    print_summary(results)
    if monitor:
        from yenflow.render import render
        from yenflow.views import registry

        with _Errors(), _open(home) as ro:
            answer = registry.run(ro, "answer")
        render(answer, tables=("answers",))
        typer.echo("The figures behind each answer: `yenflow answer`. See it: `yenflow serve`, then open "
                   "http://127.0.0.1:8000/ (the answer, every chart, as of any date); `yenflow report` writes a file "
                   "to share; `yenflow monitor` prints the latest figures.")
    from yenflow.alerts import RULES_FILE

    if (config.home_dir(home) / RULES_FILE).is_file():  # alerts after every update; a failure never fails the update
        _check_alerts(home, {}, None, None, dry_run=False)
    typer.echo(rec.line(), err=True)
    if exit_code:
        raise typer.Exit(exit_code)


def _progress(total: int) -> "object":
    """A progress callback: a rich display (source, files, bytes) on a terminal, one plain line
    per finished source otherwise (cron logs, pipes)."""
    state = {"done": 0, "files": 0, "bytes": 0}
    if not sys.stderr.isatty():
        def plain(name: str, stage: str, nbytes: int) -> None:
            if stage == "start":
                state.update(files=0, bytes=0)
            elif stage == "file":
                state["files"] += 1
                state["bytes"] += nbytes
            else:
                state["done"] += 1
                size = f", {state['files']} downloads, {state['bytes'] / 1e6:.1f} MB" if state["files"] else ""
                typer.echo(f"[{state['done']}/{total}] {name}{size}", err=True)
        return plain
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description:<28}"), BarColumn(), TextColumn("{task.completed}/{task.total} sources"),
                   TextColumn("{task.fields[files]} files  {task.fields[mb]:.1f} MB"), TimeElapsedColumn(), transient=True)
    task = bar.add_task("updating", total=total, files=0, mb=0.0)

    def rich_progress(name: str, stage: str, nbytes: int) -> None:
        if stage == "start" and state["done"] == 0:
            bar.start()
        if stage == "file":
            state["files"] += 1
            state["bytes"] += nbytes
        if stage == "done":
            state["done"] += 1
        bar.update(task, description=name, advance=1 if stage == "done" else 0, files=state["files"],
                   mb=state["bytes"] / 1e6)
        if state["done"] == total:
            bar.stop()
    return rich_progress


class ExportFmt(str, Enum):
    csv = "csv"
    parquet = "parquet"


@_base.command()
def export(
    series_ids: Annotated[list[str], typer.Argument(help="Series ids.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f")] = ExportFmt.csv,
    long: Annotated[bool, typer.Option("--long", help="Long format with vintage columns (seen_at, raw_sha256).")] = False,
    start: StartOpt = None,
    end: EndOpt = None,
    as_of: AsOfOpt = None,
    home: HomeOpt = None,
) -> None:
    """Export series to CSV or Parquet (wide by default; --long keeps vintage info).

    Example:

        yenflow export jgb.10y ust.par.10y -o yields.parquet -f parquet
    """
    from yenflow.views.params import ParamError, check_range, parse_date, parse_datetime

    try:
        start_d = parse_date(start, "--start") if start else None
        end_d = parse_date(end, "--end") if end else None
        check_range(start_d, end_d)
        as_of_t = parse_datetime(as_of, "--as-of") if as_of else None
    except ParamError as e:
        _fail(str(e), 2)
        return
    with _Errors(), _open(home) as store:
        if long:
            df = store.observations(series_ids, start=start_d, end=end_d, as_of=as_of_t)
        else:
            df = store.frame(series_ids, start=start_d, end=end_d, as_of=as_of_t)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == ExportFmt.parquet:
        df.to_parquet(output, index=not long)
    else:
        df.to_csv(output, index=not long, date_format="%Y-%m-%d")
    typer.echo(f"wrote {len(df)} rows to {output}")


@_base.command()
def rebuild(home: HomeOpt = None) -> None:
    """Rebuild every observation from the raw archive (vintage times kept).

    Example:

        yenflow rebuild
    """
    from yenflow.config import db_path
    from yenflow.pipeline import rebuild as run_rebuild

    if not db_path(home).is_file():
        _fail(f"no yenflow store at {db_path(home)}: nothing to rebuild (check --home / $YENFLOW_HOME)")
    with _Errors(), _open(home, read_only=False) as store:
        n = run_rebuild(store)
    typer.echo(f"re-parsed {n} archived files")


@_base.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="Folder to write report.html, summary.md, charts/*.png and data/*.csv into.")] = Path("yenflow-report"),
    as_of: AsOfOpt = None,
    home: HomeOpt = None,
) -> None:
    """Write a report to share: HTML that opens offline, PNG charts and a Markdown summary (the three answers, what moved, records, stale sources).

    Example:

        yenflow report --out report --as-of 2024-08-09
    """
    from yenflow.report import build_report
    from yenflow.views.params import ParamError, parse_datetime

    try:
        when = parse_datetime(as_of, "--as-of") if as_of else None
    except ParamError as e:
        _fail(str(e), 2)
        return
    with _Errors(), _open(home) as store:
        files = build_report(store, out, when)
    typer.echo(f"wrote {files.html} (opens offline), {files.summary}, {len(files.charts)} charts in {out / 'charts'}, "
               f"{len(files.data)} tables in {out / 'data'}")


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@_base.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Anything but 127.0.0.1 lets other machines read the store (no authentication).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    get: Annotated[Optional[str], typer.Option("--get", help="Answer one request in-process, print it and exit (e.g. /api/views/answer.json).")] = None,
    home: HomeOpt = None,
) -> None:
    """Serve the dashboard: every page, its charts as of any date, the views' JSON under /api/views.

    Example:

        yenflow serve --port 8000
    """
    from yenflow.config import db_path
    from yenflow.web.app import create_app, limit_malloc_arenas

    path = db_path(home)
    if not path.exists():
        _fail(f"no store at {path}: run `yenflow update` (or `yenflow update --from DIR`) first")
    web = create_app(path)
    if get is not None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # starlette's note about its httpx-based test client
            from fastapi.testclient import TestClient

        response = TestClient(web).get(get)
        typer.echo(response.text)
        raise typer.Exit(0 if response.status_code < 400 else 1)
    import uvicorn

    limit_malloc_arenas()
    if host not in LOOPBACK:
        typer.echo(f"Warning: listening on {host}: anyone who can reach this address can read the store "
                   "(the dashboard has no authentication). Use the default 127.0.0.1 to keep it on this machine.", err=True)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"yenflow dashboard: http://{shown}:{port}/  (store {path}; Ctrl+C to stop)")
    uvicorn.run(web, host=host, port=port, log_level="warning")

config_app = typer.Typer(help="The settings file and the effective settings.", no_args_is_help=True)
_base.add_typer(config_app, name="config")


@config_app.command("show")
def config_show(
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table, csv or json.")] = None,
) -> None:
    """The effective settings and where each came from (option, environment, config file, default); secrets
    are never printed.

    Example:

        yenflow config show
    """
    from yenflow.cli_views import run_view
    from yenflow.views import registry

    run_view(registry.get("config"), {}, fmt, None)


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        if "=" not in item:
            _fail(f"{option} takes COLUMN=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


@_base.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file.", exists=True, dir_okay=False)],
    series_id: Annotated[str, typer.Option("--series", help="Series id to store it as.")],
    unit: Annotated[str, typer.Option("--unit", help="Unit, stated explicitly (%, bp, JPY per USD, JPY 100m…).")],
    date_col: Annotated[Optional[str], typer.Option("--date-col", help="Date column (default: the first).")] = None,
    value_col: Annotated[Optional[str], typer.Option("--value-col", help="Value column (default: the second).")] = None,
    source_text: Annotated[str, typer.Option("--source", help="Where the file comes from (shown in the catalog).")] = "user import",
    name: Annotated[Optional[str], typer.Option("--name", help="Human name.")] = None,
    frequency: Annotated[str, typer.Option("--frequency", help="daily, weekly, monthly…")] = "unknown",
    sheet: Annotated[Optional[str], typer.Option("--sheet", help="XLSX sheet name (default: the first).")] = None,
    scale: Annotated[float, typer.Option("--scale", help="Multiply values (e.g. 10: JPY bn → JPY 100m).")] = 1.0,
    where: Annotated[Optional[list[str]], typer.Option("--where", help="Keep rows where COLUMN=VALUE (repeatable).")] = None,
    negate_where: Annotated[Optional[list[str]], typer.Option("--negate-where", help="Flip the sign where COLUMN=VALUE.")] = None,
    sum_duplicates: Annotated[bool, typer.Option("--sum-duplicates", help="Add up rows sharing a date.")] = False,
    allow_shrink: Annotated[bool, typer.Option("--allow-shrink", help="Accept a file with fewer observations than the one imported from the same path before.")] = False,
    home: HomeOpt = None,
) -> None:
    """Import your own series (CSV/XLSX) with the same vintage rules as official data.

    Example:

        yenflow import basis.csv --series user.basis.usdjpy.3m --unit bp --source "Bloomberg export"
    """
    from yenflow.pipeline import import_file
    from yenflow.update_summary import print_summary

    params = dict(
        series_id=series_id, unit=unit, name=name, frequency=frequency, date_col=date_col,
        value_col=value_col, source_text=source_text, sheet=sheet, scale=scale,
        where=_pairs(where, "--where"), negate_where=_pairs(negate_where, "--negate-where"),
        sum_duplicates=sum_duplicates,
    )
    with _Errors(), _open(home, read_only=False) as store:
        result = import_file(store, file, params, allow_shrink=allow_shrink)
    print_summary([result])
    if not result.ok:
        raise typer.Exit(1)


@_base.command("import-reexport")
def import_reexport_(
    file: Annotated[Path, typer.Argument(help="A third-party re-export with an official source's fields.",
                                         exists=True, dir_okay=False)],
    source: Annotated[str, typer.Option("--source", help="The source whose parser reads it: jpx.investor_types.")],
    home: HomeOpt = None,
) -> None:
    """Load a third-party re-export (a _derived file) through an official source's parser, marked user-imported.

    Example:

        yenflow import-reexport jquants_investor_types_TSEPrime_2022-2026_derived.csv --source jpx.investor_types
    """
    from yenflow.update_summary import print_summary
    from yenflow.thirdparty import READS_REEXPORTS, import_reexport

    if source not in READS_REEXPORTS:
        _fail(f"--source: {source!r} does not read re-exports; one of: {', '.join(READS_REEXPORTS)}", 2)
    with _Errors(), _open(home, read_only=False) as store:
        result = import_reexport(store, file, source)
    print_summary([result])
    if not result.ok:
        raise typer.Exit(1)


@_base.command()
def alerts(
    rules: Annotated[Optional[str], typer.Option("--rules", help="Rules file, TOML (default: alerts.toml in the store folder, else the example shipped with yenflow).")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Matches dated on or after this day, YYYY-MM-DD (default: 45 days before the latest market date).")] = None,
    as_of: AsOfOpt = None,
    webhook: Annotated[Optional[str], typer.Option("--webhook", help="POST the new matches to this URL (instead of the rules file's [webhook]).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the matches only: log and post nothing (also with --as-of).")] = False,
    home: HomeOpt = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="Output format: table, csv or json.", metavar="FORMAT")] = None,
) -> None:
    """Check the alert rules: conditions on any series, view figure or the sell-Japan signal. New matches are
    printed, appended to alerts.jsonl in the store folder and posted to the webhook (a failed post is reported,
    never fatal).

    Example:

        yenflow alerts --since 2026-06-01
    """
    raw = {"rules": rules, "since": since, "as_of": as_of}
    code = _check_alerts(home, {k: v for k, v in raw.items() if v is not None}, fmt, webhook, dry_run or as_of is not None)
    if code:
        raise typer.Exit(code)


def _check_alerts(home: Path | None, raw: dict[str, str], fmt: str | None, webhook: str | None, dry_run: bool) -> int:
    """Run the alerts view, render it, log and post the new matches; the exit code (errors printed, never raised)."""
    from yenflow import config
    from yenflow.alerts import deliver, load_rules
    from yenflow.errors import YenflowError
    from yenflow.render import render
    from yenflow.views import registry
    from yenflow.views.alerts import AlertsParams
    from yenflow.views.params import ParamError, parse

    fmt = (fmt or "table").strip().lower()
    try:
        if fmt not in ("table", "csv", "json"):
            raise ParamError("--format", f"{fmt!r} is not allowed; one of: table, csv, json")
        if webhook is not None and not webhook.startswith(("http://", "https://")):
            raise ParamError("--webhook", f"{webhook!r} is not an http(s) URL")
        params = parse(AlertsParams, raw)
        folder = config.home_dir(home)
        with _open(home) as store:
            result = registry.run(store, "alerts", params)
        rules = load_rules(params.rules, folder)
    except ParamError as e:
        typer.echo(f"Error: {e}", err=True)
        return 2
    except YenflowError as e:
        typer.echo(f"Error: {e}", err=True)
        return 1
    render(result, fmt)  # type: ignore[arg-type]
    if not dry_run:
        for line in deliver(result, folder, webhook or rules.webhook, rules.timeout):
            typer.echo(line, err=line.startswith("webhook failed"))
    return 0


def _copy(source: typer.Typer) -> typer.Typer:
    import copy

    out = copy.copy(source)
    out.registered_commands, out.registered_groups = list(source.registered_commands), list(source.registered_groups)
    return out


_full: "typer.Typer | None" = None


def full_app() -> typer.Typer:
    """Every command, the views' included (this imports every view module). ``yenflow.cli.app`` is this."""
    global _full
    if _full is None:
        from yenflow.cli_views import add_view_commands

        _full = _copy(_base)
        add_view_commands(_full)
    return _full


def listing_app() -> typer.Typer:
    """The commands defined here, and each view command's name and help from :mod:`yenflow.cli_index` (nothing
    of the views imported): enough for ``yenflow --help`` and for naming an unknown command."""
    from yenflow.cli_views import add_listed_commands

    listing = _copy(_base)
    add_listed_commands(listing)
    return listing


def __getattr__(name: str) -> Any:
    if name == "app":
        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _only(name: str, source: typer.Typer) -> "typer.Typer | None":
    """``source`` with only the command or group ``name`` (None if there is none): typer builds the
    click object of every registered command on each run (~70 ms for all of them); a run needs one.
    Options, help and errors are those of the full app."""
    from typer.main import get_command_name

    commands = [c for c in source.registered_commands
                if (c.name or (get_command_name(c.callback.__name__) if c.callback else None)) == name]
    groups = [g for g in source.registered_groups if g.name == name]
    if not commands and not groups:
        return None
    only = _copy(source)
    only.registered_commands, only.registered_groups = commands, groups
    return only


def _app_for(name: str | None) -> typer.Typer:
    """The smallest app that runs ``yenflow name …`` as the full one would."""
    import os

    from yenflow.cli_index import VIEW_COMMANDS

    if os.environ.get("_YENFLOW_COMPLETE"):
        source = full_app()  # shell completion completes every command's options
    elif name in {cli.split(" ")[0] for cli, _ in VIEW_COMMANDS}:
        from yenflow.cli_views import add_view_commands

        source = _copy(_base)  # with this view command (or group) only: building all of them costs ~40 ms
        add_view_commands(source, only=name)
    elif name is not None and _only(name, _base) is not None:
        source = _base
    else:
        return listing_app()  # --help, --version, no command, an unknown command
    only = _only(name, source) if name is not None else None
    return only or source


def main(argv: list[str] | None = None, quick: bool = True) -> None:
    """Run the CLI on ``argv`` (default ``sys.argv[1:]``); usage errors (unknown options, missing arguments) are
    one line and exit 2. ``quick``: first try the no-change update (:mod:`yenflow.update_manifest`)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if quick:
        from yenflow import update_manifest

        code = update_manifest.fast_update(args)
        if code is not None:
            sys.exit(code)
    from typer._click.exceptions import ClickException, UsageError  # typer bundles click

    target = _app_for(args[0] if args and not args[0].startswith("-") else None)
    try:
        code = target(args=args, standalone_mode=False, prog_name="yenflow")
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(1)
    except UsageError as e:
        where = f"{e.ctx.command_path}: " if e.ctx is not None else ""
        typer.echo(f"Error: {where}{e.format_message()}", err=True)
        sys.exit(2)
    except ClickException as e:
        typer.echo(f"Error: {e.format_message()}", err=True)
        sys.exit(e.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
