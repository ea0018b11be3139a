"""Feed and run bookkeeping: conditional-GET state, consecutive failures, one row per feed per run."""
from __future__ import annotations

import pytest

from schemas import Feed, FeedItem, FetchResult, ParsedFeed
from warehouse import (
    FeedCounts,
    LoadError,
    abandon_stale_runs,
    feed_states,
    finish_run,
    insert_rejects,
    open_warehouse,
    record_feed_result,
    start_run,
)
from warehouse.testing import duplicate_keys, make_reject

FEED = Feed(url="https://example.test/rss", name="Example", language="ru")


@pytest.fixture
def con(tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    yield con
    con.close()


def ok(etag="e1", modified="Mon, 01 Jan 2024 00:00:00 GMT"):
    return FetchResult(feed_url=FEED.url, status="ok", http_status=200, content=b"<rss/>", etag=etag,
                       last_modified=modified, elapsed_ms=12)


def not_modified():
    return FetchResult(feed_url=FEED.url, status="not_modified", http_status=304)


def failed(error="HTTP 503"):
    return FetchResult(feed_url=FEED.url, status="failed", http_status=503, error=error, transient=True)


PARSED = ParsedFeed(feed_url=FEED.url, items=(FeedItem(guid="1"), FeedItem(guid="2")))


def record(con, run_id, fetch, parsed=None, counts=None):
    record_feed_result(con, run_id=run_id, feed=FEED, fetch=fetch, parsed=parsed, counts=counts or FeedCounts())
    return feed_states(con)[FEED.url]


def test_etag_on_ok_kept_on_304_and_failures_counted(con):
    state = record(con, "r1", ok(), PARSED, FeedCounts(items=2, articles_new=2))
    assert (state.etag, state.last_modified, state.error_count, state.last_status) == (
        "e1", "Mon, 01 Jan 2024 00:00:00 GMT", 0, "ok")
    state = record(con, "r2", not_modified())
    assert (state.etag, state.error_count, state.last_status) == ("e1", 0, "not_modified")
    state = record(con, "r3", failed())
    assert (state.etag, state.error_count, state.last_error) == ("e1", 1, "HTTP 503")
    state = record(con, "r4", failed("timeout"))
    assert (state.error_count, state.last_error, state.last_status) == (2, "timeout", "failed")
    ok_at = state.last_ok_at
    assert ok_at is not None
    state = record(con, "r5", not_modified())
    assert (state.error_count, state.last_error) == (0, None)
    assert state.last_ok_at > ok_at
    state = record(con, "r6", failed())
    state = record(con, "r7", ok(etag="e2", modified=None), PARSED)
    assert (state.etag, state.last_modified, state.error_count) == ("e2", None, 0)
    rows = con.execute("SELECT run_id, status, http_status, items, error FROM feed_runs ORDER BY run_id").fetchall()
    assert rows == [("r1", "ok", 200, 2, None), ("r2", "not_modified", 304, 0, None),
                    ("r3", "failed", 503, 0, "HTTP 503"), ("r4", "failed", 503, 0, "timeout"),
                    ("r5", "not_modified", 304, 0, None), ("r6", "failed", 503, 0, "HTTP 503"),
                    ("r7", "ok", 200, 2, None)]
    assert con.execute("SELECT name, language, items_seen FROM feeds").fetchall() == [("Example", "ru", 2)]


def test_idempotent_per_run_and_feed(con):
    record(con, "r1", failed())
    state = record(con, "r1", failed())
    assert state.error_count == 1
    assert con.execute("SELECT count(*) FROM feed_runs").fetchone() == (1,)
    state = record(con, "r2", failed())
    assert state.error_count == 2
    state = record(con, "r2", ok(), PARSED, FeedCounts(articles_new=2))
    assert state.error_count == 0
    assert con.execute("SELECT status, articles_new FROM feed_runs WHERE run_id = 'r2'").fetchone() == ("ok", 2)
    assert duplicate_keys(con) == {}


def test_parse_error_recorded_on_ok_fetch(con):
    parsed = PARSED.model_copy(update={"error": "mismatched tag at line 7"})
    state = record(con, "r1", ok(), parsed)
    assert (state.error_count, state.last_error) == (0, "mismatched tag at line 7")


def test_runs_lifecycle(con):
    start_run(con, run_id="run1", flow_run_id="flow-abc")
    row = con.execute("SELECT status, finished_at, flow_run_id FROM runs").fetchone()
    assert row == ("running", None, "flow-abc")
    finish_run(con, "run1", status="completed", counts={"feeds_total": 3, "feeds_failed": 1, "articles_new": 5})
    row = con.execute("SELECT status, feeds_total, feeds_failed, articles_new, feeds_ok, finished_at >= started_at "
                      "FROM runs").fetchone()
    assert row == ("completed", 3, 1, 5, 0, True)
    start_run(con, run_id="run2", flow_run_id=None)
    finish_run(con, "run2", status="failed", counts={}, error="warehouse locked")
    assert con.execute("SELECT status, error FROM runs WHERE run_id = 'run2'").fetchone() == (
        "failed", "warehouse locked")
    with pytest.raises(ValueError, match="unknown run counts"):
        finish_run(con, "run1", status="completed", counts={"nope": 1})
    with pytest.raises(ValueError, match="run status"):
        finish_run(con, "run1", status="done", counts={})
    with pytest.raises(LoadError, match="never started"):
        finish_run(con, "ghost", status="completed", counts={})


def test_abandon_stale_runs_closes_other_running_rows(tmp_path):
    path = tmp_path / "w.duckdb"
    con = open_warehouse(path)
    for run_id in ("old-a", "old-b", "done", "broke"):
        start_run(con, run_id=run_id, flow_run_id=None)
    finish_run(con, "done", status="completed", counts={"articles_new": 2})
    finish_run(con, "broke", status="failed", counts={}, error="boom")
    con.execute("UPDATE runs SET articles_new = 7 WHERE run_id = 'old-b'")  # counts it had reached stay
    con.close()                                    # as a SIGKILL leaves the file: rows still 'running'

    con = open_warehouse(path)
    try:
        start_run(con, run_id="new", flow_run_id=None)
        assert abandon_stale_runs(con, current_run_id="new") == ["old-a", "old-b"]
        rows = dict((r[0], r[1:]) for r in con.execute(
            "SELECT run_id, status, error, finished_at IS NOT NULL AND finished_at >= started_at, articles_new "
            "FROM runs").fetchall())
        abandoned = "abandoned: the process ended without finishing (found by run new)"
        assert rows == {"old-a": ("failed", abandoned, True, 0), "old-b": ("failed", abandoned, True, 7),
                        "done": ("completed", None, True, 2), "broke": ("failed", "boom", True, 0),
                        "new": ("running", None, False, 0)}
        assert abandon_stale_runs(con, current_run_id="new") == []  # nothing left; the caller's own row stays
        assert con.execute("SELECT status FROM runs WHERE run_id = 'new'").fetchone() == ("running",)
    finally:
        con.close()


def test_insert_rejects_outside_a_batch(con):
    assert insert_rejects(con, [make_reject(1), make_reject(2), make_reject(1)], "run1") == 2
    assert insert_rejects(con, [make_reject(1)], "run2") == 0
    assert con.execute("SELECT reject_id, stage, run_id FROM rejects ORDER BY reject_id").fetchall() == [
        ("r1", "parse", "run1"), ("r2", "parse", "run1")]


def _snapshot(con):
    feeds = con.execute("SELECT * EXCLUDE (last_fetched_at, last_ok_at) FROM feeds ORDER BY feed_url").fetchall()
    runs = con.execute("SELECT * EXCLUDE (recorded_at) FROM feed_runs ORDER BY run_id, feed_url").fetchall()
    return feeds, runs


def test_many_feeds_in_one_call_are_recorded_as_one_at_a_time(tmp_path):
    from warehouse import FeedResult, record_feed_results

    others = [Feed(url=f"https://example.test/{i}.xml", name=f"feed {i}") for i in range(5)]
    fetches = [ok(etag=f"e{i}") if i % 3 == 0 else not_modified() if i % 3 == 1 else failed() for i in range(5)]
    fetches = [f.model_copy(update={"feed_url": feed.url}) for f, feed in zip(fetches, others, strict=True)]
    one, batch = open_warehouse(tmp_path / "one.duckdb"), open_warehouse(tmp_path / "batch.duckdb")
    try:
        for run in ("r1", "r2", "r2"):          # r2 twice: a failure is counted once per run
            for feed, fetch in zip(others, fetches, strict=True):
                record_feed_result(one, run_id=run, feed=feed, fetch=fetch, parsed=None, counts=FeedCounts(items=2))
            record_feed_results(batch, run_id=run, results=[
                FeedResult(feed, fetch, None, FeedCounts(items=2)) for feed, fetch in zip(others, fetches, strict=True)])
        assert _snapshot(batch) == _snapshot(one)
        states = feed_states(batch)
        assert states[others[2].url].error_count == 2 and states[others[0].url].etag == "e0"
    finally:
        one.close()
        batch.close()


def test_a_feed_given_twice_in_one_call_is_recorded_as_its_last_result(con):
    from warehouse import FeedResult, record_feed_results

    record_feed_results(con, run_id="r1", results=[FeedResult(FEED, failed(), None, FeedCounts()),
                                                   FeedResult(FEED, ok(etag="e9"), None, FeedCounts(items=1))])
    state = feed_states(con)[FEED.url]
    assert (state.etag, state.error_count, state.last_status) == ("e9", 0, "ok")
    assert con.execute("SELECT count(*) FROM feed_runs").fetchone()[0] == 1
