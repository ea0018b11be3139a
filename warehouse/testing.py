"""Small builders and checks for tests of the warehouse (and of code that loads into it).

Plain functions over real DuckDB connections: no mocks.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb

from schemas import (
    Article,
    Extraction,
    Institution,
    InstitutionMention,
    Mechanism,
    Meeting,
    Participant,
    Reject,
    content_hash,
    stable_id,
)

VERSION = "test-1"

# every table's primary or natural key
KEYS: dict[str, tuple[str, ...]] = {
    "schema_migrations": ("version",),
    "articles": ("article_id",),
    "article_revisions": ("article_id", "revision"),
    "institutions": ("institution_id",),
    "institution_aliases": ("institution_id", "alias"),
    "institution_mentions": ("article_id", "institution_id", "char_start", "char_end"),
    "meetings": ("meeting_id",),
    "meeting_participants": ("meeting_id", "name", "participant_type"),
    "mechanisms": ("mechanism_id",),
    "rejects": ("reject_id",),
    "feeds": ("feed_url",),
    "runs": ("run_id",),
    "feed_runs": ("run_id", "feed_url"),
    "events": ("event_id",),
    "reports": ("report_id",),
    "entities": ("entity_id",),
    "mechanism_steps": ("event_id", "status"),
}


def make_article(n: int, body: str | None = None, *, language: str = "ru", **fields) -> Article:
    body = body if body is not None else f"Саммит ООН номер {n} пройдет в Москве. ООН предложила механизм."
    values = dict(
        article_id=f"a{n:04d}", feed_url="https://example.test/feed.xml",
        url=f"https://example.test/news/{n}", guid=f"guid-{n}", title=f"Новость {n}",
        language=language, published_at=datetime(2024, 5, 1 + n % 28, 12, 0, tzinfo=UTC),
        body=body, content_hash=content_hash(body),
    )
    values.update(fields)
    return Article(**values)


def make_institution(iid: str = "un", name: str = "Организация Объединенных Наций", *,
                     acronym: str | None = "ООН", source: str = "gazetteer", aliases=(), **fields) -> Institution:
    return Institution(institution_id=iid, name=name, acronym=acronym, kind=fields.pop("kind", "international"),
                       language=fields.pop("language", "ru"), aliases=tuple(aliases), source=source, **fields)


def make_extraction(article: Article, *, version: str = VERSION, institutions=None) -> Extraction:
    """An extraction with one institution, one mention, one meeting and one mechanism."""
    aid = article.article_id
    body = article.body
    start = max(body.find("ООН"), 0)
    inst = institutions if institutions is not None else (make_institution(),)
    mention = InstitutionMention(
        article_id=aid, institution_id=inst[0].institution_id, surface=body[start:start + 3] or "ООН",
        char_start=start, char_end=start + 3, evidence=body, rule_id="gazetteer", extractor_version=version)
    meeting = Meeting(
        article_id=aid, meeting_id=stable_id(aid, "meeting"), kind="summit", status="planned",
        name="Саммит ООН", start_date=date(2024, 6, 1), date_precision="month", location="Москва",
        evidence=body, confidence=0.9, char_start=0, char_end=min(6, len(body)), rule_id="ru.meeting",
        extractor_version=version,
        participants=(Participant(name="ООН", participant_type="institution"),
                      Participant(name="Россия", participant_type="country")))
    mechanism = Mechanism(
        article_id=aid, mechanism_id=stable_id(aid, "mechanism"), description="механизм",
        status="proposed", proposer="ООН", evidence=body, confidence=0.7, char_start=0,
        char_end=min(8, len(body)), rule_id="ru.mechanism", extractor_version=version)
    return Extraction(article_id=aid, extractor_version=version, institutions=tuple(inst),
                      mentions=(mention,), meetings=(meeting,), mechanisms=(mechanism,))


def make_reject(n: int, *, stage: str = "parse", article_id: str | None = None) -> Reject:
    return Reject.of(reject_id=f"r{n}", article_id=article_id, feed_url="https://example.test/feed.xml",
                     stage=stage, record_type="item", error=f"bad item {n}", payload={"n": n},
                     now=datetime(2024, 5, 1, tzinfo=UTC))


def duplicate_keys(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """table -> number of key values stored more than once (empty when all keys are unique)."""
    found = {}
    for name, key in KEYS.items():
        columns = ", ".join(key)
        dupes = con.execute(
            f"SELECT count(*) FROM (SELECT {columns} FROM {name} GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        if dupes:
            found[name] = dupes
    return found


def snapshot(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple]:
    """Every row of a table, ordered by its key, all columns."""
    return con.execute(f"SELECT * FROM {name} ORDER BY {', '.join(KEYS[name])}").fetchall()
