"""Place names to places (extraction/geocode.py): cities and countries, Russian and English, offline."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.geocode import geocode, loose_key
from extraction.lexicons import load_table
from schemas.names import PlaceFeature

CITIES = {
    ("Astana", "KZ"): ["Астана", "Astana", "Нур-Султан", "Nur-Sultan", "Астане", "г. Астана", "Astana city"],
    ("Almaty", "KZ"): ["Алматы", "Алма-Ата", "Alma-Ata", "Almaty"],
    ("Bishkek", "KG"): ["Бишкек", "Bishkek", "Бишкеке", "г.Бишкек"],
    ("Dushanbe", "TJ"): ["Душанбе", "Dushanbe"],
    ("Tashkent", "UZ"): ["Ташкент", "Tashkent", "Toshkent"],
    ("Samarkand", "UZ"): ["Самарканд", "Samarkand", "Samarqand"],
    ("Khujand", "TJ"): ["Худжанд", "Khujand", "Khudzhand"],
    ("Osh", "KG"): ["Ош", "Osh"],
    ("Ulan Bator", "MN"): ["Улан-Батор", "Ulaanbaatar", "Ulan Bator"],
    ("Baku", "AZ"): ["Баку", "Baku", "Bakı"],
    ("Yerevan", "AM"): ["Ереван", "Yerevan"],
    ("Tbilisi", "GE"): ["Тбилиси", "Tbilisi"],
    ("Ashgabat", "TM"): ["Ашхабад", "Ashgabat"],
    ("Moscow", "RU"): ["Москва", "Moscow", "Москве"],
    ("Saint Petersburg", "RU"): ["Санкт-Петербург", "St. Petersburg", "Saint Petersburg"],
    ("Minsk", "BY"): ["Минск"],
    ("Beijing", "CN"): ["Пекин", "Beijing"],
    ("Ankara", "TR"): ["Анкара", "Ankara"],
    ("Istanbul", "TR"): ["Стамбул", "Istanbul"],
    ("Geneva", "CH"): ["Женева", "Geneva"],
    ("New York City", "US"): ["Нью-Йорк", "New York"],
    ("Washington", "US"): ["Вашингтон", "Washington"],
    ("Kabul", "AF"): ["Кабул"],
    ("Islamabad", "PK"): ["Исламабад", "Islamabad"],
    ("Tehran", "IR"): ["Тегеран", "Tehran"],
    ("Delhi", "IN"): ["Дели"],
    ("New Delhi", "IN"): ["New Delhi", "Нью-Дели"],
    ("Brussels", "BE"): ["Брюссель", "Brussels"],
    ("Berlin", "DE"): ["Берлин"],
    ("Paris", "FR"): ["Париж"],
    ("Tokyo", "JP"): ["Токио"],
    ("Seoul", "KR"): ["Сеул"],
    ("Cholpon-Ata", "KG"): ["Чолпон-Ата", "Cholpon-Ata"],
    ("Bokhtar", "TJ"): ["Курган-Тюбе", "Bokhtar"],
}


@pytest.mark.parametrize(("where", "name"), [(w, n) for w, names in CITIES.items() for n in names])
def test_a_city_under_any_of_its_names(where, name):
    place = geocode(name)
    assert place is not None and (place.name, place.country_code) == where
    assert place.feature is PlaceFeature.CITY and place.geonames_id and place.latitude and place.longitude


@pytest.mark.parametrize(("name", "code"), [
    ("Казахстан", "KZ"), ("Kazakhstan", "KZ"), ("Киргизия", "KG"), ("Kyrgyz Republic", "KG"), ("США", "US"),
    ("Россия", "RU"), ("Mongolia", "MN"), ("Бельгия", "BE"), ("Türkiye", "TR"), ("Киргизии", "KG"),
])
def test_a_country_is_placed_at_its_capital(name, code):
    place = geocode(name)
    assert place is not None and place.feature is PlaceFeature.COUNTRY and place.country_code == code
    assert place.geonames_id and place.latitude is not None


def test_kazakhstan_is_placed_at_astana():
    country, capital = geocode("Kazakhstan"), geocode("Astana")
    assert (country.name, country.geonames_id) == ("Kazakhstan", 1522867)
    assert (country.latitude, country.longitude) == (capital.latitude, capital.longitude)


@pytest.mark.parametrize(("name", "city"), [
    ("Samarkand, Uzbekistan", "Samarkand"), ("Бишкек (Киргизия)", "Bishkek"), ("Hotel Rixos, Astana", "Astana"),
    ("Гостиница «Хаятт», Душанбе", "Dushanbe"), ("Ulaanbaatar, Mongolia", "Ulan Bator"),
    ("Rixos Almaty Hotel", "Almaty"), ("Tashkent (Uzbekistan)", "Tashkent"),
])
def test_a_city_with_a_country_or_a_venue_beside_it(name, city):
    place = geocode(name)
    assert place is not None and place.name == city


def test_a_venue_in_a_named_country_gives_the_country():
    place = geocode("Дворец Независимости, Казахстан")
    assert place is not None and place.feature is PlaceFeature.COUNTRY and place.country_code == "KZ"


def test_the_country_after_a_name_picks_among_namesakes():
    assert geocode("Moscow").country_code == "RU"
    assert geocode("Moscow, United States").country_code == "US"


@pytest.mark.parametrize("name", ["Дворец Независимости", "Palace of Independence", "Акорда", "",
                                  "   ", "министерство иностранных дел", "Rixos Hotel", "—"])
def test_a_venue_or_a_phrase_is_no_place(name):
    assert geocode(name) is None


def test_loose_key_folds_transliteration_variants():
    assert loose_key("Samarqand") == loose_key("Samarkand")
    assert loose_key("Khudzhand") == loose_key("Khujand")
    assert loose_key("Бишкек") == ""


def test_every_place_names_row_is_a_place_of_its_own():
    for row in load_table("place_names"):
        assert geocode(row["form"]).geonames_id == int(row["geonames_id"])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_geocode_never_raises(text):
    place = geocode(text)
    assert place is None or len(place.country_code) == 2


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted({n for names in CITIES.values() for n in names})), st.booleans())
def test_case_does_not_matter(name, upper):
    assert geocode(name.upper() if upper else name.lower()) == geocode(name)


def test_the_index_is_built_once_in_a_child_cached_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    from extraction import geocode as module
    monkeypatch.setattr(module, "CACHE_DIR", tmp_path / "cache")
    module._gazetteer.cache_clear()
    try:
        built, expected = module._gazetteer(), module.build_index()
        [cached] = (tmp_path / "cache").iterdir()
        assert cached.name.startswith("geocode-") and cached.suffix == ".sqlite"
        assert built.exact == expected.exact and built.cities == expected.cities and built.big == expected.big
        assert built.countries == expected.countries and built.overrides == expected.overrides
        cached.write_bytes(cached.read_bytes()[:1000])           # truncated: built again
        module._gazetteer.cache_clear()
        assert module._gazetteer().exact == expected.exact and len(cached.read_bytes()) > 1000
    finally:
        module._gazetteer.cache_clear()


def test_without_a_writable_cache_the_index_is_built_in_the_process(tmp_path, monkeypatch):
    from extraction import geocode as module
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setattr(module, "CACHE_DIR", blocker / "cache")
    module._gazetteer.cache_clear()
    try:
        assert module._gazetteer().exact["алматы"]
    finally:
        module._gazetteer.cache_clear()
