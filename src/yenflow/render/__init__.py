"""Renderers: turn a :class:`~yenflow.views.result.ViewResult` into console
text, CSV or JSON (the web and report renderers draw the same results).
Renderers format; they never read the store or compute."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TextIO

if TYPE_CHECKING:
    from yenflow.views.result import ViewResult

Format = Literal["table", "csv", "json"]


def render(result: "ViewResult", fmt: Format = "table", out: "TextIO | None" = None) -> None:
    """Write ``result`` to ``out`` (stdout) as a table, CSV (main table) or JSON."""
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

        write_console(result, out)
