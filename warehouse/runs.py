"""Run bookkeeping: one row per flow run, opened by start_run and closed by finish_run.

A run killed before finish_run (SIGKILL, power loss) leaves its row 'running'; the next run,
holding the writer slot, closes such rows with abandon_stale_runs.
"""
from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from warehouse.errors import LoadError

RUN_STATUSES = ("running", "completed", "failed")
RUN_COUNTS = (
    "feeds_total", "feeds_ok", "feeds_not_modified", "feeds_failed",
    "articles_new", "articles_updated", "articles_unchanged",
    "records_institution_mentions", "records_meetings", "records_mechanisms", "rejects",
)


def start_run(con: duckdb.DuckDBPyConnection, *, run_id: str, flow_run_id: str | None,
              kind: str = "ingest") -> None:
    """Open a run (status 'running') of `kind` (ingest or reprocess). Starting the same run_id again reopens it."""
    if kind not in ("ingest", "reprocess"):
        raise ValueError(f"run {run_id}: kind {kind!r} is neither 'ingest' nor 'reprocess'")
    try:
        con.execute(
            "INSERT INTO runs (run_id, started_at, status, flow_run_id, kind) VALUES (?, ?, 'running', ?, ?) "
            "ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL, error = NULL, "
            "flow_run_id = coalesce(excluded.flow_run_id, runs.flow_run_id)",
            [run_id, datetime.now(UTC), flow_run_id, kind],
        )
    except duckdb.Error as e:
        raise LoadError(f"run {run_id} could not be started: {' '.join(str(e).split())}") from e


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    status: str,
    counts: dict[str, int],
    error: str | None = None,
) -> None:
    """Close a run with its final status ('completed' or 'failed'), counts and error.

    `counts` keys are columns of RUN_COUNTS; missing ones keep their value (0 by default).
    """
    if status not in RUN_STATUSES:
        raise ValueError(f"run status must be one of {RUN_STATUSES}, got {status!r}")
    unknown = sorted(set(counts) - set(RUN_COUNTS))
    if unknown:
        raise ValueError(f"unknown run counts {unknown}; expected keys among {RUN_COUNTS}")
    columns = [c for c in RUN_COUNTS if c in counts]  # identifiers from the fixed list above
    assignments = "".join(f", {c} = ?" for c in columns)
    try:
        updated = con.execute(
            f"UPDATE runs SET status = ?, finished_at = ?, error = ?{assignments} WHERE run_id = ?",
            [status, datetime.now(UTC), error, *(int(counts[c]) for c in columns), run_id],
        ).fetchone()
    except duckdb.Error as e:
        raise LoadError(f"run {run_id} could not be finished: {' '.join(str(e).split())}") from e
    if not updated or updated[0] == 0:
        raise LoadError(f"run {run_id} was never started (no row in runs)")


ABANDONED = "abandoned: the process ended without finishing (found by run {run_id})"


def abandon_stale_runs(con: duckdb.DuckDBPyConnection, *, current_run_id: str) -> list[str]:
    """Mark every 'running' run other than `current_run_id` 'failed' (error ABANDONED, finished now).

    Only the holder of the warehouse's writer slot may call this: the slot guarantees that no
    other run is writing, so another 'running' row belongs to a run whose process ended without
    finish_run. Returns the run_ids so marked, oldest first.
    """
    try:
        rows = con.execute(
            "UPDATE runs SET status = 'failed', finished_at = ?, error = ? "
            "WHERE status = 'running' AND run_id <> ? RETURNING run_id, started_at",
            [datetime.now(UTC), ABANDONED.format(run_id=current_run_id), current_run_id],
        ).fetchall()
    except duckdb.Error as e:
        raise LoadError(f"run {current_run_id} could not close abandoned runs: {' '.join(str(e).split())}") from e
    return [run_id for run_id, _ in sorted(rows, key=lambda r: (r[1], r[0]))]
