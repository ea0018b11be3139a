"""Warehouse consistency checks after a crash: no orphans, no duplicates, no half-written article."""
from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.testing import duplicate_keys

ORPHANS = {
    "mentions without article": "SELECT count(*) FROM institution_mentions m ANTI JOIN articles a USING (article_id)",
    "meetings without article": "SELECT count(*) FROM meetings m ANTI JOIN articles a USING (article_id)",
    "mechanisms without article": "SELECT count(*) FROM mechanisms m ANTI JOIN articles a USING (article_id)",
    "participants without meeting": "SELECT count(*) FROM meeting_participants p ANTI JOIN meetings m USING (meeting_id)",
    "mentions without institution":
        "SELECT count(*) FROM institution_mentions m ANTI JOIN institutions i USING (institution_id)",
    "aliases without institution":
        "SELECT count(*) FROM institution_aliases a ANTI JOIN institutions i USING (institution_id)",
    "revisions without article": "SELECT count(*) FROM article_revisions r ANTI JOIN articles a USING (article_id)",
}

RECORD_TABLES = ("institution_mentions", "meetings", "mechanisms")

# records that are not from the article's one stored extraction: another version, or an
# article never marked extracted, or spans that do not fit the current body
MIXED = {table: f"""
    SELECT count(*) FROM {table} r JOIN articles a USING (article_id)
    WHERE a.extracted_at IS NULL OR r.extractor_version <> a.extractor_version OR r.char_end > length(a.body)
""" for table in RECORD_TABLES}
MIXED["mention surfaces"] = """
    SELECT count(*) FROM institution_mentions m JOIN articles a USING (article_id)
    WHERE substr(a.body, m.char_start + 1, m.char_end - m.char_start) <> m.surface
"""


def problems(db: Path) -> dict[str, int]:
    """Every violated invariant with its count (empty when consistent)."""
    found: dict[str, int] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for table, n in duplicate_keys(con).items():
            found[f"duplicate keys in {table}"] = n
        for name, sql in {**ORPHANS, **MIXED}.items():
            n = con.execute(sql).fetchone()[0]
            if n:
                found[name] = n
    return found


def records_of(db: Path, article_ids: list[str]) -> dict[str, list[tuple]]:
    """Every extracted row of these articles, without load timestamps, for comparisons."""
    with duckdb.connect(str(db), read_only=True) as con:
        out = {
            "articles": con.execute(
                "SELECT article_id, content_hash, body, extractor_version, revision FROM articles "
                "WHERE list_contains(?, article_id) ORDER BY ALL", [article_ids]).fetchall(),
            "participants": con.execute(
                "SELECT m.article_id, p.* FROM meeting_participants p JOIN meetings m USING (meeting_id) "
                "WHERE list_contains(?, m.article_id) ORDER BY ALL", [article_ids]).fetchall(),
        }
        for table in RECORD_TABLES:
            # event ids are history: an event keeps the id its first report gave it, so a warehouse
            # that saw earlier versions of the articles names the same events differently
            columns = "* EXCLUDE (event_id)" if table in ("meetings", "mechanisms") else "*"
            out[table] = con.execute(f"SELECT {columns} FROM {table} WHERE list_contains(?, article_id) "
                                     "ORDER BY ALL", [article_ids]).fetchall()
    return out
