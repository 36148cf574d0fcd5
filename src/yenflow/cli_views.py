"""CLI commands built from the view registry: each view's typed parameters
become options, the command parses them, calls the one view and renders the
result (``--format table|csv|json``). Nothing here computes."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.core

from yenflow.views.params import _unwrap_optional, describe, fields_of, option_name

if TYPE_CHECKING:
    from collections.abc import Iterable

    from yenflow.views.registry import ViewSpec

FORMATS = ("table", "csv", "json")

HOME_HELP = "Store folder (default $YENFLOW_HOME or the user data dir)."
FORMAT_HELP = "Output format. One of: table, csv (the main table), json (every table, conventions, warnings, inputs). [default: table]"


def fail(message: str, code: int = 1) -> None:
    """One line on stderr, then exit: 2 for bad options, 1 for everything else."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def run_view(spec: "ViewSpec", raw: dict[str, Any], fmt: str | None, home: Path | None) -> None:
    """Parse ``raw`` into the view's parameters, run it on the store (read-only), render it."""
    from yenflow.errors import YenflowError
    from yenflow.render import render
    from yenflow.views import registry
    from yenflow.views.params import ParamError

    fmt = (fmt or "table").strip().lower()
    if fmt not in FORMATS:
        fail(f"--format: {fmt!r} is not allowed; one of: {', '.join(FORMATS)}", 2)
    try:
        params = registry.with_config_defaults(spec, raw)
    except ParamError as e:
        fail(str(e), 2)
        return
    except YenflowError as e:  # the config file
        fail(str(e), 2)
        return
    try:
        if spec.needs_store:
            import yenflow

            with yenflow.open(home, read_only=True) as store:
                result = registry.run(store, spec.name, params)
        else:
            result = registry.run(None, spec.name, params)
    except ParamError as e:
        fail(str(e), 2)
        return
    except YenflowError as e:
        fail(str(e))
        return
    render(result, fmt)  # type: ignore[arg-type]


class _Verbatim:
    """Hands an option's text to the view as typed (a tuple as a list, nothing as ``None``).

    The views parse and validate their own parameters (``yenflow.views.params``), so typer's
    per-option coercion — built on pydantic, about 0.1 s to import — is not needed for these
    commands. Installed by :class:`ViewCommand` in place of typer's lazily built coercer.
    """

    def coerce(self, value: Any, param: Any = None, ctx: Any = None) -> Any:
        if isinstance(value, tuple):
            return list(value) or None
        return value


_VERBATIM = _Verbatim()


def _verbatim(params: list[Any]) -> None:
    """Relies on typer's ``_runtime_param`` slot (typer 0.29); where a typer release lacks it the
    options are coerced by typer as usual — slower, same result."""
    for param in params:
        if hasattr(param, "_runtime_param"):
            param._runtime_param = _VERBATIM


class ViewCommand(typer.core.TyperCommand):
    """A view's command: its options reach the view as text (see :class:`_Verbatim`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _verbatim(self.get_params(ctx))  # with --help, added by click after construction
        return super().parse_args(ctx, args)


class PlainGroup(typer.core.TyperGroup):
    """The top-level group: its own options (``--version``, ``--help``, completion) are flags and need no
    coercion."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _verbatim(self.get_params(ctx))
        return super().parse_args(ctx, args)


def command_for(spec: "ViewSpec") -> Any:
    """A typer command function whose options are the view's parameters."""
    params: list[inspect.Parameter] = []
    for f, tp, meta in fields_of(spec.params):
        if meta.cli_hidden:
            continue
        inner, _ = _unwrap_optional(tp)
        help_text = describe(tp, meta, f.default)
        if getattr(inner, "__origin__", None) is tuple:
            info: Any = typer.Argument(help=help_text, show_default=False) if meta.argument else \
                typer.Option(option_name(f), help=help_text, show_default=False)
            annotation: Any = Annotated[Optional[list[str]], info]
        elif inner is bool:
            annotation = Annotated[Optional[bool], typer.Option(option_name(f), help=help_text, show_default=False)]
        elif meta.argument:
            annotation = Annotated[Optional[str], typer.Argument(help=help_text, show_default=False, metavar=f.name.upper())]
        else:
            decls = [option_name(f)] + ([meta.short] if meta.short else [])
            annotation = Annotated[Optional[str], typer.Option(*decls, help=help_text, show_default=False,
                                                               metavar=_metavar(inner))]
        params.append(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation))
    if True:  # every command takes --home, so scripts can pass it uniformly
        params.append(inspect.Parameter("home", inspect.Parameter.KEYWORD_ONLY, default=None,
                                        annotation=Annotated[Optional[Path], typer.Option("--home", help=HOME_HELP)]))
    params.append(inspect.Parameter("fmt", inspect.Parameter.KEYWORD_ONLY, default=None,
                                    annotation=Annotated[Optional[str], typer.Option("--format", "-f", help=FORMAT_HELP,
                                                                                     metavar="FORMAT")]))

    def command(**kw: Any) -> None:
        fmt, home = kw.pop("fmt", None), kw.pop("home", None)
        raw = {k: v for k, v in kw.items() if v is not None and v != []}
        run_view(spec, raw, fmt, Path(home) if home is not None else None)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = _help_text(spec)
    command.__name__ = spec.name
    return command


def _metavar(tp: Any) -> str:
    from datetime import date, datetime

    from yenflow.views.params import choices

    allowed = choices(tp)
    if allowed:
        return "[" + "|".join(str(a) for a in allowed) + "]"
    return {int: "INTEGER", float: "NUMBER", date: "YYYY-MM-DD", datetime: "DATE[THH:MM]"}.get(tp, "TEXT")


GROUP_HELP = {"scenario": "Monte Carlo scenarios of Japanese repatriation and carry unwind (run, presets).\n\n"
                           "Example:\n\n    yenflow scenario run --preset \"BOJ 1.5% / Fed 3%\" --paths 100000"}


def _help_text(spec: "ViewSpec") -> str:
    return f"{spec.summary}\n\nExample:\n\n    {spec.example}"


def index_source() -> str:
    """The body of :mod:`yenflow.cli_index` (cog writes it from the registry)."""
    from yenflow.views.registry import specs

    rows = [f"    ({spec.cli!r}, {_help_text(spec)!r}),\n" for spec in specs().values() if spec.cli]
    return "VIEW_COMMANDS: tuple[tuple[str, str], ...] = (\n" + "".join(rows) + ")\n"


def _add(app: typer.Typer, commands: "Iterable[tuple[str, Any]]", cls: Any = None) -> None:
    """Register ``(name, function)`` pairs; a name with a space ("scenario run") goes into a sub-group."""
    groups: dict[str, typer.Typer] = {}
    for cli, function in commands:
        group, _, sub = cli.partition(" ")
        if not sub:
            app.command(cli, cls=cls)(function)
            continue
        if group not in groups:
            groups[group] = typer.Typer(cls=PlainGroup, no_args_is_help=True, help=GROUP_HELP.get(group, ""))
            app.add_typer(groups[group], name=group)
        groups[group].command(sub, cls=cls)(function)


def _listed(text: str) -> Any:
    def listed() -> None:  # pragma: no cover - never run: the CLI runs view commands from the full app
        raise RuntimeError("a listed view command is not runnable")

    listed.__doc__ = text
    return listed


def add_listed_commands(app: typer.Typer) -> None:
    """Each view command as a name and its help only (from :mod:`yenflow.cli_index`: no view imported), for
    listings; running one needs :func:`add_view_commands`."""
    from yenflow.cli_index import VIEW_COMMANDS

    _add(app, ((cli, _listed(text)) for cli, text in VIEW_COMMANDS))


def add_view_commands(app: typer.Typer, only: str | None = None) -> None:
    """One command per view (``only``: those of that command or group)."""
    from yenflow.views.registry import specs

    _add(app, ((spec.cli, command_for(spec)) for spec in specs().values()
               if spec.cli and (only is None or spec.cli.partition(" ")[0] == only)), cls=ViewCommand)
