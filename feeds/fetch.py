"""Fetch a feed (or any URL) over HTTP, or read it from a local path, within hard limits.

`fetch_feed` never raises for a failed fetch: it returns `FetchResult(status=FAILED,
error=..., transient=...)`. Limits (`FetchLimits`):

- connect / read timeouts per socket operation, and one total deadline over name
  resolution, connect, TLS, headers and body: a guarded connection gives every socket
  operation only the time left (`feeds.security.fetch_deadline`), so a server that trickles
  header or body bytes is cut off at `total_timeout_s` (plus a few milliseconds). A client
  passed in with another transport gets a watchdog that shuts down the sockets it opens for
  the fetch at the deadline (`_Watchdog`);
- a byte cap on the DECODED body, enforced while streaming: a Content-Length over the cap is
  rejected before reading, and gzip/deflate are inflated here in bounded steps, so a
  compression bomb never grows past the cap in memory;
- at most `max_redirects` redirects, each to http(s) only;
- every connection goes through the SSRF guard of `feeds.security` (checked on the resolved
  address): public addresses, the origin of an operator-configured feed URL written as an
  address, and `allowed_networks`; a refused connection is a terminal failure.

Classification: 304 -> NOT_MODIFIED; 429 and 503 -> transient with `retry_after_s` from
Retry-After (seconds or HTTP date); other 5xx, 408, timeouts and connection errors ->
transient; other 4xx, too large, too many redirects, bad URL -> terminal.
"""
from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from feeds.local import is_local_source, read_local_feed
from feeds.security import (
    AddressGuard,
    AddressRefused,
    DeadlineStream,
    fetch_deadline,
    guarded_client,
    parse_networks,
)
from schemas import FetchResult, FetchStatus

USER_AGENT = "eventwire/0.1 (+https://github.com/eventwire/eventwire)"
ACCEPT_FEED = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
HTTP_SCHEMES = frozenset({"http", "https"})
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchLimits:
    """Hard limits of one fetch (feeds and pages alike)."""

    max_bytes: int = 20 * 1024 * 1024
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    total_timeout_s: float = 60.0
    max_redirects: int = 5
    allowed_networks: tuple[str, ...] = ()   # CIDRs the SSRF guard lets through (operator setting)

    def guard(self, *trusted_urls: str | None) -> AddressGuard:
        """The SSRF guard of these limits, trusting the origins of operator-configured URLs."""
        return AddressGuard(parse_networks(self.allowed_networks)).trusting(*trusted_urls)


DEFAULT_LIMITS = FetchLimits()


class _Failure(Exception):
    """Internal: a fetch failure with its classification."""

    def __init__(self, reason: str, *, transient: bool, http_status: int | None = None,
                 retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.http_status = http_status
        self.retry_after_s = retry_after_s


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: "120" -> 120.0, an HTTP date -> seconds until it (>= 0)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def seconds_text(value: float) -> str:
    """Seconds for a message: 30 -> "30", 1.26525 -> "1.3"."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _failed(url: str, failure: _Failure, started: float, final_url: str | None = None,
            headers: dict[str, str] | None = None) -> FetchResult:
    return FetchResult(
        feed_url=url, status=FetchStatus.FAILED, http_status=failure.http_status, error=failure.reason,
        transient=failure.transient, retry_after_s=failure.retry_after_s, final_url=final_url,
        headers=headers or {}, elapsed_ms=_ms(started),
    )


def _headers(response: httpx.Response) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in response.headers.multi_items():
        key = key.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


class _Inflater:
    """gzip / deflate / identity decoding in bounded steps (never more than `limit` + 1 bytes)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        if encoding in ("gzip", "x-gzip"):
            self._z: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = None  # zlib-wrapped or raw: decided on the first bytes
        elif encoding in ("", "identity"):
            self._z = None
        else:
            raise _Failure(f"unsupported Content-Encoding {encoding!r}", transient=False)

    def feed(self, data: bytes, room: int) -> Iterator[bytes]:
        if self.encoding in ("", "identity"):
            yield data
            return
        if self._z is None:
            wbits = zlib.MAX_WBITS if data[:1] and (data[0] & 0x0F) == 8 else -zlib.MAX_WBITS
            self._z = zlib.decompressobj(wbits)
        try:
            chunk = self._z.decompress(data, room + 1)
            yield chunk
            while self._z.unconsumed_tail:
                room -= len(chunk)
                if room < 0:
                    return
                chunk = self._z.decompress(self._z.unconsumed_tail, room + 1)
                yield chunk
        except zlib.error as exc:
            raise _Failure(f"corrupt {self.encoding} body: {exc}", transient=False) from exc


def _read_body(response: httpx.Response, limits: FetchLimits, deadline: float) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise _Failure(f"Content-Length {length} is over the limit of {limits.max_bytes} bytes",
                       transient=False, http_status=response.status_code)
    inflater = _Inflater(response.headers.get("content-encoding", "").strip().lower())
    body = bytearray()
    for raw in response.iter_raw():
        if time.monotonic() > deadline:
            raise _Failure(f"total deadline of {seconds_text(limits.total_timeout_s)} s passed while reading the body",
                           transient=True, http_status=response.status_code)
        for chunk in inflater.feed(raw, limits.max_bytes - len(body)):
            body += chunk
            if len(body) > limits.max_bytes:
                raise _Failure(f"body is over the limit of {limits.max_bytes} bytes (stopped reading)",
                               transient=False, http_status=response.status_code)
    return bytes(body)


def _timeout(limits: FetchLimits, deadline: float) -> httpx.Timeout:
    left = max(0.001, deadline - time.monotonic())
    return httpx.Timeout(connect=min(limits.connect_timeout_s, left), read=min(limits.read_timeout_s, left),
                         write=min(limits.read_timeout_s, left), pool=min(limits.connect_timeout_s, left))


class _Watchdog:
    """Shuts down, at the deadline, the sockets a caller's own client opens for one fetch.

    Guarded connections end by themselves (`DeadlineStream`). A client passed in with another
    httpcore transport reports its new connections through httpcore's `trace` extension, and
    a timer shuts them down at the deadline, which ends a recv blocked on a trickling server.
    A connection it reuses from its own pool is bounded only by the per-operation timeouts and
    the deadline checks between body chunks.
    """

    EVENTS = frozenset({"connection.connect_tcp.complete", "connection.start_tls.complete"})

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self._closed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def trace(self, event: str, info: dict[str, Any]) -> None:
        stream = info.get("return_value") if event in self.EVENTS else None
        if stream is None or isinstance(stream, DeadlineStream):
            return
        sock = stream.get_extra_info("socket")
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            if self._timer is None and not self._closed:
                self._timer = threading.Timer(max(0.0, self.deadline - time.monotonic()), self._fire)
                self._timer.daemon = True
                self._timer.start()
            late = self.fired

        if late:
            _shut_down(sock)

    def _fire(self) -> None:
        with self._lock:
            if self._closed:
                return
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut_down(sock)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()


def _shut_down(sock: socket.socket) -> None:
    try:  # the plain socket's shutdown, also under TLS: wakes a blocked recv with end of stream
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by its owner: nothing left to stop


def _late(deadline: float) -> bool:
    return time.monotonic() >= deadline - 0.01


def _status_failure(response: httpx.Response) -> _Failure:
    code = response.status_code
    reason = f"HTTP {code} {response.reason_phrase}".strip()
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if code in TRANSIENT_STATUSES or code >= 500:
        return _Failure(reason, transient=True, http_status=code, retry_after_s=retry_after)
    return _Failure(reason, transient=False, http_status=code)


def fetch_url(url: str, *, etag: str | None = None, last_modified: str | None = None,
              client: httpx.Client | None = None, limits: FetchLimits = DEFAULT_LIMITS,
              accept: str = ACCEPT_FEED, trusted_url: str | None = None) -> FetchResult:
    """GET an http(s) URL within `limits`; every failure is returned as a FAILED result.

    Without `client`, a guarded one is used (`feeds.security`): `trusted_url` is an
    operator-configured URL whose origin is trusted when written as an address. A client
    passed in brings its own transport (and SSRF rules).
    """
    started = time.monotonic()
    if urlsplit(url).scheme.lower() not in HTTP_SCHEMES:
        return _failed(url, _Failure(f"refusing non-http(s) URL {url!r}", transient=False), started)
    if client is None:
        with guarded_client(limits.guard(trusted_url)) as own:
            return fetch_url(url, etag=etag, last_modified=last_modified, client=own, limits=limits,
                             accept=accept)
    deadline = started + limits.total_timeout_s
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    watchdog = _Watchdog(deadline)
    try:
        with fetch_deadline(deadline):
            return _get(url, client, headers, limits, deadline, started, watchdog, etag, last_modified)
    finally:
        watchdog.close()


def _get(url: str, client: httpx.Client, headers: dict[str, str], limits: FetchLimits, deadline: float,
         started: float, watchdog: _Watchdog, etag: str | None, last_modified: str | None) -> FetchResult:
    """The request loop of `fetch_url` (redirects by hand), every failure as a FAILED result."""
    total = f"total deadline of {seconds_text(limits.total_timeout_s)} s passed"
    current = url
    try:
        for _hop in range(limits.max_redirects + 1):
            request = client.build_request("GET", current, headers=headers, timeout=_timeout(limits, deadline),
                                           extensions={"trace": watchdog.trace})
            response = client.send(request, stream=True, follow_redirects=False)
            try:
                if response.is_redirect and response.next_request is not None:
                    target = str(response.next_request.url)
                    if urlsplit(target).scheme.lower() not in HTTP_SCHEMES:
                        raise _Failure(f"redirect to non-http(s) URL {target!r}", transient=False,
                                       http_status=response.status_code)
                    current = target
                    continue
                response_headers = _headers(response)
                if response.status_code == 304:
                    return FetchResult(
                        feed_url=url, status=FetchStatus.NOT_MODIFIED, http_status=304,
                        headers=response_headers, final_url=current,
                        etag=response.headers.get("etag") or etag,
                        last_modified=response.headers.get("last-modified") or last_modified,
                        elapsed_ms=_ms(started),
                    )
                if not response.is_success:
                    return _failed(url, _status_failure(response), started, current, response_headers)
                content = _read_body(response, limits, deadline)
                return FetchResult(
                    feed_url=url, status=FetchStatus.OK, http_status=response.status_code, content=content,
                    headers=response_headers, final_url=current, etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"), elapsed_ms=_ms(started),
                )
            finally:
                response.close()
        raise _Failure(f"more than {limits.max_redirects} redirects (last to {current})", transient=False)
    except _Failure as failure:
        return _failed(url, failure, started, current)
    except AddressRefused as exc:
        return _failed(url, _Failure(exc.reason, transient=False), started, current)
    except httpx.TimeoutException as exc:
        reason = f"timed out ({type(exc).__name__}) fetching {current}" + (f": {total}" if _late(deadline) else "")
        return _failed(url, _Failure(reason, transient=True), started, current)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.TooManyRedirects) as exc:
        return _failed(url, _Failure(f"bad request for {current}: {exc}", transient=False), started, current)
    except httpx.HTTPError as exc:  # connection refused/reset, protocol errors, a socket shut at the deadline
        reason = f"{type(exc).__name__} fetching {current}: {exc}"
        if watchdog.fired:
            reason = f"timed out fetching {current}: {total} (connection shut down)"
        return _failed(url, _Failure(reason, transient=True), started, current)


def fetch_feed(url: str, *, etag: str | None = None, last_modified: str | None = None,
               client: httpx.Client | None = None, limits: FetchLimits = DEFAULT_LIMITS) -> FetchResult:
    """Fetch a feed: http(s) with conditional GET, or a local path / file:// URL read from disk.

    Local sources are read only because the caller named them (a path or file:// URL);
    redirects never lead to the file system. Never raises for a failed fetch.
    """
    if is_local_source(url):
        return read_local_feed(url, limits, time.monotonic())
    return fetch_url(url, etag=etag, last_modified=last_modified, client=client, limits=limits, trusted_url=url)
