"""Storage of cross-article resolution: unresolved rows in, reports, entities and events out.

A meeting or mechanism row whose `event_id` is NULL is not resolved yet (new, re-extracted, or
left by a run that stopped before its resolution step). `reports` keeps what resolution saw of
each resolved row and the event it joined; a report whose row is gone (its article changed) is
dropped and its event refreshed. The rules live in `events/`; `flows/resolution.py` wires them.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from warehouse.arrow import DATE, FLOAT, STR, TS, ids, schema, table
from warehouse.db import arrow_view

KEYS = pa.list_(STR)
REPORTS = schema(("report_id", STR), ("event_type", STR), ("event_id", STR), ("article_id", STR), ("kind", STR),
                 ("status", STR), ("language", STR), ("published_at", TS), ("date_lo", DATE), ("date_hi", DATE),
                 ("dated", pa.bool_()), ("place_key", STR), ("place_country", STR), ("place_feature", STR),
                 ("entities", KEYS), ("tokens", KEYS), ("keys", KEYS), ("resolved_at", TS))
ENTITIES = schema(("entity_id", STR), ("entity_type", STR), ("name", STR), ("country_code", STR))
EVENTS = schema(("event_id", STR), ("event_type", STR), ("kind", STR), ("status", STR), ("name", STR),
                ("start_date", DATE), ("date_precision", STR), ("location", STR), ("first_seen_at", TS),
                ("last_seen_at", TS), ("articles", pa.int32()), ("sources", pa.int32()), ("languages", KEYS),
                ("place_name", STR), ("place_feature", STR), ("country_code", STR), ("geonames_id", pa.int64()),
                ("latitude", FLOAT), ("longitude", FLOAT), ("proposer", STR), ("cameo_code", STR),
                ("plover_type", STR), ("plover_mode", STR), ("updated_at", TS))
_TABLES = {"meeting": ("meetings", "meeting_id"), "mechanism": ("mechanisms", "mechanism_id")}
# reports whose meeting or mechanism row is gone
_ORPHANS = "report_id NOT IN (SELECT meeting_id FROM meetings UNION ALL SELECT mechanism_id FROM mechanisms)"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence = ()) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def drop_orphan_reports(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Delete the reports whose meeting or mechanism row is gone; the events they were in."""
    touched = {row[0] for row in con.execute(f"SELECT DISTINCT event_id FROM reports WHERE {_ORPHANS}").fetchall()}
    if touched:
        con.execute(f"DELETE FROM reports WHERE {_ORPHANS}")
    return touched


def unresolved_meetings(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> list[dict]:
    """Meetings with no event yet (the first `limit` in publication order), with their article,
    participants, the institutions named inside the meeting's own phrase, and the event the row
    belonged to before (if any)."""
    return _rows(con, """
        SELECT m.meeting_id AS report_id, m.article_id, m.kind, m.status, m.name, m.start_date,
               m.date_precision, m.location, m.evidence, a.language, a.published_at, a.first_seen_at,
               r.event_id AS previous_event,
               (SELECT list({'name': p.name, 'participant_type': p.participant_type} ORDER BY p.position)
                  FROM meeting_participants AS p WHERE p.meeting_id = m.meeting_id) AS participants,
               (SELECT list(DISTINCT i.institution_id) FROM institution_mentions AS i
                 WHERE i.article_id = m.article_id AND i.char_start < m.char_end AND i.char_end > m.char_start)
                 AS named_institutions
        FROM meetings AS m JOIN articles AS a USING (article_id)
        LEFT JOIN reports AS r ON r.report_id = m.meeting_id
        WHERE m.event_id IS NULL
        ORDER BY a.published_at NULLS FIRST, m.meeting_id
        LIMIT ?""", [limit])


def unresolved_mechanisms(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> list[dict]:
    """Mechanisms with no event yet (as `unresolved_meetings`)."""
    return _rows(con, """
        SELECT m.mechanism_id AS report_id, m.article_id, m.description, m.status, m.proposer, m.evidence,
               a.language, a.published_at, a.first_seen_at, r.event_id AS previous_event,
               (SELECT list(DISTINCT i.institution_id) FROM institution_mentions AS i
                 WHERE i.article_id = m.article_id AND i.char_start < m.char_end AND i.char_end > m.char_start)
                 AS named_institutions
        FROM mechanisms AS m JOIN articles AS a USING (article_id)
        LEFT JOIN reports AS r ON r.report_id = m.mechanism_id
        WHERE m.event_id IS NULL
        ORDER BY a.published_at NULLS FIRST, m.mechanism_id
        LIMIT ?""", [limit])


def institution_ids_by_alias(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(alias, institution_id) of every stored institution name, acronym and alias."""
    return con.execute("""
        SELECT alias, institution_id FROM institution_aliases
        UNION SELECT name, institution_id FROM institutions
        UNION SELECT acronym, institution_id FROM institutions WHERE acronym IS NOT NULL
        ORDER BY ALL""").fetchall()


def candidate_reports(con: duckdb.DuckDBPyConnection, keys: Iterable[str], events: Iterable[str],
                      exclude_articles: Iterable[str]) -> list[dict]:
    """Stored reports sharing a blocking key with `keys`, every other report of their events (a
    report joins an event only when none of its reports contradicts it: all of them must be
    there, not only those in the new reports' time window), and the reports of `events`; except
    those of `exclude_articles` (whose rows are being resolved again). Their `keys` column holds
    only the keys they share with `keys`: no other is looked up (`events.resolve.resolve`)."""
    with arrow_view(con, ids(keys, "key"), "keys") as src, arrow_view(con, ids(events, "event_id"), "ev") as rep, \
            arrow_view(con, ids(exclude_articles, "article_id"), "ex") as exclude:
        return _rows(con, f"""
            WITH shared AS (SELECT u.report_id, list(u.key) AS keys
                            FROM (SELECT report_id, unnest(keys) AS key FROM reports) AS u JOIN {src} USING (key)
                            GROUP BY u.report_id),
                 wanted AS (SELECT DISTINCT r.event_id FROM reports AS r SEMI JOIN shared USING (report_id)
                            UNION SELECT event_id FROM {rep})
            SELECT r.* EXCLUDE (keys), coalesce(s.keys, []) AS keys
            FROM reports AS r LEFT JOIN shared AS s USING (report_id)
            WHERE r.event_id IN (SELECT event_id FROM wanted)
              AND r.article_id NOT IN (SELECT article_id FROM {exclude})""")


def meeting_events_of(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """article_id -> the events of its meetings (for articles that have resolved meetings)."""
    with arrow_view(con, ids(article_ids, "article_id"), "arts") as src:
        rows = con.execute(f"SELECT article_id, list(DISTINCT event_id) FROM meetings WHERE event_id IS NOT NULL "
                           f"AND article_id IN (SELECT article_id FROM {src}) GROUP BY article_id").fetchall()
    return {article_id: frozenset(events) for article_id, events in rows}


def live_event_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Ids of the events that some stored report still belongs to."""
    return {row[0] for row in con.execute("SELECT DISTINCT event_id FROM reports").fetchall()}


def write_reports(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple], now: datetime) -> int:
    """Upsert `reports` rows (REPORTS order, resolved_at last) and set event_id on their meeting or mechanism."""
    data = table(REPORTS, rows)
    if data.num_rows == 0:
        return 0
    columns = ", ".join(REPORTS.names)
    with arrow_view(con, data, "reports") as src:
        con.execute(f"DELETE FROM reports WHERE report_id IN (SELECT report_id FROM {src})")
        con.execute(f"INSERT INTO reports ({columns}) SELECT {columns} FROM {src}")
        for event_type, (name, key) in _TABLES.items():
            con.execute(f"UPDATE {name} SET event_id = s.event_id FROM {src} AS s "
                        f"WHERE {name}.{key} = s.report_id AND s.event_type = ?", [event_type])
    return data.num_rows


def upsert_entities(con: duckdb.DuckDBPyConnection, rows: Iterable[tuple[str, str, str, str | None]]) -> set[str]:
    """Store new entities (an entity keeps the name it was first stored with: the names stored on
    events stay true). Returns the ids of stored entities whose country was unknown until now."""
    data = table(ENTITIES, sorted(set(rows)))
    if data.num_rows == 0:
        return set()
    with arrow_view(con, data, "entities") as src:
        learnt = {row[0] for row in con.execute(
            f"SELECT DISTINCT e.entity_id FROM entities AS e JOIN {src} AS s USING (entity_id) "
            "WHERE e.country_code IS NULL AND s.country_code IS NOT NULL").fetchall()}
        con.execute(f"INSERT INTO entities SELECT DISTINCT ON (entity_id) * FROM {src} ON CONFLICT (entity_id) "
                    "DO UPDATE SET country_code = coalesce(entities.country_code, excluded.country_code)")
    return learnt


def _participants(src: str) -> str:
    """The participants of the events listed in relation `src` (an event_id column), from their
    reports' entities: the stored columns of migration 009."""
    return f"""
        SELECT r.event_id,
               list_sort(list_distinct(list(e.entity_id))) AS participant_ids,
               list_sort(list_distinct(list(CASE WHEN e.entity_type <> 'country' THEN e.name END))) AS participants,
               list_sort(list_distinct(list(e.country_code))) AS countries
        FROM (SELECT event_id, unnest(entities) AS entity_id FROM reports
              WHERE event_id IN (SELECT event_id FROM {src})) AS r
        JOIN entities AS e USING (entity_id)
        GROUP BY r.event_id"""


def participants_update(src: str) -> str:
    """An UPDATE that stores the participants of the events listed in relation `src` (an
    event_id column; `events` for all), as resolution does, for generators that write events
    without it."""
    return f"""UPDATE events SET participant_ids = p.participant_ids, participants = p.participants,
                                 countries = p.countries
               FROM ({_participants(src)}) AS p WHERE events.event_id = p.event_id"""


def _mechanism_steps(src: str) -> str:
    """The history of the mechanism events listed in relation `src` (an event_id column): one row
    per (event, status), in the columns of `mechanism_steps` (migration 012, which fills it with the
    same statement; v_mechanism_timeline reads it)."""
    return f"""
        SELECT r.event_id, k.status,
               min(coalesce(a.published_at, a.first_seen_at)) AS first_reported_at,
               max(coalesce(a.published_at, a.first_seen_at)) AS last_reported_at,
               coalesce(list_sort(list_distinct(list(k.proposer) FILTER (WHERE k.proposer IS NOT NULL))), []) AS proposers,
               len(list_distinct(list(r.article_id))) AS articles,
               list_sort(list_distinct(list(a.language))) AS languages,
               arg_min(k.evidence, {{'at': coalesce(a.published_at, a.first_seen_at), 'id': k.mechanism_id}})
                   AS first_evidence,
               arg_min(a.url, {{'at': coalesce(a.published_at, a.first_seen_at), 'id': k.mechanism_id}})
                   AS first_article_url
        FROM (SELECT * FROM reports WHERE event_id IN (SELECT event_id FROM {src})) AS r
        JOIN mechanisms AS k ON k.mechanism_id = r.report_id
        JOIN articles AS a ON a.article_id = r.article_id
        GROUP BY r.event_id, k.status"""


def mechanism_steps_insert(src: str) -> str:
    """An INSERT that stores the history of the mechanism events listed in relation `src` (an
    event_id column; `events` for all), as resolution does, for generators that write events
    without it. Their rows must be deleted first."""
    return f"INSERT INTO mechanism_steps {_mechanism_steps(src)}"


def refresh_participants(con: duckdb.DuckDBPyConnection, entity_ids: Iterable[str], keep: Iterable[str] = ()) -> int:
    """Rewrite the stored participants of the events that name these entities (but those in
    `keep`, written afresh); returns how many events."""
    with arrow_view(con, ids(entity_ids, "entity_id"), "named") as src, \
            arrow_view(con, ids(keep, "event_id"), "keep") as exclude:
        events = [row[0] for row in con.execute(f"""
            SELECT DISTINCT event_id FROM reports
            WHERE list_has_any(entities, (SELECT list(entity_id) FROM {src}))
              AND event_id NOT IN (SELECT event_id FROM {exclude})""").fetchall()]
    if events:
        with arrow_view(con, ids(events, "event_id"), "ev") as src:
            con.execute(participants_update(src))
    return len(events)


def event_members(con: duckdb.DuckDBPyConnection, event_ids: Iterable[str]) -> list[dict]:
    """Every report of these events with what an event summary needs (feeds included)."""
    with arrow_view(con, ids(event_ids, "event_id"), "ev") as src:
        return _rows(con, f"""
            WITH r AS (SELECT * FROM reports WHERE event_id IN (SELECT event_id FROM {src})),
            feeds AS (SELECT article_id, list(DISTINCT feed_url) AS feeds FROM article_feeds
                      WHERE article_id IN (SELECT article_id FROM r) GROUP BY article_id)
            SELECT r.report_id, r.event_type, r.event_id, r.article_id, r.entities, a.language,
                   coalesce(a.published_at, a.first_seen_at) AS seen_at, a.published_at,
                   coalesce(f.feeds, CASE WHEN a.feed_url <> '' THEN [a.feed_url] ELSE [] END) AS feeds,
                   coalesce(m.status, k.status) AS status, coalesce(m.name, k.description) AS name,
                   coalesce(m.confidence, k.confidence) AS confidence, m.kind, m.start_date, m.date_precision,
                   m.location, k.proposer
            FROM r JOIN articles AS a USING (article_id)
            LEFT JOIN feeds AS f USING (article_id)
            LEFT JOIN meetings AS m ON m.meeting_id = r.report_id
            LEFT JOIN mechanisms AS k ON k.mechanism_id = r.report_id
            ORDER BY r.event_id, seen_at, r.report_id""")


def write_events(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple], drop: Iterable[str] = ()) -> None:
    """Replace these events' rows (EVENTS order, their participants from `reports` and `entities`,
    which must be written first; a mechanism's steps, `mechanism_steps`, from its reports) and
    delete the events in `drop` (no report left) with their steps."""
    data = table(EVENTS, rows)
    gone = ids([*drop, *(r[0] for r in rows)], "event_id")
    with arrow_view(con, gone, "gone") as src:
        con.execute(f"DELETE FROM events WHERE event_id IN (SELECT event_id FROM {src})")
        con.execute(f"DELETE FROM mechanism_steps WHERE event_id IN (SELECT event_id FROM {src})")
    if data.num_rows:
        columns = ", ".join(EVENTS.names)
        with arrow_view(con, data, "events") as src:      # its columns: EVENTS', in order
            con.execute(f"""
                INSERT INTO events ({columns}, participant_ids, participants, countries)
                SELECT s.*, coalesce(p.participant_ids, []), coalesce(p.participants, []), coalesce(p.countries, [])
                FROM {src} AS s LEFT JOIN ({_participants(src)}) AS p USING (event_id)""")
            con.execute(mechanism_steps_insert(src))
