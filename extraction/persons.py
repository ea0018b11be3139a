"""One id for a person, and for a country, however Russian and English news spell the name.

A person the actor dictionary knows (`actors.actor`: «Тайип Эрдоган», "Recep Tayyip Erdoğan";
or any of its forms by the key below: "Sergei Lavrov" for the actor spelled "Sergey Lavrov") is
``person:<actor id>`` under the actor's English name and country. Anyone else gets an id made
from the name itself, so «Сергей Лавров», "Sergey Lavrov", "Sergei Lavrov" and "Lavrov Sergei"
are one person:

1. Cyrillic is transliterated with iuliia's WIKIPEDIA schema (Wikipedia's romanisation of
   Russian: «Евгений» → "Yevgeny", «Токаев» → "Tokayev", «Фёдор» → "Fyodor"). It is the one of
   iuliia's schemas closest to how the English-language press spells Russian and Central Asian
   names, so the folding below has the least left to reconcile; MOSMETRO would do as well
   ("Evgeny", "Tokaev") but ICAO's passport spelling ("Evgenii", "Iurii") is further away.
2. The Latin name is folded: case and diacritics, hyphens and apostrophes dropped
   ("Kassym-Jomart" → "kassymjomart", "Erdoğan" → "erdogan"), then spellings that differ only by
   the common variant letters of transliteration made one: x/ks (Alexey, Aleksei), yo and ye/e
   (Mirziyoyev, Mirzieev; Yevgeny, Evgeny), y/i (Sergey, Sergei; Yuriy, Yuri), kh/h (Mikhail,
   Mihail), dzh/dj/zh/j (Dzhamshed, Jamshed; Zhomart, Jomart), q/k (Qasym, Kasym), a doubled
   letter/one (Kassym, Kasym), a final "ander"/"andr" (Alexander, Aleksandr). Nothing else: no
   sound-alike matching, so two different surnames stay two people.
3. A Russian patronymic (a word in -вич/-вна/-чна, -vich/-vna/-chna) in a name of three words
   or more is left out, and the words are sorted, so word order does not matter.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import iuliia

from extraction.actors import Actor, actor
from extraction.countries import country_code, country_name
from extraction.lexicons import load_table
from schemas.names import Entity, EntityType

_LANGS = ("en", "ru")
_CYRILLIC = re.compile(r"[\u0400-\u052F]")
_APART = re.compile(r"[\s,;/()]+")
_PATRONYMIC = re.compile(r"(вич|вна|чна|vich|vna|chna)$")
_ODD_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae",
                              "œ": "oe", "ə": "a"})
_VARIANTS = (("x", "ks"), ("yo", "e"), ("ye", "e"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"),
             ("q", "k"), ("y", "i"))
_DOUBLE = re.compile(r"([a-z])\1+")
_ANDER = re.compile(r"ander$")


@lru_cache(maxsize=65536)
def _latin(word: str) -> str:
    """A word of a name in folded Latin letters (transliterated when Cyrillic), variants folded."""
    if _CYRILLIC.search(word):
        word = iuliia.WIKIPEDIA.translate(word)
    text = unicodedata.normalize("NFKD", word.casefold().translate(_ODD_LETTERS))
    text = "".join(c for c in text if c.isalnum())          # marks, hyphens, apostrophes go
    for old, new in _VARIANTS:
        text = text.replace(old, new)
    return _ANDER.sub("andr", _DOUBLE.sub(r"\1", text))


def person_key(name: str) -> str:
    """The folded, transliterated, word-order-free key of a person's name: «Сергей Лавров»,
    "Sergey Lavrov" and "Lavrov, Sergei" → "lavrov sergei"."""
    words = [w for w in _APART.split(name) if w]
    if len(words) >= 3:
        words = [w for w in words if not _PATRONYMIC.search(w.casefold())] or words
    return " ".join(sorted(filter(None, (_latin(w) for w in words))))


@lru_cache(maxsize=1)
def _actors_by_key() -> dict[str, Actor]:
    """The actor dictionary by `person_key` of every form (so "Sergei Lavrov" and "Lavrov Sergey"
    find the actor spelled "Sergey Lavrov"); a key two actors share is left out."""
    out: dict[str, Actor | None] = {}
    for row in load_table("actors"):
        found = actor(row["name_en"])
        for form in (row["name_ru"], row["name_en"], *row["variants"].split("|")):
            key = person_key(form) if form.strip() else ""
            if key:
                out[key] = found if out.get(key, found) is found else None
    return {k: v for k, v in out.items() if v is not None}


def preload() -> None:
    """Index the actor dictionary now (every form's key, transliterated: about 0.1 s), not on the
    first person resolved."""
    _actors_by_key()


def person_entity(name: str, lang: str) -> Entity:
    """The person a name written in `lang` ("ru" or "en") stands for: ``person:<actor id>`` with the
    actor's English name and country when the actor dictionary knows the name in any spelling; else
    ``person:<person_key, words joined by "-">`` under the name as written, with no country. ValueError for a name
    without letters or an unknown language."""
    if lang not in _LANGS:
        raise ValueError(f"person_entity: language {lang!r} is not one of {_LANGS}")
    key = person_key(name)
    known = actor(name) or _actors_by_key().get(key)
    if known is not None:
        code = country_code(known.country_en) if known.country_en else None
        return Entity(entity_id=f"person:{known.id}", entity_type=EntityType.PERSON, name=known.name_en,
                      country_code=code)
    if not key:
        raise ValueError(f"person_entity: {name!r} has no letters to make a person's id of")
    return Entity(entity_id="person:" + key.replace(" ", "-"), entity_type=EntityType.PERSON,
                  name=" ".join(name.split()))


def country_entity(name: str) -> Entity | None:
    """The country a name stands for (`countries.country_code`: «Киргизия», "Kyrgyz Republic") as
    ``country:KG`` under its English name; None when the name is no country's."""
    code = country_code(name)
    if code is None:
        return None
    return Entity(entity_id=f"country:{code}", entity_type=EntityType.COUNTRY, name=country_name(code, "en"),
                  country_code=code)
