"""A hostile HTTP server on 127.0.0.1 that trickles its response headers one byte at a time.

Each connection reads the request, sends the status line, then one header byte every
`pause_s` seconds for up to `for_s` seconds (never ending the headers), so per-operation
socket timeouts never fire. It records how long each client kept its connection open.
"""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class TrickleServer:
    def __init__(self, *, pause_s: float = 0.5, for_s: float = 120.0) -> None:
        self.pause_s, self.for_s = pause_s, for_s
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.held_s: list[float] = []          # per connection: seconds until the client went away
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            thread = threading.Thread(target=self._trickle, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _trickle(self, conn: socket.socket) -> None:
        started = time.monotonic()
        with conn:
            try:
                conn.settimeout(5)
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Pad: ")
                while time.monotonic() - started < self.for_s and not self._stop.is_set():
                    time.sleep(self.pause_s)
                    conn.sendall(b"a")
            except OSError:
                pass  # the client hung up: what a bounded client does
        self.held_s.append(time.monotonic() - started)

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        for thread in self._threads:
            thread.join(timeout=5)


@contextmanager
def trickling(*, pause_s: float = 0.5, for_s: float = 120.0) -> Iterator[TrickleServer]:
    server = TrickleServer(pause_s=pause_s, for_s=for_s)
    thread = threading.Thread(target=server._serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.close()
        thread.join(timeout=5)
