"""Rejects: records and articles that failed, kept with their error and input."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import duckdb

from schemas import Reject, stable_id
from warehouse.arrow import STR, TS, ids, schema, table
from warehouse.db import arrow_view, transaction
from warehouse.errors import LoadError

REJECTS = schema(("reject_id", STR), ("article_id", STR), ("feed_url", STR), ("stage", STR),
                 ("record_type", STR), ("error", STR), ("payload", STR), ("extractor_version", STR),
                 ("rejected_at", TS), ("run_id", STR))
_COLUMNS = ", ".join(REJECTS.names)


def write_rejects(con: duckdb.DuckDBPyConnection, rejects: Iterable[Reject], run_id: str | None) -> int:
    """Insert rejects not stored yet (by reject_id; the first of duplicates is kept). No transaction."""
    unique: dict[str, Reject] = {}
    for r in rejects:
        unique.setdefault(r.reject_id, r)
    if not unique:
        return 0
    rows = ((r.reject_id, r.article_id, r.feed_url, r.stage, r.record_type, r.error, r.payload,
             r.extractor_version, r.rejected_at, run_id) for r in unique.values())
    with arrow_view(con, table(REJECTS, rows), "rejects") as src:
        inserted = con.execute(
            f"INSERT INTO rejects ({_COLUMNS}) SELECT {_COLUMNS} FROM {src} "
            "WHERE reject_id NOT IN (SELECT reject_id FROM rejects)"
        ).fetchone()
    return int(inserted[0]) if inserted else 0


def gave_up_id(article_id: str) -> str:
    """The one 'gave up' reject an article can have (idempotent: later give-ups keep the first)."""
    return stable_id("extract", "gave-up", article_id)


def gave_up_reject(article_id: str, attempts: int, error: str, *, version: str | None, now: datetime) -> Reject:
    """The visible end of retrying: the article failed `attempts` times and waits for `eventwire reprocess`."""
    return Reject.of(
        reject_id=gave_up_id(article_id), article_id=article_id, stage="extract", record_type="Article",
        error=f"gave up after {attempts} failed extraction attempts (eventwire reprocess retries it); last: {error}",
        payload={"article_id": article_id, "attempts": attempts}, extractor_version=version, now=now)


def clear_gave_up(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> None:
    """Delete the 'gave up' rejects of these articles (extracted after all). No transaction."""
    wanted = [gave_up_id(a) for a in article_ids]
    if wanted:
        with arrow_view(con, ids(wanted, "reject_id"), "gave_up") as src:
            con.execute(f"DELETE FROM rejects WHERE reject_id IN (SELECT reject_id FROM {src})")


def insert_rejects(con: duckdb.DuckDBPyConnection, rejects: Iterable[Reject], run_id: str | None) -> int:
    """Store rejects outside a batch (e.g. the parse stage) in their own transaction.

    Idempotent by reject_id; returns how many were new.
    """
    try:
        with transaction(con):
            return write_rejects(con, rejects, run_id)
    except duckdb.Error as e:
        raise LoadError(f"rejects could not be stored: {' '.join(str(e).split())}") from e
