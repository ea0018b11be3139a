"""Countries by ISO 3166-1 alpha-2 code under every name Russian and English news gives them.

The base is pycountry's ISO 3166-1 data: each country's English name, official and common name,
and their Russian translations from pycountry's own gettext catalogue (so «Республика
Таджикистан», "Islamic Republic of Iran" and «Южная Корея» need no row of ours). The project's
tables add what the standard lacks:

1. ``lexicons/country_names.tsv``: short, old and colloquial forms ("U.S.", "Kirghizia", «РФ»,
   «Киргизия», "Qazaqstan"), each with its code; a form here wins over ISO's reading of it;
2. the country names of ``lexicons/ru/countries.tsv`` and ``lexicons/en/countries.tsv`` (the
   tables the extractors name countries by), so every country an extractor reports has a code;
   of the Russian table's forms only the names are taken, never its adjectives («российский») or
   compound prefixes («российско»): a form is a country's name, not a word about it.

Matching folds case, «ё», diacritics ("Türkiye"), quotes, dots ("U.S."), hyphens and spacing, and
a leading English "the". A Cyrillic name the index misses is tried once more by its lemmas
(pymorphy2, which natasha already ships), so «Казахстана», «Киргизии» and «Российской Федерации»
find their countries; the lemma index is built on the first such miss only.
"""
from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import pycountry

from extraction.errors import LexiconError
from extraction.lexicons import lexicon_path, load_table

# Quotes, apostrophes and dots vanish ("U.S." → "us"); hyphens, dashes and other punctuation part words.
_FOLD = {ord(c): None for c in "\"'`«»„“”‘’‚‹›´ʹʺʻʼʽˮ."} | {ord(c): " " for c in "-‐‑‒–—―_/\\,;:()[]{}!?|+&*"}
_MARKS = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # combining marks
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LANGS = ("en", "ru")


def fold(name: str) -> str:
    """The comparison key of a place or country name: case, «ё», diacritics, quotes, dots, hyphens,
    punctuation and spacing folded ("U.S." → "us", «Кот-д'Ивуар» → "кот дивуар"). Like
    `names.name_key` ("й" stays a letter), in one pass: the gazetteer folds 10^5 names."""
    text = name.casefold()
    if not text.isascii():  # "й" is kept from NFKD's "и" + breve under a stand-in no name holds
        text = text.replace("\0", "").replace("й", "\0")
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text)).replace("\0", "й")
    return " ".join(text.translate(_FOLD).split())


def _country_key(name: str) -> str:
    key = fold(name)
    return key[4:] if key.startswith("the ") else key


@lru_cache(maxsize=1)
def _russian() -> gettext.NullTranslations:
    """pycountry's Russian catalogue of ISO 3166-1 names (shipped in its wheel)."""
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])


def _iso_names(country: object) -> Iterator[str]:
    """A pycountry country's English names and their Russian translations."""
    names = [getattr(country, f, None) for f in ("name", "official_name", "common_name")]
    for name in filter(None, names):
        yield name
        yield _russian().gettext(name)


def _is_russian_name(form: str, country: str) -> bool:
    """Whether a ru/countries.tsv form names the country (not an adjective or compound prefix)."""
    if " " in form or form == fold(country):
        return True
    return not form.endswith(("ий", "ый", "ой", "о"))


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Every folded country name (ours, ISO's, the extractors' tables') → its alpha-2 code."""
    iso = {c.alpha_2 for c in pycountry.countries}
    out: dict[str, str] = {}
    path = lexicon_path("country_names.tsv")
    for i, row in enumerate(load_table("country_names"), start=2):
        key, code = _country_key(row["form"]), row["code"]
        if not key or code not in iso:
            raise LexiconError(f"lexicon {path}: row {i} ({row['form']!r}): no form, or {code!r} is no ISO 3166-1 code")
        if out.get(key, code) != code:
            raise LexiconError(f"lexicon {path}: row {i}: {row['form']!r} names both {out[key]} and {code}")
        out[key] = code
    for country in pycountry.countries:
        for name in _iso_names(country):
            out.setdefault(_country_key(name), country.alpha_2)
    for lang in _LANGS:
        path = lexicon_path("countries.tsv", lang)
        rows = load_table("countries", lang)
        for i, row in enumerate(rows, start=2):
            code = out.get(_country_key(row["country"]))
            if code is None:
                raise LexiconError(f"lexicon {path}: row {i}: country {row['country']!r} has no ISO 3166-1 code")
            if lang == "ru" and _is_russian_name(row["form"], row["country"]):
                out.setdefault(_country_key(row["form"]), code)
    return out


def fold_lemmas(name: str) -> str:
    """`fold` of a Russian name with each word in its dictionary form (pymorphy2's first parse):
    «Кыргызской Республики» → "кыргызский республика", «Бишкеке» → "бишкек"."""
    from extraction.ru.nlp import vocabulary  # pymorphy2's dictionary (≈1 s), loaded on first use

    morph = vocabulary()
    return fold(" ".join(morph.parse(word)[0].normal_form for word in fold(name).split()))


@lru_cache(maxsize=1)
def _lemma_index() -> dict[str, str]:
    """Every Cyrillic name of `_index` by the lemmas of its words (built on the first Cyrillic miss)."""
    out: dict[str, str] = {}
    for key, code in _index().items():
        if _CYRILLIC.search(key):
            out.setdefault(key, code)        # ru/countries.tsv's forms are lemmas already
            out.setdefault(fold_lemmas(key), code)
    return out


def preload() -> None:
    """Build the lemma index now (pymorphy2's dictionary loaded with it; about 0.5 s), not on the
    first Cyrillic miss."""
    _lemma_index()


@lru_cache(maxsize=8192)
def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country named in Russian or English, in any spelling, case
    or (Russian) grammatical case: «Киргизия», «Кыргызской Республики», "Kyrgyz Republic" → "KG";
    None for anything else, adjectives and demonyms included ("Russian", «российский»)."""
    key = _country_key(name)
    if not key:
        return None
    code = _index().get(key)
    if code is None and _CYRILLIC.search(key) and len(key) <= 80:
        code = _lemma_index().get(fold_lemmas(key))
    return code


@lru_cache(maxsize=1)
def _table_names() -> dict[str, dict[str, str]]:
    """Per language, each code's country name in the extractors' own table (the name they report):
    «Кыргызстан» for KG (Киргизия is its `same_as`), "Russia" for RU. Where the table has two names
    for one code ("Korea", "South Korea") ISO's common or short name decides, else the first."""
    out: dict[str, dict[str, str]] = {}
    for lang in _LANGS:
        names: dict[str, list[str]] = {}
        for row in load_table("countries", lang):
            name = row.get("same_as") or row["country"]
            code = country_code(name)
            if code is not None and name not in names.setdefault(code, []):
                names[code].append(name)
        chosen: dict[str, str] = {}
        for code, candidates in names.items():
            iso = {_country_key(n) for n in _iso_names(pycountry.countries.get(alpha_2=code))}
            chosen[code] = next((n for n in candidates if _country_key(n) in iso), candidates[0])
        out[lang] = chosen
    return out


def country_name(code: str, lang: str) -> str:
    """A country's canonical short name in `lang` ("en" or "ru"): the name the extractors' tables use
    ("Kazakhstan" / «Казахстан», "Russia" / «Россия», "United States" / «США»), else ISO's common
    or short name (English, or pycountry's Russian translation). ValueError for an unknown code."""
    if lang not in _LANGS:
        raise ValueError(f"country_name: language {lang!r} is not one of {_LANGS}")
    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if country is None:
        raise ValueError(f"country_name: {code!r} is not an ISO 3166-1 alpha-2 code")
    known = _table_names()[lang].get(country.alpha_2)
    if known:
        return known
    short = getattr(country, "common_name", None) or country.name
    return short if lang == "en" else _russian().gettext(short)
