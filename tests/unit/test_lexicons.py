"""Lexicon hygiene: word lists sorted, unique, normalised; gazetteer ids unique, aliases unambiguous."""
from __future__ import annotations

import re
import unicodedata

import pytest

from extraction.gazetteer import COUNTRY_OPTIONAL, COUNTRY_REQUIRED, alias_key, gazetteer
from extraction.lexicons import _ROOT, load_table
from schemas import InstitutionKind

INSTITUTION_LISTS = ["ru/institution_quote_heads.txt", "ru/institution_stops.txt", "ru/not_institutions.txt",
                     "ru/institution_generic_adjectives.txt", "ru/institution_facilities.txt"]
INSTITUTION_TABLES = ["institutions.tsv", "institution_countries.tsv", "ru/institution_heads.tsv"]


def entries(rel: str) -> list[str]:
    lines = (_ROOT / rel).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


@pytest.mark.parametrize("rel", INSTITUTION_LISTS)
def test_word_lists_sorted_unique_normalised(rel):
    words = entries(rel)
    assert words == sorted(words), f"{rel} is not sorted"
    assert len(words) == len(set(words)), f"{rel} has duplicates"
    for w in words:
        assert w == w.strip() and "  " not in w and "ё" not in w, f"{rel}: {w!r} not normalised"
        assert unicodedata.normalize("NFC", w) == w


@pytest.mark.parametrize("rel", INSTITUTION_TABLES)
def test_tables_sorted_with_unique_keys(rel):
    rows = entries(rel)[1:]
    keys = [r.split("\t")[0] for r in rows]
    assert keys == sorted(keys), f"{rel} is not sorted by its first column"
    assert len(keys) == len(set(keys)), f"{rel} has duplicate keys"
    for r in rows:
        assert all(c == c.strip() for c in r.split("\t")), f"{rel}: stray spaces in {r!r}"


def test_institution_rows_are_well_formed():
    countries = {r["id"] for r in load_table("institution_countries")}
    kinds = {k.value for k in InstitutionKind}
    for r in load_table("institutions"):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r["id"]), r["id"]
        assert r["kind"] in kinds, r
        assert r["country"] in countries | {"", COUNTRY_OPTIONAL, COUNTRY_REQUIRED}, r
        assert r["name_ru"] and r["name_en"], r


def test_every_alias_resolves_to_one_id():
    gaz = gazetteer()
    for e in gaz.entries.values():
        for alias in e.all_names():
            assert alias_key(alias), (e.id, alias)
            assert gaz.ids_of(alias) == {e.id}, f"{alias!r} of {e.id} resolves to {gaz.ids_of(alias)}"


def test_head_kinds_are_institution_kinds():
    kinds = {k.value for k in InstitutionKind}
    for r in load_table("institution_heads", "ru"):
        assert r["kind"] in kinds and set(r["flags"]) <= {"p", "v", "o", "n"}, r


def test_stems_come_from_the_c_snowball_stemmer_with_the_same_stems() -> None:
    """PyStemmer (a dependency) backs snowballstemmer; its stems equal the pure-Python ones."""
    from snowballstemmer.english_stemmer import EnglishStemmer
    from snowballstemmer.russian_stemmer import RussianStemmer

    from extraction.gazetteer import _stemmer
    assert type(_stemmer("ru")).__module__ == "Stemmer"
    for lang, pure, words in [("ru", RussianStemmer(), ["переговорами", "межправительственной", "ёлками"]),
                              ("en", EnglishStemmer(), ["international", "generously", "negotiations"])]:
        for w in words:
            assert _stemmer(lang).stemWord(w) == pure.stemWord(w)
