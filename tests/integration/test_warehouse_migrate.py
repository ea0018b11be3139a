"""Migrations on a real DuckDB file: applied once, re-applied as a no-op, tamper-evident."""
from __future__ import annotations

import dataclasses

import pytest

from warehouse import MigrationError, connect, migrate, open_warehouse, table_counts
from warehouse.migrate import Migration, load_migrations

TABLES = {"articles", "article_revisions", "institutions", "institution_aliases", "institution_mentions",
          "meetings", "meeting_participants", "mechanisms", "rejects", "feeds", "runs", "feed_runs",
          "schema_migrations"}
CONTRACT = {
    "articles": ["article_id", "url", "guid", "title", "language", "published_at", "body", "content_hash",
                 "first_seen_at", "updated_at"],
    "institutions": ["institution_id", "name", "acronym", "kind"],
    "institution_mentions": ["article_id", "institution_id", "surface", "char_start", "char_end"],
    "meetings": ["meeting_id", "article_id", "kind", "status", "name", "start_date", "date_precision",
                 "location", "evidence", "char_start", "char_end", "confidence"],
    "meeting_participants": ["meeting_id", "name", "participant_type"],
    "mechanisms": ["mechanism_id", "article_id", "description", "status", "proposer", "evidence",
                   "char_start", "char_end", "confidence"],
}


def columns(con, table):
    return {name: kind for name, kind in con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?", [table]).fetchall()}


def test_from_empty_file_then_no_op(tmp_path):
    path = tmp_path / "nested" / "dir" / "w.duckdb"
    con = connect(path)
    applied = migrate(con)
    assert applied == [m.version for m in load_migrations()]
    assert TABLES <= set(table_counts(con))
    rows = con.execute("SELECT * FROM schema_migrations ORDER BY version").fetchall()
    con.close()

    con = open_warehouse(path)
    assert migrate(con) == []
    assert con.execute("SELECT * FROM schema_migrations ORDER BY version").fetchall() == rows
    con.close()


def test_contract_columns_and_types(tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    for table, wanted in CONTRACT.items():
        have = columns(con, table)
        assert [c for c in wanted if c not in have] == [], table
    assert columns(con, "articles")["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert columns(con, "articles")["first_seen_at"] == "TIMESTAMP WITH TIME ZONE"
    assert columns(con, "meetings")["start_date"] == "DATE"
    assert con.execute("SELECT current_setting('TimeZone')").fetchone()[0] == "UTC"


def test_tampered_applied_migration_raises(tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    shipped = load_migrations()
    tampered = [dataclasses.replace(shipped[0], sql=shipped[0].sql + "\n-- edited\n"), *shipped[1:]]
    with pytest.raises(MigrationError, match="001_articles.sql changed after it was applied"):
        migrate(con, migrations=tampered)


def test_new_migration_applied_once_in_its_own_transaction(tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    shipped = load_migrations()
    extra = Migration(len(shipped) + 1, "add_note", "ALTER TABLE articles ADD COLUMN note VARCHAR;")
    broken = Migration(len(shipped) + 2, "broken", "CREATE TABLE half (x INTEGER); SELECT nope FROM nowhere;")
    with pytest.raises(MigrationError, match="broken"):
        migrate(con, migrations=[*shipped, extra, broken])
    assert "note" in columns(con, "articles")
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'half'").fetchone()[0] == 0
    assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == extra.version
    assert migrate(con, migrations=[*shipped, extra]) == []


def test_database_newer_than_code(tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    con.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x', now())")
    with pytest.raises(MigrationError, match="999"):
        migrate(con)


def test_meeting_participant_lists_are_filled_for_a_warehouse_of_before(tmp_path):
    """Migration 011 copies each stored meeting's participants onto it, in their positions' order,
    and v_meetings reads them from there (a meeting without participants: empty lists)."""
    con = connect(tmp_path / "w.duckdb")
    before = [m for m in load_migrations() if m.version < 11]
    migrate(con, migrations=before, views=False)
    for meeting_id in ("m-1", "m-2"):
        con.execute("INSERT INTO meetings (meeting_id, article_id, kind, status, evidence, char_start, char_end, "
                    "confidence, rule_id, extractor_version) VALUES (?, 'a-1', 'talks', 'past', 'Стороны провели "
                    "переговоры.', 0, 10, 0.9, 'ru.meeting.noun', 'x')", [meeting_id])
    con.executemany("INSERT INTO meeting_participants VALUES ('m-1', ?, ?, ?)",
                    [("Казахстан", "country", 1), ("ШОС", "institution", 2), ("Касым-Жомарт Токаев", "person", 0)])
    assert migrate(con) == [m.version for m in load_migrations() if m.version >= 11]
    typed = dict(con.execute("SELECT meeting_id, participants_typed FROM meetings").fetchall())
    assert typed == {"m-1": [{"name": "Касым-Жомарт Токаев", "participant_type": "person"},
                             {"name": "Казахстан", "participant_type": "country"},
                             {"name": "ШОС", "participant_type": "institution"}],
                     "m-2": []}
    names = dict(con.execute("SELECT meeting_id, participants FROM v_meetings").fetchall())
    assert names == {"m-1": ["Касым-Жомарт Токаев", "Казахстан", "ШОС"], "m-2": []}
    con.close()
