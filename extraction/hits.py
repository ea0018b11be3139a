"""What the language-specific extractors return: plain spans with their attributes.

One adapter (`extraction.adapt`) turns hits into validated `schemas` records (ids,
evidence text, extractor version) — extractors never build records themselves.
Offsets are into the article body.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from schemas import (
    DatePrecision,
    InstitutionKind,
    MechanismStatus,
    MeetingKind,
    MeetingStatus,
    ParticipantType,
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True)
class InstitutionHit:
    """One mention of a named institution, already resolved to its identity."""
    start: int
    end: int
    surface: str                      # the text as it stands in the body
    institution_id: str               # gazetteer id, else a stable id of the normalised key
    name: str                         # nominative, full form where known
    acronym: str | None = None
    kind: InstitutionKind = InstitutionKind.OTHER
    language: str | None = None
    aliases: tuple[str, ...] = ()
    source: str = "ner"               # gazetteer | ner | grammar
    rule_id: str = "ru.institution.ner"
    confidence: float = 0.8
    sentence: Sentence | None = None


@dataclass(frozen=True)
class ParticipantHit:
    name: str
    participant_type: ParticipantType


@dataclass(frozen=True)
class MeetingHit:
    start: int                        # offsets of the clearest mention (name or trigger phrase)
    end: int
    sentence: Sentence                # the evidence sentence of that mention
    kind: MeetingKind
    status: MeetingStatus
    name: str | None = None
    start_date: date | None = None
    date_precision: DatePrecision | None = None
    location: str | None = None
    participants: tuple[ParticipantHit, ...] = ()
    rule_id: str = "ru.meeting"
    confidence: float = 0.7
    mentions: tuple[tuple[int, int], ...] = field(default=())   # every merged mention


@dataclass(frozen=True)
class MechanismHit:
    start: int                        # offsets of the description in the body
    end: int
    sentence: Sentence
    description: str
    status: MechanismStatus
    proposer: str | None = None
    rule_id: str = "ru.mechanism"
    confidence: float = 0.6


@dataclass(frozen=True)
class Hits:
    institutions: list[InstitutionHit] = field(default_factory=list)
    meetings: list[MeetingHit] = field(default_factory=list)
    mechanisms: list[MechanismHit] = field(default_factory=list)
