"""Extracted records: institutions and their mentions, meetings with participants, mechanisms, rejects.

Every extracted record carries the article it came from, the offsets of the mention in
`articles.body`, the evidence sentence, the rule that produced it and the extractor
version. Offsets are checked against the body when the body is passed as validation
context: ``Meeting.model_validate(data, context={"body": body})``.
"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from schemas.base import Record
from schemas.enums import (
    DatePrecision,
    InstitutionKind,
    MechanismStatus,
    MeetingKind,
    MeetingStatus,
    ParticipantType,
)
from schemas.ids import stable_id

Name = Field(min_length=1, max_length=500)


class Spanned(Record):
    """A record that points at a span of an article body."""
    article_id: str = Field(min_length=1)
    char_start: int = Field(ge=0)
    char_end: int = Field(gt=0)
    rule_id: str = Field(min_length=1)
    extractor_version: str = Field(min_length=1)

    @model_validator(mode="after")
    def _span_inside_body(self, info: ValidationInfo) -> Spanned:
        if self.char_end <= self.char_start:
            raise ValueError(f"char_end {self.char_end} must be after char_start {self.char_start}")
        body = (info.context or {}).get("body") if info is not None else None
        if body is not None and self.char_end > len(body):
            raise ValueError(f"span {self.char_start}:{self.char_end} is outside the body ({len(body)} chars)")
        return self


class Institution(Record):
    """One real-world organisation: one row however many articles, languages and aliases name it."""
    institution_id: str = Field(min_length=1)
    name: str = Name
    acronym: str | None = None
    kind: InstitutionKind = InstitutionKind.OTHER
    language: str | None = Field(default=None, description="language of `name`")
    aliases: tuple[str, ...] = Field(default=(), description="other names and acronyms, any language")
    source: str = Field(default="ner", description="gazetteer | ner | grammar")


class InstitutionMention(Spanned):
    institution_id: str = Field(min_length=1)
    surface: str = Name
    evidence: str = ""
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class Participant(Record):
    name: str = Name
    participant_type: ParticipantType


class Meeting(Spanned):
    meeting_id: str = Field(min_length=1)
    kind: MeetingKind
    status: MeetingStatus
    name: str | None = Field(default=None, description="the meeting's name or trigger phrase as in the text")
    start_date: date | None = None
    date_precision: DatePrecision | None = None
    location: str | None = None
    evidence: str = Field(min_length=1)
    confidence: float = Field(ge=0.0, le=1.0)
    participants: tuple[Participant, ...] = ()

    @model_validator(mode="after")
    def _date_and_precision(self) -> Meeting:
        if (self.start_date is None) != (self.date_precision is None):
            raise ValueError("start_date and date_precision must be given together (or both be null)")
        return self

    @field_validator("location")
    @classmethod
    def _location_not_blank(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("location must be null or a non-empty name")
        return v


class Mechanism(Spanned):
    mechanism_id: str = Field(min_length=1)
    description: str = Name
    status: MechanismStatus
    proposer: str | None = None
    evidence: str = Field(min_length=1)
    confidence: float = Field(ge=0.0, le=1.0)

    @field_validator("proposer")
    @classmethod
    def _proposer_not_blank(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("proposer must be null or a non-empty name")
        return v


class Reject(Record):
    """A record (or an article) that failed validation or extraction: kept with its reason."""
    reject_id: str = Field(min_length=1)
    article_id: str | None = None
    feed_url: str | None = None
    stage: str = Field(min_length=1, description="parse | extract | validate | load")
    record_type: str = Field(min_length=1)
    error: str = Field(min_length=1)
    payload: str = Field(description="the input that caused it, as JSON text")
    extractor_version: str | None = None
    rejected_at: datetime

    @classmethod
    def of(cls, *, stage: str, record_type: str, error: str, payload: Any, article_id: str | None = None,
           feed_url: str | None = None, extractor_version: str | None = None, reject_id: str | None = None,
           now: datetime | None = None) -> Reject:
        """The one way every layer makes a reject.

        `payload` is the input that failed (kept as JSON text; a string is kept as is), the
        error is cut to 2,000 characters and never empty, and the id is stable: the same
        failure of the same input in the same place is one reject however often it recurs.
        A caller that wants one reject per article whatever the error passes `reject_id`.
        """
        text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False, default=str,
                                                                   sort_keys=True)
        error = error.strip()[:2000] or "unknown error"   # records strip whitespace: a blank error is none
        return cls(
            reject_id=reject_id or stable_id(stage, record_type, article_id, feed_url, error, text),
            article_id=article_id, feed_url=feed_url, stage=stage, record_type=record_type, error=error,
            payload=text, extractor_version=extractor_version, rejected_at=now or datetime.now(UTC))


class Extraction(Record):
    """Everything extracted from one article by one extractor version."""
    article_id: str = Field(min_length=1)
    extractor_version: str = Field(min_length=1)
    institutions: tuple[Institution, ...] = ()
    mentions: tuple[InstitutionMention, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    mechanisms: tuple[Mechanism, ...] = ()
    rejects: tuple[Reject, ...] = ()
    error: str | None = Field(default=None, description="why the article as a whole could not be extracted; "
                              "such an article stays due and is retried by the next run")
