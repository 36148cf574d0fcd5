"""Network paths against a real HTTP server on 127.0.0.1 (pytest-httpserver),
with faults injected: 5xx then success, timeouts, truncated bodies, changed
layouts, conditional GET. The other sources still update and nothing stored
is lost."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from fakes import FakeSource
from yenflow import http
from yenflow.errors import FetchError
from yenflow.pipeline import update_source
from yenflow.sources.base import FileSpec
from yenflow.store import Store

CSV = "date,n.x\n2024-01-01,1\n2024-01-02,2\n"


def _source(url: str, name: str = "net.a") -> FakeSource:
    cls = type("NetSource", (FakeSource,), {"name": name, "files": (FileSpec("a", url, "fake/a.csv", ()),)})
    return cls()


def test_503_then_200_is_retried(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_ordered_request("/a.csv").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/a.csv").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/a.csv").respond_with_data(CSV)
    store = Store(tmp_path / "s.duckdb")
    r = update_source(store, _source(httpserver.url_for("/a.csv")))
    assert r.ok and r.counts.new == 2
    assert len(httpserver.log) == 3


def test_persistent_503_names_url_and_attempts(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a.csv").respond_with_data("down", status=503)
    with pytest.raises(FetchError) as e:
        http.get(httpserver.url_for("/a.csv"), source="net.a")
    assert "HTTP 503 after 3 attempts" in str(e.value) and "/a.csv" in str(e.value)


def test_404_is_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone.csv").respond_with_data("no", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        http.get(httpserver.url_for("/gone.csv"))
    assert len(httpserver.log) == 1


def _silent_server() -> tuple[str, socket.socket]:
    """Accepts connections and never answers (a hung publisher)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    return f"http://127.0.0.1:{srv.getsockname()[1]}/slow.csv", srv


def test_timeout_fails_source_but_not_others(httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "READ_TIMEOUT", 0.3)
    url, srv = _silent_server()
    httpserver.expect_request("/ok.csv").respond_with_data(CSV)
    store = Store(tmp_path / "s.duckdb")
    bad = update_source(store, _source(url, "net.slow"))
    srv.close()
    good = update_source(store, _source(httpserver.url_for("/ok.csv"), "net.ok"))
    assert not bad.ok and "timed out after 2 attempts" in bad.error
    assert good.ok and good.counts.new == 2


def _truncating_server() -> tuple[str, threading.Thread]:
    """A raw socket server announcing 1000 bytes and sending 20, then closing."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    port = srv.getsockname()[1]

    def run() -> None:
        for _ in range(3):
            conn, _ = srv.accept()
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + CSV.encode()[:20])
            conn.close()
        srv.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return f"http://127.0.0.1:{port}/a.csv", t


def test_truncated_body_is_an_error_and_store_unchanged(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    url, t = _truncating_server()
    r = update_source(store, _source(url))
    t.join(5)
    assert not r.ok and "RemoteProtocolError" in r.error and "after 3 attempts" in r.error
    assert store.sql("SELECT count(*) AS n FROM raw_fetches")["n"][0] == 0


def test_changed_layout_is_parse_error_and_keeps_old_data(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_ordered_request("/a.csv").respond_with_data(CSV)
    httpserver.expect_ordered_request("/a.csv").respond_with_data("when,n.x\n2024-01-03,3\n")
    store = Store(tmp_path / "s.duckdb")
    src = _source(httpserver.url_for("/a.csv"))
    assert update_source(store, src).ok
    r = update_source(store, src)
    assert not r.ok and "a.csv, row 1: expected header starting with 'date'; found 'when'" in r.error
    assert list(store.get("n.x")) == [1.0, 2.0]


def test_conditional_get_304(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_ordered_request("/a.csv").respond_with_data(CSV, headers={"ETag": '"v1"'})
    httpserver.expect_ordered_request("/a.csv", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    store = Store(tmp_path / "s.duckdb")
    src = _source(httpserver.url_for("/a.csv"))
    assert update_source(store, src).files_new == 1
    r = update_source(store, src)
    assert r.ok and r.files_not_modified == 1 and r.files_new == 0
    httpserver.check_assertions()


def test_mirror_url(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/mirror/fake/a.csv").respond_with_data(CSV)
    store = Store(tmp_path / "s.duckdb")
    r = update_source(store, FakeSource(), httpserver.url_for("/mirror"))
    assert r.ok and r.counts.new == 2
    url = store.sql("SELECT url FROM raw_fetches")["url"][0]
    assert url.endswith("/mirror/fake/a.csv")


def test_mirror_missing_files(httpserver: HTTPServer, tmp_path: Path) -> None:
    two = type("Two", (FakeSource,), {"name": "net.two", "files": (
        FileSpec("a", None, "m/a.csv", ()), FileSpec("b", None, "m/b.csv", ()))})
    httpserver.expect_request("/mirror/m/a.csv").respond_with_data(CSV)
    httpserver.expect_request("/mirror/m/b.csv").respond_with_data("no", status=404)
    store = Store(tmp_path / "s.duckdb")
    assert update_source(store, two(), httpserver.url_for("/mirror")).counts.new == 2
    httpserver.expect_request("/elsewhere/fake/a.csv").respond_with_data("no", status=404)
    none = update_source(store, FakeSource(), httpserver.url_for("/elsewhere"))
    assert not none.ok and "the mirror has none of fake/a.csv (HTTP 404)" in none.error


def test_api_key_scrubbed() -> None:
    assert http.scrub("https://x/obs?series_id=DGS10&api_key=abcdef0123&file_type=json") == (
        "https://x/obs?series_id=DGS10&api_key=***&file_type=json"
    )


def _refused_url(path: str) -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connections are refused
    return f"http://127.0.0.1:{port}{path}"


def test_unreachable_host_fails_fast_and_is_not_retried_by_later_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fakes
    from yenflow.pipeline import update

    a = _refused_url("/a.csv")
    b = a.rsplit("/", 1)[0] + "/b.csv"  # same host
    monkeypatch.setattr(fakes, "One", type("One", (FakeSource,), {"name": "net.one", "files": (FileSpec("a", a, "x/a.csv", ()),)}), raising=False)
    monkeypatch.setattr(fakes, "Two", type("Two", (FakeSource,), {"name": "net.two", "files": (FileSpec("b", b, "x/b.csv", ()),)}), raising=False)
    monkeypatch.setattr("yenflow.sources.SOURCES", {"net.one": "fakes:One", "net.two": "fakes:Two"})
    r1, r2 = update(Store(tmp_path / "s.duckdb"))
    assert "ConnectError" in r1.error and "after 2 attempts" in r1.error  # connect errors: one retry only
    assert "could not be reached earlier in this run" in r2.error


def test_full_url_keeps_query_and_scrubs() -> None:
    assert http.full_url("https://fred.x/graph/fredgraph.csv?id=DGS10") == "https://fred.x/graph/fredgraph.csv?id=DGS10"
    assert http.full_url("https://x/obs", {"series_id": "DGS10", "api_key": "abc"}) == "https://x/obs?series_id=DGS10&api_key=***"
