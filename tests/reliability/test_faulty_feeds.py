"""Faulty and hostile feed servers on 127.0.0.1 through the real `eventwire run`: every fault is bounded,
recorded per feed with a clear reason in feed_runs/feeds, and the good feeds load as usual.

One run covers every case (a process start costs seconds); fetch-level details of the same faults
are in tests/integration/test_fetch_http.py.
"""
from __future__ import annotations

import gzip
import socket
import struct
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import duckdb
import pytest

from tests.e2e.conftest import ARTICLES, cli_env, run_cli  # noqa: F401 (fixture)
from tests.integration.feed_server import FeedServer, Reply, running_server, write_slowly
from tests.reliability import hostile
from tests.reliability.netkit import listening
from tests.sitekit import rss

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(300)]

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
SECRET = "TOPSECRET-91c2"


def _hang(seconds: float):
    def stream(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
    return stream


def _reset_mid_body(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(b"<?xml version='1.0'?><rss><channel><title>cut")
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()  # RST, not FIN


class Burst:
    """Answers `failures` times with `status`, then the feed."""

    def __init__(self, failures: int, status: int, body: bytes, **headers: str) -> None:
        self.left, self.status, self.body, self.headers = failures, status, body, headers

    def __call__(self, _handler: BaseHTTPRequestHandler) -> Reply:
        if self.left > 0:
            self.left -= 1
            return Reply(self.status, dict(self.headers), b"busy")
        return Reply(200, RSS, self.body)


@pytest.fixture()
def server() -> Iterator[FeedServer]:
    with running_server() as srv:
        yield srv


def test_every_fault_is_bounded_recorded_and_isolated(server: FeedServer, cli_env: dict[str, str],  # noqa: F811
                                                      tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    good_a = rss(ARTICLES[:2]).encode()
    good_b = rss([dict(ARTICLES[2], guid="b-3")]).encode()
    port = int(server.url.rsplit(":", 1)[1])
    with listening("127.0.0.1") as internal:
        no_text_link = rss([{"guid": "ssrf-1", "title": "internal", "link": f"{internal.url}/admin"}]).encode()
        routes = {
            "/good-a.xml": Reply(200, RSS, good_a),
            "/good-b.xml": Reply(200, RSS, good_b),
            "/hang.xml": Reply(200, RSS, stream=_hang(60)),
            "/slowloris.xml": Reply(200, RSS, stream=write_slowly(600, b"<", 0.1)),
            "/reset.xml": Reply(200, {**RSS, "Content-Length": "5000"}, stream=_reset_mid_body),
            "/bomb.xml": Reply(200, {**RSS, "Content-Encoding": "gzip"}, gzip.compress(b"\0" * (64 * 2**20))),
            "/loop-a.xml": Reply(302, {"Location": "/loop-b.xml"}),
            "/loop-b.xml": Reply(302, {"Location": "/loop-a.xml"}),
            "/throttled.xml": Reply(429, {"Retry-After": "1"}, b"slow down"),
            "/burst.xml": Burst(2, 503, good_b.replace(b"b-3", b"burst-3")),
            "/plain.xml": Reply(200, {"Content-Type": "text/plain"}, good_b.replace(b"b-3", b"plain-3")),
            "/html.xml": Reply(200, {"Content-Type": "text/html"},
                               b"<!doctype html><html><body><h1>Not a feed</h1><p>Moved.</p></body></html>"),
            "/laughs.xml": Reply(200, RSS, hostile.billion_laughs()),
            "/xxe.xml": Reply(200, RSS, hostile.xxe(str(secret), internal.url)),
            "/ssrf.xml": Reply(200, RSS, no_text_link),
            "/mixed.xml": Reply(200, RSS, hostile.broken_encodings()),
            "/nested.xml": Reply(200, RSS, hostile.nested_html(20_000)),
            "/big-item.xml": Reply(200, RSS, hostile.huge_item(5_500_000)),  # ~10 MB of UTF-8
        }
        for path, reply in routes.items():
            server.route(path, reply)
        urls = {p: server.url + p for p in routes if p != "/loop-b.xml"}
        urls["/tls.xml"] = f"https://127.0.0.1:{port}/tls.xml"   # TLS to a plain-HTTP port
        env = dict(cli_env, EVENTWIRE_FETCH_TIMEOUT_S="5", EVENTWIRE_FETCH_RETRIES="2", EVENTWIRE_RETRY_DELAY_S="0.2",
                   EVENTWIRE_FEED_CONCURRENCY="8")
        db = tmp_path / "w.duckdb"
        args = [a for u in urls.values() for a in ("--feeds", u)]
        started = time.monotonic()
        proc = run_cli(env, "run", *args, "--db", str(db), "--batch-size", "5", timeout=280)
        elapsed = time.monotonic() - started
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "Traceback" not in proc.stderr  # failed tasks keep their tracebacks in the Prefect API/UI only
        assert internal.connections == 0  # neither the XXE nor the article link reached it
    assert elapsed < 200, elapsed  # every fault is cut off by its own limit, in parallel

    with duckdb.connect(str(db), read_only=True) as con:
        runs = {row[0]: row[1:] for row in con.execute(
            "SELECT f.feed_url, r.status, r.http_status, r.error, r.items, f.error_count, f.last_error "
            "FROM feed_runs r JOIN feeds f USING (feed_url)").fetchall()}
        assert set(runs) == set(urls.values())

        def check(path: str, status: str, *words: str) -> None:
            got_status, _http, error, _items, error_count, last_error = runs[urls[path]]
            assert got_status == status, (path, runs[urls[path]])
            for word in words:
                assert word.lower() in (error or "").lower(), (path, error)
            if status == "failed":
                assert error_count == 1 and last_error == error, (path, error_count)

        check("/good-a.xml", "ok")
        check("/good-b.xml", "ok")
        check("/burst.xml", "ok")                       # 503, 503, then 200: retried and loaded
        check("/hang.xml", "failed", "timed out")
        check("/slowloris.xml", "failed", "deadline")
        check("/reset.xml", "failed", "fetching")
        check("/bomb.xml", "failed", "over the limit")
        check("/loop-a.xml", "failed", "redirects")
        check("/throttled.xml", "failed", "429")
        check("/tls.xml", "failed", "ConnectError", "https://127.0.0.1")
        check("/plain.xml", "ok", "text/plain")          # items kept, the media type recorded
        check("/html.xml", "ok", "not well-formed")      # no items, the reason recorded
        check("/laughs.xml", "ok")
        check("/xxe.xml", "ok")
        check("/big-item.xml", "ok")
        check("/nested.xml", "ok")
        check("/mixed.xml", "ok", "not well-formed")   # invalid bytes and control characters: recorded
        assert runs[urls["/html.xml"]][3] == 0 and runs[urls["/good-a.xml"]][3] == 2  # items seen

        guids = {row[0] for row in con.execute("SELECT guid FROM articles").fetchall()}
        assert {"t-1", "t-2", "b-3", "burst-3", "plain-3"} <= guids
        dump = " ".join(str(v) for row in con.execute("SELECT * FROM articles").fetchall() for v in row)
        assert SECRET not in dump and "lollollol" not in dump
        big = con.execute("SELECT length(body) FROM articles WHERE guid LIKE '%big-1'").fetchone()
        assert big is not None and big[0] > 5_000_000       # stored ...
        reject = con.execute("SELECT r.error FROM rejects r JOIN articles a USING (article_id) "
                             "WHERE a.guid LIKE '%big-1' AND r.stage = 'extract'").fetchone()
        assert reject and "over the extraction limit" in reject[0]   # ... but not fed to NLP
        skipped = con.execute("SELECT error FROM rejects WHERE feed_url = ?", [urls["/ssrf.xml"]]).fetchall()
        assert skipped and "no full text" in skipped[0][0]
