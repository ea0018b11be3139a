"""Known political actors (`lexicons/actors.tsv`): one person under every spelling news gives.

An actor dictionary in the manner of PETRARCH's: heads of state and government, foreign
ministers and heads of international bodies, each with a canonical Russian and English name,
the spellings news uses ("Реджеп Эрдоган", "Тайип Эрдоган", "Recep Erdoğan") and the country
the person represents (none for officials of an international body). The extractors use it
for what an article leaves unsaid: a participant's country when the text names none, and
one full name for one person however an article shortens it.

Names match by `names.name_key` on the whole name: a bare surname matches nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extraction.errors import LexiconError
from extraction.lexicons import load_table
from extraction.names import name_key


@dataclass(frozen=True)
class Actor:
    id: str
    name_ru: str
    name_en: str
    country_ru: str | None
    country_en: str | None

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_en

    def country(self, lang: str) -> str | None:
        return self.country_ru if lang == "ru" else self.country_en


@lru_cache(maxsize=1)
def _index() -> dict[str, Actor]:
    """Every full form (canonical names and variants) by its key."""
    out: dict[str, Actor] = {}
    for row in load_table("actors"):
        actor = Actor(row["id"], row["name_ru"], row["name_en"], row["country_ru"] or None, row["country_en"] or None)
        forms = [actor.name_ru, actor.name_en, *(v for v in row["variants"].split("|") if v.strip())]
        for form in forms:
            key = name_key(form)
            other = out.get(key)
            if other is not None and other.id != actor.id:
                raise LexiconError(f"actors.tsv: {form!r} names both {other.id} and {actor.id}")
            out[key] = actor
    return out


def actor(name: str | None) -> Actor | None:
    """The actor a full name (as a person's nominative name) spells, or None."""
    return _index().get(name_key(name)) if name else None


def full_name(name: str, lang: str) -> str:
    """The actor's canonical name when `name` shortens it ("Тайип Эрдоган" → "Реджеп Тайип
    Эрдоган"); else `name` as written: a spelling of its own ("Sergey" for "Sergei", "Erdoğan")
    is the article's, and stays."""
    known = actor(name)
    if known is None:
        return name
    canonical = known.name(lang)
    words, full = set(name_key(name).split()), set(name_key(canonical).split())
    return canonical if words < full else name
