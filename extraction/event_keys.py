"""Keys that name an event alike in Russian and English: what cross-article resolution compares
of a meeting's name or a mechanism's description.

- `ord:N` — an ordinal ("2nd", "second", «второй», «II», «5-й»): the 2nd summit is not the 5th;
- `year:YYYY` — a year written in the name ("Action Plan 2025–2027");
- `concept:…` — a concept of `lexicons/concepts.tsv` ("action plan" = «план действий»),
  matched by Snowball stems, so inflection and word order do not matter;
- `country:XX` — a country named by an adjective or a compound ("Uzbek-Kyrgyz", «узбекско-
  кыргызский») through the country tables;
- `parties:N` — how many parties the name says take part ("trilateral", «пятисторонний»,
  "six-party"): a five-sided council is not a two-country one.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extraction.countries import country_code
from extraction.gazetteer import stem
from extraction.lexicons import load_table

_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*", re.UNICODE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_EN_ORDINAL = re.compile(r"(?<!\d)(\d{1,3})(?:st|nd|rd|th)\b", re.IGNORECASE)
_RU_ORDINAL = re.compile(r"(?<!\d)(\d{1,3})\s?-\s?(?:[а-я]{1,3})\b", re.IGNORECASE)
_ROMAN = re.compile(r"\b(X{0,3}(?:IX|IV|V?I{0,3}))\b(?=\s+[^\W\d_])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "inaugural": 1,
}
# Russian ordinals by stem (any case and gender): первый, второго, третьей, …
_RU_ORDINAL_STEMS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14,
    "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20,
}

# adjective endings (and "третий"'s own): an ordinal, never the cardinal "пяти", "шести" or "пятница"
_RU_ORDINAL_ENDINGS = frozenset(
    "ый ий ой ого ому ым ом ая ей ую ое ые ых ыми ими ьего ьей ья ье ьи ьим ьем ьему ьих ью ьими".split())


# "bilateral", «трехсторонний», "five-sided", "six-party": by stem of the word's first part
_PARTY_WORDS = {
    "bilateral": 2, "trilateral": 3, "quadrilateral": 4, "two-sided": 2, "three-sided": 3, "four-sided": 4,
    "five-sided": 5, "six-sided": 6, "two-party": 2, "three-party": 3, "four-party": 4, "five-party": 5,
    "six-party": 6, "seven-party": 7,
}
_RU_PARTY_STEMS = {"двусторон": 2, "трехсторон": 3, "трёхсторон": 3, "четырехсторон": 4, "четырёхсторон": 4,
                   "пятисторон": 5, "шестисторон": 6, "семисторон": 7}


def parties(text: str) -> set[int]:
    """Party counts a name states ("trilateral summit", «пятисторонний совет»)."""
    found = set()
    for word in _WORD.findall(text):
        low = word.casefold()
        if low in _PARTY_WORDS:
            found.add(_PARTY_WORDS[low])
            continue
        for prefix, value in _RU_PARTY_STEMS.items():
            if low.startswith(prefix):
                found.add(value)
                break
    return found


def _roman(text: str) -> int | None:
    total, last = 0, 0
    for ch in reversed(text):
        value = _ROMAN_VALUES[ch]
        total += -value if value < last else value
        last = max(last, value)
    return total or None


def ordinals(text: str) -> set[int]:
    found = {int(m.group(1)) for m in _EN_ORDINAL.finditer(text)}
    found |= {int(m.group(1)) for m in _RU_ORDINAL.finditer(text)}
    found |= {v for m in _ROMAN.finditer(text) if m.group(1) and (v := _roman(m.group(1)))}
    for word in _WORD.findall(text):
        low = word.casefold()
        if low in _ORDINAL_WORDS:
            found.add(_ORDINAL_WORDS[low])
            continue
        for prefix, value in _RU_ORDINAL_STEMS.items():
            if low.startswith(prefix) and low[len(prefix):] in _RU_ORDINAL_ENDINGS:
                found.add(value)
                break
    return found


@lru_cache(maxsize=1)
def _concepts() -> tuple[tuple[str, frozenset[str]], ...]:
    out = []
    for row in load_table("concepts"):
        for column in ("ru", "en"):
            for form in row[column].split("|"):
                stems = frozenset(stem(w) for w in _WORD.findall(form))
                if stems:
                    out.append((row["concept"], stems))
    return tuple(out)


def _words(text: str) -> list[str]:
    return [w for word in _WORD.findall(text) for w in re.split(r"[-‐]", word) if w]


@lru_cache(maxsize=65536)
def name_keys(text: str | None) -> frozenset[str]:
    """The language-neutral keys of a name or description (see the module docstring)."""
    if not text:
        return frozenset()
    keys = {f"ord:{n}" for n in ordinals(text)}
    keys |= {f"year:{y}" for y in _YEAR.findall(text)}
    keys |= {f"parties:{n}" for n in parties(text)}
    words = _words(text)
    stems = {stem(w) for w in words}
    keys |= {f"concept:{concept}" for concept, needed in _concepts() if needed <= stems}
    for word in words:
        code = _adjective_country(word)
        if code:
            keys.add(f"country:{code}")
    return frozenset(keys)


@lru_cache(maxsize=1)
def _country_stems() -> dict[str, str]:
    """Stem of every one-word form of the country tables (names, adjectives, compound prefixes) ->
    ISO code: «узбекского», «узбекско-», "Uzbek" all stem to a form the tables hold."""
    out: dict[str, str] = {}
    for lang in ("ru", "en"):
        for row in load_table("countries", lang):
            form = row["form"]
            code = country_code(row["country"])
            if code and " " not in form:
                out.setdefault(stem(form), code)
    return out


@lru_cache(maxsize=65536)
def _adjective_country(word: str) -> str | None:
    """A country named by a word of a compound or an adjective («узбекско», "Kyrgyz", «казахстанский»)."""
    if len(word) < 3:
        return None
    return _country_stems().get(stem(word))
