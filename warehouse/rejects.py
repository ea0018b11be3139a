"""Rejects: records and articles that failed, kept with their error and input."""
from __future__ import annotations

from collections.abc import Iterable

import duckdb

from schemas import Reject
from warehouse.arrow import STR, TS, schema, table
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


def insert_rejects(con: duckdb.DuckDBPyConnection, rejects: Iterable[Reject], run_id: str | None) -> int:
    """Store rejects outside a batch (e.g. the parse stage) in their own transaction.

    Idempotent by reject_id; returns how many were new.
    """
    try:
        with transaction(con):
            return write_rejects(con, rejects, run_id)
    except duckdb.Error as e:
        raise LoadError(f"rejects could not be stored: {' '.join(str(e).split())}") from e
