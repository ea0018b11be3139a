"""Housekeeping of the warehouse: checkpoint, prune old run bookkeeping, list feeds that keep failing."""
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


def failing_feeds(con: duckdb.DuckDBPyConnection, *, min_errors: int) -> list[FailingFeed]:
    """Feeds whose consecutive failed fetches reached `min_errors`, worst first."""
    rows = con.execute("SELECT feed_url, name, error_count, last_error, last_ok_at FROM feeds "
                       "WHERE error_count >= ? ORDER BY error_count DESC, feed_url", [min_errors]).fetchall()
    return [FailingFeed(*row) for row in rows]
