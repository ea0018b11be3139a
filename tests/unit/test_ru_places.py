"""Place gazetteer: cities, venues → city, regions → country, countries and their adjectives."""
import pytest

from extraction.ru.places import compound_countries, country, lookup


@pytest.mark.parametrize(("key", "kind", "location"), [
    ["астана", "city", "Астана"],
    ["петербург", "city", "Санкт-Петербург"],
    ["кремль", "venue", "Москва"],
    ["акорда", "venue", "Астана"],
    ["подмосковье", "region", "Россия"],
    ["московский регион", "region", "Россия"],
    ["россия", "country", "Россия"],
    ["рф", "country", "Россия"],
    ["российский федерация", "country", "Россия"],
    ["сша", "country", "США"],
])
def test_lookup(key, kind, location):
    p = lookup(key)
    assert p is not None and p.kind == kind and p.location == location


def test_unknown_place():
    assert lookup("нигдеград") is None


@pytest.mark.parametrize(("word", "expected"), [
    ["российско-киргизских", ["Россия", "Киргизия"]],
    ["казахстанско-китайского", ["Казахстан", "Китай"]],
    ["узбекско-таджикские", ["Узбекистан", "Таджикистан"]],
    ["научно-технический", []],
])
def test_compound_countries(word, expected):
    assert compound_countries(word) == expected


def test_country_adjective():
    assert country("азербайджанский") == "Азербайджан"


@pytest.mark.parametrize(("text", "word", "expected"), [
    ["Президент находится с рабочим визитом в Королевстве Нидерланды.", "Королевстве", "Нидерланды"],
    ["Делегация прибыла в Государство Катар.", "Государство", "Катар"],
])
def test_formal_state_name(text, word, expected):
    from extraction.ru.clauses import Tree
    from extraction.ru.nlp import analyze
    from extraction.ru.places import place_at
    tree = Tree(analyze(text))
    tok = next(t for t in tree.tokens if t.text == word)
    p = place_at(tree, tok)
    assert p is not None and p.kind == "country" and p.location == expected


@pytest.mark.parametrize(("word", "expected"), [
    ["туркмено-азербайджанской", ["Туркменистан", "Азербайджан"]],
    ["узбекско-турецких", ["Узбекистан", "Турция"]],
    ["франко-германского", ["Франция", "Германия"]],
])
def test_compound_countries_more_forms(word, expected):
    assert compound_countries(word) == expected


def test_one_country_under_two_names_is_one_country_table_row_apart():
    from extraction.ru.places import country, country_variants
    assert country("киргизия") == "Киргизия" and country("кыргызстан") == "Кыргызстан"
    assert country_variants("Киргизия") == country_variants("Кыргызстан") == {"Киргизия", "Кыргызстан"}
    assert country_variants("Франция") == {"Франция"} and country_variants("Атлантида") == {"Атлантида"}
    assert country("туркмено") == "Туркменистан"     # a compound's first part, in the same table
