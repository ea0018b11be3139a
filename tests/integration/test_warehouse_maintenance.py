"""Housekeeping on a real DuckDB file: pruning keeps data and recent runs, failing feeds are listed."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas import Feed, FetchResult, FetchStatus
from warehouse import FeedCounts, connect, finish_run, migrate, record_feed_result, start_run
from warehouse.maintenance import checkpoint, failing_feeds, prune_runs


def test_prune_checkpoint_and_failing_feeds(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    ok = Feed(url="https://ok.example/rss", name="ok")
    bad = Feed(url="https://bad.example/rss", name="bad")
    for run_id in ("old", "new"):
        start_run(con, run_id=run_id, flow_run_id=None)
        record_feed_result(con, run_id=run_id, feed=ok, fetch=FetchResult(
            feed_url=ok.url, status=FetchStatus.OK, content=b"", http_status=200), parsed=None, counts=FeedCounts())
        record_feed_result(con, run_id=run_id, feed=bad, fetch=FetchResult(
            feed_url=bad.url, status=FetchStatus.FAILED, error="HTTP 500", http_status=500), parsed=None,
            counts=FeedCounts())
        finish_run(con, run_id, status="completed", counts={})
    long_ago = datetime.now(UTC) - timedelta(days=90)
    con.execute("UPDATE runs SET started_at = ? WHERE run_id = 'old'", [long_ago])
    con.execute("UPDATE feed_runs SET recorded_at = ? WHERE run_id = 'old'", [long_ago])

    assert prune_runs(con, before=datetime.now(UTC) - timedelta(days=30)) == (1, 2)
    assert [r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()] == ["new"]
    assert con.execute("SELECT count(*) FROM feed_runs WHERE run_id = 'new'").fetchone()[0] == 2

    failing = failing_feeds(con, min_errors=2)
    assert [(f.feed_url, f.error_count, f.last_error) for f in failing] == [(bad.url, 2, "HTTP 500")]
    assert failing_feeds(con, min_errors=3) == []
    checkpoint(con)
    con.close()
