"""One feed cannot take over another feed's article.

Before: a second feed that reused an absolute-URL guid with a later pubDate replaced the
stored body ("FAKE: ...") and the article's feed_url. Now the article belongs to the feed
that owns it (feeds/owners.py); the other feed is recorded as reporting it.
Real feeds on 127.0.0.1 ("localhost" in a URL is another host name for the same server),
the `ingest` flow in-process, real DuckDB files.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import duckdb
import pytest
from prefect.testing.utilities import prefect_test_harness

from flows.ingest import ingest
from tests.sitekit import rss, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(300)]
TRUE_TEXT = ("Министр иностранных дел Казахстана провел переговоры с коллегой из Узбекистана в Ташкенте. "
             "Стороны договорились создать совместную рабочую группу по транзиту.")
FAKE_TEXT = "FAKE: переговоры отменены, министр подал в отставку. " * 3


@pytest.fixture(scope="module", autouse=True)
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


def _item(guid: str, text: str, day: int) -> dict:
    return {"guid": guid, "link": guid, "title": text[:30], "text": text,
            "published": datetime(2025, 5, day, 9, 0, tzinfo=UTC)}


def _stored(db) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        article = con.execute("SELECT body, feed_url, revision FROM articles").fetchall()
        reports = con.execute("SELECT feed_url FROM article_feeds ORDER BY feed_url").fetchall()
        revisions = con.execute("SELECT count(*) FROM article_revisions").fetchone()[0]
    return article, [r[0] for r in reports], revisions


def test_a_later_item_of_another_feed_does_not_replace_the_stored_article(tmp_path):
    db = tmp_path / "w.duckdb"
    story = "https://news.example/politics/2025/05/talks"   # on neither feed's site
    with serve_site() as site:
        owner = site.put("/owner.xml", rss([_item(story, TRUE_TEXT, 1)]), content_type="application/rss+xml")
        stranger = site.put("/stranger.xml", rss([_item(story, FAKE_TEXT, 20)]), content_type="application/rss+xml")
        assert ingest(feeds=[owner], db=str(db)).status == "completed"
        second = ingest(feeds=[owner, stranger], db=str(db))
        third = ingest(feeds=[stranger], db=str(db))           # alone, too
    assert second.status == third.status == "completed"
    article, reports, revisions = _stored(db)
    assert article == [(TRUE_TEXT, owner, 1)]
    assert revisions == 0
    assert reports == sorted([owner, stranger])                   # reported by both


def test_the_story_s_own_site_wins_over_a_stranger_listed_first(tmp_path):
    db = tmp_path / "w.duckdb"
    with serve_site() as site:
        story = site.url("/news/1")                              # on the owner's site (127.0.0.1)
        own = site.put("/own.xml", rss([_item(story, TRUE_TEXT, 1)]), content_type="application/rss+xml")
        stranger = site.put("/stranger.xml", rss([_item(story, FAKE_TEXT, 20)]),
                            content_type="application/rss+xml").replace("127.0.0.1", "localhost")
        assert ingest(feeds=[stranger, own], db=str(db)).status == "completed"
    article, reports, _ = _stored(db)
    assert article == [(TRUE_TEXT, own, 1)]
    assert reports == sorted([own, stranger])
