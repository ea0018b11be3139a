"""Test helpers: a real HTTP server on 127.0.0.1 with routes a test can change, and RSS builders."""
from __future__ import annotations

import email.utils
import http.server
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Site:
    """Routes served by a real ThreadingHTTPServer; `hits` counts requests per path.

    A route with an ETag answers 304 to a matching If-None-Match (counted in `not_modified`).
    Every POST (a webhook) is answered 200 and kept: `received()` gives (path, headers with
    lower-case names, body) in arrival order.
    """

    def __init__(self) -> None:
        self.routes: dict[str, Route | list[Route]] = {}
        self.hits: dict[str, int] = {}
        self.not_modified: dict[str, int] = {}
        self.posts: list[tuple[str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        self.base = ""

    def received(self) -> list[tuple[str, dict[str, str], bytes]]:
        with self.lock:
            return list(self.posts)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def put(self, path: str, body: bytes | str, *, status: int = 200,
            content_type: str = "application/rss+xml; charset=utf-8", **headers: str) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(status, data, {"Content-Type": content_type, **headers})
        return self.url(path)

    def put_sequence(self, path: str, routes: list[Route]) -> str:
        self.routes[path] = list(routes)
        return self.url(path)


@contextmanager
def serve_site(tls: ssl.SSLContext | None = None) -> Iterator[Site]:
    """A `Site` on 127.0.0.1; over HTTPS with the server context `tls`."""
    site = Site()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            route = site.routes.get(self.path)
            if isinstance(route, list):  # a sequence: each request takes the next; the last one repeats
                route = route.pop(0) if len(route) > 1 else route[0]
            if route is None:
                self.send_error(404)
                return
            etag = route.headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                site.not_modified[self.path] = site.not_modified.get(self.path, 0) + 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(route.status)
            for k, v in route.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with site.lock:
                site.posts.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    site.base = f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def rss(items: list[dict], *, title: str = "Test feed", lang: str = "ru") -> str:
    """RSS 2.0 with yandex:full-text bodies; item keys: guid, title, text, published (datetime), link."""
    out = []
    for it in items:
        pub = email.utils.format_datetime(it["published"]) if isinstance(it.get("published"), datetime) else ""
        body = f"<yandex:full-text>{escape(it['text'])}</yandex:full-text>" if it.get("text") else ""
        link = f"<link>{escape(it['link'])}</link>" if it.get("link") else ""
        out.append(f"<item><title>{escape(it.get('title', ''))}</title>{link}"
                   f"<guid isPermaLink=\"false\">{escape(it['guid'])}</guid>"
                   + (f"<pubDate>{pub}</pubDate>" if pub else "") + f"{body}</item>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:yandex="http://news.yandex.ru">'
            f"<channel><title>{escape(title)}</title><link>http://test.example/</link>"
            f"<description>test</description><language>{lang}</language>{''.join(out)}</channel></rss>")
