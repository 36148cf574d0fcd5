"""Fixtures for the dashboard and report tests: a copy of the session store
with the third-party histories the README imports (intervention, TONA, TOPIX
style indices), one in-process app, one live server, one chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from liveserver import LiveServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

#: the README's `yenflow import` commands for the _derived files
DERIVED = (
    ("mof_intervention/interventions_daily_1991-2026_derived.csv",
     dict(series_id="user.intervention.usdjpy.amount", unit="JPY 100m", frequency="daily", date_col="date",
          value_col="amount_yen_billions", where={"currency_pair": "USD/JPY"},
          negate_where={"direction": "sell_JPY_buy_USD"}, scale=10.0, name="MOF USD/JPY intervention (+ = yen bought)",
          source_text="MOF daily intervention record, third-party re-export")),
    ("boj/japan-overnight-call-rate_STRDCLUCON_derived.csv",
     dict(series_id="user.rate.jpy.tona", unit="%", frequency="daily", source_text="BOJ STRDCLUCON, third-party re-export")),
    ("equities/topix_value_2009-2026_derived.csv",
     dict(series_id="user.equity.topix_value", unit="index points", frequency="daily", date_col="Date", value_col="Close",
          name="TOPIX Value close", source_text="JPX index, third-party re-export")),
    ("equities/topix_growth_2009-2026_derived.csv",
     dict(series_id="user.equity.topix_growth", unit="index points", frequency="daily", date_col="Date", value_col="Close",
          name="TOPIX Growth close", source_text="JPX index, third-party re-export")),
)
IMPORT_DEFAULTS = dict(name=None, frequency="unknown", date_col=None, value_col=None, source_text="user import", sheet=None,
                       scale=1.0, where={}, negate_where={}, sum_duplicates=False)


def make_home(real_store: Any, shared_data: Path, home: Path) -> Path:
    """A store folder holding a copy of the session store plus the README's imports."""
    from yenflow.pipeline import import_file
    from yenflow.store import Store

    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(real_store.path, home / "yenflow.duckdb")
    with Store(home / "yenflow.duckdb") as store:
        for rel, params in DERIVED:
            result = import_file(store, shared_data / rel, {**IMPORT_DEFAULTS, **params})
            assert result.ok, result.error
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
