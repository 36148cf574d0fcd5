"""Renderers: turn a :class:`~yenflow.views.result.ViewResult` into console
text, CSV or JSON (the web and report renderers draw the same results).
Renderers format; they never read the store or compute."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TextIO

if TYPE_CHECKING:
    from yenflow.views.result import ViewResult

Format = Literal["table", "csv", "json"]


def render(result: "ViewResult", fmt: Format = "table", out: "TextIO | None" = None,
           tables: "tuple[str, ...] | None" = None) -> None:
    """Write ``result`` to ``out`` (stdout) as a table, CSV (main table) or JSON;
    ``tables`` limits the console to those tables (a summary), conventions included."""
    import sys

    out = out or sys.stdout
    if fmt == "json":
        from yenflow.render.json import write_json

        write_json(result, out)
    elif fmt == "csv":
        from yenflow.render.csv import write_csv

        write_csv(result.main, out)
    else:
        from yenflow.render.console import write_console

        if tables is not None:
            import dataclasses

            result = dataclasses.replace(result, tables=tuple(t for t in result.tables if t.name in tables))
        write_console(result, out)
