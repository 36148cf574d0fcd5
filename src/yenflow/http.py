"""The only module that talks to the network.

Every request has a timeout, bounded retries with exponential backoff and
jitter (stamina) on timeouts, transport errors (including truncated bodies),
HTTP 429 and 5xx, and supports conditional GET (ETag / Last-Modified) so an
unchanged file costs one 304. Secrets in query strings (``api_key``) are
scrubbed from every URL that leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from yenflow.errors import FetchError

USER_AGENT = "yenflow/0.1 (+https://github.com/yenflow; official-statistics reader)"
DEFAULT_TIMEOUT = 30.0
DEFAULT_ATTEMPTS = 4
_SECRET = re.compile(r"(api_key|apikey|token|\$\$app_token)=[^&]+", re.I)


def full_url(url: str, params: dict[str, Any] | None = None) -> str:
    """The URL with its query parameters, credentials scrubbed (``params=None``
    keeps a query already in ``url``: httpx.URL(url, params=None) would drop it)."""
    import httpx

    return scrub(str(httpx.URL(url, params=params) if params else httpx.URL(url)))


def scrub(url: str) -> str:
    """Remove credentials from a URL before it is stored or printed."""
    return _SECRET.sub(r"\1=***", url)


@dataclass(frozen=True)
class Response:
    url: str  # scrubbed final URL
    status: int
    content: bytes
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retryable(Exception):
    """Internal: a response worth retrying (429/5xx)."""

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(f"HTTP {status}")


def get(
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
    """GET ``url`` with retries; return the body, or a 304 Response.

    Raises :class:`FetchError` naming the (scrubbed) URL, the last cause and
    the number of attempts once retries are exhausted or on a 4xx.
    """
    import httpx
    import stamina
    import stamina.instrumentation

    # stamina's default hook logs a bare "stamina.retry_scheduled" line per retry; the
    # error we raise after the last attempt names the URL, the cause and the attempts
    stamina.instrumentation.set_on_retry_hooks([])
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    attempts = DEFAULT_ATTEMPTS if attempts is None else attempts
    req_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
    if etag:
        req_headers["If-None-Match"] = etag
    if last_modified:
        req_headers["If-Modified-Since"] = last_modified
    req_headers.update(headers or {})
    retryable = (httpx.TimeoutException, httpx.TransportError, _Retryable)

    def retry_on(exc: Exception) -> bool:
        # a connection that cannot be opened (DNS failure, refused) is retried once,
        # not ``attempts`` times: it rarely heals within seconds, and an offline
        # machine should fail fast
        if isinstance(exc, httpx.ConnectError):
            return tries < min(2, attempts)
        return isinstance(exc, retryable)
    tries = 0

    @stamina.retry(on=retry_on, attempts=attempts, wait_initial=0.5, wait_max=8.0)
    def _once() -> httpx.Response:
        nonlocal tries
        tries += 1
        with httpx.Client(timeout=timeout, follow_redirects=True) as client:
            r = client.get(url, params=params, headers=req_headers)
            if r.status_code == 429 or r.status_code >= 500:
                raise _Retryable(r.status_code)
            return r

    shown = full_url(url, params)
    try:
        r = _once()
    except _Retryable as e:
        raise FetchError(source, shown, f"HTTP {e.status} after {tries} attempts", e.status) from e
    except httpx.TimeoutException as e:
        raise FetchError(source, shown, f"timed out after {tries} attempts ({timeout:g}s each)") from e
    except httpx.TransportError as e:
        raise FetchError(source, shown, f"{type(e).__name__}: {e} after {tries} attempts") from e
    if r.status_code == 304:
        return Response(shown, 304, b"", etag, last_modified)
    if r.status_code >= 400:
        excerpt = r.text[:300].strip().replace("\n", " ")
        cause = f"HTTP {r.status_code}" + (f": {excerpt}" if excerpt else "")
        raise FetchError(source, shown, cause, r.status_code)
    return Response(
        url=scrub(str(r.url)),
        status=r.status_code,
        content=r.content,
        etag=r.headers.get("ETag"),
        last_modified=r.headers.get("Last-Modified"),
    )


def post_json(url: str, payload: Any, *, timeout: float = 10.0, attempts: int = 2, source: str = "http") -> int:
    """POST ``payload`` as JSON; return the HTTP status (2xx).

    At most ``attempts`` tries (timeouts, transport errors, 429 and 5xx are
    retried with backoff; a 4xx is not), then :class:`FetchError` naming the
    URL, the cause and the attempts. Never retries forever.
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
            r = client.post(url, json=payload, headers={"User-Agent": USER_AGENT})
            if r.status_code == 429 or r.status_code >= 500:
                raise _Retryable(r.status_code)
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
        excerpt = r.text[:200].strip().replace("\n", " ")
        raise FetchError(source, shown, f"HTTP {r.status_code}" + (f": {excerpt}" if excerpt else ""), r.status_code)
    return r.status_code
