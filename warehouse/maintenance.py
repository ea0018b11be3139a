"""Housekeeping of the warehouse: checkpoint, prune old run bookkeeping and article versions, list feeds that keep failing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class FailingFeed:
    feed_url: str
    name: str
    error_count: int
    last_error: str | None
    last_ok_at: datetime | None


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold DuckDB's write-ahead log into the file (a clean file to copy or back up)."""
    con.execute("CHECKPOINT")


def prune_runs(con: duckdb.DuckDBPyConnection, *, before: datetime) -> tuple[int, int]:
    """Delete finished runs started before `before` and their feed_runs; returns (runs, feed_runs) deleted.

    Articles, records and rejects are data and stay.
    """
    feed_runs = con.execute(
        "DELETE FROM feed_runs WHERE recorded_at < ? OR run_id IN "
        "(SELECT run_id FROM runs WHERE started_at < ? AND status <> 'running')", [before, before]).fetchone()[0]
    runs = con.execute("DELETE FROM runs WHERE started_at < ? AND status <> 'running'", [before]).fetchone()[0]
    return int(runs), int(feed_runs)


def prune_revisions(con: duckdb.DuckDBPyConnection, *, keep: int, before: datetime) -> int:
    """Delete old versions of articles; returns how many were deleted.

    Of each article's earlier versions (article_revisions) the newest `keep` stay, and of those
    only the ones replaced at or after `before`. The current version (articles) always stays.
    """
    if keep < 0:
        raise ValueError(f"keep must be 0 or more, got {keep}")
    deleted = con.execute(
        "DELETE FROM article_revisions WHERE (article_id, revision) IN ("
        "  SELECT article_id, revision FROM ("
        "    SELECT article_id, revision, replaced_at, "
        "           row_number() OVER (PARTITION BY article_id ORDER BY revision DESC) AS newer"
        "    FROM article_revisions)"
        "  WHERE newer > ? OR replaced_at < ?)", [keep, before]).fetchone()
    return int(deleted[0]) if deleted else 0


def failing_feeds(con: duckdb.DuckDBPyConnection, *, min_errors: int) -> list[FailingFeed]:
    """Feeds whose consecutive failed fetches reached `min_errors`, worst first."""
    rows = con.execute("SELECT feed_url, name, error_count, last_error, last_ok_at FROM feeds "
                       "WHERE error_count >= ? ORDER BY error_count DESC, feed_url", [min_errors]).fetchall()
    return [FailingFeed(*row) for row in rows]
