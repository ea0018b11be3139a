"""Country names to ISO 3166-1 codes (extraction/countries.py): every spelling, either language."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.countries import country_code, country_name, fold
from extraction.lexicons import load_table

GOLDEN = {
    "KG": ["Кыргызстан", "Киргизия", "Киргизская Республика", "Kyrgyzstan", "Kirghizia", "Kyrgyz Republic"],
    "KZ": ["Казахстан", "Kazakhstan", "Республика Казахстан", "Qazaqstan"],
    "TR": ["Турция", "Türkiye", "Turkiye", "Turkey"],
    "CN": ["КНР", "Китай", "PRC", "China", "People's Republic of China"],
    "US": ["США", "US", "U.S.", "USA", "United States", "the United States", "Соединённые Штаты Америки"],
    "RU": ["Россия", "РФ", "Российская Федерация", "Russia", "Russian Federation"],
    "BY": ["Белоруссия", "Беларусь", "Belarus"],
    "MD": ["Молдавия", "Молдова", "Moldova"],
    "GB": ["UK", "Britain", "United Kingdom", "Великобритания"],
    "IR": ["Iran", "Иран", "Islamic Republic of Iran"],
    "KR": ["Южная Корея", "South Korea", "Republic of Korea"],
    "KP": ["КНДР", "North Korea"],
    "UZ": ["Узбекистан", "Uzbekistan", "O‘zbekiston"],
    "TM": ["Туркмения", "Туркменистан", "Turkmenistan"],
    "CI": ["Кот-д'Ивуар", "Кот-д’Ивуар", "Côte d'Ivoire", "Ivory Coast"],
}


@pytest.mark.parametrize(("code", "name"), [(c, n) for c, names in GOLDEN.items() for n in names])
def test_every_spelling_names_its_country(code, name):
    assert country_code(name) == code


@pytest.mark.parametrize(("name", "code"), [
    ("Казахстана", "KZ"), ("Киргизии", "KG"), ("Российской Федерации", "RU"), ("Соединенных Штатов", "US"),
    ("Кыргызской Республики", "KG"), ("Южной Кореи", "KR"), ("Белоруссии", "BY"), ("Молдовы", "MD"),
])
def test_a_russian_name_in_an_oblique_case_finds_its_country(name, code):
    assert country_code(name) == code


@pytest.mark.parametrize("word", ["Russian", "российский", "американо", "казахстанский", "Бишкек", "Astana",
                                  "министр", "", "   ", "..."])
def test_adjectives_cities_and_words_are_no_country(word):
    assert country_code(word) is None


@pytest.mark.parametrize(("code", "en", "ru"), [
    ("KZ", "Kazakhstan", "Казахстан"), ("KG", "Kyrgyzstan", "Кыргызстан"), ("RU", "Russia", "Россия"),
    ("US", "United States", "США"), ("TR", "Turkey", "Турция"), ("KR", "South Korea", "Южная Корея"),
    ("MD", "Moldova", "Молдова"), ("BY", "Belarus", "Беларусь"), ("FR", "France", "Франция"),
])
def test_a_code_has_one_short_name_in_each_language(code, en, ru):
    assert country_name(code, "en") == en
    assert country_name(code.lower(), "ru") == ru


def test_a_code_outside_the_standard_and_an_unknown_language_are_errors():
    with pytest.raises(ValueError, match="'XX'"):
        country_name("XX", "en")
    with pytest.raises(ValueError, match="'de'"):
        country_name("KZ", "de")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_country_the_extractors_report_has_a_code(lang):
    for row in load_table("countries", lang):
        assert country_code(row["country"]) is not None, row


def test_every_code_names_back_to_itself():
    for row in load_table("countries", "en"):
        code = country_code(row["country"])
        assert country_code(country_name(code, "en")) == code
        assert country_code(country_name(code, "ru")) == code


def test_fold_takes_case_quotes_dots_and_hyphens_away():
    assert fold("U.S.") == fold("us") == "us"
    assert fold("«Ёлки»  Нур-Султан") == "елки нур султан"
    assert fold("Türkiye") == "turkiye"
    assert fold("Й") == "й"


NAMES = st.sampled_from([n for names in GOLDEN.values() for n in names])


@settings(max_examples=200, deadline=None)
@given(NAMES, st.lists(st.booleans(), min_size=40, max_size=40))
def test_case_does_not_matter(name, upper):
    mixed = "".join(c.upper() if u else c.lower() for c, u in zip(name, upper * 2, strict=False))
    assert country_code(mixed) == country_code(name)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_a_code_or_none(text):
    code = country_code(text)
    assert code is None or (len(code) == 2 and code.isupper())
