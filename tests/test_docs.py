"""The README stays true: every command and every source is documented, and
every command has help with an example."""

from __future__ import annotations

from pathlib import Path

import pytest
from yenflow.sources import list_sources

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
from yenflow.cli_docs import _commands

COMMANDS = dict(_commands())


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_documented_with_example(command: str) -> None:
    assert f"`{command}`" in README, f"yenflow {command} is not in the README's CLI reference"
    help_text = COMMANDS[command].help or ""
    assert "Example:" in help_text, f"yenflow {command} --help has no Example block"


def test_cli_reference_is_current() -> None:
    """The generated tables match the commands (what `cog --check` verifies in CI)."""
    from yenflow.cli_docs import readme_table, reference

    assert readme_table() in README
    assert reference() in (Path(__file__).resolve().parents[1] / "docs" / "cli-reference.md").read_text()


def test_command_index_is_current_and_lists_what_the_full_cli_has() -> None:
    """`yenflow --help` lists the view commands from a generated index instead of importing the views: the index
    is the registry's (else: `uv run cog -r src/yenflow/cli_index.py`) and the listing is the full CLI's, word
    for word."""
    from typer.main import get_command
    from typer._click.core import Context

    from yenflow import cli, cli_index
    from yenflow.cli_views import index_source

    source = Path(cli_index.__file__).read_text(encoding="utf-8")
    assert index_source() in source, "stale src/yenflow/cli_index.py: run `uv run cog -r src/yenflow/cli_index.py`"

    def root_help(app: object) -> str:
        cmd = get_command(app)  # type: ignore[arg-type]
        return str(cmd.get_help(Context(cmd, info_name="yenflow", terminal_width=100, max_content_width=100)))

    assert root_help(cli.listing_app()) == root_help(cli.full_app())
    listed = get_command(cli.listing_app()).commands  # type: ignore[attr-defined]
    assert set(listed) == set(get_command(cli.full_app()).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("source", list_sources())
def test_source_documented(source: str) -> None:
    assert f"`{source}`" in README


def test_readme_quickstart_commands() -> None:
    assert "pip install uv && uv run yenflow update" in README
    assert "pip install uv && uv run pytest" in README
    assert "--from ../shared/data" in README


def test_every_source_names_its_files() -> None:
    from yenflow.views import registry

    df = registry.run(None, "sources").frame()
    assert (df["files_under_from_dir"].str.len() > 0).all()
