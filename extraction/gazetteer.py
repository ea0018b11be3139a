"""The institution gazetteer, shared by every language: aliases → one canonical id.

Data: ``lexicons/institutions.tsv`` (well-known organisations, ru/en names, acronyms,
aliases) and ``lexicons/institution_countries.tsv`` (countries that complete a national
body's name: "МИД" + "России"). Matching works on token sequences, so a language module
only has to tokenise: a word matches by its Snowball stem (so inflected forms match:
"Организации Объединенных Наций"), an all-capitals acronym matches itself, optionally
with a short lower-case case ending ("МИДа", "ОПЕКа"), never a lower-case word.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import snowballstemmer
from razdel import tokenize

from extraction.errors import LexiconError
from extraction.lexicons import load_table

_CYR = re.compile(r"[а-яё]", re.I)
_ACRONYM = re.compile(r"[A-ZА-ЯЁ0-9&+\-]*[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&+\-]*")
_ACRONYM_SUFFIX = re.compile(r"([A-ZА-ЯЁ]{2,})-?([а-яё]{1,3})")
_LANGUAGES = {"ru": "russian", "en": "english"}
_local = threading.local()   # Snowball stemmers keep per-word state: one set per thread, never shared

COUNTRY_OPTIONAL = "*"   # a national body that may name its country ("Министерство обороны [России]")
COUNTRY_REQUIRED = "+"   # a national body named only with its country ("Правительство Казахстана")


def is_acronym(token: str) -> bool:
    """Two or more letters, all of them capitals ("ООН", "ОПЕК+", "G20" is not: one letter)."""
    return sum(c.isalpha() for c in token) >= 2 and bool(_ACRONYM.fullmatch(token)) and token.upper() == token


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...  # noqa: N802 (the Snowball API's name)


def _stemmer(language: str) -> _Stemmer:
    """This thread's Snowball stemmer of `language` (a stemmer object is not thread-safe).
    snowballstemmer hands out PyStemmer's C stemmer when it is installed (a dependency: the same
    Snowball algorithms, some fifty times faster than the pure-Python ones)."""
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(_LANGUAGES[language])
    return stemmers[language]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Lower-case Snowball stem (applied twice), Russian for Cyrillic words, English otherwise; "ё" as "е"."""
    w = word.casefold().replace("ё", "е")
    stemmer = _stemmer("ru" if _CYR.search(w) else "en")
    # twice: Snowball is not idempotent ("газпром" → "газпр", "газпрома" → "газпром" → "газпр")
    return stemmer.stemWord(stemmer.stemWord(w))


@lru_cache(maxsize=65536)
def token_keys(token: str) -> tuple[str, ...]:
    """Keys a text token can match an alias token by: its stem, and "=ACRONYM" forms."""
    keys = [stem(token)]
    if is_acronym(token):
        keys.append("=" + token)
    else:
        m = _ACRONYM_SUFFIX.fullmatch(token)
        if m:
            keys.append("=" + m.group(1))
    return tuple(keys)


def alias_key(alias: str) -> tuple[str, ...]:
    """The key an alias is indexed by: "=ACRONYM" for acronym tokens, stems for words."""
    return tuple("=" + t.text if is_acronym(t.text) else stem(t.text)
                 for t in tokenize(alias) if t.text not in {"«", "»", '"', "“", "”", "„"})


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    country: str
    name_ru: str
    name_en: str
    acronym_ru: str
    acronym_en: str
    aliases: tuple[str, ...]

    def name(self, lang: str) -> str:
        return (self.name_ru if lang == "ru" else self.name_en) or self.name_en or self.name_ru

    def acronym(self, lang: str) -> str | None:
        return (self.acronym_ru if lang == "ru" else self.acronym_en) or None

    @property
    def national(self) -> bool:
        """A generic national body whose country completes the name (МИД → МИД России)."""
        return self.country in (COUNTRY_OPTIONAL, COUNTRY_REQUIRED)

    def all_names(self) -> tuple[str, ...]:
        return tuple(x for x in (self.name_ru, self.name_en, self.acronym_ru, self.acronym_en, *self.aliases) if x)


@dataclass(frozen=True)
class Country:
    id: str
    name_ru: str
    gen_ru: str
    name_en: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    start: int          # token index
    end: int            # token index, exclusive
    target: Entry | Country


class _Trie:
    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, key: tuple[str, ...], value: object) -> None:
        node = self.root
        for k in key:
            node = node.setdefault(k, {})
        node.setdefault(None, set()).add(value)

    def longest(self, tokens: Sequence[str], start: int, max_len: int = 16) -> tuple[int, set] | None:
        """The longest alias starting at `start`: (end, values), or None."""
        best = None
        frontier = [self.root]
        for i in range(start, min(len(tokens), start + max_len)):
            nxt = [child for node in frontier for k in token_keys(tokens[i]) if (child := node.get(k)) is not None]
            if not nxt:
                break
            for node in nxt:
                if None in node:
                    best = (i + 1, node[None])
            frontier = nxt
        return best


class Gazetteer:
    """Alias index over the institution and country tables."""

    def __init__(self, entries: Sequence[Entry], countries: Sequence[Country]) -> None:
        self.entries = {e.id: e for e in entries}
        if len(self.entries) != len(entries):
            raise LexiconError("institutions.tsv: duplicate ids")
        self.countries = {c.id: c for c in countries}
        self._inst = _Trie()
        self._country = _Trie()
        self._acronyms: dict[str, str] = {}
        for e in entries:
            for name in e.all_names():
                key = alias_key(name)
                if key:
                    self._inst.add(key, e.id)
        for c in countries:
            for name in (c.name_ru, c.gen_ru, c.name_en, *c.aliases):
                key = alias_key(name)
                if key:
                    self._country.add(key, c.id)

    def match(self, tokens: Sequence[str], start: int) -> Match | None:
        """The longest institution alias at token `start` (tokens are surface strings)."""
        found = self._inst.longest(tokens, start)
        if not found:
            return None
        end, ids = found
        if len(ids) != 1:
            return None
        return Match(start, end, self.entries[next(iter(ids))])

    def match_country(self, tokens: Sequence[str], start: int) -> Match | None:
        found = self._country.longest(tokens, start, max_len=5)
        if not found or len(found[1]) != 1:
            return None
        return Match(start, found[0], self.countries[next(iter(found[1]))])

    def resolve(self, name: str) -> Entry | None:
        """The entry a whole name or alias stands for, or None ("ООН" → un)."""
        tokens = [t.text for t in tokenize(name) if t.text not in {"«", "»", '"'}]
        m = self.match(tokens, 0)
        return m.target if m and m.end == len(tokens) and isinstance(m.target, Entry) else None

    def ids_of(self, alias: str) -> set[str]:
        """Every id whose alias key equals this alias's key (for hygiene tests)."""
        node = self._inst.root
        for k in alias_key(alias):
            node = node.get(k, {})
        return set(node.get(None, set()))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer, built once per process."""
    entries = [Entry(r["id"], r["kind"], r["country"], r["name_ru"], r["name_en"], r["acronym_ru"],
                     r["acronym_en"], _split(r["aliases"])) for r in load_table("institutions")]
    countries = [Country(r["id"], r["name_ru"], r["gen_ru"], r["name_en"], _split(r["aliases"]))
                 for r in load_table("institution_countries")]
    return Gazetteer(entries, countries)
