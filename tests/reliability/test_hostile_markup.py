"""Issue 10, item 10: hostile markup is neither stored nor shown as markup.

Titles kept `<script>` and `<img onerror=…>`; a server-chosen HTTP reason phrase with HTML and a
phishing link landed unescaped in the Markdown run artifact shown in the Prefect UI. A feed with
markup in every text field and a feed answering 503 with such a reason phrase (at a URL whose
last segment is a `javascript:` Markdown link, so the feed's name is one too) are served from
127.0.0.1: the warehouse holds plain text, and the run summary, the table artifacts and their
descriptions render as text (markdown-it plus the Prefect UIs' autolink patterns).
"""
from __future__ import annotations

import asyncio
import html
import http.server
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from markdown_it import MarkdownIt

from feeds.fetch import fetch_feed
from flows.steps import FeedOutcome
from flows.summary import FeedRow, RunSummary
from schemas import Feed
from tests.reliability.test_feed_encoding import ingest_once

pytestmark = [pytest.mark.network, pytest.mark.timeout(300)]

TAG_LIKE = re.compile(r"<[A-Za-z/!?][^<>]*>")   # what an HTML parser would read as markup
# Markdown as the Prefect UIs see it: CommonMark + GFM tables, plus the autolink literals that the
# classic UI (marked) finds in the source and the React UI (remark-gfm) in the rendered text.
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ALLOWED_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "p", "strong", "em", "code", "s", "h1", "h2", "hr"}
MARKED_AUTOLINKS = (re.compile(r"((?:ftp|https?):\/\/|www\.)(?:[a-zA-Z0-9\-]+\.?)+[^\s<]*"),
                    re.compile(r"[A-Za-z0-9._+-]+@[a-zA-Z0-9\-_]+(?:\.[a-zA-Z0-9\-_]*[a-zA-Z0-9])+"))
GFM_AUTOLINKS = (re.compile(r"(https?:\/\/|www(?=\.))([-.\w]+)", re.IGNORECASE),
                 re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"))


def assert_inert(markdown: str) -> None:
    """`markdown` renders to no link, image or HTML element, and holds no autolink literal."""
    rendered = MD.render(markdown)
    tags = {m.group(1).lower() for m in re.finditer(r"</?([a-zA-Z0-9]+)", rendered)}
    assert tags <= ALLOWED_TAGS, (tags, markdown)
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert not any(p.search(markdown) for p in MARKED_AUTOLINKS), markdown
    assert not any(p.search(text) for p in GFM_AUTOLINKS), text

REASON = ('<img src=x onerror=alert(1)> Service Unavailable: [log in again](http://phish.example/login) '
          "or visit www.phish.example <script>steal()</script>")
HOSTILE_PATH = "/[x](javascript:alert(1))"
TEXT = "Министр иностранных дел провел переговоры с делегацией в Астане."
ITEMS = [  # (guid, title as written in the XML, what must be stored)
    ("h-1", "&lt;script&gt;alert(1)&lt;/script&gt;Переговоры в Астане", "Переговоры в Астане"),
    ("h-2", "Саммит &lt;img src=x onerror=alert(1)&gt;в Бишкеке", "Саммит в Бишкеке"),
    ("h-3", "&lt;svg onload=alert(1)&gt;&lt;/svg&gt;Визит &lt;b&gt;министра&lt;/b&gt;", "Визит министра"),
    ("h-4", "&amp;lt;iframe src=javascript:alert(1)&amp;gt;Форум", "Форум"),
]
FEED = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:yandex="http://news.yandex.ru">'
        "<channel><title>&lt;b&gt;Лента&lt;/b&gt;</title><link>http://test.example/</link>"
        + "".join(
            f'<item><guid isPermaLink="false">{guid}</guid><title>{title}</title>'
            f"<link>http://test.example/{guid}</link><author>&lt;a href=javascript:x()&gt;Иван&lt;/a&gt;</author>"
            f"<description>&lt;p onclick=x()&gt;{TEXT}&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;"
            "&lt;style&gt;p{}&lt;/style&gt;&amp;lt;img src=x onerror=alert(2)&amp;gt;</description>"
            f"<yandex:full-text><![CDATA[<p>{TEXT}</p><script>steal()</script><img src=x onerror=alert(3)>"
            "<iframe src=javascript:alert(4)>inner</iframe>]]></yandex:full-text></item>"
            for guid, title, _ in ITEMS)
        + "</channel></rss>").encode("utf-8")


@contextmanager
def hostile_server() -> Iterator[str]:
    """A real server on 127.0.0.1: /hostile.xml is the feed; anything else answers 503 with REASON."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/hostile.xml":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                body = FEED
            else:
                self.send_response(503, REASON)
                body = b"<html><body><a href='http://phish.example'>log in</a></body></html>"
                self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def assert_plain_warehouse(db: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT guid, title, body FROM articles ORDER BY guid").fetchall()
        revisions = con.execute("SELECT title, body FROM article_revisions").fetchall()
    assert [(guid, title) for guid, title, _ in rows] == [(guid, stored) for guid, _, stored in ITEMS]
    for _, title, body in rows:
        assert body == TEXT  # the full text: paragraph kept, script, image and iframe gone
        for text in (title, body):
            assert not TAG_LIKE.search(text) and "onerror" not in text and "steal()" not in text
    assert revisions == []


def test_markup_in_every_feed_field_is_stored_as_plain_text(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with hostile_server() as base:
        outcome, counts = ingest_once(db, Feed(url=f"{base}/hostile.xml", name="hostile"))
    assert counts.articles_new == len(ITEMS)
    assert outcome.parsed is not None and outcome.parsed.title == "Лента"
    assert_plain_warehouse(db)


def test_a_5xx_reason_phrase_with_html_and_a_link_is_escaped_in_the_run_summary() -> None:
    with hostile_server() as base:
        url = base + HOSTILE_PATH
        fetched = fetch_feed(url)
    assert fetched.http_status == 503 and REASON in (fetched.error or "")  # the reason really came through
    outcome = FeedOutcome(feed=Feed(url=url, name=f"127.0.0.1{HOSTILE_PATH}"), fetch=fetched)
    summary = RunSummary(run_id="r", db_path="/tmp/w.duckdb", status="completed")
    summary.feeds.append(FeedRow(name=outcome.feed.name, url=url, status=fetched.status.value,
                                 http_status=fetched.http_status, error=outcome.error))
    markdown = summary.to_markdown()
    assert_inert(markdown)
    assert "onerror" in markdown and "phish" in markdown  # shown, as text


@pytest.fixture()
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=120):
        yield


async def _artifacts(flow_run_id: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    async with get_client() as client:
        return await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))


@pytest.mark.slow
def test_a_run_end_to_end_stores_plain_text_and_publishes_inert_artifacts(
        tmp_path: Path, prefect_harness: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.ingest import ingest
    monkeypatch.setenv("EVENTWIRE_FETCH_RETRIES", "0")
    monkeypatch.setenv("EVENTWIRE_FETCH_PAGES", "false")
    db = tmp_path / "w.duckdb"
    with hostile_server() as base:
        summary = ingest(feeds=[f"{base}/hostile.xml", base + HOSTILE_PATH], db=str(db))
    assert summary.status == "completed" and summary.feed_count("failed") == 1
    assert_plain_warehouse(db)
    assert_inert(summary.to_markdown())

    artifacts = asyncio.run(_artifacts(summary.flow_run_id))
    by_key = {a.key: a for a in artifacts}
    published = by_key["eventwire-run-summary"].data
    assert_inert(published)
    assert "Service Unavailable" in published
    tables = [a for a in artifacts if a.type == "table"]
    assert len(tables) == 3  # all feeds, and one per feed
    for artifact in tables:
        assert_inert(artifact.description or "")
        rows = artifact.data if isinstance(artifact.data, list) else json.loads(artifact.data)
        for row in rows:
            for value in row.values():
                if isinstance(value, str):  # the classic UI renders each string cell as Markdown
                    assert_inert(value)
