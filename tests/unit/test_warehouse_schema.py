"""The warehouse's SQL agrees with schemas.enums, and the package imports only what it may."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import duckdb
import pytest

from schemas import (
    BodySource,
    DatePrecision,
    EntityType,
    EventType,
    FetchStatus,
    InstitutionKind,
    Language,
    MechanismStatus,
    MeetingKind,
    MeetingStatus,
    ParticipantType,
)
from warehouse.migrate import load_migrations, load_views, migrate

ENUM_COLUMNS = {
    ("articles", "language"): Language,
    ("articles", "body_source"): BodySource,
    ("institutions", "kind"): InstitutionKind,
    ("meetings", "kind"): MeetingKind,
    ("meetings", "status"): MeetingStatus,
    ("meetings", "date_precision"): DatePrecision,
    ("meeting_participants", "participant_type"): ParticipantType,
    ("mechanisms", "status"): MechanismStatus,
    ("feeds", "language"): Language,
    ("feeds", "last_status"): FetchStatus,
    ("feed_runs", "status"): FetchStatus,
    ("events", "event_type"): EventType,
    ("events", "date_precision"): DatePrecision,
    ("reports", "event_type"): EventType,
    ("entities", "entity_type"): EntityType,
}
IN_LIST = re.compile(r'"?(\w+)"? IN \(([^)]*)\)')


def check_lists() -> dict[tuple[str, str], list[str]]:
    con = duckdb.connect()
    migrate(con, views=False)
    found = {}
    for table, expression in con.execute(
        "SELECT table_name, expression FROM duckdb_constraints() WHERE constraint_type = 'CHECK'"
    ).fetchall():
        for column, values in IN_LIST.findall(expression):
            found[(table, column)] = re.findall(r"'([^']*)'", values)
    return found


@pytest.mark.parametrize("column", sorted(ENUM_COLUMNS), ids=lambda c: ".".join(c))
def test_check_constraint_lists_equal_enum_values(column):
    assert check_lists()[column] == [member.value for member in ENUM_COLUMNS[column]]


def test_every_in_list_check_is_covered():
    assert set(check_lists()) - set(ENUM_COLUMNS) == {("runs", "status")}


def test_articles_by_language_view_lists_every_language():
    sql = dict(load_views())["v_articles_by_language.sql"]
    values = re.search(r"languages\(language\) AS \(VALUES (.*?)\),\n", sql).group(1)
    assert re.findall(r"'([^']*)'", values) == [lang.value for lang in Language]


def test_migrations_are_numbered_without_gaps():
    versions = [m.version for m in load_migrations()]
    assert versions == list(range(1, len(versions) + 1))


FORBIDDEN = {"prefect", "feeds", "extraction", "flows"}


def test_warehouse_imports_only_schemas_duckdb_pyarrow_stdlib():
    package = Path(__file__).resolve().parents[2] / "warehouse"
    for source in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{source.name} imports {name}"
