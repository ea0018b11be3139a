"""Extracted records: institutions (merged), mentions, meetings with participants, mechanisms.

``prepare`` checks and deduplicates one batch of extractions in Python (DuckDB's
``ON CONFLICT`` keeps the first of two equal keys in one statement, so duplicates are
settled here), turning what cannot be stored into load-stage rejects. ``replace_records``
deletes the stored records of the given articles and inserts the prepared ones.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa

from schemas import Extraction, Institution, InstitutionMention, Mechanism, Meeting, Reject
from warehouse.arrow import DATE, FLOAT, INT, STR, TS, ids, schema, table
from warehouse.db import arrow_view

GAZETTEER = "gazetteer"

INSTITUTIONS = schema(("institution_id", STR), ("name", STR), ("acronym", STR), ("kind", STR),
                      ("language", STR), ("source", STR), ("first_seen_at", TS))
ALIASES = schema(("institution_id", STR), ("alias", STR))
MENTIONS = schema(("article_id", STR), ("institution_id", STR), ("surface", STR), ("char_start", INT),
                  ("char_end", INT), ("evidence", STR), ("confidence", FLOAT), ("rule_id", STR),
                  ("extractor_version", STR))
PARTICIPANT_LIST = pa.list_(pa.struct([("name", STR), ("participant_type", STR)]))
MEETINGS = schema(("meeting_id", STR), ("article_id", STR), ("kind", STR), ("status", STR), ("name", STR),
                  ("start_date", DATE), ("date_precision", STR), ("location", STR), ("evidence", STR),
                  ("char_start", INT), ("char_end", INT), ("confidence", FLOAT), ("rule_id", STR),
                  ("extractor_version", STR), ("participants_typed", PARTICIPANT_LIST))
PARTICIPANTS = schema(("meeting_id", STR), ("name", STR), ("participant_type", STR), ("position", INT))
MECHANISMS = schema(("mechanism_id", STR), ("article_id", STR), ("description", STR), ("status", STR),
                    ("proposer", STR), ("evidence", STR), ("char_start", INT), ("char_end", INT),
                    ("confidence", FLOAT), ("rule_id", STR), ("extractor_version", STR))


@dataclass
class Prepared:
    """One batch of extracted records, deduplicated and ready to insert."""
    articles: set[str] = field(default_factory=set)          # whose records are replaced
    versions: dict[str, str] = field(default_factory=dict)   # article_id -> extractor_version
    failed: dict[str, Extraction] = field(default_factory=dict)  # article_id -> an extraction with an error
    institutions: dict[str, Institution] = field(default_factory=dict)
    aliases: set[tuple[str, str]] = field(default_factory=set)
    mentions: dict[tuple[str, str, int, int], InstitutionMention] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    mechanisms: dict[str, Mechanism] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)


def load_reject(record, *, article_id: str | None, error: str, version: str | None, now: datetime) -> Reject:
    """A load-stage reject carrying the record as its JSON payload."""
    return Reject.of(stage="load", record_type=type(record).__name__.lower(), error=error,
                     payload=record.model_dump_json(), article_id=article_id, extractor_version=version, now=now)


def merge_institution(old: Institution, new: Institution) -> Institution:
    """Keep `old`'s name unless `new` comes from the gazetteer and `old` does not; fill gaps."""
    winner, other = (new, old) if new.source == GAZETTEER and old.source != GAZETTEER else (old, new)
    return winner.model_copy(update={
        "acronym": winner.acronym or other.acronym,
        "kind": other.kind if winner.kind == "other" else winner.kind,
        "language": winner.language or other.language,
        "aliases": (),
    })


def alias_pairs(institution: Institution) -> set[tuple[str, str]]:
    names = (institution.name, institution.acronym, *institution.aliases)
    return {(institution.institution_id, n.strip()) for n in names if n and n.strip()}


def prepare(extractions: Iterable[Extraction], known_articles: set[str], now: datetime) -> Prepared:
    """Deduplicate a batch; records that cannot be stored become load rejects.

    The last Extraction of an article wins; within it, the last record of a key wins.
    `known_articles` are the ids stored or loaded in this batch: an extraction of any
    other article is rejected whole, as is a record that names another article or
    reuses a meeting/mechanism id of another article of the batch.
    """
    latest: dict[str, Extraction] = {}
    for extraction in extractions:
        latest[extraction.article_id] = extraction
    out = Prepared()
    owners: dict[str, str] = {}  # meeting_id / mechanism_id -> article_id that claimed it first
    for aid, ex in latest.items():
        out.rejects.extend(ex.rejects)
        if aid not in known_articles:
            out.rejects.append(load_reject(ex, article_id=aid, version=ex.extractor_version, now=now,
                                           error=f"extraction of article {aid} which is not stored"))
            continue
        out.articles.add(aid)
        if ex.error is not None:  # nothing extracted: the article stays due (no version recorded)
            out.failed[aid] = ex
            continue
        out.versions[aid] = ex.extractor_version
        for inst in ex.institutions:
            old = out.institutions.get(inst.institution_id)
            out.institutions[inst.institution_id] = inst if old is None else merge_institution(old, inst)
            out.aliases |= alias_pairs(inst)
        for m in ex.mentions:
            if _belongs(out, ex, m, "mention", None, owners, now):
                out.mentions[(m.article_id, m.institution_id, m.char_start, m.char_end)] = m
        for m in ex.meetings:
            if _belongs(out, ex, m, "meeting", ("meeting", m.meeting_id), owners, now):
                out.meetings[m.meeting_id] = m
        for m in ex.mechanisms:
            if _belongs(out, ex, m, "mechanism", ("mechanism", m.mechanism_id), owners, now):
                out.mechanisms[m.mechanism_id] = m
    return out


def _belongs(out: Prepared, ex: Extraction, record, kind: str, key: tuple[str, str] | None,
             owners: dict, now: datetime) -> bool:
    """True when `record` may be stored with `ex`; otherwise a load reject is added."""
    aid = ex.article_id
    if record.article_id != aid:
        error = f"{kind} of article {record.article_id} inside the extraction of {aid}"
    elif key is not None and owners.setdefault(key, aid) != aid:
        error = f"{key[0]}_id {key[1]} already used by article {owners[key]} in this batch"
    else:
        return True
    out.rejects.append(load_reject(record, article_id=aid, version=ex.extractor_version, now=now, error=error))
    return False


def drop_foreign_ids(con: duckdb.DuckDBPyConnection, prepared: Prepared, now: datetime) -> None:
    """Reject meetings/mechanisms whose id is stored for an article this batch does not replace."""
    replaced = ids(prepared.articles, "article_id")
    for name, key, records in (("meetings", "meeting_id", prepared.meetings),
                               ("mechanisms", "mechanism_id", prepared.mechanisms)):
        if not records:
            continue
        with arrow_view(con, ids(records, key), "ids") as src, arrow_view(con, replaced, "replaced") as rep:
            clashes = con.execute(
                f"SELECT t.{key}, t.article_id FROM {name} AS t JOIN {src} USING ({key}) "
                f"WHERE t.article_id NOT IN (SELECT article_id FROM {rep})"
            ).fetchall()
        for record_id, owner in clashes:
            record = records.pop(record_id)
            prepared.rejects.append(load_reject(
                record, article_id=record.article_id, version=record.extractor_version, now=now,
                error=f"{key} {record_id} is already stored for article {owner}"))


def delete_records(con: duckdb.DuckDBPyConnection, article_ids: set[str]) -> None:
    """Delete the mentions, meetings (with participants) and mechanisms of these articles."""
    if not article_ids:
        return
    with arrow_view(con, ids(article_ids, "article_id"), "ids") as src:
        con.execute("DELETE FROM meeting_participants WHERE meeting_id IN "
                    f"(SELECT meeting_id FROM meetings WHERE article_id IN (SELECT article_id FROM {src}))")
        for name in ("institution_mentions", "meetings", "mechanisms"):
            con.execute(f"DELETE FROM {name} WHERE article_id IN (SELECT article_id FROM {src})")


def _insert(con: duckdb.DuckDBPyConnection, name: str, shape, rows, suffix: str = "") -> int:
    data = table(shape, rows)
    if data.num_rows == 0:
        return 0
    columns = ", ".join(shape.names)
    with arrow_view(con, data, name) as src:
        con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {src} {suffix}")
    return data.num_rows


def upsert_institutions(con: duckdb.DuckDBPyConnection, prepared: Prepared, now: datetime) -> int:
    """One row per institution_id (see merge_institution, same rule in SQL); aliases merged."""
    rows = [(i.institution_id, i.name, i.acronym, i.kind, i.language, i.source, now)
            for i in prepared.institutions.values()]
    override = "(excluded.source = 'gazetteer' AND institutions.source <> 'gazetteer')"  # = GAZETTEER
    count = _insert(con, "institutions", INSTITUTIONS, rows, suffix=(
        "ON CONFLICT (institution_id) DO UPDATE SET "
        f"name = CASE WHEN {override} THEN excluded.name ELSE institutions.name END, "
        f"acronym = CASE WHEN {override} THEN coalesce(excluded.acronym, institutions.acronym) "
        "ELSE coalesce(institutions.acronym, excluded.acronym) END, "
        f"kind = CASE WHEN {override} AND excluded.kind <> 'other' THEN excluded.kind "
        "WHEN institutions.kind = 'other' THEN excluded.kind ELSE institutions.kind END, "
        f"language = CASE WHEN {override} THEN coalesce(excluded.language, institutions.language) "
        "ELSE coalesce(institutions.language, excluded.language) END, "
        f"source = CASE WHEN {override} THEN excluded.source ELSE institutions.source END"))
    _insert(con, "institution_aliases", ALIASES, sorted(prepared.aliases), "ON CONFLICT DO NOTHING")
    return count


def insert_records(con: duckdb.DuckDBPyConnection, prepared: Prepared) -> dict[str, int]:
    """Insert the prepared mentions, meetings, participants and mechanisms."""
    mentions = [(m.article_id, m.institution_id, m.surface, m.char_start, m.char_end, m.evidence,
                 m.confidence, m.rule_id, m.extractor_version) for m in prepared.mentions.values()]
    meetings, participants = [], []
    for m in prepared.meetings.values():
        # one list, in the extractor's order without repeats, for both tables (v_meetings reads
        # the meeting's own copy: migration 011)
        listed = list(dict.fromkeys((p.name, str(p.participant_type)) for p in m.participants))
        meetings.append((m.meeting_id, m.article_id, m.kind, m.status, m.name, m.start_date, m.date_precision,
                         m.location, m.evidence, m.char_start, m.char_end, m.confidence, m.rule_id,
                         m.extractor_version, [{"name": n, "participant_type": t} for n, t in listed]))
        participants += [(m.meeting_id, n, t, position) for position, (n, t) in enumerate(listed)]
    mechanisms = [(m.mechanism_id, m.article_id, m.description, m.status, m.proposer, m.evidence,
                   m.char_start, m.char_end, m.confidence, m.rule_id, m.extractor_version)
                  for m in prepared.mechanisms.values()]
    return {
        "institution_mentions": _insert(con, "institution_mentions", MENTIONS, mentions),
        "meetings": _insert(con, "meetings", MEETINGS, meetings),
        "meeting_participants": _insert(con, "meeting_participants", PARTICIPANTS, participants),
        "mechanisms": _insert(con, "mechanisms", MECHANISMS, mechanisms),
    }

