"""An article whose extraction failed stays due: retried by the next runs, then given up, then reprocessed.

Before: a failed article was stored with its extractor version like a good one, so no later
run ever looked at it again (0 records instead of its meetings, for good). Real DuckDB files,
the `ingest` and `reprocess` flows in-process, feeds served on 127.0.0.1.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import duckdb
import pytest
from prefect.testing.utilities import prefect_test_harness

from extraction import pipeline
from flows import tasks
from flows.ingest import ingest, reprocess
from schemas import Extraction, Language, content_hash
from tests.e2e.conftest import ARTICLES
from tests.sitekit import rss, serve_site
from warehouse import articles_due, connect, load_batch, migrate
from warehouse.migrate import load_migrations
from warehouse.testing import make_article

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(300)]
POISON = "Переговоры в Душанбе"   # the title of the article the broken extractor fails on


@pytest.fixture(scope="module", autouse=True)
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def broken_extractor(monkeypatch):
    """The Russian extractor raises on the article with POISON in its body until `calls['fixed']`."""
    real = pipeline.EXTRACTORS[Language.RU]
    calls = {"poisoned": 0, "fixed": False}

    def flaky(text: str, published):
        if "Рустам Сафаров" in text and not calls["fixed"]:
            calls["poisoned"] += 1
            raise IndexError("string index out of range")
        return real(text, published)

    monkeypatch.setitem(pipeline.EXTRACTORS, Language.RU, flaky)
    return calls


def _state(db) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT a.extractor_version IS NOT NULL, a.extract_attempts, "
            "(SELECT count(*) FROM meetings AS m WHERE m.article_id = a.article_id), "
            "(SELECT count(*) FROM rejects AS r WHERE r.article_id = a.article_id AND r.error LIKE 'gave up%') "
            "FROM articles AS a WHERE a.title = ?", [POISON]).fetchone()


def test_a_failed_article_is_retried_then_given_up_then_reprocessed(tmp_path, broken_extractor):
    db = tmp_path / "w.duckdb"
    with serve_site() as site:
        feed = site.put("/feed.xml", rss(ARTICLES), content_type="application/rss+xml")
        first = ingest(feeds=[feed], db=str(db))
        assert first.status == "completed" and first.articles_new == 3
        assert _state(db) == (False, 1, 0, 0)          # stored, not extracted, due
        with duckdb.connect(str(db), read_only=True) as con:  # the other articles are fine
            assert con.execute("SELECT count(*) FROM articles WHERE extractor_version IS NOT NULL").fetchone()[0] == 2

        ingest(feeds=[feed], db=str(db))                # the feed has not changed: retried from the store
        assert broken_extractor["poisoned"] == 2
        assert _state(db) == (False, 2, 0, 0)
        ingest(feeds=[feed], db=str(db))
        assert _state(db) == (False, 3, 0, 1)          # third failure: a visible 'gave up' reject
        ingest(feeds=[feed], db=str(db))
        assert broken_extractor["poisoned"] == 3        # given up: no fourth attempt
        assert _state(db) == (False, 3, 0, 1)

    broken_extractor["fixed"] = True
    done = reprocess(db=str(db))
    assert done.status == "completed"
    extracted, attempts, meetings, gave_up = _state(db)
    assert (extracted, attempts, gave_up) == (True, 0, 0)  # reprocess clears the give-up
    assert meetings >= 1


def test_a_crashed_batch_task_leaves_its_articles_due_and_the_next_run_completes_them(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    real = tasks.extract_batch

    def crash(articles):
        raise MemoryError("worker ran out of memory")

    with serve_site() as site:
        feed = site.put("/feed.xml", rss(ARTICLES), content_type="application/rss+xml")
        monkeypatch.setattr(tasks, "extract_batch", crash)
        first = ingest(feeds=[feed], db=str(db))
        assert first.status == "completed"
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT count(*), count(extractor_version), max(extract_attempts) "
                               "FROM articles").fetchone() == (3, 0, 1)
            assert con.execute("SELECT count(*) FROM rejects WHERE error LIKE 'extraction task failed: "
                               "MemoryError%'").fetchone()[0] == 3
        monkeypatch.setattr(tasks, "extract_batch", real)
        second = ingest(feeds=[feed], db=str(db))
    assert second.status == "completed"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(extractor_version), max(extract_attempts) "
                           "FROM articles").fetchone() == (3, 3, 0)
        assert con.execute("SELECT count(*) FROM meetings").fetchone()[0] >= 2


def test_load_batch_counts_attempts_and_a_later_success_clears_them(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    article = make_article(1)
    failed = Extraction(article_id=article.article_id, extractor_version="v1", error="IndexError: boom")
    for attempt in (1, 2):
        counts = load_batch(con, run_id=None, articles=[article], extractions=[failed], max_attempts=2)
        assert (counts.extract_failed, counts.gave_up) == (1, attempt - 1)
        assert [a.article_id for a in articles_due(con, max_attempts=2)] == ([article.article_id] if attempt < 2 else [])
    assert con.execute("SELECT count(*) FROM rejects WHERE error LIKE 'gave up after 2 failed%'").fetchone()[0] == 1
    load_batch(con, run_id=None, articles=[article], extractions=[failed], max_attempts=2)
    assert con.execute("SELECT count(*) FROM rejects WHERE error LIKE 'gave up%'").fetchone()[0] == 1  # still one
    ok = Extraction(article_id=article.article_id, extractor_version="v1")
    load_batch(con, run_id=None, articles=[article], extractions=[ok], max_attempts=2)
    assert con.execute("SELECT extractor_version, extract_attempts, extract_error FROM articles").fetchone() == (
        "v1", 0, None)
    assert con.execute("SELECT count(*) FROM rejects WHERE error LIKE 'gave up%'").fetchone()[0] == 0
    assert articles_due(con, max_attempts=2) == []
    con.close()


def test_the_migration_makes_articles_failed_before_it_due(tmp_path):
    """A warehouse written by the old code: the failed article was marked extracted."""
    con = connect(tmp_path / "w.duckdb")
    migrate(con, views=False, migrations=[m for m in load_migrations() if m.version <= 5])
    now = datetime(2025, 1, 1, tzinfo=UTC)
    con.execute("INSERT INTO articles (article_id, title, language, body, content_hash, first_seen_at, updated_at, "
                "body_source, extractor_version, extracted_at) VALUES ('a1', 't', 'ru', 'b', ?, ?, ?, 'full_text', "
                "'v0', ?), ('a2', 't', 'ru', 'c', ?, ?, ?, 'full_text', 'v0', ?)",
                [content_hash("b"), now, now, now, content_hash("c"), now, now, now])
    con.execute("INSERT INTO rejects (reject_id, article_id, stage, record_type, error, payload, rejected_at) "
                "VALUES ('r1', 'a1', 'extract', 'Article', 'IndexError: x', '{}', ?)", [now])
    migrate(con)
    assert [a.article_id for a in articles_due(con, max_attempts=3)] == ["a1"]
    con.close()
