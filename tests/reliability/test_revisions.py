"""Article revisions: a page counter is no change, garbage never replaces text, old versions are pruned.

Before: a linked page with a view counter made a new revision and a re-extraction every run
(10 revisions for 5 items in 3 runs), and a feed decoded in the wrong encoding replaced
every stored article with mojibake (language "other", its meetings deleted).
Feeds and pages on 127.0.0.1, the flows in-process, real DuckDB files.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import duckdb
import pytest
from prefect.testing.utilities import prefect_test_harness

from flows.ingest import ingest
from flows.maintenance import maintenance
from tests.e2e.conftest import ARTICLES
from tests.sitekit import Route, rss, serve_site
from warehouse import connect, migrate
from warehouse.maintenance import prune_revisions

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(300)]


@pytest.fixture(scope="module", autouse=True)
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


def _page(text: str, views: int) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n"))
    return (f"<html><head><title>News</title></head><body><article><h1>News</h1>{paragraphs}"
            f"<p>Просмотров: {views}</p><p>Обновлено {views % 24:02d}:{views % 60:02d}</p>"
            "</article></body></html>").encode()


def test_a_page_whose_counter_changes_is_not_a_new_revision(tmp_path):
    db = tmp_path / "w.duckdb"
    counter = itertools.count(1000, 37)
    with serve_site() as site:
        items = []
        for n, article in enumerate(ARTICLES):
            path = f"/news/{n}"
            # every request of a page answers a higher view count and another time stamp
            site.put_sequence(path, [Route(200, _page(article["text"], next(counter)), {"Content-Type": "text/html"})
                                     for _ in range(6)])
            items.append({**article, "link": site.url(path), "text": None})
        feed = site.put("/feed.xml", rss(items), content_type="application/rss+xml")
        runs = [ingest(feeds=[feed], db=str(db)) for _ in range(3)]
    assert [r.articles_new for r in runs] == [3, 0, 0]
    assert [r.articles_updated for r in runs] == [0, 0, 0]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM article_revisions").fetchone()[0] == 0
        assert con.execute("SELECT max(revision), min(body_source) FROM articles").fetchone() == (1, "page")


def test_a_feed_decoded_in_the_wrong_encoding_does_not_replace_the_stored_articles(tmp_path):
    db = tmp_path / "w.duckdb"
    body = rss(ARTICLES).encode("utf-8")
    with serve_site() as site:
        good = Route(200, body, {"Content-Type": "application/rss+xml; charset=utf-8"})
        # the same UTF-8 bytes, declared as koi8-r: every Cyrillic letter comes out as two wrong ones
        wrong = Route(200, body.replace(b'encoding="utf-8"', b'encoding="koi8-r"'),
                      {"Content-Type": "application/rss+xml; charset=koi8-r"})
        feed = site.put_sequence("/feed.xml", [good, wrong])
        first = ingest(feeds=[feed], db=str(db))
        with duckdb.connect(str(db), read_only=True) as con:
            before = con.execute("SELECT article_id, language, body FROM articles ORDER BY 1").fetchall()
            meetings = con.execute("SELECT count(*) FROM meetings").fetchone()[0]
        second = ingest(feeds=[feed], db=str(db))
    assert first.articles_new == 3 and meetings >= 2
    assert second.status == "completed" and second.articles_updated == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT article_id, language, body FROM articles ORDER BY 1").fetchall() == before
        assert con.execute("SELECT count(*) FROM meetings").fetchone()[0] == meetings
        assert con.execute("SELECT count(*) FROM article_revisions").fetchone()[0] == 0
        refused = con.execute("SELECT error FROM rejects WHERE record_type = 'ArticleRevision'").fetchall()
    assert len(refused) == 3 and all("revision refused" in e for (e,) in refused)


def _revisions(con, article_id: str, count: int, now: datetime) -> None:
    for revision in range(1, count + 1):
        con.execute("INSERT INTO article_revisions (article_id, revision, content_hash, body, replaced_at) "
                    "VALUES (?, ?, ?, 'old', ?)", [article_id, revision, f"h{revision}",
                                                  now - timedelta(days=10 * (count - revision))])


def test_prune_revisions_keeps_the_newest_and_the_recent(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    _revisions(con, "a", 8, now)      # replaced 70, 60, ..., 0 days before now
    _revisions(con, "b", 2, now)
    assert prune_revisions(con, keep=5, before=now - timedelta(days=25)) == 5   # 3 by count, 2 more by age
    assert con.execute("SELECT article_id, list(revision ORDER BY revision) FROM article_revisions "
                       "GROUP BY 1 ORDER BY 1").fetchall() == [("a", [6, 7, 8]), ("b", [1, 2])]
    with pytest.raises(ValueError):
        prune_revisions(con, keep=-1, before=now)
    con.close()


def test_maintenance_prunes_revisions_with_the_configured_retention(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    con = connect(db)
    migrate(con)
    _revisions(con, "a", 12, datetime.now(UTC))
    con.close()
    monkeypatch.setenv("EVENTWIRE_REVISIONS_KEPT", "4")
    report = maintenance(db=str(db))
    assert report.revisions_deleted == 8
    assert "| 8 |" in report.to_markdown()
