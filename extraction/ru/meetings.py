"""Meetings in Russian text (the full rules come with the extraction-engine issue)."""
from __future__ import annotations

from datetime import date

from natasha import Doc

from extraction.hits import InstitutionHit, MeetingHit


def find_meetings(doc: Doc, institutions: list[InstitutionHit], published: date | None) -> list[MeetingHit]:
    return []
