"""DuckDB errors raised on open become one-line warehouse errors naming the file."""
from __future__ import annotations

import duckdb
import pytest

from warehouse.db import map_error
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
