"""Place gazetteers (en/ru places.tsv): well-formed rows, and meetings located through them.

The sentences are invented for these tests; each checks that a gazetteer row gives a meeting
its location (a city, a venue's city, a region's country).
"""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from extraction.lexicons import _ROOT, load_table

LANGS = ["en", "ru"]
HEADER = ["form", "name", "type", "city", "country"]
PUB = date(2024, 5, 15)


def rows(lang: str) -> list[list[str]]:
    """The data lines of places.tsv split into cells, header first (comments skipped)."""
    lines = (_ROOT / lang / "places.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("lang", LANGS)
def test_table_parses_with_the_header_columns(lang):
    header, *data = rows(lang)
    assert header == HEADER
    for cells in data:
        assert len(cells) == len(HEADER), cells
        assert all(c == c.strip() for c in cells), f"stray spaces in {cells!r}"
    parsed = load_table("places", lang)
    assert len(parsed) == len(data)
    assert all(list(r) == HEADER for r in parsed)


@pytest.mark.parametrize("lang", LANGS)
def test_types_cities_and_countries(lang):
    countries = {r["country"] for r in load_table("countries", lang)}
    for r in load_table("places", lang):
        assert r["type"] in ("city", "region", "venue"), r
        assert r["name"], r
        assert r["country"] in countries, f"{r['form']!r}: country {r['country']!r} not in {lang}/countries.tsv"
        if r["type"] == "region":
            assert not r["city"], r
        else:
            assert r["city"], r


@pytest.mark.parametrize("lang", LANGS)
def test_forms_unique_sorted_normalised(lang):
    forms = [cells[0] for cells in rows(lang)[1:]]
    assert len(forms) == len(set(forms)), sorted({f for f in forms if forms.count(f) > 1})
    assert forms == sorted(forms)
    for f in forms:
        assert f == f.lower() and "  " not in f and unicodedata.normalize("NFC", f) == f, f
        if lang == "ru":
            assert "ё" not in f, f


@pytest.mark.parametrize(("lang", "form"), [
    # ordinary words and first names that would make false places
    ["en", "mary"], ["en", "nice"], ["en", "reading"], ["en", "bath"], ["en", "split"], ["en", "van"],
    ["en", "of"], ["en", "bar"], ["en", "florence"], ["en", "vladimir"],
    ["ru", "семья"], ["ru", "орел"], ["ru", "мара"], ["ru", "иванов"], ["ru", "капать"], ["ru", "владимир"],
    ["ru", "курган"], ["ru", "находка"], ["ru", "губа"],
])
def test_ambiguous_words_are_not_places(lang, form):
    assert form not in {r["form"] for r in load_table("places", lang)}


def en_location(text: str) -> list[str | None]:
    from extraction.en import extract_hits
    return [m.location for m in extract_hits(text, PUB).meetings]


def ru_location(text: str) -> list[str | None]:
    from extraction.ru import extract_hits
    return [m.location for m in extract_hits(text, PUB).meetings]


@pytest.mark.parametrize(("text", "location"), [
    ["The ministers met in Shymkent on Monday.", "Shymkent"],
    # a city is reported as the article spells it (the table still knows the variant)
    ["The ministers met in Chimkent on Monday.", "Chimkent"],
    ["The foreign ministers of Kazakhstan and Uzbekistan met in Qarshi on Tuesday.", "Qarshi"],
    ["The ministers met in Turkmenabat on Monday.", "Turkmenabat"],
    ["The ministers met in Khankendi on Monday.", "Khankendi"],
    ["The ministers met in Grozny on Monday.", "Grozny"],
    ["The ministers met in the Khatlon region on Monday.", "Tajikistan"],
    ["The ministers met in the Moscow region on Monday.", "Russia"],
    ["The ministers met in Dagestan on Monday.", "Russia"],
    ["The ministers met at the Kazan Kremlin on Monday.", "Kazan"],
    ["The ministers met at the Palace of Nations on Monday.", "Geneva"],
    ["The ministers met at the Ala-Archa state residence on Monday.", "Bishkek"],
])
def test_en_meeting_location(text, location):
    assert en_location(text) == [location]


@pytest.mark.parametrize(("text", "location"), [
    ["Министры иностранных дел России и Казахстана встретились в Усть-Каменогорске в понедельник.",
     "Усть-Каменогорск"],
    ["Министры иностранных дел России и Казахстана встретились в Семее в понедельник.", "Семей"],
    ["Министры иностранных дел России и Казахстана встретились в Кызылорде в понедельник.", "Кызылорда"],
    ["Министры иностранных дел России и Киргизии встретились в Джалал-Абаде в понедельник.", "Джалал-Абад"],
    ["Министры иностранных дел России и Киргизии встретились в городе Токмок в понедельник.", "Токмок"],
    ["Министры иностранных дел России и Таджикистана встретились в Хатлонской области в понедельник.",
     "Таджикистан"],
    ["Министры иностранных дел России и Азербайджана встретились в Нахичевани в понедельник.", "Азербайджан"],
    ["Министры иностранных дел России и Казахстана встретились в Татарстане в понедельник.", "Россия"],
    ["Министры иностранных дел России и Казахстана встретились в Казанском кремле в понедельник.", "Казань"],
    ["Министры иностранных дел России и Грузии встретились в Кутаиси в понедельник.", "Кутаиси"],
])
def test_ru_meeting_location(text, location):
    assert ru_location(text) == [location]
