"""Feed bookkeeping: conditional-GET state per feed and one row per feed per run.

Per-feed failures are data: a failed fetch increments ``feeds.error_count`` (consecutive
failures) and sets ``last_error``; an ok or not-modified fetch resets it. ETag and
Last-Modified change only on an ok fetch, so a 304 or a failure keeps them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from schemas import Feed, FetchResult, FetchStatus, ParsedFeed
from warehouse.arrow import INT, STR, TS, schema, table
from warehouse.db import arrow_view, transaction
from warehouse.errors import LoadError


@dataclass(frozen=True)
class FeedState:
    """What the warehouse remembers of a feed (for conditional GETs and back-off)."""
    feed_url: str
    etag: str | None = None
    last_modified: str | None = None
    error_count: int = 0
    last_status: str | None = None
    last_error: str | None = None
    last_fetched_at: datetime | None = None
    last_ok_at: datetime | None = None


@dataclass(frozen=True)
class FeedCounts:
    """What one feed contributed to a run."""
    items: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0


def feed_states(con: duckdb.DuckDBPyConnection) -> dict[str, FeedState]:
    """feed_url -> FeedState for every feed ever recorded."""
    cursor = con.execute(
        "SELECT feed_url, etag, last_modified, error_count, last_status, last_error, "
        "last_fetched_at, last_ok_at FROM feeds ORDER BY feed_url")
    return {row[0]: FeedState(*row) for row in cursor.fetchall()}


def _language_of(declared: str | None) -> str | None:
    """ru, en or other from a declared language tag ("ru-ru" -> ru); None when none is declared."""
    if not declared:
        return None
    primary = declared.split("-")[0]
    return primary if primary in ("ru", "en") else "other"


@dataclass(frozen=True)
class FeedResult:
    """One feed's fetch in a run, as `record_feed_results` stores it."""
    feed: Feed
    fetch: FetchResult
    parsed: ParsedFeed | None
    counts: FeedCounts


RESULTS = schema(("feed_url", STR), ("name", STR), ("hint", STR), ("declared", STR), ("ok", pa.bool_()),
                 ("failed", pa.bool_()), ("etag", STR), ("last_modified", STR), ("status", STR),
                 ("http_status", INT), ("items", INT), ("articles_new", INT), ("articles_updated", INT),
                 ("articles_unchanged", INT), ("error", STR), ("elapsed_ms", INT), ("now", TS))


def record_feed_result(con: duckdb.DuckDBPyConnection, *, run_id: str, feed: Feed, fetch: FetchResult,
                       parsed: ParsedFeed | None, counts: FeedCounts) -> None:
    """`record_feed_results` for one feed."""
    record_feed_results(con, run_id=run_id, results=[FeedResult(feed, fetch, parsed, counts)])


def _result_row(r: FeedResult, now: datetime) -> tuple:
    status = FetchStatus(r.fetch.status)
    error = r.fetch.error or (r.parsed.error if r.parsed is not None else None)
    declared = r.parsed.language if r.parsed is not None else None
    hint = r.feed.language.value if r.feed.language else _language_of(declared)
    items = r.counts.items or (len(r.parsed.items) if r.parsed is not None else 0)  # the flow passes parsed without items
    return (r.feed.url, r.feed.name, hint, declared, status is FetchStatus.OK, status is FetchStatus.FAILED,
            r.fetch.etag, r.fetch.last_modified, status.value, r.fetch.http_status, items, r.counts.articles_new,
            r.counts.articles_updated, r.counts.articles_unchanged, error, r.fetch.elapsed_ms, now)


def record_feed_results(con: duckdb.DuckDBPyConnection, *, run_id: str, results: Sequence[FeedResult]) -> None:
    """Update `feeds` and upsert `feed_runs` for the feeds' fetches, in one transaction and a few
    statements whatever their number (200 feeds: 20 ms where a statement per feed took 2.6 s).

    Idempotent per (run_id, feed_url): recording the same run and feed again replaces the
    feed_runs row and does not count a failure twice. A feed given twice is recorded as its
    last result.
    """
    if not results:
        return
    now = datetime.now(UTC)
    last = {r.feed.url: r for r in results}
    try:
        with transaction(con), arrow_view(con, table(RESULTS, (_result_row(r, now) for r in last.values())),
                                          "feed_results") as src:
            con.execute(f"INSERT INTO feeds (feed_url, name, language) SELECT feed_url, name, hint FROM {src} "
                        "ON CONFLICT DO NOTHING")
            con.execute(
                f"""
                UPDATE feeds SET
                    name = s.name, language = coalesce(s.hint, feeds.language),
                    declared_language = coalesce(s.declared, feeds.declared_language),
                    etag = CASE WHEN s.ok THEN s.etag ELSE feeds.etag END,
                    last_modified = CASE WHEN s.ok THEN s.last_modified ELSE feeds.last_modified END,
                    last_status = s.status, last_http_status = s.http_status, last_fetched_at = s.now,
                    last_ok_at = CASE WHEN s.failed THEN feeds.last_ok_at ELSE s.now END,
                    error_count = CASE WHEN NOT s.failed THEN 0 WHEN s.counted_already THEN feeds.error_count
                                       ELSE feeds.error_count + 1 END,
                    last_error = s.error,
                    items_seen = CASE WHEN s.ok THEN s.items ELSE feeds.items_seen END
                FROM (SELECT r.*, coalesce(p.status = 'failed', false) AS counted_already FROM {src} AS r
                      LEFT JOIN feed_runs AS p ON p.run_id = ? AND p.feed_url = r.feed_url) AS s
                WHERE feeds.feed_url = s.feed_url
                """, [run_id])
            con.execute(
                f"""
                INSERT INTO feed_runs (run_id, feed_url, status, http_status, items, articles_new,
                    articles_updated, articles_unchanged, error, elapsed_ms, recorded_at)
                SELECT ?, feed_url, status, http_status, items, articles_new, articles_updated,
                    articles_unchanged, error, elapsed_ms, now FROM {src}
                ON CONFLICT (run_id, feed_url) DO UPDATE SET
                    status = excluded.status, http_status = excluded.http_status, items = excluded.items,
                    articles_new = excluded.articles_new, articles_updated = excluded.articles_updated,
                    articles_unchanged = excluded.articles_unchanged, error = excluded.error,
                    elapsed_ms = excluded.elapsed_ms, recorded_at = excluded.recorded_at
                """, [run_id])
    except duckdb.Error as e:
        which = results[0].feed.url if len(last) == 1 else f"{len(last)} feeds"
        raise LoadError(f"feed result of {which} (run {run_id}) could not be stored: "
                        f"{' '.join(str(e).split())}") from e
