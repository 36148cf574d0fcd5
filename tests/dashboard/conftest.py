"""Fixtures for the dashboard and report tests: a copy of the session store
with the third-party histories the README imports (intervention, TONA, TOPIX
style indices), one in-process app, one live server, one chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from dashboard.liveserver import LiveServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_imports(shared_data: Path) -> list[list[str]]:
    """The README's commands for the third-party history files (its ``yenflow import …`` block), as argument lists."""
    import shlex

    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Third-party history files"):]
    section = section[:section.index("\n## ")]
    commands = []
    for block in section.split("```bash")[1:]:
        body = block.split("```")[0].replace("\\\n", " ")
        for line in body.splitlines():
            if line.startswith("uv run yenflow "):
                commands.append(shlex.split(line.replace("$D", str(shared_data)))[3:])
    return commands


def make_home(real_store: Any, shared_data: Path, home: Path) -> Path:
    """A store folder holding a copy of the session store plus what the README imports."""
    from typer.testing import CliRunner

    from yenflow.cli import app

    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(real_store.path, home / "yenflow.duckdb")
    commands = readme_imports(shared_data)
    assert len(commands) >= 6
    for args in commands:
        result = CliRunner().invoke(app, [*args, "--home", str(home)])
        assert result.exit_code == 0, (args, result.output)
    return home


@pytest.fixture(scope="session")
def dashboard_home(real_store: Any, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_home(real_store, shared_data, tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="session")
def dashboard_db(dashboard_home: Path) -> Path:
    return dashboard_home / "yenflow.duckdb"


@pytest.fixture(scope="session")
def client(dashboard_db: Path) -> Any:
    import warnings

    from yenflow.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    return TestClient(create_app(dashboard_db))


@pytest.fixture(scope="session")
def live_server(dashboard_db: Path) -> Iterator[LiveServer]:
    from yenflow.web.app import create_app

    with LiveServer(create_app(dashboard_db)) as server:
        yield server


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        msg = "Debian's chromium is not installed (apt-get install -y chromium; .ci/run does it)"
        if os.environ.get("YENFLOW_REQUIRE_BROWSER") == "1":
            pytest.fail(msg + "; CI requires it")
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots land here (git-ignored); the path is printed at the end of the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if ARTIFACTS.is_dir() and any(ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"dashboard screenshots: {ARTIFACTS}/ ({len(list(ARTIFACTS.glob('*.png')))} PNG)")
