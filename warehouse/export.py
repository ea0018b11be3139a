"""Export the warehouse as files that DuckDB, Polars and pandas open directly (`eventwire export`).

What is written: every table of the warehouse except internal bookkeeping (INTERNAL_TABLES:
``schema_migrations``, the applied migrations, and ``article_revisions``, superseded bodies of changed
articles), that is articles, article_feeds, institutions, institution_aliases, institution_mentions,
meetings, meeting_participants, mechanisms, events, reports, entities, rejects, feeds, runs and feed_runs;
and every view (warehouse/views/*.sql). Both are read from DuckDB's catalog (``export/relations.sql``),
so a table a later migration adds, or a new view, is exported without a change here.

Layout under OUT (each name a table or view):

- Parquet, rows that grow with time: ``OUT/<name>/month=YYYY-MM/data_0.parquet`` (Hive partitioning,
  the month in UTC; rows without one are under ``month=__HIVE_DEFAULT_PARTITION__`` and read back
  as NULL). When no row is in range: ``OUT/<name>/data_0.parquet`` without rows, so readers still see
  the columns (and ``month``).
- Parquet, everything else (dimensions, aggregate views): ``OUT/<name>.parquet``.
- CSV: ``OUT/<name>.csv`` with a header; nested columns (lists, structs) as JSON text, instants as
  ``YYYY-MM-DD HH:MM:SS+00``.

Read back with ``read_parquet('OUT/meetings/*/*.parquet', hive_partitioning = true)`` (DuckDB),
``pl.scan_parquet('OUT/meetings/', hive_partitioning=True)`` (Polars), ``pd.read_parquet('OUT/meetings')``.

Which rows grow with time, their month and the --since rule: a table or view is tied to time by the
first of these key columns it has (LINKS; the rules themselves are ``export/scopes.sql``):

    reject_id     rejects: by rejected_at
    article_id    articles: by publication (published_at, else first_seen_at); records follow their article
    meeting_id    meetings (meeting_participants): by their article
    mechanism_id  mechanisms: by their article
    event_id      events: month of first_seen_at (else start_date); in range when last_seen_at (else
                  start_date) is on or after --since
    run_id        runs and feed_runs: by started_at

With ``since`` only rows whose day (UTC) is on or after it are written: articles published (or first seen,
when undated) on or after it and every record of those articles, events still seen on or after it, runs
started and rejects made on or after it. A record whose article is gone has no month and is written only
without ``since``. Tables and views with none of these columns (feeds, institutions, entities,
v_feed_health, v_articles_by_language, ...) are small dimensions or aggregates: one file, always whole.

Determinism: rows are ordered by the primary key (else by all columns), partitioned files by month first;
the partitioned COPY runs on one thread (several threads interleave rows in DuckDB's partitioned writer,
which is restored afterwards), so the same data and DuckDB give byte-identical files.

Replacement: everything is written to a staging directory ``OUT/.eventwire-export-*`` first, then each
table's file or directory replaces the previous one (also the other Parquet form, so no stale partitions
remain). A failure before that leaves the previous export as it was; the staging directory is removed.
Only OUT is written to (DuckDB may spill a large sort beside the warehouse file, as it always does).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseError

FORMATS = ("parquet", "csv")
INTERNAL_TABLES = frozenset({"schema_migrations", "article_revisions"})
PARTITION = "month"  # the column the Parquet files are partitioned by

# key column -> its scope (export/scopes.sql), in order of precedence: a constant JOIN per link
LINKS: dict[str, str] = {
    "reject_id": "LEFT JOIN _ew_export_rejects AS s ON s.reject_id = t.reject_id",
    "article_id": "LEFT JOIN _ew_export_articles AS s ON s.article_id = t.article_id",
    "meeting_id": "LEFT JOIN _ew_export_meetings AS s ON s.meeting_id = t.meeting_id",
    "mechanism_id": "LEFT JOIN _ew_export_mechanisms AS s ON s.mechanism_id = t.mechanism_id",
    "event_id": "LEFT JOIN _ew_export_events AS s ON s.event_id = t.event_id",
    "run_id": "LEFT JOIN _ew_export_runs AS s ON s.run_id = t.run_id",
}
# rows without a scope row (a record whose article is gone) only when there is no --since
_IN_RANGE = "WHERE coalesce(s.keep, getvariable('eventwire_export_since') IS NULL)"
_SCOPES = ("_ew_export_rejects", "_ew_export_runs", "_ew_export_events", "_ew_export_mechanisms",
           "_ew_export_meetings", "_ew_export_articles")   # dependents first, to drop them
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")   # a name that is safe as a file name


@dataclass(frozen=True)
class Relation:
    """A table or view of the warehouse, as the catalog describes it."""
    name: str
    kind: str                                # table | view
    columns: tuple[tuple[str, bool], ...]    # (name, nested) in order
    key: tuple[str, ...]                     # primary key columns; () for views

    @property
    def link(self) -> str | None:
        """The key column that ties its rows to time (LINKS), or None."""
        names = {column for column, _ in self.columns}
        return next((column for column in LINKS if column in names), None)

    @property
    def partitioned(self) -> bool:
        return self.link is not None and PARTITION not in {column for column, _ in self.columns}


@dataclass(frozen=True)
class Written:
    relation: Relation
    rows: int
    months: int | None       # partitions written; None for a single file
    staged: Path             # file or directory in the staging directory
    replaces: tuple[str, ...]  # names under OUT this output replaces (the first is its own)


def export_warehouse(con: duckdb.DuckDBPyConnection, out: Path, *, fmt: str = "parquet",
                     since: date | None = None) -> list[str]:
    """Write every table and view of the warehouse on `con` under `out` (see the module docstring).

    Returns one line per table or view written ("meetings: 12 rows in 3 months -> out/meetings/").
    Raises ValueError for an unknown `fmt`, WarehouseError when `out` cannot be a directory to write in
    (naming it) or when DuckDB cannot write a table (naming the table; the previous export is kept).
    """
    if fmt not in FORMATS:
        raise ValueError(f"export format {fmt!r} is not one of {', '.join(FORMATS)}")
    out = Path(out)
    _prepare(out)
    relations = [r for r in _relations(con) if not (r.kind == "table" and r.name in INTERNAL_TABLES)]
    try:
        staging = Path(tempfile.mkdtemp(prefix=".eventwire-export-", dir=out.resolve()))
    except OSError as e:
        raise WarehouseError(f"cannot write in export directory {out}: {e.strerror or e}") from e
    try:
        with _scopes(con, since), _setting(con, "preserve_insertion_order", True):
            written = [_write(con, relation, staging, fmt) for relation in relations]
        for item in written:
            _swap(item, out, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [_line(item, out) for item in written]


def _prepare(out: Path) -> None:
    """Create `out` (and its parents) or check that it is a writable directory."""
    if out.exists() and not out.is_dir():
        raise WarehouseError(f"export directory {out} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WarehouseError(f"cannot create export directory {out}: {e.strerror or e}") from e
    if not os.access(out, os.W_OK | os.X_OK):
        raise WarehouseError(f"export directory {out} is not writable")


def _run_file(con: duckdb.DuckDBPyConnection, filename: str) -> duckdb.DuckDBPyConnection:
    sql = resources.files("warehouse").joinpath("export", filename).read_text(encoding="utf-8")
    return con.execute(sql)


def _relations(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    """The tables (first) and views of the warehouse, by name; only names that are safe as file names."""
    try:
        rows = _run_file(con, "relations.sql").fetchall()
    except duckdb.Error as e:
        raise WarehouseError(f"cannot list the warehouse's tables and views: {_one_line(e)}") from e
    return [Relation(name, kind, tuple((c["name"], c["nested"]) for c in columns), tuple(key))
            for name, kind, columns, key in rows if _PLAIN_NAME.match(name)]


@contextmanager
def _scopes(con: duckdb.DuckDBPyConnection, since: date | None) -> Iterator[None]:
    """The scope views of export/scopes.sql for the block, with `since` as their variable."""
    try:
        con.execute("SET VARIABLE eventwire_export_since = CAST(? AS DATE)", [since])
        _run_file(con, "scopes.sql")
    except duckdb.Error as e:
        _drop_scopes(con)
        raise WarehouseError(f"cannot export the warehouse: {_one_line(e)}") from e
    try:
        yield
    finally:
        _drop_scopes(con)


def _drop_scopes(con: duckdb.DuckDBPyConnection) -> None:
    for name in _SCOPES:
        con.execute(f"DROP VIEW IF EXISTS temp.main.{name}")
    con.execute("RESET VARIABLE eventwire_export_since")


@contextmanager
def _setting(con: duckdb.DuckDBPyConnection, name: str, value: object) -> Iterator[None]:
    """DuckDB setting `name` (threads, preserve_insertion_order) at `value` for the block, then as it was."""
    assert name in ("threads", "preserve_insertion_order"), name
    previous = con.execute("SELECT current_setting(?)", [name]).fetchone()[0]
    if previous == value:
        yield
        return
    con.execute(f"SET {name} = ?", [value])
    try:
        yield
    finally:
        con.execute(f"SET {name} = ?", [previous])


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _write(con: duckdb.DuckDBPyConnection, relation: Relation, staging: Path, fmt: str) -> Written:
    """COPY one table or view into `staging`: a partitioned directory, a Parquet file or a CSV file."""
    quoted = _quote(relation.name)  # a name read from the catalog
    link = f"{LINKS[relation.link]} {_IN_RANGE}" if relation.link else ""
    order = [f"t.{_quote(c)}" for c in relation.key] or [f"t.{_quote(c)}" for c, _ in relation.columns]
    plain = [f"t.{_quote(c)}" for c, _ in relation.columns]
    months = None
    try:
        if fmt == "csv":
            target = staging / f"{relation.name}.csv"
            columns = ", ".join(f"to_json(t.{_quote(c)}) AS {_quote(c)}" if nested else f"t.{_quote(c)}"
                                for c, nested in relation.columns)
            key = ", ".join(order)
            rows = con.execute(f"COPY (SELECT {columns} FROM {quoted} AS t {link} ORDER BY {key}) "
                               "TO ? (FORMAT csv, HEADER true)", [str(target)]).fetchone()[0]
            replaces: tuple[str, ...] = (target.name,)
        elif relation.partitioned:
            target = staging / relation.name
            columns = ", ".join([*plain, f"s.{PARTITION}"])
            key = ", ".join([f"s.{PARTITION}", *order])
            with _setting(con, "threads", 1):
                rows = con.execute(f"COPY (SELECT {columns} FROM {quoted} AS t {link} ORDER BY {key}) "
                                   "TO ? (FORMAT parquet, PARTITION_BY (month), FILENAME_PATTERN 'data_{i}')",
                                   [str(target)]).fetchone()[0]
            months = sum(1 for p in target.iterdir() if p.is_dir()) if target.is_dir() else 0
            if not rows:  # no file at all: one without rows, so that readers see the columns
                target.mkdir(exist_ok=True)
                con.execute(f"COPY (SELECT {columns} FROM {quoted} AS t {link} ORDER BY {key}) "
                            "TO ? (FORMAT parquet)", [str(target / "data_0.parquet")])
            replaces = (relation.name, f"{relation.name}.parquet")
        else:
            target = staging / f"{relation.name}.parquet"
            columns = ", ".join(plain)
            key = ", ".join(order)
            rows = con.execute(f"COPY (SELECT {columns} FROM {quoted} AS t {link} ORDER BY {key}) "
                               "TO ? (FORMAT parquet)", [str(target)]).fetchone()[0]
            replaces = (target.name, relation.name)
    except duckdb.Error as e:
        raise WarehouseError(f"cannot export {relation.kind} {relation.name}: {_one_line(e)}") from e
    return Written(relation, int(rows), months, target, replaces)


def _swap(item: Written, out: Path, staging: Path) -> None:
    """Move the staged output into `out`, the previous outputs of its table into the staging directory."""
    trash = staging / ".replaced"
    trash.mkdir(exist_ok=True)
    try:
        for name in item.replaces:
            if (out / name).exists() or (out / name).is_symlink():
                os.replace(out / name, trash / name)
        os.replace(item.staged, out / item.replaces[0])
    except OSError as e:
        raise WarehouseError(f"cannot move the export of {item.relation.name} into {out}: "
                             f"{e.strerror or e}") from e


def _line(item: Written, out: Path) -> str:
    rows = f"{item.rows} row{'' if item.rows == 1 else 's'}"
    if item.months is None:
        return f"{item.relation.name}: {rows} -> {out / item.replaces[0]}"
    months = f"{item.months} month{'' if item.months == 1 else 's'}"
    return f"{item.relation.name}: {rows} in {months} -> {out / item.replaces[0]}/"


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())
