"""Every analyst view and example query runs and returns rows on a tiny database."""
from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from flows.resolution import resolve_warehouse
from schemas import Feed, FetchResult
from warehouse import FeedCounts, finish_run, load_batch, open_warehouse, record_feed_result, start_run
from warehouse.migrate import load_queries, load_views
from warehouse.testing import make_article, make_extraction

VIEWS = [name.removesuffix(".sql") for name, _ in load_views()]
QUERIES = load_queries()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / "w.duckdb"
    con = open_warehouse(path)
    start_run(con, run_id="run1", flow_run_id=None)
    articles = [make_article(1), make_article(2, language="en"), make_article(3, language="other"),
                make_article(4, published_at=None)]
    load_batch(con, run_id="run1", articles=articles, extractions=[make_extraction(a) for a in articles[:2]])
    resolve_warehouse(con)   # the events views need events
    feed = Feed(url="https://example.test/feed.xml", name="Example")
    record_feed_result(con, run_id="run1", feed=feed, counts=FeedCounts(articles_new=4), parsed=None,
                       fetch=FetchResult(feed_url=feed.url, status="failed", error="HTTP 500"))
    finish_run(con, "run1", status="completed", counts={"feeds_total": 1, "feeds_failed": 1, "articles_new": 4})
    con.close()
    return path


def test_expected_views_exist():
    assert {"v_meetings", "v_institution_mentions_weekly", "v_mechanisms", "v_feed_health", "v_runs",
            "v_articles_by_language"} <= set(VIEWS)


@pytest.mark.parametrize("view", VIEWS)
def test_view_returns_rows(tiny, view):
    con = duckdb.connect(str(tiny), read_only=True)  # as an analyst would, plain duckdb
    assert con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] > 0


@pytest.mark.parametrize("name, sql", QUERIES, ids=[name for name, _ in QUERIES])
def test_query_runs_and_returns_rows(tiny, name, sql):
    con = duckdb.connect(str(tiny), read_only=True)
    assert con.execute(sql).fetchall(), name


def test_view_contents(tiny):
    con = open_warehouse(tiny, read_only=True)
    meeting = con.execute("SELECT participants, participants_typed[1].participant_type, article_title, location "
                          "FROM v_meetings WHERE article_id = 'a0001'").fetchone()
    assert meeting == (["ООН", "Россия"], "institution", "Новость 1", "Москва")
    weekly = con.execute("SELECT name, week_start, iso_week, mentions, articles FROM v_institution_mentions_weekly "
                         "ORDER BY week_start").fetchall()
    assert [w[1:] for w in weekly] == [(datetime(2024, 4, 29).date(), 18, 2, 2)]  # 2 and 3 May: one ISO week
    assert con.execute("SELECT published_date, proposer FROM v_mechanisms ORDER BY article_id").fetchall()[0] == (
        datetime(2024, 5, 2, tzinfo=UTC).date(), "ООН")
    assert con.execute("SELECT health, consecutive_failures, last_error FROM v_feed_health").fetchone() == (
        "never_ok", 1, "HTTP 500")
    assert con.execute("SELECT status, articles_new, feeds_failed FROM v_runs").fetchone() == ("completed", 4, 1)
    by_language = con.execute("SELECT language, sum(articles) FROM v_articles_by_language GROUP BY ALL "
                              "ORDER BY language").fetchall()
    assert by_language == [("en", 1), ("other", 1), ("ru", 2)]


def test_views_do_not_depend_on_session_timezone(tiny):
    con = duckdb.connect(str(tiny), read_only=True)
    utc = con.execute("SELECT * FROM v_articles_by_language").fetchall()
    con.execute("SET TimeZone = 'Pacific/Kiritimati'")
    assert con.execute("SELECT * FROM v_articles_by_language").fetchall() == utc
