"""The only module that talks to the network.

One :class:`Session` per update run keeps one HTTP client per host (keep-alive)
and the run's view of each host:

* politeness: requests to one host are at least :data:`PACE_SECONDS` apart and
  carry a User-Agent with a contact (:func:`user_agent`);
* bounded time: a connect timeout, a read timeout, a total deadline per file
  (all attempts and waits included, so a server dripping bytes cannot hold a
  run) and a time budget per host and run;
* retries with exponential backoff and jitter (stamina) on 5xx, 429, broken
  or truncated bodies and malformed gzip; ``Retry-After`` on 429/503 is
  honoured up to :data:`RETRY_AFTER_MAX` seconds;
* failing fast: a host that refuses, cannot be resolved or times out twice is
  *down* for the rest of the run, and when the first hosts tried all fail
  that way the network is taken as unreachable, so an offline run ends within
  seconds (each request then names the hosts that failed);
* honest bodies: the body is read and gunzipped here; ``Response.complete``
  says whether its length could be verified (Content-Length, chunked
  framing or the gzip trailer). Callers keep validators only for complete
  bodies, so a body cut short without any framing is fetched in full again;
* conditional GET (ETag / Last-Modified); a 304 to a request that sent no
  validators is an error, not "unchanged";
* no secrets out: every string that leaves this module (URLs, error
  causes, quoted error bodies) goes through :func:`scrub`, which removes
  ``api_key``-style parameters and the literal values of every secret sent.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from yenflow.errors import FetchError, HostDownError

if TYPE_CHECKING:
    import httpx

#: where publishers can reach whoever runs yenflow: $YENFLOW_CONTACT (an e-mail or
#: URL of the operator) if set, else the project's page
PROJECT_URL = "https://github.com/yenflow/yenflow"
CONNECT_TIMEOUT = 5.0  # seconds to open a connection
READ_TIMEOUT = 30.0  # seconds without a byte before a read times out
DOWNLOAD_DEADLINE = 90.0  # seconds for one file, all attempts and waits included
HOST_BUDGET = 300.0  # seconds of requests per host and run
PACE_SECONDS = 1.0  # minimum gap between two requests to one host
RETRY_AFTER_MAX = 60.0  # longest Retry-After yenflow waits for
DEFAULT_ATTEMPTS = 4  # for 5xx / 429 / broken bodies
CONNECT_ATTEMPTS = 2  # a refused or silent host is tried twice per file
STRIKES_DOWN = 2  # connect failures or timeouts before a host is down for the run
OFFLINE_AFTER = 3  # such failures, with no host reached yet, before the network is unreachable
#: kept for callers that pass one number: the read timeout
DEFAULT_TIMEOUT = READ_TIMEOUT
#: test seam: a function host -> httpx transport (None: httpx's own)
TRANSPORT: "Callable[[str], httpx.BaseTransport] | None" = None

_SECRET_PARAM = re.compile(r"(api_key|apikey|token|\$\$app_token)(=|%3D|\"?\s*:\s*\"?)[^&\s\"',;]+", re.I)
_SECRET_NAMES = {"api_key", "apikey", "token", "$$app_token"}
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_secrets: set[str] = set()


def user_agent() -> str:
    from yenflow.config import contact as configured_contact

    contact = (configured_contact() or "").strip() or PROJECT_URL
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("yenflow")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        v = "0"
    return f"yenflow/{v} (official-statistics reader; +{contact})"


def remember_secret(value: str | None) -> None:
    """Scrub this value from every string that leaves the module from now on."""
    if value and len(value) >= 6:
        _secrets.add(value)


def scrub(text: str) -> str:
    """Remove credentials (``api_key=…`` and every secret value sent) from a URL or message."""
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    for s in _secrets | _env_secrets():
        text = text.replace(s, "***").replace(quote(s, safe=""), "***")
    return text


def _env_secrets() -> set[str]:
    from yenflow.config import fred_api_key

    key = (fred_api_key() or "").strip()
    return {key} if len(key) >= 6 else set()


def full_url(url: str, params: dict[str, Any] | None = None) -> str:
    """The URL with its query parameters, credentials scrubbed (``params=None``
    keeps a query already in ``url``: httpx.URL(url, params=None) would drop it)."""
    import httpx

    return scrub(str(httpx.URL(url, params=params) if params else httpx.URL(url)))


@dataclass(frozen=True)
class Response:
    url: str  # scrubbed final URL
    status: int
    content: bytes
    etag: str | None
    last_modified: str | None
    #: the body's length was verified (Content-Length, chunked framing or gzip trailer)
    complete: bool = True

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retryable(Exception):
    """Internal: a response worth retrying (429/5xx), with the Retry-After asked for."""

    def __init__(self, status: int, retry_after: float | None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"HTTP {status}")


class _BrokenBody(Exception):
    """Internal: a body that could not be decoded (malformed or truncated gzip)."""


class _Deadline(Exception):
    """Internal: the file's total deadline passed while downloading."""


@dataclass
class _Host:
    last_start: float = float("-inf")
    spent: float = 0.0
    strikes: int = 0
    down: str | None = None  # why the host is skipped for the rest of the run


@dataclass
class Session:
    """One update run's HTTP state: a keep-alive client, pacing and health per host."""

    pace: float | None = None
    connect_timeout: float | None = None
    read_timeout: float | None = None
    deadline: float | None = None
    host_budget: float | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _clients: dict[str, "httpx.Client"] = field(default_factory=dict)
    _hosts: dict[str, _Host] = field(default_factory=dict)
    _reached: bool = False  # some host answered in this run
    _failed_hosts: list[str] = field(default_factory=list)  # connect failures/timeouts before any answer
    #: called with the size of each body that arrived (progress displays)
    on_body: "Callable[[int], None] | None" = None

    def __post_init__(self) -> None:
        # module constants are read here (not as defaults) so tests and callers can change them
        self.pace = PACE_SECONDS if self.pace is None else self.pace
        self.connect_timeout = CONNECT_TIMEOUT if self.connect_timeout is None else self.connect_timeout
        self.read_timeout = READ_TIMEOUT if self.read_timeout is None else self.read_timeout
        self.deadline = DOWNLOAD_DEADLINE if self.deadline is None else self.deadline
        self.host_budget = HOST_BUDGET if self.host_budget is None else self.host_budget

    # ---------------------------------------------------------------- lifecycle
    def close(self) -> None:
        for c in self._clients.values():
            c.close()
        self._clients.clear()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def offline(self) -> bool:
        return not self._reached and len(self._failed_hosts) >= OFFLINE_AFTER

    def host_down(self, url: str) -> str | None:
        """Why requests to this URL's host are skipped in this run (None: they are not)."""
        if self.offline:
            return "not tried: no publisher could be reached in this run (" + ", ".join(dict.fromkeys(self._failed_hosts)) + ")"
        h = self._hosts.get(urlsplit(url).netloc)
        return h.down if h else None

    # --------------------------------------------------------------------- GET
    def get(
        self,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        timeout: float | None = None,
        attempts: int | None = None,
        source: str = "http",
        headers: dict[str, str] | None = None,
    ) -> Response:
        """GET ``url``; return the body, or a 304 Response.

        Raises :class:`FetchError` naming the (scrubbed) URL, the last cause
        and the number of attempts; :class:`HostDownError` when the host (or
        the network) is skipped for the rest of the run.
        """
        import stamina
        import stamina.instrumentation

        # stamina's default hook logs a bare line per retry; our final error says it all
        stamina.instrumentation.set_on_retry_hooks([])
        for k, v in (params or {}).items():
            if k.lower() in _SECRET_NAMES:
                remember_secret(str(v))
        shown = full_url(url, params)
        host_key = urlsplit(url).netloc
        host = self._hosts.setdefault(host_key, _Host())
        why = self.host_down(url)
        if why:
            raise HostDownError(source, shown, why)
        req_headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip"}
        if etag:
            req_headers["If-None-Match"] = etag
        if last_modified:
            req_headers["If-Modified-Since"] = last_modified
        req_headers.update(headers or {})
        read_timeout = self.read_timeout if timeout is None else timeout
        due = self.clock() + self.deadline
        tries = 0

        def on(exc: Exception) -> bool | float:
            import httpx

            if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
                self._strike(host_key, host, connect=True)
            elif isinstance(exc, (httpx.TimeoutException, _Deadline)) or (isinstance(exc, _Retryable) and exc.status == 504):
                self._strike(host_key, host, connect=False)
            if host.down or self.offline or isinstance(exc, _Deadline):
                return False
            if isinstance(exc, _Retryable):
                if exc.retry_after is None:
                    return True
                if exc.retry_after > min(RETRY_AFTER_MAX, due - self.clock()):
                    return False
                return exc.retry_after
            if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.TimeoutException)):
                return tries < CONNECT_ATTEMPTS
            return isinstance(exc, (httpx.TransportError, _BrokenBody))

        try:
            for attempt in stamina.retry_context(on=on, attempts=attempts or DEFAULT_ATTEMPTS, timeout=None,
                                                 wait_initial=0.5, wait_max=8.0):
                with attempt:
                    tries += 1
                    result = self._attempt(url, params, req_headers, host_key, host, read_timeout, due)
        except _Retryable as e:
            extra = ""
            if e.retry_after is not None and e.retry_after > min(RETRY_AFTER_MAX, due - self.clock()):
                extra = f" (asked to retry after {e.retry_after:g}s, longer than yenflow waits)"
            raise FetchError(source, shown, f"HTTP {e.status} after {tries} attempts{extra}", e.status) from None
        except _Deadline:
            raise FetchError(source, shown, f"download took longer than {self.deadline:g}s "
                             f"(a stalled or very slow server) after {tries} attempts") from None
        except _BrokenBody as e:
            raise FetchError(source, shown, f"{e} after {tries} attempts") from None
        except HostDownError as e:
            raise HostDownError(source, shown, e.cause) from None
        except Exception as e:
            import httpx

            if isinstance(e, (httpx.ConnectError, httpx.ConnectTimeout)):
                what = "ConnectTimeout" if isinstance(e, httpx.ConnectTimeout) else "ConnectError"
                raise FetchError(source, shown, f"{what}: {scrub(str(e)) or 'no answer'} after {tries} attempts") from None
            if isinstance(e, httpx.TimeoutException):
                raise FetchError(source, shown, f"timed out after {tries} attempts ({read_timeout:g}s each)") from None
            if isinstance(e, httpx.TransportError):
                raise FetchError(source, shown, f"{type(e).__name__}: {scrub(str(e))} after {tries} attempts") from None
            raise
        status, resp_headers, body, complete, final_url = result
        self._reached = True
        host.strikes = 0
        if self.on_body is not None and body:
            self.on_body(len(body))
        if status == 304:
            if not (etag or last_modified):
                raise FetchError(source, shown, "HTTP 304 Not Modified to a request that sent no validators "
                                 "(a misbehaving server or proxy); nothing was stored", 304)
            return Response(shown, 304, b"", etag, last_modified)
        if status >= 400:
            excerpt = scrub(body[:300].decode("utf-8", "replace").strip().replace("\n", " "))
            cause = f"HTTP {status}" + (f": {excerpt}" if excerpt else "")
            raise FetchError(source, shown, cause, status)
        return Response(
            url=scrub(final_url),
            status=status,
            content=body,
            etag=resp_headers.get("ETag"),
            last_modified=resp_headers.get("Last-Modified"),
            complete=complete,
        )

    def _strike(self, host_key: str, host: _Host, connect: bool) -> None:
        """A connect failure or a timeout: a strike against the host (and, before
        any host answered in this run, against the network)."""
        host.strikes += 1
        if not self._reached:
            self._failed_hosts.append(host_key)
        if host.strikes >= STRIKES_DOWN and not host.down:
            host.down = (f"host {host_key} could not be reached earlier in this run" if connect
                         else f"host {host_key} stalled (timed out twice) earlier in this run")

    def _client(self, host_key: str, scheme: str) -> "httpx.Client":
        import httpx

        key = f"{scheme}://{host_key}"
        client = self._clients.get(key)
        if client is None:
            transport = TRANSPORT(host_key) if TRANSPORT else None
            client = httpx.Client(follow_redirects=True, transport=transport)
            self._clients[key] = client
        return client

    def _attempt(
        self, url: str, params: dict[str, Any] | None, headers: dict[str, str], host_key: str, host: _Host,
        read_timeout: float, due: float,
    ) -> "tuple[int, httpx.Headers, bytes, bool, str]":
        import httpx

        if host.spent >= self.host_budget:
            host.down = f"host {host_key} used its {self.host_budget:g}s time budget for this run"
            raise HostDownError("http", url, host.down)
        wait = host.last_start + (0.0 if host_key.split(":")[0] in _LOOPBACK else self.pace) - self.clock()
        if wait > 0:
            self.sleep(wait)
        if self.clock() >= due:
            raise _Deadline()
        start = self.clock()
        host.last_start = start
        timeout = httpx.Timeout(min(read_timeout, max(due - start, 0.1)), connect=self.connect_timeout)
        client = self._client(host_key, urlsplit(url).scheme)
        try:
            with client.stream("GET", url, params=params, headers=headers, timeout=timeout) as r:
                raw = bytearray()
                for chunk in r.iter_raw():
                    raw += chunk
                    if self.clock() > due:
                        raise _Deadline()
                status = r.status_code
                resp_headers = httpx.Headers(r.headers)
                final_url = str(r.url)
                framed = "content-length" in r.headers or "chunked" in r.headers.get("transfer-encoding", "").lower()
                body, gz_ok = _decode(bytes(raw), r.headers.get("content-encoding", ""), final_url)
        finally:
            host.spent += self.clock() - start
        if status == 429 or status >= 500:  # 504 counts as a stall (see ``on`` in get)
            raise _Retryable(status, retry_after_seconds(resp_headers.get("retry-after")) if status in (429, 503) else None)
        return status, resp_headers, body, framed or gz_ok, final_url


def _decode(raw: bytes, encoding: str, url: str) -> tuple[bytes, bool]:
    """Undo Content-Encoding; returns (body, verified by the gzip trailer)."""
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return raw, False
    if enc in ("gzip", "x-gzip", "deflate"):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in enc else zlib.MAX_WBITS)
        try:
            out = d.decompress(raw) + d.flush()
        except zlib.error as e:
            raise _BrokenBody(f"malformed {enc} body ({e})") from None
        if not d.eof:
            raise _BrokenBody(f"truncated {enc} body ({len(raw)} bytes received)")
        return out, True
    raise _BrokenBody(f"unsupported Content-Encoding {encoding!r}")


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def get(url: str, **kw: Any) -> Response:
    """One GET in a session of its own (see :meth:`Session.get`)."""
    with Session() as s:
        return s.get(url, **kw)


def post_json(url: str, payload: Any, *, timeout: float = 10.0, attempts: int = 2, source: str = "http") -> int:
    """POST ``payload`` as JSON (an alert webhook); return the HTTP status (2xx).

    At most ``attempts`` tries (timeouts, transport errors, 429 and 5xx are
    retried with backoff; a 4xx is not), then :class:`FetchError` naming the
    scrubbed URL, the cause and the attempts. Never retries forever.
    """
    import httpx
    import stamina
    import stamina.instrumentation

    stamina.instrumentation.set_on_retry_hooks([])
    tries = 0

    @stamina.retry(on=(httpx.TimeoutException, httpx.TransportError, _Retryable), attempts=attempts,
                   wait_initial=0.5, wait_max=4.0)
    def _once() -> httpx.Response:
        nonlocal tries
        tries += 1
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            r = client.post(url, json=payload, headers={"User-Agent": user_agent()})
            if r.status_code == 429 or r.status_code >= 500:
                raise _Retryable(r.status_code, None)
            return r

    shown = full_url(url)
    try:
        r = _once()
    except _Retryable as e:
        raise FetchError(source, shown, f"HTTP {e.status} after {tries} attempts", e.status) from e
    except httpx.TimeoutException as e:
        raise FetchError(source, shown, f"timed out after {tries} attempts ({timeout:g}s each)") from e
    except httpx.TransportError as e:
        raise FetchError(source, shown, f"{type(e).__name__}: {e} after {tries} attempts") from e
    if r.status_code >= 300:
        excerpt = scrub(r.text[:200].strip().replace("\n", " "))
        raise FetchError(source, shown, f"HTTP {r.status_code}" + (f": {excerpt}" if excerpt else ""), r.status_code)
    return r.status_code
