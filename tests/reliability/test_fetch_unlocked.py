"""Fetching never happens under the writer lock.

Before: a run held the warehouse's writer lock from start to end, so 40 slow linked pages
kept every other run, `reprocess` and maintenance waiting (50 s). Now the lock is held to
read the feeds' state and to load, not while feeds and pages are fetched. A real
`eventwire run` process, slow pages on 127.0.0.1, the lock probed from this process.
"""
from __future__ import annotations

import fcntl
import http.server
import os
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest

from flows.concurrency import lock_path
from tests.e2e.conftest import BIN, cli_env  # noqa: F401  (fixture)
from tests.sitekit import rss

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(300)]
PAGES = 4
PAGE_DELAY_S = 4.0
TEXT = ("Министр иностранных дел Казахстана провел переговоры с коллегой из Киргизии в Бишкеке. "
        "Стороны договорились создать совместную рабочую группу по водным ресурсам.")


class _SlowPages(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.pages_pending = 0
        self.pages_served = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _SlowPages

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/feed.xml":
            items = [{"guid": f"p-{n}", "title": f"Новость {n}", "link": f"{self.server.base}/page/{n}", "text": None}
                     for n in range(PAGES)]
            body, kind = rss(items).encode(), "application/rss+xml"
        else:
            with self.server.lock:
                self.server.pages_pending += 1
            time.sleep(PAGE_DELAY_S)
            body = f"<html><body><article><h1>Новость</h1><p>{TEXT}</p></article></body></html>".encode()
            kind = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if self.path != "/feed.xml":
            with self.server.lock:
                self.server.pages_pending -= 1
                self.server.pages_served += 1


def _lock_is_free(db: Path) -> bool:
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_the_writer_lock_is_free_while_pages_are_fetched(cli_env, tmp_path):  # noqa: F811
    db = tmp_path / "w.duckdb"
    server = _SlowPages()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    free_while_fetching = busy_while_fetching = 0
    try:
        env = {**cli_env, "EVENTWIRE_PAGE_CONCURRENCY": str(PAGES)}
        proc = subprocess.Popen([str(BIN), "run", "--feeds", f"{server.base}/feed.xml", "--db", str(db)],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 240
        while proc.poll() is None and time.monotonic() < deadline:
            with server.lock:
                fetching = server.pages_pending > 0
            if fetching:
                if _lock_is_free(db):
                    free_while_fetching += 1
                else:
                    busy_while_fetching += 1
            time.sleep(0.1)
        out, err = proc.communicate(timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, out[-2000:] + err[-3000:]
    assert server.pages_served == PAGES
    assert free_while_fetching >= 10, (free_while_fetching, busy_while_fetching)
    assert busy_while_fetching <= 2, (free_while_fetching, busy_while_fetching)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), min(body_source) FROM articles").fetchone() == (PAGES, "page")
