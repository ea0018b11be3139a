"""An event's own attributes, from the reports that make it up.

The current status is the furthest any report has seen it go (a planned meeting reported as
held is past; a proposal later agreed is agreed); the date is the most precise one, taken
from the reports that saw the furthest status; the place is the most specific geocoded one
(a city over its country); the name is the clearest report's (highest confidence, then the
earliest). Counts: distinct articles, feeds and languages.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from events.codes import EventCodes, codes_of, scope_of
from schemas import Place

MEETING_PROGRESS = {"planned": 0, "ongoing": 1, "past": 2}
MECHANISM_PROGRESS = {"proposed": 0, "agreed": 1, "existing": 2, "established": 3}
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, None: 3}
FEATURE_RANK = {"city": 0, "region": 1, "country": 2}


@dataclass(frozen=True)
class Member:
    """One report of an event, as the warehouse holds it."""
    report_id: str
    event_type: str
    article_id: str
    status: str
    name: str | None
    confidence: float
    seen_at: datetime                      # the article's publication time, else when it was fetched
    published: datetime | None = None      # the publication time alone (orders reports; fetch times vary by run)
    language: str | None = None
    feeds: tuple[str, ...] = ()
    kind: str | None = None
    start_date: date | None = None
    date_precision: str | None = None
    location: str | None = None
    place: Place | None = None
    proposer: str | None = None
    countries: frozenset[str] = field(default_factory=frozenset)   # ISO codes of participating countries
    institutions: int = 0                                           # participating institutions


@dataclass(frozen=True)
class EventSummary:
    event_type: str
    kind: str | None
    status: str
    name: str | None
    start_date: date | None
    date_precision: str | None
    location: str | None
    place: Place | None
    first_seen_at: datetime
    last_seen_at: datetime
    articles: int
    sources: int
    languages: tuple[str, ...]
    proposer: str | None
    codes: EventCodes


def _progress(m: Member) -> int:
    table = MEETING_PROGRESS if m.event_type == "meeting" else MECHANISM_PROGRESS
    return table.get(m.status, 0)


def summarize(members: Sequence[Member]) -> EventSummary:
    """The event's attributes (see the module docstring); `members` must not be empty."""
    if not members:
        raise ValueError("an event needs at least one report")
    by_time = sorted(members, key=lambda m: (m.published is not None, m.published or m.seen_at, m.report_id))
    seen = sorted(m.seen_at for m in members)
    furthest = max(_progress(m) for m in members)
    status = next(m.status for m in reversed(by_time) if _progress(m) == furthest)
    dated = [m for m in by_time if m.start_date is not None]
    dated.sort(key=lambda m: (-_progress(m), PRECISION_RANK[m.date_precision]))
    placed = sorted((m for m in by_time if m.place is not None),
                    key=lambda m: FEATURE_RANK.get(str(m.place.feature), 3))
    written = [m for m in by_time if m.location]
    clearest = sorted(by_time, key=lambda m: -m.confidence)[0]
    kinds = [m.kind for m in sorted(by_time, key=lambda m: -m.confidence) if m.kind]
    kind = kinds[0] if kinds else None
    proposer = next((m.proposer for m in by_time if m.proposer and m.status == "proposed"),
                    next((m.proposer for m in by_time if m.proposer), None))
    place = placed[0].place if placed else None
    location = placed[0].location if placed else (written[0].location if written else None)
    countries = frozenset().union(*(m.countries for m in members))
    scope = scope_of(countries, max(m.institutions for m in members), place.country_code if place else None)
    return EventSummary(
        event_type=members[0].event_type, kind=kind, status=status, name=clearest.name,
        start_date=dated[0].start_date if dated else None, date_precision=dated[0].date_precision if dated else None,
        location=location, place=place, first_seen_at=seen[0], last_seen_at=seen[-1],
        articles=len({m.article_id for m in members}),
        sources=len({f for m in members for f in m.feeds}),
        languages=tuple(sorted({m.language for m in members if m.language})),
        proposer=proposer, codes=codes_of(members[0].event_type, kind, status, scope))
