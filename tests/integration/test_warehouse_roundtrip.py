"""Hypothesis round-trip: random valid records through load_batch and back equal the inputs."""
from __future__ import annotations

import itertools
from datetime import UTC

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from schemas import (
    Article,
    DatePrecision,
    Extraction,
    Language,
    MechanismStatus,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantType,
    content_hash,
)
from schemas.records import Mechanism, Meeting
from warehouse import articles_for_reprocess, load_batch, open_warehouse
from warehouse.testing import duplicate_keys

TEXT = st.text(max_size=60)  # arbitrary Unicode, NUL and astral planes included (no lone surrogates)
NAME = TEXT.filter(lambda s: s.strip())
SPAN = st.tuples(st.integers(0, 10_000), st.integers(1, 500)).map(lambda t: (t[0], t[0] + t[1]))
CONFIDENCE = st.floats(0.0, 1.0, allow_nan=False)
INSTANT = st.datetimes(timezones=st.sampled_from([UTC, None]).flatmap(
    lambda tz: st.just(tz) if tz else st.timezones()))


def valid(factory, **fields):
    try:
        return factory(**fields)
    except ValidationError:
        return None


@st.composite
def article(draw, article_id):
    body = draw(st.text(min_size=1, max_size=300))
    return valid(Article, article_id=article_id, feed_url=draw(TEXT), url=draw(st.none() | TEXT),
                 guid=draw(st.none() | TEXT), title=draw(TEXT), language=draw(st.sampled_from(Language)),
                 published_at=draw(st.none() | INSTANT), body=body, content_hash=content_hash(body))


@st.composite
def meeting(draw, article_id, meeting_id):
    start, end = draw(SPAN)
    dated = draw(st.booleans())
    participants = draw(st.lists(st.builds(Participant, name=NAME, participant_type=st.sampled_from(ParticipantType)),
                                 max_size=4))
    return valid(Meeting, article_id=article_id, meeting_id=meeting_id, kind=draw(st.sampled_from(MeetingKind)),
                 status=draw(st.sampled_from(MeetingStatus)), name=draw(st.none() | TEXT),
                 start_date=draw(st.dates()) if dated else None,
                 date_precision=draw(st.sampled_from(DatePrecision)) if dated else None,
                 location=draw(st.none() | NAME), evidence=draw(NAME), confidence=draw(CONFIDENCE),
                 char_start=start, char_end=end, rule_id=draw(NAME), extractor_version=draw(NAME),
                 participants=tuple(participants))


@st.composite
def mechanism(draw, article_id, mechanism_id):
    start, end = draw(SPAN)
    return valid(Mechanism, article_id=article_id, mechanism_id=mechanism_id, description=draw(NAME),
                 status=draw(st.sampled_from(MechanismStatus)), proposer=draw(st.none() | NAME),
                 evidence=draw(NAME), confidence=draw(CONFIDENCE), char_start=start, char_end=end,
                 rule_id=draw(NAME), extractor_version=draw(NAME))


@st.composite
def batch(draw):
    ids = draw(st.lists(NAME, min_size=1, max_size=3, unique_by=str.strip))
    record_ids = iter(draw(st.lists(NAME, min_size=12, max_size=12, unique_by=str.strip)))
    articles, extractions = [], []
    for aid in ids:
        a = draw(article(aid.strip()))
        if a is None:
            continue
        meetings = [m for _ in range(draw(st.integers(0, 2))) if (m := draw(meeting(a.article_id, next(record_ids).strip())))]
        mechanisms = [m for _ in range(draw(st.integers(0, 2)))
                      if (m := draw(mechanism(a.article_id, next(record_ids).strip())))]
        articles.append(a)
        extractions.append(Extraction(article_id=a.article_id, extractor_version="v", meetings=tuple(meetings),
                                      mechanisms=tuple(mechanisms)))
    return articles, extractions


def unique_participants(m: Meeting) -> Meeting:
    seen, kept = set(), []
    for p in m.participants:
        if (p.name, p.participant_type) not in seen:
            seen.add((p.name, p.participant_type))
            kept.append(p)
    return m.model_copy(update={"participants": tuple(kept)})


def read_meetings(con):
    cursor = con.execute("SELECT meeting_id, article_id, kind, status, name, start_date, date_precision, location, "
                         "evidence, confidence, char_start, char_end, rule_id, extractor_version FROM meetings")
    names = [d[0] for d in cursor.description]
    out = {}
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        participants = con.execute("SELECT name, participant_type FROM meeting_participants WHERE meeting_id = ? "
                                   "ORDER BY position", [record["meeting_id"]]).fetchall()
        record["participants"] = tuple(Participant(name=n, participant_type=t) for n, t in participants)
        out[record["meeting_id"]] = Meeting(**record)
    return out


def read_mechanisms(con):
    cursor = con.execute("SELECT * EXCLUDE (event_id) FROM mechanisms")
    names = [d[0] for d in cursor.description]
    return {row[0]: Mechanism(**dict(zip(names, row, strict=True))) for row in cursor.fetchall()}


counter = itertools.count()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(batch())
def test_records_round_trip(tmp_path, data):
    articles, extractions = data
    con = open_warehouse(tmp_path / f"rt{next(counter)}.duckdb")
    try:
        load_batch(con, run_id="rt", articles=articles, extractions=extractions)
        stored = [a for page in articles_for_reprocess(con, batch_size=2) for a in page]
        assert stored == sorted(articles, key=lambda a: a.article_id)
        assert read_meetings(con) == {m.meeting_id: unique_participants(m) for e in extractions for m in e.meetings}
        assert read_mechanisms(con) == {m.mechanism_id: m for e in extractions for m in e.mechanisms}
        assert duplicate_keys(con) == {}
    finally:
        con.close()


@pytest.mark.parametrize("text", ["\x00", "a\x00b", "😀𝄞", "\u200b", "\ufeffБОМ", "e\u0301", "\U0010ffff"])
def test_awkward_text_round_trips(tmp_path, text):
    body = f"x{text}x"
    a = Article(article_id=text + "id", language="other", body=body, content_hash=content_hash(body), title=text)
    con = open_warehouse(tmp_path / "w.duckdb")
    load_batch(con, run_id=None, articles=[a], extractions=[])
    assert next(articles_for_reprocess(con)) == [a]
