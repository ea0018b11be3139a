"""One id for a person or a country across spellings (extraction/persons.py)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.persons import country_entity, person_entity, person_key
from schemas.names import EntityType


@pytest.mark.parametrize("spellings", [
    [("Сергей Лавров", "ru"), ("Sergey Lavrov", "en"), ("Sergei Lavrov", "en"), ("Lavrov Sergei", "en"),
     ("Сергей Викторович Лавров", "ru")],
    [("Касым-Жомарт Токаев", "ru"), ("Kassym-Jomart Tokayev", "en"), ("Qasym-Jomart Toqaev", "en")],
    [("Эрлан Абдылдаев", "ru"), ("Erlan Abdyldaev", "en"), ("Yerlan Abdyldayev", "en")],
])
def test_a_known_actor_is_one_person_in_every_spelling(spellings):
    entities = {person_entity(name, lang) for name, lang in spellings}
    assert len(entities) == 1
    (entity,) = entities
    assert entity.entity_type is EntityType.PERSON and entity.entity_id.startswith("person:")
    assert entity.country_code is not None


def test_an_actor_gets_the_english_name_and_the_country_code():
    entity = person_entity("Сергей Лавров", "ru")
    assert (entity.entity_id, entity.name, entity.country_code) == ("person:lavrov-sergey", "Sergey Lavrov", "RU")


@pytest.mark.parametrize("spellings", [
    ["Иван Петров", "Ivan Petrov", "Petrov Ivan", "Иван Сергеевич Петров"],
    ["Евгений Соколов", "Yevgeny Sokolov", "Evgeniy Sokolov", "Evgenii Sokolov"],
    ["Александр Орлов", "Alexander Orlov", "Aleksandr Orlov"],
    ["Юрий Дмитриев", "Yuri Dmitriev", "Yuriy Dmitriyev", "Iurii Dmitriev"],
    ["Джамшед Рахимов", "Jamshed Rakhimov", "Jamshed Rahimov", "Dzhamshed Rakhimov"],
    ["Алексей Фёдоров", "Алексей Федоров", "Alexei Fyodorov", "Aleksey Fedorov"],
    ["Жанибек Ахметов", "Zhanibek Akhmetov", "Janibek Ahmetov"],
])
def test_an_unknown_person_is_one_id_across_transliterations(spellings):
    ids = {person_entity(name, "ru" if name[0] >= "А" else "en").entity_id for name in spellings}
    assert len(ids) == 1, ids


def test_different_surnames_stay_different_people():
    assert person_entity("Иван Петров", "ru").entity_id != person_entity("Иван Петренко", "ru").entity_id
    assert person_entity("Ivan Petrov", "en").entity_id != person_entity("Ivana Petrova", "en").entity_id


def test_an_unknown_person_keeps_the_name_as_written_and_no_country():
    entity = person_entity("  Иван   Петров ", "ru")
    assert (entity.entity_id, entity.name, entity.country_code) == ("person:ivan-petrov", "Иван Петров", None)


def test_a_name_without_letters_or_an_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="'—'"):
        person_entity("—", "en")
    with pytest.raises(ValueError, match="'fr'"):
        person_entity("Ivan Petrov", "fr")


@pytest.mark.parametrize(("name", "code", "english"), [
    ("Киргизия", "KG", "Kyrgyzstan"), ("Kyrgyz Republic", "KG", "Kyrgyzstan"), ("Казахстана", "KZ", "Kazakhstan"),
    ("U.S.", "US", "United States"), ("Российская Федерация", "RU", "Russia"),
])
def test_a_country_entity_has_its_code_and_english_name(name, code, english):
    entity = country_entity(name)
    assert entity is not None
    assert (entity.entity_id, entity.entity_type, entity.name, entity.country_code) == (
        f"country:{code}", EntityType.COUNTRY, english, code)


def test_a_word_is_no_country_entity():
    assert country_entity("министр") is None and country_entity("Russian") is None


WORDS = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщыэюяabcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=2, max_size=3))
def test_word_order_and_case_do_not_change_the_key(words):
    name = " ".join(w.capitalize() for w in words)
    assert person_key(name) == person_key(" ".join(reversed(words)).upper())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_an_entity_or_a_value_error(text):
    try:
        entity = person_entity(text, "en")
    except ValueError:
        return
    assert entity.entity_id.startswith("person:")
