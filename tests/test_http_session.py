"""The HTTP session against real servers on 127.0.0.1, faults injected at the
socket: bodies cut short without framing, 304s to unconditional requests,
broken gzip, servers that drip bytes or never answer, Retry-After, secrets
echoed back, and politeness (one connection per host, pacing, User-Agent)."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import stamina
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from fakes import FakeSource
from yenflow import http
from yenflow.errors import FetchError, HostDownError
from yenflow.pipeline import update_source
from yenflow.sources.base import FileSpec
from yenflow.store import Store

CSV = "date,n.x\n" + "".join(f"2024-01-{d:02d},{d}\n" for d in range(1, 29))


def _source(*urls: str, name: str = "net.a") -> FakeSource:
    specs = tuple(FileSpec(f"f{i}", u, f"fake/{u.rsplit('/', 1)[-1]}", ()) for i, u in enumerate(urls))
    return type("NetSource", (FakeSource,), {"name": name, "files": specs})()


def _raw_server(answer: Callable[[socket.socket, int], None], times: int = 4) -> tuple[str, threading.Thread]:
    """A socket server that hands each connection (and its number) to ``answer``."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(20)

    def run() -> None:
        try:
            for n in range(times):
                conn, _ = srv.accept()
                conn.recv(65536)
                try:
                    answer(conn, n)
                finally:
                    conn.close()
        except OSError:
            pass
        finally:
            srv.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return f"http://127.0.0.1:{srv.getsockname()[1]}/a.csv", t


# --------------------------------------------------------- bodies and validators
def test_body_without_framing_keeps_no_validators_and_is_fetched_in_full_next_time(tmp_path: Path) -> None:
    """A close-delimited body cut at a line boundary parses; it is stored without
    its ETag, so the next run asks unconditionally and gets the whole file."""
    full = CSV.encode()
    cut = full[: full.index(b"2024-01-15")]

    def answer(conn: socket.socket, n: int) -> None:
        body = cut if n == 0 else full
        conn.sendall(b'HTTP/1.1 200 OK\r\nETag: "v1"\r\nConnection: close\r\n\r\n' + body)

    url, t = _raw_server(answer, times=2)
    store = Store(tmp_path / "s.duckdb")
    first = update_source(store, _source(url))
    assert first.ok and first.counts.new == 14
    assert store.sql("SELECT etag FROM raw_fetches")["etag"].isna().all()
    second = update_source(store, _source(url))
    t.join(5)
    assert second.ok and second.counts.new == 14  # the rest came: nothing was pinned by a 304
    assert len(store.get("n.x")) == 28


def test_framed_body_keeps_its_validators(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/a.csv").respond_with_data(CSV, headers={"ETag": '"v1"'})
    store = Store(tmp_path / "s.duckdb")
    assert update_source(store, _source(httpserver.url_for("/a.csv"))).ok
    assert list(store.sql("SELECT etag FROM raw_fetches")["etag"]) == ['"v1"']


def test_gzip_body_is_verified_by_its_trailer(httpserver: HTTPServer) -> None:
    body = gzip.compress(CSV.encode())
    httpserver.expect_request("/a.csv").respond_with_data(body, headers={"Content-Encoding": "gzip"})
    r = http.get(httpserver.url_for("/a.csv"))
    assert r.content == CSV.encode() and r.complete


def test_304_to_an_unconditional_request_is_an_error(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/a.csv").respond_with_data("", status=304)
    store = Store(tmp_path / "s.duckdb")
    r = update_source(store, _source(httpserver.url_for("/a.csv")))
    assert r.status == "FAILED" and "304 Not Modified to a request that sent no validators" in r.error
    assert r.files_not_modified == 0


def test_one_missing_file_of_several_is_partial_and_the_others_are_stored(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/a.csv").respond_with_data(CSV)
    httpserver.expect_request("/b.csv").respond_with_data("gone", status=404)
    httpserver.expect_request("/c.csv").respond_with_data("date,n.y\n2024-01-01,7\n")
    store = Store(tmp_path / "s.duckdb")
    r = update_source(store, _source(*(httpserver.url_for(f"/{n}.csv") for n in "abc")))
    assert r.status == "partial" and not r.ok
    assert r.error.startswith("partial: ") and "/b.csv: HTTP 404" in r.error
    assert r.files_new == 2 and len(store.get("n.x")) == 28 and store.get("n.y").iloc[0] == 7
    log = store.sql("SELECT ok, status, error FROM update_log")
    assert list(log["status"]) == ["partial"] and not log["ok"][0] and "/b.csv" in log["error"][0]


def test_malformed_gzip_names_the_url_and_is_retried(httpserver: HTTPServer) -> None:
    bad = b"\x1f\x8b\x08\x00not-deflate-at-all"
    httpserver.expect_ordered_request("/a.csv").respond_with_data(bad, headers={"Content-Encoding": "gzip"})
    httpserver.expect_ordered_request("/a.csv").respond_with_data(gzip.compress(b"ok"), headers={"Content-Encoding": "gzip"})
    assert http.get(httpserver.url_for("/a.csv")).content == b"ok"
    httpserver.clear()
    httpserver.expect_request("/b.csv").respond_with_data(bad, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError) as e:
        http.get(httpserver.url_for("/b.csv"), source="net.a")
    assert "/b.csv" in str(e.value) and "malformed gzip body" in str(e.value) and "after 3 attempts" in str(e.value)
    assert "yenflow bug" not in str(e.value)


def test_truncated_gzip_is_a_transport_error(httpserver: HTTPServer) -> None:
    cut = gzip.compress(CSV.encode())[:-12]
    httpserver.expect_request("/a.csv").respond_with_data(cut, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="truncated gzip body"):
        http.get(httpserver.url_for("/a.csv"))


# ------------------------------------------------------------------- time bounds
def test_a_dripping_server_is_cut_by_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "DOWNLOAD_DEADLINE", 1.5)

    def drip(conn: socket.socket, n: int) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(40):
            try:
                conn.sendall(b"x")
            except OSError:
                return
            time.sleep(0.25)

    url, t = _raw_server(drip, times=1)
    with pytest.raises(FetchError, match="download took longer than 1.5s"):  # not the 10 s the drip would take
        http.get(url)


def test_retry_after_is_honoured_then_too_long_is_not_waited(httpserver: HTTPServer) -> None:
    stamina.set_testing(False)  # real waits: the gap between the two requests is measured
    seen: list[float] = []

    def handler(request: Request) -> Response:
        seen.append(time.monotonic())
        if len(seen) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response("date,n.x\n2024-01-01,1\n")

    httpserver.expect_request("/a.csv").respond_with_handler(handler)
    assert http.get(httpserver.url_for("/a.csv")).status == 200
    assert seen[1] - seen[0] >= 1.0
    httpserver.clear()
    httpserver.expect_request("/b.csv").respond_with_data("maintenance", status=503, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match=r"HTTP 503 after 1 attempts \(asked to retry after 3600s"):
        http.get(httpserver.url_for("/b.csv"))
    assert len(httpserver.log) == 1  # one request, no wait for a second


def test_retry_after_http_date() -> None:
    assert http.retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0) == pytest.approx(30.0)
    assert http.retry_after_seconds("120") == 120.0 and http.retry_after_seconds("soon") is None


def _black_hole() -> tuple[int, list[socket.socket]]:
    """A port whose accept queue is full: new connections get no answer (SYNs are
    dropped, as by a firewall) until the connect timeout."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(4):  # fill the backlog
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        fillers.append(c)
    time.sleep(0.1)
    return port, [srv, *fillers]


def test_offline_behind_a_packet_dropping_firewall_fails_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every host silent: after three connect timeouts with no host reached, the
    network is taken as unreachable and the remaining hosts are not tried."""
    import httpx

    monkeypatch.setattr(http, "CONNECT_TIMEOUT", 0.4)
    port, socks = _black_hole()
    hosts = [f"host{i}.example" for i in range(6)]

    tried: list[str] = []

    class Hole(httpx.BaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.HTTPTransport()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            tried.append(request.url.host)
            request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
            return self.inner.handle_request(request)

    monkeypatch.setattr(http, "TRANSPORT", lambda host: Hole())
    import fakes

    names = {}
    for i, h in enumerate(hosts):
        cls = type(f"Src{i}", (FakeSource,), {"name": f"net.s{i}", "files": (FileSpec("a", f"https://{h}/a.csv", "x/a.csv", ()),)})
        setattr(fakes, cls.__name__, cls)
        names[cls.name] = f"fakes:{cls.__name__}"
    monkeypatch.setattr("yenflow.sources.SOURCES", names)
    from yenflow.pipeline import update

    results = update(Store(tmp_path / "s.duckdb"))
    for s in socks:
        s.close()
    assert all(r.status == "FAILED" and r.unreachable for r in results)
    assert "ConnectTimeout" in results[0].error and "after 2 attempts" in results[0].error
    assert all("no publisher could be reached in this run" in r.error for r in results[2:])
    # three connect timeouts in all, whatever the number of sources: 3 × CONNECT_TIMEOUT (5 s) + backoff ≈ 16 s offline
    assert tried == ["host0.example", "host0.example", "host1.example"]


# ------------------------------------------------------------------ secrets
def test_api_key_echoed_in_an_error_body_never_leaves_the_http_layer(httpserver: HTTPServer, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    key = "abcdef0123456789abcdef0123456789"
    monkeypatch.setenv("FRED_API_KEY", key)

    def echo(request: Request) -> Response:
        return Response(f'{{"error_message": "Bad Request. The value for variable api_key={request.args["api_key"]} '
                        f'is not registered", "url": "{request.url}", "key": "{request.args["api_key"]}"}}', status=400)

    httpserver.expect_request("/fred/series/observations").respond_with_handler(echo)
    from yenflow.sources.fred import series as fred

    monkeypatch.setattr(fred, "API_URL", httpserver.url_for("/fred/series/observations"))
    store = Store(tmp_path / "s.duckdb")
    r = update_source(store, fred.FredSeries(("DGS10",)))
    assert not r.ok and "HTTP 400" in r.error and "not registered" in r.error
    assert key not in r.error and key not in repr(r)
    logged = store.sql("SELECT error FROM update_log")["error"][0]
    assert key not in logged and "api_key=***" in logged


# --------------------------------------------------------------- politeness
def _keep_alive_server() -> tuple[int, dict, threading.Thread]:
    """A minimal HTTP/1.1 server that keeps connections open (werkzeug's always closes):
    records the connections opened, when each request came and its User-Agent."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(10)
    seen: dict = {"connections": 0, "starts": [], "agents": set()}

    def serve(conn: socket.socket) -> None:
        buf = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buf:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                head, buf = buf.split(b"\r\n\r\n", 1)
                seen["starts"].append(time.monotonic())
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"user-agent:"):
                        seen["agents"].add(line.split(b":", 1)[1].strip().decode())
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    def run() -> None:
        try:
            while True:
                conn, _ = srv.accept()
                seen["connections"] += 1
                threading.Thread(target=serve, args=(conn,), daemon=True).start()
        except OSError:
            pass

    t = threading.Thread(target=run, daemon=True)
    t.start()
    seen["close"] = srv.close
    return srv.getsockname()[1], seen, t


def test_one_connection_per_host_paced_with_a_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    monkeypatch.setenv("YENFLOW_CONTACT", "ops@example.org")
    port, seen, _ = _keep_alive_server()

    class AsPublisher(httpx.BaseTransport):  # a publisher's name, so the session paces it
        def __init__(self) -> None:
            self.inner = httpx.HTTPTransport()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
            return self.inner.handle_request(request)

    monkeypatch.setattr(http, "TRANSPORT", lambda host: AsPublisher())
    try:
        with http.Session(pace=0.5) as s:
            for _ in range(3):
                assert s.get("https://www.mof.go.jp/x").content == b"ok"
    finally:
        seen["close"]()
    starts = seen["starts"]
    assert seen["connections"] == 1  # keep-alive: one connection for the three requests
    # paced: the server sees the third request at least 0.5 s after the second (unpaced: a few ms); the first
    # gap is not measured, the first request's connection set-up delays its arrival
    assert starts[2] - starts[1] >= 0.45
    version = __import__("importlib.metadata").metadata.version("yenflow")
    assert seen["agents"] == {f"yenflow/{version} (official-statistics reader; +ops@example.org)"}


def test_host_budget_bounds_time_per_host(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("ok")
    with http.Session(host_budget=0.0) as s:
        with pytest.raises(HostDownError, match="used its 0s time budget"):
            s.get(httpserver.url_for("/a"))
