"""Connections and transactions: the one way into the DuckDB file.

``connect`` opens the file (creating parent directories), pins ``TimeZone='UTC'`` and
turns DuckDB's IO/lock errors into `warehouse.errors`. ``transaction`` wraps a block in
BEGIN/COMMIT and rolls back on any exception; nested use joins the outer transaction.
``arrow_view`` exposes a pyarrow table to SQL under a name for the length of a block:
bulk writes are ``INSERT ... SELECT`` from such a view, never ``executemany``.
``connect_for_queries`` opens the file for an analyst's ad-hoc SQL: read-only, no access
outside the file, configuration locked; ``run_query`` runs such SQL, fetching at most the
rows asked for, and maps its errors; ``count_statements`` counts its statements with DuckDB's own
parser; ``run_interruptible`` lets Ctrl-C stop a running query.

Before DuckDB sees a path, ``connect`` checks it and the file's header (`warehouse.files`).
"""
from __future__ import annotations

import contextlib
import glob
import itertools
import os
import re
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa

from warehouse.errors import QueryError, WarehouseCorrupt, WarehouseError, WarehouseLocked
from warehouse.files import MEMORY, check_warehouse_file, check_warehouse_path

_LOCK_RE = re.compile(r"could not set lock|conflicting lock", re.IGNORECASE)
_PID_RE = re.compile(r"\(PID (\d+)\)")
_CORRUPT_RE = re.compile(
    r"not a valid duckdb database|invalid database|corrupt|checksum|unable to read|"
    r"serialization|version number|database file .* is too small",
    re.IGNORECASE,
)

# a command line that reads the warehouse (`eventwire sql`, also run as `python -m flows.cli sql`)
_READER_RE = re.compile(r"(?:^|[\s/])(?:eventwire|flows\.cli) sql\b")
MAX_COMMAND_CHARS = 160


# ids of connections currently inside `transaction` (entries live only while the block runs)
_OPEN: set[int] = set()
_names = itertools.count()

T = TypeVar("T")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def process_command(pid: int) -> str | None:
    """The command line of process `pid` (from /proc), shortened for a message; None when unknown.

    A script run by a Python interpreter is shown by the script's name:
    "/venv/bin/python /venv/bin/eventwire sql SELECT 1" -> "eventwire sql SELECT 1".
    """
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    args = [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]
    if not args:
        return None
    if len(args) > 1 and Path(args[0]).name.startswith("python") and not args[1].startswith("-"):
        args = args[1:]
    args[0] = Path(args[0]).name
    text = _one_line(" ".join(args))
    return text if len(text) <= MAX_COMMAND_CHARS else text[:MAX_COMMAND_CHARS - 3] + "..."


def describe_holder(pid: int) -> str:
    """ "PID 1234 (eventwire sql SELECT ...)", or "PID 1234" when its command line cannot be read."""
    command = process_command(pid)
    return f"PID {pid} ({command})" if command else f"PID {pid}"


def map_error(exc: duckdb.Error, path: str | Path) -> WarehouseError:
    """Translate a DuckDB error raised while opening `path` into a warehouse error.

    A lock error names the holder DuckDB reports (its PID and, from /proc, its command line)
    and whether it is a query reading the file (`eventwire sql`) or maybe another writer.
    """
    message = _one_line(exc)
    if _LOCK_RE.search(message):
        pid = _PID_RE.search(message)
        command = process_command(int(pid.group(1))) if pid else None
        holder = (f"PID {pid.group(1)} ({command})" if command else f"PID {pid.group(1)}") if pid else ""
        reading = bool(command and _READER_RE.search(command))
        what = ("a query (eventwire sql) is reading it, and DuckDB lets no one write meanwhile" if reading
                else "another eventwire run may be writing to it")
        return WarehouseLocked(
            f"warehouse {path} is locked{f', held by {holder}' if holder else ''}: {what}; "
            "retry when it has finished"
        )
    if _CORRUPT_RE.search(message) or isinstance(exc, duckdb.SerializationException):
        return WarehouseCorrupt(f"warehouse {path} is not a readable DuckDB database: {message}")
    return WarehouseError(f"cannot open warehouse {path}: {message}")


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse at `path` (``":memory:"`` for a throw-away database).

    First `check_warehouse_path` (a regular file, or a missing one in a writable directory,
    whose missing parent directories are created unless `read_only`) and, for an existing file,
    `check_warehouse_file`. Raises WarehouseLocked when another process holds the file (naming
    it), WarehouseCorrupt when it is not a whole DuckDB file (left untouched), and
    WarehouseError for a path that cannot be a warehouse or a read-only open of a missing file.
    """
    target = str(path)
    if target != MEMORY:
        check_warehouse_path(path, read_only=read_only)
        if Path(path).exists():
            check_warehouse_file(path)
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


def count_statements(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """How many statements DuckDB's own parser finds in `sql`, without running any.

    Empty, blank or comment-only text holds 0; a ';' inside a string literal, a quoted name or a
    comment separates nothing, and a trailing ';' adds none. Text DuckDB cannot parse is a
    QueryError with DuckDB's message on one line (the same as running it would give).
    """
    try:
        return len(con.extract_statements(sql))
    except duckdb.Error as e:
        raise QueryError(_one_line(e)) from e


def run_query(con: duckdb.DuckDBPyConnection, sql: str, *, max_rows: int | None = None,
              chunk_rows: int = 1000, single: bool = False) -> tuple[list[str], list[tuple]]:
    """Run an analyst's `sql` (one or more statements; the last one's result counts).

    Returns (column names, rows): at most `max_rows` rows (None: all), fetched `chunk_rows` at
    a time, so a huge result is never read past what is asked for. A statement without a result
    gives ([], []). Raises QueryError with a one-line message; on a `connect_for_queries`
    connection a statement that writes or reaches outside the warehouse is "refused: ..." with
    DuckDB's own reason; an interrupted query (`con.interrupt()`) is a QueryError too.
    Before anything runs, `sql` is parsed (`count_statements`): text without a statement
    (empty, blank, comments only) is the QueryError "no SQL statement in the query", and with
    `single` (as `eventwire sql` asks) so is more than one statement: "the query holds N
    statements; run one at a time".
    """
    statements = count_statements(con, sql)
    if statements == 0:
        raise QueryError("no SQL statement in the query")
    if single and statements > 1:
        raise QueryError(f"the query holds {statements} statements; run one at a time")
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows: list[tuple] = []
        while columns and (max_rows is None or len(rows) < max_rows):
            want = chunk_rows if max_rows is None else min(chunk_rows, max_rows - len(rows))
            batch = cur.fetchmany(want)
            rows.extend(batch)
            if len(batch) < want:
                break
    except duckdb.Error as e:
        message = _one_line(e)
        if isinstance(e, duckdb.PermissionException) or _REFUSED_RE.search(message):
            raise QueryError(REFUSED + message) from e
        raise QueryError(message) from e
    return columns, rows


INTERRUPT_GRACE_S = 10.0


def run_interruptible(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """`work()` (queries on `con`) in a worker thread, stoppable with Ctrl-C.

    DuckDB does not look at Python's signals while it executes, so a long query would run on
    after Ctrl-C. Here SIGINT calls `con.interrupt()`, which makes DuckDB stop the running
    query; KeyboardInterrupt is raised once the worker has ended (at most INTERRUPT_GRACE_S
    later; a second Ctrl-C raises it at once). Outside the main thread, `work()` runs as is.
    """
    if threading.current_thread() is not threading.main_thread():
        return work()
    outcome: dict[str, object] = {}
    interrupted: list[float] = []

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as e:  # handed to the main thread, re-raised there
            outcome["error"] = e

    def on_sigint(signum: int, frame: object) -> None:
        if interrupted:
            raise KeyboardInterrupt
        interrupted.append(time.monotonic())
        con.interrupt()

    worker = threading.Thread(target=run, name="eventwire-query", daemon=True)
    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
            if interrupted and time.monotonic() - interrupted[0] > INTERRUPT_GRACE_S:
                break
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


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
    """Register `table` under a fresh name for the block; yields the name to use in SQL.

    DuckDB 2 refuses to register while the connection holds a result not read to its end (a
    `fetchone()` of a query): that result is run to its end first (`complete`, DuckDB >= 2).
    """
    name = f"_ew_{prefix}_{next(_names)}"
    complete = getattr(con, "complete", None)
    if complete is not None:
        complete()
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


# A reader that finds the warehouse held says so with a marker file beside it
# (`<file>.reader-<pid>-<random>`, removed once it is in or gives up), so that the run gives way
# between two batches (`Writer.yield_to_readers`) rather than only while it waits for extraction.
# A marker whose process is gone, or older than READER_MARKER_MAX_AGE_S, is stale and removed.
READER_MARKER = ".reader-"
READER_MARKER_MAX_AGE_S = 3600.0
READER_POLL_S = 0.25     # a waiting reader tries the lock at least this often
YIELD_S = 5.0            # the longest a writer waits for waiting readers to get in


class Writer:
    """The run's connection to the warehouse, held only while it writes.

    DuckDB lets one process open a file for writing and no other process read it meanwhile; a
    run that kept its connection for the whole extraction would shut analysts' queries out for
    minutes. The run `release`s the file while it waits for extraction, and between batches
    `yield_to_readers` lets in the queries that are waiting for it (when the workers keep ahead
    of the loads, the run never waits); `con` opens it again (and waits for queries that got in
    meanwhile, up to `wait_s`, retrying the lock). Other writers are kept out by the writer slot
    (flows/concurrency.py), not by this connection.
    """

    def __init__(self, path: str | Path, *, wait_s: float = 3600.0) -> None:
        self.path, self.wait_s = path, wait_s
        self._con: duckdb.DuckDBPyConnection | None = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = connect_waiting(self.path, wait_s=self.wait_s)
        return self._con

    def release(self) -> None:
        """Close the connection (its writes are committed and checkpointed): readers may open the file."""
        if self._con is not None:
            con, self._con = self._con, None
            con.close()

    def yield_to_readers(self, *, timeout_s: float = YIELD_S) -> bool:
        """When readers wait for the file (`waiting_readers`), release it and wait, up to
        `timeout_s`, until they have opened it (`con` then waits for them to finish). True when
        there were any."""
        if not waiting_readers(self.path):
            return False
        self.release()
        deadline = time.monotonic() + timeout_s
        while waiting_readers(self.path) and time.monotonic() < deadline:
            time.sleep(0.02)
        return True


def _marker_pid_gone(marker: Path) -> bool:
    try:
        pid = int(marker.name.rsplit(READER_MARKER, 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return True
    if os.name != "posix":
        return False            # no signal-0 probe there: the marker's age decides
    try:
        os.kill(pid, 0)         # PermissionError: another user's process, alive
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return False


def waiting_readers(path: str | Path) -> list[Path]:
    """The markers of readers waiting for the warehouse at `path` (stale ones are removed)."""
    target = Path(path)
    if str(path) == MEMORY:
        return []
    try:
        markers = list(target.parent.glob(f"{glob.escape(target.name)}{READER_MARKER}*"))
    except OSError:
        return []
    live = []
    now = time.time()
    for marker in markers:
        try:
            stale = _marker_pid_gone(marker) or now - marker.stat().st_mtime > READER_MARKER_MAX_AGE_S
        except OSError:         # removed meanwhile: its reader is in
            continue
        if stale:
            marker.unlink(missing_ok=True)
        else:
            live.append(marker)
    return live


@contextmanager
def _reader_waiting(path: str | Path) -> Iterator[None]:
    """A marker saying a reader waits for the warehouse at `path`, while in the block (none when it
    cannot be written: the reader then waits without a word)."""
    marker = Path(f"{path}{READER_MARKER}{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        marker.touch()
    except OSError:
        marker = None
    try:
        yield
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def connect_waiting(path: str | Path, *, read_only: bool = False, wait_s: float = 30.0,
                    open_: Callable[..., duckdb.DuckDBPyConnection] | None = None) -> duckdb.DuckDBPyConnection:
    """`connect` (or `open_(path)`, e.g. `connect_for_queries`), retried while another process holds
    the file (WarehouseLocked) for up to `wait_s` seconds: a run holds it only while it loads a
    batch, a query only while it runs. A reader (`read_only`, or `open_` given) that has to wait
    says so (`waiting_readers`), and the run lets it in between two batches."""
    opening = (lambda: connect(path, read_only=read_only)) if open_ is None else (lambda: open_(path))
    try:
        return opening()
    except WarehouseLocked:
        if wait_s <= 0:
            raise
    reader = read_only or open_ is not None
    deadline, delay = time.monotonic() + wait_s, 0.05
    with _reader_waiting(path) if reader else contextlib.nullcontext():
        while True:
            if time.monotonic() + delay > deadline:
                return opening()        # the last try: WarehouseLocked when still held
            time.sleep(delay)
            try:
                return opening()
            except WarehouseLocked:
                delay = min(delay * 2, READER_POLL_S if reader else 1.0)
