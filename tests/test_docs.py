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
