"""The one adapter from extractor hits to validated `schemas` records.

Ids, evidence sentences, the measured confidence of the rule (`extraction/confidence.py`)
and the extractor version are added here; a record that fails
validation becomes a `Reject` carrying the error and the input — nothing is dropped
silently.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from extraction.confidence import calibrated
from extraction.hits import Hits, InstitutionHit, MechanismHit, MeetingHit
from extraction.names import name_key
from schemas import (
    Extraction,
    Institution,
    InstitutionMention,
    Mechanism,
    Meeting,
    Reject,
    stable_id,
)

R = TypeVar("R", bound=BaseModel)


def _validated(model: type[R], data: dict[str, Any], *, body: str, article_id: str, version: str,
               rejects: list[Reject]) -> R | None:
    try:
        return model.model_validate(data, context={"body": body})
    except ValidationError as e:
        errors = "; ".join(f"{'.'.join(map(str, err['loc'])) or model.__name__}: {err['msg']}" for err in e.errors())
        rejects.append(Reject.of(article_id=article_id, stage="validate", record_type=model.__name__,
                                 error=errors, payload=data, extractor_version=version))
        return None


def _sentence_text(body: str, start: int, end: int) -> str:
    return body[start:end].strip()


def _institution_rank(hit: InstitutionHit) -> tuple[int, int]:
    return (hit.source == "gazetteer", len(hit.name))


def to_records(hits: Hits, *, article_id: str, body: str, version: str) -> Extraction:
    """Turn one article's hits into an `Extraction` of validated records and rejects."""
    rejects: list[Reject] = []
    check: Callable[[type[R], dict[str, Any]], R | None] = lambda model, data: _validated(  # noqa: E731
        model, data, body=body, article_id=article_id, version=version, rejects=rejects)

    best: dict[str, InstitutionHit] = {}
    aliases: dict[str, set[str]] = {}
    mentions: list[InstitutionMention] = []
    seen_spans: set[tuple[str, int, int]] = set()
    for h in hits.institutions:
        if h.institution_id not in best or _institution_rank(h) > _institution_rank(best[h.institution_id]):
            best[h.institution_id] = h
        aliases.setdefault(h.institution_id, set()).update(a for a in (*h.aliases, h.acronym, h.surface) if a)
        if (h.institution_id, h.start, h.end) in seen_spans:
            continue
        seen_spans.add((h.institution_id, h.start, h.end))
        evidence = _sentence_text(body, h.sentence.start, h.sentence.end) if h.sentence else ""
        m = check(InstitutionMention, dict(
            article_id=article_id, institution_id=h.institution_id, surface=h.surface, char_start=h.start,
            char_end=h.end, evidence=evidence, confidence=calibrated(h.rule_id, h.confidence), rule_id=h.rule_id,
            extractor_version=version))
        if m:
            mentions.append(m)
    institutions: list[Institution] = []
    for iid, h in best.items():
        inst = check(Institution, dict(
            institution_id=iid, name=h.name, acronym=h.acronym, kind=h.kind, language=h.language,
            aliases=tuple(sorted(aliases[iid] - {h.name})), source=h.source))
        if inst:
            institutions.append(inst)
    ok_ids = {i.institution_id for i in institutions}
    mentions = [m for m in mentions if m.institution_id in ok_ids]

    meetings = [m for m in (check(Meeting, _meeting_data(h, article_id, body, version)) for h in hits.meetings) if m]
    mechanisms = [m for m in (check(Mechanism, _mechanism_data(h, article_id, body, version))
                              for h in hits.mechanisms) if m]
    return Extraction(article_id=article_id, extractor_version=version, institutions=tuple(institutions),
                      mentions=tuple(mentions), meetings=tuple(_unique(meetings, "meeting_id")),
                      mechanisms=tuple(_unique(mechanisms, "mechanism_id")), rejects=tuple(rejects))


def _unique(records: list[R], key: str) -> list[R]:
    seen: dict[str, R] = {}
    for r in records:
        seen.setdefault(getattr(r, key), r)
    return list(seen.values())


def _meeting_data(h: MeetingHit, article_id: str, body: str, version: str) -> dict[str, Any]:
    return dict(
        meeting_id=stable_id(article_id, "meeting", h.start, h.end, h.kind),
        article_id=article_id, kind=h.kind, status=h.status, name=h.name, start_date=h.start_date,
        date_precision=h.date_precision, location=h.location,
        evidence=_sentence_text(body, h.sentence.start, h.sentence.end), char_start=h.start, char_end=h.end,
        confidence=calibrated(h.rule_id, h.confidence), rule_id=h.rule_id, extractor_version=version,
        participants=[asdict(p) for p in _unique_participants(h)],
    )


def _unique_participants(h: MeetingHit) -> list[Any]:
    seen: dict[str, Any] = {}
    for p in h.participants:
        seen.setdefault(name_key(p.name), p)
    return list(seen.values())


def _mechanism_data(h: MechanismHit, article_id: str, body: str, version: str) -> dict[str, Any]:
    return dict(
        mechanism_id=stable_id(article_id, "mechanism", h.start, h.end),
        article_id=article_id, description=h.description, status=h.status, proposer=h.proposer,
        evidence=_sentence_text(body, h.sentence.start, h.sentence.end), char_start=h.start, char_end=h.end,
        confidence=calibrated(h.rule_id, h.confidence), rule_id=h.rule_id, extractor_version=version,
    )
