"""SSRF guard: which addresses a fetch may connect to, checked on the resolved address.

The rule, written down once:

- **Article links are untrusted.** A page linked from a feed is fetched only from a public
  address: loopback (127.0.0.0/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7),
  link-local (169.254/16 — the cloud metadata service 169.254.169.254 —, fe80::/10),
  shared, reserved, multicast and unspecified addresses are refused, as are IPv4-mapped
  IPv6 forms of them and every scheme other than http(s).
- **Operator-configured feed URLs are trusted for their own origin only, and only when the
  operator wrote an address**: a feed URL whose host is an IP literal or ``localhost``
  (``http://127.0.0.1:8765/feed.xml``) may connect to that host and port, and so may an
  article link to exactly that origin (the fetcher already talks to it). A feed host given
  by name is checked like any link, so a name that resolves (or is re-bound) to a private
  address is refused; redirects and other ports of a trusted host are checked too.
- **Operators widen the rule explicitly** with ``EVENTWIRE_ALLOW_NETWORKS`` (comma-separated
  CIDRs, e.g. ``10.20.0.0/16,fd00::/8``): addresses inside them are allowed for feeds,
  redirects and pages alike.

The check runs in the connection path (`GuardedBackend.connect_tcp`, an httpcore network
backend): the host name is resolved once, every resolved address is checked, and the socket
connects to a checked address, never to the name again. DNS rebinding therefore cannot swap
in another address between the check and the connection. A refused connection raises
`AddressRefused`, which `feeds.fetch` records as a terminal failure.

A caller that passes its own ``httpx.Client`` brings its own transport and its own rules;
`guarded_client` builds a client with this guard.

**One deadline per fetch.** httpx's timeouts are per socket operation, so a server that
sends one header byte every second never trips them. Inside `fetch_deadline(deadline)` every
operation of a guarded connection gets only the time left until `deadline`
(`time.monotonic()`): name resolution, connect, the TLS handshake, each send and each recv
(`DeadlineStream`). Once the deadline has passed the next operation raises httpcore's
`ReadTimeout` / `WriteTimeout` / `ConnectTimeout`, so connect, headers and body together end
at the deadline whatever the server trickles. The deadline lives in a context variable of
the calling thread, so a pooled connection reused by another fetch obeys that fetch's deadline.
"""
from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]
DEFAULT_PORTS = {"http": 80, "https": 443}
ALLOW_SETTING = "EVENTWIRE_ALLOW_NETWORKS"
T = TypeVar("T")
_DEADLINE: ContextVar[float | None] = ContextVar("eventwire_fetch_deadline", default=None)


class AddressRefused(Exception):
    """A connection the SSRF guard refused; `.reason` is a one-line explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_networks(value: str | Iterable[str] | None) -> tuple[IPNetwork, ...]:
    """CIDRs from a comma-separated string or a list ("" or None: none). Raises ValueError."""
    if value is None:
        return ()
    parts = [p for v in ([value] if isinstance(value, str) else value) for p in v.split(",")]
    networks = []
    for part in parts:
        part = part.strip()
        if part:
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError as e:
                raise ValueError(f"{ALLOW_SETTING}: {part!r} is not an IP network (expected CIDR like 10.0.0.0/8)") from e
    return tuple(networks)


def why_forbidden(ip: IPAddress) -> str | None:
    """Why an address is not public (e.g. "loopback"), or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        inner = why_forbidden(ip.ipv4_mapped)
        return f"IPv4-mapped {inner}" if inner else None
    if ip == ipaddress.ip_address("169.254.169.254"):
        return "cloud metadata"
    for kind in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private", "site_local"):
        if getattr(ip, f"is_{kind}", False):
            return kind.replace("_", "-")
    if not ip.is_global:
        return "non-global"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IP literals resolve to themselves)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _literal_host(host: str) -> bool:
    return host.lower() == "localhost" or _is_address(host)


def trusted_origin(url: str | None) -> tuple[str, int] | None:
    """(host, port) of an operator-configured URL when its host is an address or localhost."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
    except ValueError:
        return None
    if scheme not in DEFAULT_PORTS or not host or not _literal_host(host):
        return None
    return host.lower(), port or DEFAULT_PORTS[scheme]


@dataclass(frozen=True)
class AddressGuard:
    """The policy of one client: allowed networks, trusted origins, the resolver."""

    allowed_networks: tuple[IPNetwork, ...] = ()
    trusted: frozenset[tuple[str, int]] = frozenset()
    resolver: Resolver = field(default=system_resolver, compare=False)

    def trusting(self, *urls: str | None) -> AddressGuard:
        """This guard plus the origins of operator-configured URLs (see `trusted_origin`)."""
        extra = {o for o in map(trusted_origin, urls) if o is not None}
        return AddressGuard(self.allowed_networks, self.trusted | extra, self.resolver)

    def is_trusted(self, host: str, port: int) -> bool:
        return (host.lower().strip("[]"), port) in self.trusted

    def check(self, ip: IPAddress) -> str | None:
        """None when `ip` may be connected to, else why not."""
        if any(ip in net for net in self.allowed_networks):
            return None
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            if any(ip.ipv4_mapped in net for net in self.allowed_networks):
                return None
        return why_forbidden(ip)

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for host:port; raises AddressRefused if none may be used."""
        host = host.strip("[]")
        if self.is_trusted(host, port):
            return [host]
        try:
            resolved = self.resolver(host, port)
        except OSError as e:
            raise AddressRefused(f"cannot resolve {host}: {e}") from e
        allowed, refused = [], []
        for text in resolved:
            ip = ipaddress.ip_address(text.split("%", 1)[0])
            reason = self.check(ip)
            (refused if reason else allowed).append(text if not reason else f"{text} ({reason})")
        if refused:  # one private answer is enough to refuse: a name that mixes them is not trusted
            raise AddressRefused(f"refusing to connect to {host}:{port}: resolves to {', '.join(refused)}; "
                                 f"allow it with {ALLOW_SETTING}")
        if not allowed:
            raise AddressRefused(f"cannot resolve {host}: no addresses")
        return allowed


DEFAULT_GUARD = AddressGuard()


@contextmanager
def fetch_deadline(deadline: float) -> Iterator[None]:
    """Bound every socket operation of guarded connections in this thread by `deadline`.

    `deadline` is a `time.monotonic()` value; nested deadlines keep the earlier one.
    """
    outer = _DEADLINE.get()
    token = _DEADLINE.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _time_left(timeout: float | None, expired: type[Exception], doing: str) -> float | None:
    """`timeout` shortened to the time left before the current deadline; raises `expired` after it."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired(f"total deadline passed before {doing}")
    return left if timeout is None else min(timeout, left)


def _within(seconds: float | None, call: Callable[[], T], doing: str) -> T:
    """`call()` in a helper thread, given up after `seconds` (for blocking calls without a timeout)."""
    if seconds is None:
        return call()
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as e:  # handed back to the caller's thread
            box["error"] = e
        finally:
            done.set()

    threading.Thread(target=run, name="eventwire-resolve", daemon=True).start()
    if not done.wait(seconds):  # the thread ends with the resolver's own timeout
        raise httpcore.ConnectTimeout(f"total deadline passed while {doing}")
    if "error" in box:
        raise box["error"]
    return box["value"]


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read, write and TLS handshake ends by the current deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout, "reading"))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout, httpcore.WriteTimeout, "writing"))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        # the socket timeout bounds the whole handshake (Python >= 3.5), not each recv of it
        left = _time_left(timeout, httpcore.ConnectTimeout, "the TLS handshake")
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses the guard allows, within the deadline."""

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Iterable | None = None
                    ) -> httpcore.NetworkStream:
        last: Exception | None = None
        resolve_in = _time_left(None, httpcore.ConnectTimeout, f"resolving {host}")
        if self.guard.is_trusted(host, port) or _is_address(host):
            resolve_in = None  # nothing to look up: no helper thread
        addresses = _within(resolve_in, lambda: self.guard.addresses(host, port), f"resolving {host}")
        for address in addresses:
            try:
                left = _time_left(timeout, httpcore.ConnectTimeout, f"connecting to {host}:{port}")
                stream = super().connect_tcp(address, port, timeout=left, local_address=local_address,
                                             socket_options=socket_options)
                return DeadlineStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                last = e
        assert last is not None
        raise last


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with `GuardedBackend` under its connection pool (no proxies, no env)."""

    def __init__(self, guard: AddressGuard = DEFAULT_GUARD, *, limits: httpx.Limits | None = None) -> None:
        super().__init__(verify=tls_context(), trust_env=False)
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = httpcore.ConnectionPool(  # httpx builds its pool without a backend hook
            ssl_context=tls_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(guard),
        )


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """The verifying TLS context every client of the process shares (httpx's default: certifi's CA
    bundle, no SSL_CERT_* from the environment). Building one reads the bundle (≈25 ms of CPU
    under the GIL), which each feed's and page's client did twice; a context is safe to share
    between threads once built."""
    return httpx.create_ssl_context(trust_env=False)


def guarded_client(guard: AddressGuard = DEFAULT_GUARD) -> httpx.Client:
    """An httpx client that never follows redirects itself, ignores proxy env vars, and is guarded."""
    return httpx.Client(follow_redirects=False, trust_env=False, transport=GuardedTransport(guard))
