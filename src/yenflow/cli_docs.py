"""The CLI reference, generated from the commands' own help (cog runs these
functions to rewrite README.md and docs/cli-reference.md; CI checks they are
current with ``cog --check``)."""

from __future__ import annotations

import re
from typing import Any

WIDTH = 100


def _commands() -> list[tuple[str, Any]]:
    """(full name, click command) for every command and sub-command, in help order."""
    from typer.main import get_command

    from yenflow.cli import app

    root = get_command(app)
    out: list[tuple[str, Any]] = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        if subs:
            out += [(f"{name} {sub}", c) for sub, c in subs.items()]
        else:
            out.append((name, cmd))
    return out


def _help(name: str, cmd: Any) -> str:
    from typer._click.core import Context  # typer bundles click

    ctx = Context(cmd, info_name=f"yenflow {name}", terminal_width=WIDTH, max_content_width=WIDTH)
    return str(cmd.get_help(ctx)).rstrip()


def _summary_and_example(cmd: Any) -> tuple[str, str]:
    text = cmd.help or ""
    summary = " ".join(text.split("Example:")[0].split())
    match = re.search(r"Example:\s*\n\s*(?:\\b\s*\n\s*)?(yenflow[^\n]*)", text)
    return summary, match.group(1).strip() if match else ""


def readme_table() -> str:
    """The README's command table: command, what it does, an example."""
    rows = ["| command | what it does | example |", "|---|---|---|"]
    for name, cmd in _commands():
        summary, example = _summary_and_example(cmd)
        escaped = summary.replace("|", "\\|")
        rows.append(f"| `{name}` | {escaped} | `{example}` |")
    return "\n".join(rows) + "\n"


def reference() -> str:
    """Every command's full ``--help``."""
    parts = []
    for name, cmd in _commands():
        parts.append(f"## `yenflow {name}`\n\n```text\n{_help(name, cmd)}\n```\n")
    return "\n".join(parts)
