"""Errors of the warehouse package.

    WarehouseError                  base of everything raised here
    ├── WarehouseLocked             transient: another process holds the DuckDB file (a run
    │                               writing, or a query reading); the message names its PID
    │                               and command line; retry later
    ├── WarehouseCorrupt            terminal: the file is not a DuckDB database / unreadable /
    │                               truncated (shorter than its header says); left untouched
    ├── MigrationError              terminal: a migration failed, an applied migration file
    │                               changed (checksum), or the database is newer than the code
    ├── LoadError                   terminal: a batch could not be written (constraint,
    │                               conversion); the batch was rolled back as a whole
    └── QueryError                  terminal: an analyst's query failed, or was refused because
                                    it writes or reaches outside the warehouse (files, ATTACH,
                                    extensions, settings)

Every class carries ``transient``: True when the same call may succeed later unchanged.
Messages are one line and name the database file or the table concerned; the DuckDB
error is chained as ``__cause__``.
"""
from __future__ import annotations


class WarehouseError(Exception):
    """Base of all warehouse errors; raised as such for a path that cannot be a warehouse (a device, a
    FIFO, a directory, a path under a file, an unwritable directory)."""
    transient: bool = False


class WarehouseLocked(WarehouseError):
    """Another process holds the database file (DuckDB allows one writing process)."""
    transient = True


class WarehouseCorrupt(WarehouseError):
    """The file exists but is not a readable DuckDB database."""


class MigrationError(WarehouseError):
    """A migration could not be applied, or an applied one was changed afterwards."""


class LoadError(WarehouseError):
    """A batch could not be written; nothing of it was kept."""


class QueryError(WarehouseError):
    """An ad-hoc query (`connect_for_queries`, `run_query`) failed or was refused."""
