"""Connections and transactions: the one way into the DuckDB file.

``connect`` opens the file (creating parent directories), pins ``TimeZone='UTC'`` and
turns DuckDB's IO/lock errors into `warehouse.errors`. ``transaction`` wraps a block in
BEGIN/COMMIT and rolls back on any exception; nested use joins the outer transaction.
``arrow_view`` exposes a pyarrow table to SQL under a name for the length of a block:
bulk writes are ``INSERT ... SELECT`` from such a view, never ``executemany``.
``connect_for_queries`` opens the file for an analyst's ad-hoc SQL: read-only, no access
outside the file, configuration locked; ``run_query`` runs such SQL and maps its errors.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.errors import QueryError, WarehouseCorrupt, WarehouseError, WarehouseLocked

MEMORY = ":memory:"

_LOCK_RE = re.compile(r"could not set lock|conflicting lock", re.IGNORECASE)
_PID_RE = re.compile(r"\(PID (\d+)\)")
_CORRUPT_RE = re.compile(
    r"not a valid duckdb database|invalid database|corrupt|checksum|unable to read|"
    r"serialization|version number|database file .* is too small",
    re.IGNORECASE,
)

# ids of connections currently inside `transaction` (entries live only while the block runs)
_OPEN: set[int] = set()
_names = itertools.count()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def map_error(exc: duckdb.Error, path: str | Path) -> WarehouseError:
    """Translate a DuckDB error raised while opening `path` into a warehouse error."""
    message = _one_line(exc)
    if _LOCK_RE.search(message):
        pid = _PID_RE.search(message)
        holder = f" (held by PID {pid.group(1)})" if pid else ""
        return WarehouseLocked(
            f"warehouse {path} is locked{holder}: another eventwire run may be writing to it; "
            "retry when it has finished"
        )
    if _CORRUPT_RE.search(message) or isinstance(exc, duckdb.SerializationException):
        return WarehouseCorrupt(f"warehouse {path} is not a readable DuckDB database: {message}")
    return WarehouseError(f"cannot open warehouse {path}: {message}")


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse at `path` (``":memory:"`` for a throw-away database).

    Creates missing parent directories unless `read_only`. Raises WarehouseLocked when
    another process holds the file, WarehouseCorrupt when it is not a DuckDB file, and
    WarehouseError when a read-only open finds no file.
    """
    target = str(path)
    if target != MEMORY:
        file = Path(path)
        if file.is_dir():
            raise WarehouseError(f"warehouse {file} is a directory, expected a DuckDB file")
        if read_only and not file.exists():
            raise WarehouseError(f"warehouse {file} does not exist (opened read-only; run a load first)")
        if not read_only:
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise WarehouseError(f"cannot create the directory of warehouse {file}: {e}") from e
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.Error as e:
        raise map_error(e, path) from e
    try:
        if con.execute("SELECT current_setting('TimeZone')").fetchone()[0] != "UTC":  # UTC already on a sealed
            con.execute("SET TimeZone = 'UTC'")                                      # query instance (SET GLOBAL)
    except duckdb.Error as e:  # pragma: no cover - ICU is built into the wheels
        con.close()
        raise WarehouseError(f"cannot set TimeZone=UTC on warehouse {path}: {_one_line(e)}") from e
    return con


# The DuckDB settings of a query connection, applied in this order once the file is open (see _seal):
# enable_external_access = false: nothing outside the file (COPY TO/FROM, EXPORT/IMPORT, ATTACH of
#   files, read_csv/read_text/read_blob/glob, INSTALL/LOAD of extensions from disk, persistent
#   secrets, Python replacement scans); DuckDB never lets it be turned back on;
# lock_configuration = true: no SET/RESET/PRAGMA of any setting from then on (memory_limit, threads,
#   temp_directory, profiling_output, ... stay as they are).
QUERY_SETTINGS = {"enable_external_access": False, "lock_configuration": True}

REFUSED = ("refused: queries only read the warehouse's own tables and views "
           "(no writes, files, ATTACH, extensions or settings): ")
_REFUSED_RE = re.compile(r"configuration has been locked|disabled (by|through) configuration|read-only mode",
                         re.IGNORECASE)


def connect_for_queries(path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse at `path` for ad-hoc SQL: read-only, sealed by QUERY_SETTINGS.

    Queries read the warehouse's tables and views; writing, files other than the warehouse
    (its own spill directory aside), ATTACH, extensions not built in, and settings are refused
    by DuckDB itself. The settings belong to the database instance, which DuckDB shares between
    the connections of one process to one file: another read-only connection of this process
    to the same file is sealed too. Raises what `connect` raises, and WarehouseError when the
    settings cannot be applied.
    """
    con = connect(path, read_only=True)
    try:
        _seal(con, path)
    except BaseException:
        con.close()
        raise
    return con


def _seal(con: duckdb.DuckDBPyConnection, path: str | Path) -> None:
    if _settings(con) == QUERY_SETTINGS:  # another connection of this process to the file sealed it already
        return
    try:
        con.execute("SET GLOBAL TimeZone = 'UTC'")  # later connections of this process to the file start in UTC
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error as e:
        raise WarehouseError(f"cannot restrict the query connection to warehouse {path}: {_one_line(e)}") from e
    if _settings(con) != QUERY_SETTINGS:  # pragma: no cover - DuckDB applied what it accepted
        raise WarehouseError(f"the query connection to warehouse {path} is not restricted: {_settings(con)}")


def _settings(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """The current values of the QUERY_SETTINGS names."""
    rows = con.execute("SELECT name, value FROM duckdb_settings() WHERE list_contains(?, name)",
                       [list(QUERY_SETTINGS)]).fetchall()
    return {name: value.lower() == "true" for name, value in rows}


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple]]:
    """Run an analyst's `sql` (one or more statements; the last one's result counts).

    Returns (column names, rows); a statement without a result gives ([], []). Raises
    QueryError with a one-line message; on a `connect_for_queries` connection a statement that
    writes or reaches outside the warehouse is "refused: ..." with DuckDB's own reason.
    """
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if columns else []
    except duckdb.Error as e:
        message = _one_line(e)
        if isinstance(e, duckdb.PermissionException) or _REFUSED_RE.search(message):
            raise QueryError(REFUSED + message) from e
        raise QueryError(message) from e
    return columns, rows


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT around the block; ROLLBACK and re-raise on any exception.

    Inside an enclosing ``transaction`` on the same connection the block simply joins
    it (DuckDB has no savepoints): the outermost block commits or rolls back.
    """
    key = id(con)
    if key in _OPEN:
        yield con
        return
    con.execute("BEGIN TRANSACTION")
    _OPEN.add(key)
    try:
        yield con
    except BaseException:
        _OPEN.discard(key)
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the transaction is already gone; the original error matters
        raise
    else:
        _OPEN.discard(key)
        con.execute("COMMIT")


@contextmanager
def arrow_view(con: duckdb.DuckDBPyConnection, table: pa.Table, prefix: str = "src") -> Iterator[str]:
    """Register `table` under a fresh name for the block; yields the name to use in SQL."""
    name = f"_ew_{prefix}_{next(_names)}"
    con.register(name, table)
    try:
        yield name
    except BaseException:
        try:
            con.unregister(name)
        except duckdb.Error:
            pass  # the transaction is aborted; its rollback drops the registration too
        raise
    con.unregister(name)
