"""A run streams its articles: memory holds a window of batches, never every feed's articles.

The `ingest` flow in-process under Prefect's test harness, feeds on 127.0.0.1. Each load of a
batch counts the `Article` objects alive in the process (the garbage collector's view): with
360 articles in batches of 20 it stays near the window of batches in flight, where a run that
held every fetched article until the load saw all 360 at once. The articles are German (no
extractor: extraction is instant) so that the test measures the run, not the models.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import duckdb
import pytest
from prefect.testing.utilities import prefect_test_harness

import flows.ingest
from flows.ingest import ingest, reprocess
from schemas import Article
from tests.sitekit import rss, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.network]
FEEDS, ITEMS, BATCH = 6, 60, 20
TEXT = ("Die Außenminister der beiden Länder trafen sich am Montag in der Hauptstadt und sprachen über "
        "den Handel, die Energie und die Sicherheit in der Region. Artikel {n} der Reihe {f}.")


@pytest.fixture(scope="module", autouse=True)
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


def _alive() -> int:
    """`Article` objects the process still reaches (garbage in reference cycles, which Prefect's
    task states make, is collected first: Python frees it when its collector runs)."""
    gc.collect()
    return sum(isinstance(o, Article) for o in gc.get_objects())


@pytest.fixture()
def loads(monkeypatch) -> list[tuple[int, int]]:
    """(articles in the batch, Article objects alive) at every batch load."""
    seen: list[tuple[int, int]] = []
    real = flows.ingest.load_batch

    def counting(con, **kw):
        seen.append((len(kw["articles"]), _alive()))
        return real(con, **kw)

    monkeypatch.setattr(flows.ingest, "load_batch", counting)
    monkeypatch.setenv("EVENTWIRE_EXTRACT_PROCESSES", "0")
    monkeypatch.setenv("EVENTWIRE_BATCH_SIZE", str(BATCH))
    return seen


def _feeds(site) -> list[str]:
    start = datetime(2025, 3, 1, 9, tzinfo=UTC)
    return [site.put(f"/f{f}.xml", rss([{"guid": f"s{f}-{n}", "title": f"Bericht {f}-{n}",
                                         "text": TEXT.format(n=n, f=f), "link": f"http://news{f}.example/{n}",
                                         "published": start + timedelta(minutes=n)} for n in range(ITEMS)],
                                       lang="de"))
            for f in range(FEEDS)]


def test_a_run_holds_a_window_of_batches_not_every_article(tmp_path, loads):
    db = tmp_path / "w.duckdb"
    with serve_site() as site:
        summary = ingest(feeds=_feeds(site), db=str(db))
    assert summary.status == "completed", summary.error
    assert summary.articles_new == FEEDS * ITEMS
    assert sum(n for n, _ in loads) == FEEDS * ITEMS
    assert len(loads) == FEEDS * ITEMS // BATCH
    peak = max(alive for _, alive in loads)
    assert peak <= 4 * BATCH, f"{peak} articles alive at a load: the run holds more than its window of batches"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (360, 360)
        assert con.execute("SELECT sum(articles_new) FROM feed_runs").fetchone()[0] == FEEDS * ITEMS


def test_reprocess_reads_stored_articles_a_batch_at_a_time(tmp_path, loads):
    db = tmp_path / "w.duckdb"
    with serve_site() as site:
        ingest(feeds=_feeds(site), db=str(db))
    loads.clear()
    summary = reprocess(db=str(db))
    assert summary.status == "completed", summary.error
    assert summary.articles_updated == FEEDS * ITEMS
    assert sum(summary.articles_by_language.values()) == FEEDS * ITEMS
    assert [n for n, _ in loads] == [BATCH] * (FEEDS * ITEMS // BATCH)
    peak = max(alive for _, alive in loads)
    assert peak <= 4 * BATCH, f"{peak} articles alive at a load: reprocess holds more than its window"
