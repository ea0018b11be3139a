"""flows/artifacts.py: which artifacts a run publishes (a feed has one of its own only when it has news)."""
from __future__ import annotations

from flows.artifacts import has_news, run_artifacts
from flows.summary import FeedRow, RunSummary


def test_only_feeds_with_news_get_an_artifact_of_their_own():
    def row(url: str, status: str, new: int = 0) -> FeedRow:
        return FeedRow(name=url, url=url, status=status, http_status=None, items=0, articles_new=new,
                       articles_updated=0, articles_unchanged=0, error=None)
    assert has_news(row("a", "not_modified"), None)                 # first fetch
    assert has_news(row("a", "ok", new=2), "ok")                    # new articles
    assert has_news(row("a", "failed"), "ok") and has_news(row("a", "not_modified"), "failed")   # broke, recovered
    assert not has_news(row("a", "not_modified"), "ok") and not has_news(row("a", "ok"), "not_modified")
    summary = RunSummary(run_id="r", db_path="/tmp/w.duckdb")
    summary.feeds = [row("http://127.0.0.1/a.xml", "not_modified"), row("http://127.0.0.1/b.xml", "ok", new=1)]
    keys = [a.key for a in run_artifacts(summary, {f.url: "ok" for f in summary.feeds})]
    assert keys == ["eventwire-run-summary", "eventwire-feeds", "eventwire-feed-127-0-0-1-b-xml", "eventwire-warehouse"]
    assert len(run_artifacts(summary)) == 5                         # without the last statuses: every feed
