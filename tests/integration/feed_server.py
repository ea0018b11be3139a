"""A real ThreadingHTTPServer on 127.0.0.1 (port 0) serving scripted responses by path."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    # Called instead of writing `body` (for slow, huge or streamed bodies).
    stream: Callable[[BaseHTTPRequestHandler], None] | None = None


Route = Callable[[BaseHTTPRequestHandler], Reply]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path.split("?")[0])
                reply = route(self) if route else Reply(404, body=b"not found")
                self.send_response(reply.status)
                headers = dict(reply.headers)
                if reply.stream is None:
                    headers.setdefault("Content-Length", str(len(reply.body)))
                else:
                    headers.setdefault("Connection", "close")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    if reply.stream is not None:
                        reply.stream(self)
                    else:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should for oversized or slow bodies

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def route(self, path: str, route: Route | Reply) -> None:
        self.routes[path] = route if callable(route) else (lambda _h, r=route: r)


@contextmanager
def running_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)


def write_slowly(chunks: int, chunk: bytes, pause_s: float) -> Callable[[BaseHTTPRequestHandler], None]:
    def stream(handler: BaseHTTPRequestHandler) -> None:
        for _ in range(chunks):
            handler.wfile.write(chunk)
            handler.wfile.flush()
            time.sleep(pause_s)
    return stream
