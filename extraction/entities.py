"""Names to the ids that match across languages, for cross-article resolution.

`Normaliser` turns a meeting's participants and place into ids: a country to `country:<ISO
code>` (extraction.countries), a person to `person:<actor or transliteration key>`
(extraction.persons), an institution to `institution:<institution_id>` through the warehouse's
names, acronyms and aliases (with a legal form such as «АО» or "JSC" stripped), a place to a
geocoded `Place` (extraction.geocode). It keeps every entity it made, for the `entities` table.
"""
from __future__ import annotations

from collections.abc import Iterable

from extraction.countries import country_code
from extraction.geocode import geocode
from extraction.lexicons import load_words
from extraction.names import name_key
from extraction.persons import person_entity
from schemas import Entity, EntityType, Place


class Normaliser:
    """Names to ids, with one run's institution aliases (`aliases`: (alias, institution_id))."""

    def __init__(self, aliases: Iterable[tuple[str, str]]) -> None:
        self._institutions: dict[str, str] = {}
        for alias, iid in sorted(aliases):   # an alias two institutions share goes to the first id, every run
            if alias:
                self._institutions.setdefault(name_key(alias), iid)
        self.entities: dict[str, Entity] = {}
        self._seen: dict[tuple[str, str, str], Entity | None] = {}

    def place(self, location: str | None) -> Place | None:
        return geocode(location) if location else None

    def participant(self, name: str, participant_type: str, lang: str) -> Entity | None:
        """The entity a participant stands for (None for a country no table knows); the same
        name comes back from a memo (a batch names Russia and Putin thousands of times)."""
        key = (name, participant_type, lang)
        if key not in self._seen:
            self._seen[key] = self._participant(name, participant_type, lang)
        return self._seen[key]

    def _participant(self, name: str, participant_type: str, lang: str) -> Entity | None:
        if participant_type == "country":
            code = country_code(name)
            entity = Entity(entity_id=f"country:{code}", entity_type=EntityType.COUNTRY, name=name,
                            country_code=code) if code else None
        elif participant_type == "person":
            entity = person_entity(name, lang)
        else:
            iid = self._institutions.get(name_key(name)) or self._institutions.get(name_key(strip_legal_form(name)))
            entity = Entity(entity_id=f"institution:{iid or name_key(name)}", entity_type=EntityType.INSTITUTION,
                            name=name)
        if entity is not None:
            self.entities.setdefault(entity.entity_id, entity)
        return entity


def strip_legal_form(name: str) -> str:
    """«АО «КазМунайГаз»» -> «КазМунайГаз»: the name without the legal forms before it, unquoted."""
    words = name.replace("«", " ").replace("»", " ").replace('"', " ").split()
    forms = load_words("legal_forms")
    while words and words[0].casefold() in forms:
        words = words[1:]
    return " ".join(words)
