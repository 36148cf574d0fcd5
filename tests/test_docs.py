"""The README stays true: every command and every source is documented, and
every command has help with an example."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command

from yenflow.cli import app
from yenflow.update_summary import sources_frame
from yenflow.sources import list_sources

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_documented_with_example(command: str) -> None:
    assert f"`{command}" in README, f"yenflow {command} is not in the README's CLI reference"
    help_text = get_command(app).commands[command].help or ""  # type: ignore[attr-defined]
    assert "Example:" in help_text, f"yenflow {command} --help has no Example block"


@pytest.mark.parametrize("source", list_sources())
def test_source_documented(source: str) -> None:
    assert f"`{source}`" in README


def test_readme_quickstart_commands() -> None:
    assert "pip install uv && uv run yenflow update" in README
    assert "pip install uv && uv run pytest" in README
    assert "--from ../shared/data" in README


def test_every_source_names_its_files() -> None:
    df = sources_frame()
    assert (df["files under --from DIR"].str.len() > 0).all()
