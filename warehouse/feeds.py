"""Feed bookkeeping: conditional-GET state per feed and one row per feed per run.

Per-feed failures are data: a failed fetch increments ``feeds.error_count`` (consecutive
failures) and sets ``last_error``; an ok or not-modified fetch resets it. ETag and
Last-Modified change only on an ok fetch, so a 304 or a failure keeps them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from schemas import Feed, FetchResult, FetchStatus, ParsedFeed
from warehouse.db import transaction
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


def record_feed_result(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    feed: Feed,
    fetch: FetchResult,
    parsed: ParsedFeed | None,
    counts: FeedCounts,
) -> None:
    """Update `feeds` and upsert `feed_runs` for one fetch, in one transaction.

    Idempotent per (run_id, feed_url): recording the same run and feed again replaces
    the feed_runs row and does not count a failure twice.
    """
    now = datetime.now(UTC)
    status = FetchStatus(fetch.status)
    ok = status is FetchStatus.OK
    failed = status is FetchStatus.FAILED
    error = fetch.error or (parsed.error if parsed is not None else None)
    declared = parsed.language if parsed is not None else None
    hint = feed.language.value if feed.language else _language_of(declared)
    items = counts.items or (len(parsed.items) if parsed is not None else 0)  # the flow passes parsed without items
    try:
        with transaction(con):
            previous = con.execute(
                "SELECT status FROM feed_runs WHERE run_id = ? AND feed_url = ?", [run_id, feed.url]
            ).fetchone()
            counted_already = previous is not None and previous[0] == FetchStatus.FAILED.value
            con.execute(
                "INSERT INTO feeds (feed_url, name, language) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [feed.url, feed.name, hint],
            )
            con.execute(
                """
                UPDATE feeds SET
                    name = ?, language = coalesce(?, language), declared_language = coalesce(?, declared_language),
                    etag = CASE WHEN ? THEN ? ELSE etag END,
                    last_modified = CASE WHEN ? THEN ? ELSE last_modified END,
                    last_status = ?, last_http_status = ?, last_fetched_at = ?,
                    last_ok_at = CASE WHEN ? THEN last_ok_at ELSE ? END,
                    error_count = CASE WHEN NOT ? THEN 0 WHEN ? THEN error_count ELSE error_count + 1 END,
                    last_error = ?,
                    items_seen = CASE WHEN ? THEN ? ELSE items_seen END
                WHERE feed_url = ?
                """,
                [feed.name, hint, declared,
                 ok, fetch.etag, ok, fetch.last_modified,
                 status.value, fetch.http_status, now,
                 failed, now,
                 failed, counted_already,
                 error,
                 ok, items,
                 feed.url],
            )
            con.execute(
                """
                INSERT INTO feed_runs (run_id, feed_url, status, http_status, items, articles_new,
                    articles_updated, articles_unchanged, error, elapsed_ms, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, feed_url) DO UPDATE SET
                    status = excluded.status, http_status = excluded.http_status, items = excluded.items,
                    articles_new = excluded.articles_new, articles_updated = excluded.articles_updated,
                    articles_unchanged = excluded.articles_unchanged, error = excluded.error,
                    elapsed_ms = excluded.elapsed_ms, recorded_at = excluded.recorded_at
                """,
                [run_id, feed.url, status.value, fetch.http_status, items, counts.articles_new,
                 counts.articles_updated, counts.articles_unchanged, error, fetch.elapsed_ms, now],
            )
    except duckdb.Error as e:
        raise LoadError(f"feed result of {feed.url} (run {run_id}) could not be stored: "
                        f"{' '.join(str(e).split())}") from e
