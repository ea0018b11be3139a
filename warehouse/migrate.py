"""Schema migrations and analyst views, applied from package data.

``warehouse/migrations/NNN_name.sql`` files are applied in version order, each once and
each in its own transaction, and recorded in ``schema_migrations`` with the SHA-256 of
the file. Applying again is a no-op; an applied file whose text changed, or a database
that records a version this code does not ship, raises MigrationError (migrations are
append-only: fix forward with a new file).

After the migrations every ``warehouse/views/*.sql`` file (one ``CREATE OR REPLACE
VIEW`` each) is executed in name order, so views always match the installed code.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb

from warehouse.db import connect, transaction
from warehouse.errors import MigrationError

PACKAGE = "warehouse"
_MIGRATION_RE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")

# The bookkeeping table itself is not a migration: it must exist before any is read.
_BOOTSTRAP = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    checksum   VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
)
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()

    @property
    def filename(self) -> str:
        return f"{self.version:03d}_{self.name}.sql"


def _sql_files(folder: str) -> list[tuple[str, str]]:
    root = resources.files(PACKAGE).joinpath(folder)
    found = [(entry.name, entry.read_text(encoding="utf-8"))
             for entry in root.iterdir() if entry.name.endswith(".sql")]
    return sorted(found)


def load_migrations() -> list[Migration]:
    """The migrations shipped with this package, in version order."""
    migrations: dict[int, Migration] = {}
    for filename, sql in _sql_files("migrations"):
        match = _MIGRATION_RE.match(filename)
        if not match:
            raise MigrationError(f"migration file {filename!r} is not named NNN_name.sql")
        version = int(match.group(1))
        if version in migrations:
            raise MigrationError(
                f"two migrations have version {version:03d}: {migrations[version].filename} and {filename}")
        migrations[version] = Migration(version, match.group(2), sql)
    return [migrations[v] for v in sorted(migrations)]


def load_views() -> list[tuple[str, str]]:
    """(filename, sql) of every analyst view, in name order."""
    return _sql_files("views")


def load_queries() -> list[tuple[str, str]]:
    """(filename, sql) of every example analyst query, in name order."""
    return _sql_files("queries")


def applied_migrations(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[str, str]]:
    """version -> (name, checksum) recorded in the database."""
    rows = con.execute("SELECT version, name, checksum FROM schema_migrations ORDER BY version").fetchall()
    return {version: (name, checksum) for version, name, checksum in rows}


def migrate(
    con: duckdb.DuckDBPyConnection, *, views: bool = True, migrations: list[Migration] | None = None
) -> list[int]:
    """Apply pending migrations, then (re)create the views; returns the versions applied now.

    `migrations` defaults to the files shipped in warehouse/migrations.
    """
    shipped = load_migrations() if migrations is None else sorted(migrations, key=lambda m: m.version)
    try:
        con.execute(_BOOTSTRAP)
    except duckdb.Error as e:
        raise MigrationError(f"cannot create schema_migrations: {' '.join(str(e).split())}") from e
    recorded = applied_migrations(con)
    known = {m.version for m in shipped}
    unknown = sorted(set(recorded) - known)
    if unknown:
        raise MigrationError(
            f"the database records migration(s) {', '.join(f'{v:03d}' for v in unknown)} that this "
            "eventwire does not ship: it was written by a newer version")
    applied: list[int] = []
    for migration in shipped:
        if migration.version in recorded:
            name, checksum = recorded[migration.version]
            if checksum != migration.checksum:
                raise MigrationError(
                    f"migration {migration.filename} changed after it was applied "
                    f"(recorded checksum {checksum[:12]}, file {migration.checksum[:12]}): "
                    "migrations are append-only, add a new one instead")
            continue
        try:
            with transaction(con):
                con.execute(migration.sql)
                con.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                    [migration.version, migration.name, migration.checksum, datetime.now(UTC)],
                )
        except duckdb.Error as e:
            raise MigrationError(
                f"migration {migration.filename} failed: {' '.join(str(e).split())}") from e
        applied.append(migration.version)
    if views:
        create_views(con)
    return applied


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view of warehouse/views in one transaction."""
    current = ""
    try:
        with transaction(con):
            for filename, sql in load_views():
                current = filename
                con.execute(sql)
    except duckdb.Error as e:
        raise MigrationError(f"view {current} failed: {' '.join(str(e).split())}") from e


def open_warehouse(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """connect() and, unless read-only, bring the schema and views up to date."""
    con = connect(path, read_only=read_only)
    if not read_only:
        try:
            migrate(con)
        except BaseException:
            con.close()
            raise
    return con
