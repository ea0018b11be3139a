"""DuckDB errors raised on open become one-line warehouse errors naming the file (and the lock's holder)."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from warehouse.db import MAX_COMMAND_CHARS, describe_holder, map_error, process_command
from warehouse.errors import (
    LoadError,
    MigrationError,
    QueryError,
    WarehouseCorrupt,
    WarehouseError,
    WarehouseLocked,
)


@pytest.mark.parametrize("message, kind", [
    ('IO Error: Could not set lock on file "/d/w.duckdb": Conflicting lock is held in '
     '/usr/bin/python3.11 (PID 4242). See also https://duckdb.org/docs/current/connect/concurrency',
     WarehouseLocked),
    ('IO Error: The file "/d/w.duckdb" exists, but it is not a valid DuckDB database file!', WarehouseCorrupt),
    ("IO Error: Permission denied\nwhile opening", WarehouseError),
])
def test_map_error(message, kind):
    error = map_error(duckdb.IOException(message), "/d/w.duckdb")
    assert type(error) is kind
    assert "\n" not in str(error)
    assert "/d/w.duckdb" in str(error)


def test_locked_message_names_file_pid_and_other_run():
    error = map_error(duckdb.IOException(
        'IO Error: Could not set lock on file "/d/w.duckdb": Conflicting lock is held in x (PID 4242).'),
        "/d/w.duckdb")
    assert "PID 4242" in str(error) and "another eventwire run may be writing" in str(error)


def test_transient_and_terminal():
    assert WarehouseLocked.transient
    assert not any(k.transient for k in (WarehouseCorrupt, MigrationError, LoadError, QueryError))
    assert all(issubclass(k, WarehouseError)
               for k in (WarehouseLocked, WarehouseCorrupt, MigrationError, LoadError, QueryError))


def _lock_error(pid: int) -> duckdb.IOException:
    return duckdb.IOException(f'IO Error: Could not set lock on file "/d/w.duckdb": Conflicting lock is held in '
                              f'{sys.executable} (PID {pid}). See also https://duckdb.org/docs/current/connect/concurrency')


@pytest.fixture()
def sleeper(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[subprocess.Popen[bytes]]:
    """A real process whose command line is `python <tmp>/eventwire ARGS...` (ARGS from the test's param)."""
    script = tmp_path / "eventwire"
    script.write_text("import time\nprint('ready', flush=True)\ntime.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, str(script), *request.param], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.mark.parametrize("sleeper", [["sql", "--db", "/d/w.duckdb", "SELECT count(*) FROM articles"]], indirect=True)
def test_a_lock_held_by_a_query_names_it_and_says_it_reads(sleeper: subprocess.Popen[bytes]) -> None:
    message = str(map_error(_lock_error(sleeper.pid), "/d/w.duckdb"))
    assert message == (f"warehouse /d/w.duckdb is locked, held by PID {sleeper.pid} (eventwire sql --db /d/w.duckdb "
                       "SELECT count(*) FROM articles): a query (eventwire sql) is reading it, and DuckDB lets no one "
                       "write meanwhile; retry when it has finished")


@pytest.mark.parametrize("sleeper", [["run", "--feeds", "x" * 500]], indirect=True)
def test_a_lock_held_by_a_run_names_it_shortened(sleeper: subprocess.Popen[bytes]) -> None:
    message = str(map_error(_lock_error(sleeper.pid), "/d/w.duckdb"))
    assert f"held by PID {sleeper.pid} (eventwire run --feeds xxx" in message
    assert "another eventwire run may be writing" in message and "\n" not in message
    command = process_command(sleeper.pid)
    assert command is not None and len(command) == MAX_COMMAND_CHARS and command.endswith("...")


def test_a_holder_that_is_gone_is_named_by_pid_only() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    assert process_command(proc.pid) is None
    assert describe_holder(proc.pid) == f"PID {proc.pid}"
