"""Shared fixtures: the real sample files, a fresh store, and a network guard."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

SHARED_DATA = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data").resolve()
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ../shared/data. Skips with a reason when absent, unless
    YENFLOW_REQUIRE_SHARED=1 (set by .ci/run), where absence is a failure."""
    if not SHARED_DATA.is_dir():
        msg = f"real sample files not found at {SHARED_DATA} (../shared/data)"
        if os.environ.get("YENFLOW_REQUIRE_SHARED") == "1":
            pytest.fail(msg + "; CI requires them")
        pytest.skip(msg)
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may only reach loopback servers (pytest-httpserver)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and self.family in (socket.AF_INET, socket.AF_INET6):
            try:
                ok = ipaddress.ip_address(host).is_loopback
            except ValueError:
                ok = host == "localhost"
            if not ok:
                raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _instant_retries() -> None:
    import stamina

    stamina.set_testing(True, attempts=3, cap=True)
    yield
    stamina.set_testing(False)


@pytest.fixture(scope="session")
def real_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> "object":
    """A store loaded once per session with `update --from ../shared/data` of
    every registered source (read-only for the tests that use it)."""
    from yenflow.pipeline import update
    from yenflow.store import Store

    path = tmp_path_factory.mktemp("real") / "yenflow.duckdb"
    with Store(path) as store:
        results = update(store, mirror=str(shared_data))
    failed = [(r.source, r.error) for r in results if not r.ok]
    assert not failed, f"sources failed on the real sample files: {failed}"
    store = Store(path, read_only=True)
    yield store
    store.close()


def run_view(store: "object", name: str, **params: object) -> "object":
    """Run one view on a store with typed or raw parameters (the ViewResult)."""
    from yenflow.views import registry

    return registry.run(store, name, params)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the user's own config file."""
    monkeypatch.setenv("YENFLOW_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))
