"""The political-actor gazetteer (extraction/lexicons/actors.tsv): well-formed, unambiguous rows.

Each actor has a canonical Russian and English name, a country (or none, for officials of
international organisations), offices with years, and variant spellings that must never point at
two different people.
"""
from __future__ import annotations

import re
import unicodedata

import pytest

from extraction.lexicons import _ROOT, load_table

HEADER = ["id", "name_ru", "name_en", "country_ru", "country_en", "roles", "variants"]
ROLE_WORDS = {"president", "prime_minister", "vice_president", "foreign_minister", "defence_minister",
              "speaker", "secretary_general", "chairman", "king", "emir", "chancellor",
              "deputy_prime_minister", "other"}
ROLE = re.compile(r"([a-z_]+):(\d{4})-(\d{4})?")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
ROMAN_NUMERAL = re.compile(r"[IVXLC]+")


def key(name: str) -> str:
    """How two names are compared: NFC, case-folded, 'ё' as 'е', single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().replace("ё", "е").split())


def is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def is_cyrillic_name(name: str) -> bool:
    """Cyrillic letters only, apart from a regnal Roman numeral ('Карл III')."""
    words = [w for w in name.split() if not ROMAN_NUMERAL.fullmatch(w)]
    return bool(CYRILLIC.search(name)) and not any(is_latin_letter(c) for w in words for c in w)


def is_latin_name(name: str) -> bool:
    return any(is_latin_letter(c) for c in name) and not CYRILLIC.search(name)


def variants(row: dict[str, str]) -> list[str]:
    return [v for v in row["variants"].split("|") if v] if row["variants"] else []


@pytest.fixture(scope="module")
def actors() -> tuple[dict[str, str], ...]:
    return load_table("actors")


def data_lines() -> list[list[str]]:
    """The raw lines of the file split into cells, header first (comment lines skipped)."""
    lines = (_ROOT / "actors.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_header_and_row_count(actors):
    header, *data = data_lines()
    assert header == HEADER
    assert len(actors) == len(data) > 300
    assert all(list(r) == HEADER for r in actors)
    for cells in data:
        assert len(cells) <= len(HEADER), cells


def test_no_stray_spaces():
    for cells in data_lines():
        for cell in cells:
            assert cell == cell.strip() and "  " not in cell, f"stray spaces in {cells!r}"
            for part in cell.split("|"):
                assert part == part.strip(), f"stray spaces around '|' in {cells!r}"
            assert unicodedata.normalize("NFC", cell) == cell, cell


def test_ids_unique_and_slugs(actors):
    ids = [r["id"] for r in actors]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for i in ids:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i), i


def test_names_in_their_script(actors):
    for r in actors:
        assert r["name_ru"] and is_cyrillic_name(r["name_ru"]), r
        assert r["name_en"] and is_latin_name(r["name_en"]), r
        for v in variants(r):
            assert is_cyrillic_name(v) or is_latin_name(v), (r["id"], v)


def test_countries_paired_and_known(actors):
    ru_countries = {r["country"] for r in load_table("countries", "ru")}
    en_countries = {r["country"] for r in load_table("countries", "en")}
    pairs: dict[str, str] = {}
    for r in actors:
        assert bool(r["country_ru"]) == bool(r["country_en"]), r
        if r["country_ru"]:
            assert r["country_ru"] in ru_countries, r
            assert r["country_en"] in en_countries, r
            assert pairs.setdefault(r["country_ru"], r["country_en"]) == r["country_en"], r


def test_roles_parse(actors):
    for r in actors:
        assert r["roles"], r
        for role in r["roles"].split("|"):
            m = ROLE.fullmatch(role)
            assert m, (r["id"], role)
            word, start, end = m.groups()
            assert word in ROLE_WORDS, (r["id"], role)
            assert 1940 <= int(start) <= 2026, (r["id"], role)
            assert end is None or int(start) <= int(end) <= 2026, (r["id"], role)


def test_variants_name_one_actor(actors):
    owner: dict[str, str] = {}
    for r in actors:
        for name in (r["name_ru"], r["name_en"]):
            assert owner.setdefault(key(name), r["id"]) == r["id"], f"{name!r}: {owner[key(name)]} and {r['id']}"
    for r in actors:
        own = {key(r["name_ru"]), key(r["name_en"])}
        seen: set[str] = set()
        for v in variants(r):
            k = key(v)
            assert k not in own, f"{r['id']}: variant {v!r} repeats its canonical name"
            assert k not in seen, f"{r['id']}: variant {v!r} listed twice"
            seen.add(k)
            assert owner.setdefault(k, r["id"]) == r["id"], f"{v!r}: {owner[k]} and {r['id']}"


def test_variants_are_full_names(actors):
    for r in actors:
        for v in variants(r):
            assert len(v.split()) >= 2, (r["id"], v)


def test_known_rows(actors):
    by_id = {r["id"]: r for r in actors}
    erdogan = by_id["erdogan-recep-tayyip"]
    assert (erdogan["name_ru"], erdogan["country_ru"], erdogan["country_en"]) == ("Реджеп Тайип Эрдоган", "Турция", "Turkey")
    assert "Тайип Эрдоган" in variants(erdogan) and "Recep Erdogan" in variants(erdogan)
    assert by_id["japarov-sadyr"]["country_ru"] == "Кыргызстан"
    assert by_id["guterres-antonio"]["country_ru"] == by_id["guterres-antonio"]["country_en"] == ""
    keys = {key(v): r["id"] for r in actors for v in (r["name_ru"], r["name_en"], *variants(r))}
    assert keys[key("Гурбангулы Бердымухаммедов")] == "berdimuhamedow-gurbanguly"
    assert keys[key("Сердар Бердымухаммедов")] == "berdimuhamedow-serdar"
    assert keys[key("Шавкат Мирзиеев")] == "mirziyoyev-shavkat"
