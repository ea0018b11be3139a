"""fetch_feed / fetch_pages against a real HTTP server on 127.0.0.1 (no mocks)."""
from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from feeds.errors import PageError
from feeds.fetch import USER_AGENT, FetchLimits, fetch_feed
from feeds.pages import fetch_page_text, fetch_pages
from feeds.parse import parse_feed
from schemas import FetchStatus
from tests.integration.feed_server import FeedServer, Reply, running_server, write_slowly

pytestmark = [pytest.mark.network, pytest.mark.timeout(60)]

CORPUS = (Path(__file__).parents[2] / ".." / "shared" / "feeds").resolve()
FEED_A = (CORPUS / "realistic" / "a-rss-yandex-fulltext-utf8.xml").read_bytes()
SMALL = FetchLimits(max_bytes=1024 * 1024, connect_timeout_s=2, read_timeout_s=1, total_timeout_s=3, max_redirects=3)
MB = 1024 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with running_server() as srv:
        yield srv


def test_etag_and_last_modified_then_304(server: FeedServer) -> None:
    etag, modified = '"v1"', "Tue, 11 Mar 2025 14:20:00 GMT"

    def route(handler: BaseHTTPRequestHandler) -> Reply:
        if handler.headers.get("If-None-Match") == etag or handler.headers.get("If-Modified-Since") == modified:
            return Reply(304, {"ETag": etag})
        return Reply(200, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag,
                           "Last-Modified": modified}, FEED_A)

    server.route("/cond.xml", route)
    first = fetch_feed(server.url + "/cond.xml")
    assert first.status is FetchStatus.OK and first.content == FEED_A and first.http_status == 200
    assert first.etag == etag and first.last_modified == modified
    assert first.headers["content-type"].startswith("application/rss+xml")
    assert server.requests[-1][1]["user-agent"] == USER_AGENT
    second = fetch_feed(server.url + "/cond.xml", etag=first.etag, last_modified=first.last_modified)
    assert second.status is FetchStatus.NOT_MODIFIED and second.content is None and second.http_status == 304
    assert server.requests[-1][1]["if-none-match"] == etag
    assert server.requests[-1][1]["if-modified-since"] == modified
    only_date = fetch_feed(server.url + "/cond.xml", last_modified=modified)
    assert only_date.status is FetchStatus.NOT_MODIFIED


def test_404_is_terminal(server: FeedServer) -> None:
    result = fetch_feed(server.url + "/missing.xml")
    assert result.status is FetchStatus.FAILED and result.http_status == 404
    assert not result.transient and "404" in (result.error or "")


def test_500_then_200(server: FeedServer) -> None:
    calls = {"n": 0}

    def flaky(_h: BaseHTTPRequestHandler) -> Reply:
        calls["n"] += 1
        return Reply(500, body=b"boom") if calls["n"] == 1 else Reply(200, {"Content-Type": "text/xml"}, FEED_A)

    server.route("/flaky.xml", flaky)
    first = fetch_feed(server.url + "/flaky.xml")
    assert first.status is FetchStatus.FAILED and first.transient and first.http_status == 500
    second = fetch_feed(server.url + "/flaky.xml")  # retrying is the caller's job
    assert second.status is FetchStatus.OK and second.content == FEED_A


@pytest.mark.parametrize("retry_after", ["7", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_429_with_retry_after(server: FeedServer, retry_after: str) -> None:
    server.route("/busy.xml", Reply(429, {"Retry-After": retry_after}, b"slow down"))
    result = fetch_feed(server.url + "/busy.xml")
    assert result.status is FetchStatus.FAILED and result.transient and result.http_status == 429
    assert result.retry_after_s == (7.0 if retry_after == "7" else 0.0)
    server.route("/down.xml", Reply(503, {"Retry-After": "120"}))
    down = fetch_feed(server.url + "/down.xml")
    assert down.transient and down.retry_after_s == 120.0


def test_read_timeout_is_bounded(server: FeedServer) -> None:
    server.route("/sleepy.xml", Reply(200, {"Content-Type": "text/xml"}, stream=write_slowly(1, b"<rss>", 10)))
    server.route("/trickle.xml", Reply(200, {"Content-Type": "text/xml"}, stream=write_slowly(100, b"<", 0.2)))
    for path in ("/sleepy.xml", "/trickle.xml"):
        started = time.monotonic()
        result = fetch_feed(server.url + path, limits=SMALL)
        assert time.monotonic() - started < 10  # bounded, not a speed claim
        assert result.status is FetchStatus.FAILED and result.transient, result.error


def _zeros(total: int) -> Reply:
    def stream(handler: BaseHTTPRequestHandler) -> None:
        block = b"0" * (256 * 1024)
        for _ in range(total // len(block)):
            handler.wfile.write(block)
    return Reply(200, {"Content-Type": "text/xml"}, stream=stream)


def test_huge_body_is_rejected_with_and_without_content_length(server: FeedServer) -> None:
    with_length = _zeros(50 * MB)
    with_length.headers["Content-Length"] = str(50 * MB)
    server.route("/huge-cl.xml", with_length)
    server.route("/huge.xml", _zeros(50 * MB))
    first = fetch_feed(server.url + "/huge-cl.xml", limits=SMALL)
    assert first.status is FetchStatus.FAILED and not first.transient
    assert "Content-Length" in (first.error or "")
    second = fetch_feed(server.url + "/huge.xml", limits=SMALL)
    assert second.status is FetchStatus.FAILED and not second.transient
    assert "over the limit" in (second.error or "") and "Content-Length" not in (second.error or "")


def test_gzip_body_is_decoded_and_a_gzip_bomb_is_bounded(server: FeedServer) -> None:
    server.route("/gz.xml", Reply(200, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
                                  gzip.compress(FEED_A)))
    result = fetch_feed(server.url + "/gz.xml")
    assert result.status is FetchStatus.OK and result.content == FEED_A
    bomb = gzip.compress(b"\0" * (64 * MB))  # ~64 KB on the wire
    server.route("/bomb.xml", Reply(200, {"Content-Type": "text/xml", "Content-Encoding": "gzip"}, bomb))
    exploded = fetch_feed(server.url + "/bomb.xml", limits=SMALL)
    assert exploded.status is FetchStatus.FAILED and "over the limit" in (exploded.error or "")


def test_charset_only_in_http_header_end_to_end(server: FeedServer) -> None:
    body = FEED_A.decode("utf-8").replace('<?xml version="1.0" encoding="UTF-8"?>\n', "").encode("windows-1251")
    assert not body.startswith(b"<?xml")
    server.route("/cp1251.xml", Reply(200, {"Content-Type": "application/rss+xml; charset=windows-1251"}, body))
    fetched = fetch_feed(server.url + "/cp1251.xml")
    assert fetched.status is FetchStatus.OK and fetched.content is not None
    parsed = parse_feed(fetched.content, feed_url=fetched.final_url or "", headers=fetched.headers)
    reference = parse_feed(FEED_A, feed_url="https://x.example/")
    assert parsed.error is None
    assert parsed.items == reference.items
    assert parsed.items[0].title.startswith("Власти Сонеграда")


def test_redirects_are_followed_and_loops_bounded(server: FeedServer) -> None:
    server.route("/moved.xml", Reply(301, {"Location": "/cond.xml"}))
    server.route("/cond.xml", Reply(200, {"Content-Type": "text/xml"}, FEED_A))
    moved = fetch_feed(server.url + "/moved.xml")
    assert moved.status is FetchStatus.OK and moved.final_url == server.url + "/cond.xml"
    server.route("/loop-a", Reply(302, {"Location": "/loop-b"}))
    server.route("/loop-b", Reply(302, {"Location": "/loop-a"}))
    before = len(server.requests)
    loop = fetch_feed(server.url + "/loop-a", limits=SMALL)
    assert loop.status is FetchStatus.FAILED and not loop.transient and "redirects" in (loop.error or "")
    assert len(server.requests) - before == SMALL.max_redirects + 1
    server.route("/to-file", Reply(302, {"Location": "file:///etc/passwd"}))
    to_file = fetch_feed(server.url + "/to-file")
    assert to_file.status is FetchStatus.FAILED and "non-http" in (to_file.error or "")


def test_connection_refused_is_transient() -> None:
    with running_server() as srv:
        url = srv.url + "/gone.xml"
    result = fetch_feed(url, limits=SMALL)
    assert result.status is FetchStatus.FAILED and result.transient


def test_local_paths_are_read_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED_A)
    for source in (str(path), path.as_uri()):
        result = fetch_feed(source)
        assert result.status is FetchStatus.OK and result.content == FEED_A
    missing = fetch_feed(str(tmp_path / "absent.xml"))
    assert missing.status is FetchStatus.FAILED and not missing.transient
    assert fetch_feed(str(path), limits=FetchLimits(max_bytes=10)).status is FetchStatus.FAILED
    assert fetch_feed("gopher://old.example/").status is FetchStatus.FAILED


ARTICLE_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Новость</title>
<script>var tracking = 1;</script></head><body>
<nav><a href="/">Главная</a> | <a href="/news">Новости</a></nav>
<article><h1>Мэрия и профсоюз договорились о сменах</h1>
<p>Представители профсоюза работников транспорта встретились с руководством автопарка 10 марта в здании мэрии.</p>
<p>Стороны договорились сократить продолжительность смен водителей с двенадцати до десяти часов со следующего месяца.</p>
<p>Директор автопарка пообещал подготовить новый график работы и представить его профсоюзу до конца марта.</p>
</article><footer>© Газета, все права защищены</footer></body></html>"""


def test_fetch_pages_extracts_main_text(server: FeedServer) -> None:
    server.route("/page.html", Reply(200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE_HTML.encode()))
    server.route("/empty.html", Reply(200, {"Content-Type": "text/html"}, b"<html><body></body></html>"))
    server.route("/image.png", Reply(200, {"Content-Type": "image/png"}, b"\x89PNG"))
    urls = [server.url + p for p in ("/page.html", "/empty.html", "/image.png", "/missing.html")]
    with httpx.Client() as client:
        got = fetch_pages(urls + ["file:///etc/passwd"], concurrency=2, client=client, limits=SMALL)
    text = got[urls[0]]
    assert isinstance(text, str)
    assert "сократить продолжительность смен водителей" in text and "до конца марта" in text
    assert "tracking" not in text and "все права защищены" not in text
    for url in urls[1:] + ["file:///etc/passwd"]:
        assert isinstance(got[url], PageError), url
    missing = got[urls[3]]
    assert isinstance(missing, PageError) and "404" in str(missing) and missing.url == urls[3]
    with pytest.raises(PageError, match="non-http"):
        fetch_page_text("file:///etc/passwd")
