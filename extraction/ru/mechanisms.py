"""Proposed mechanisms in Russian text (the full rules come with the extraction-engine issue)."""
from __future__ import annotations

from natasha import Doc

from extraction.hits import InstitutionHit, MechanismHit


def find_mechanisms(doc: Doc, institutions: list[InstitutionHit]) -> list[MechanismHit]:
    return []
