"""Russian meetings: where and when a meeting was held, read from the clauses around its phrase."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.ru import extract_hits
from extraction.ru.nlp import models

PUB = date(2024, 5, 15)


@pytest.fixture(scope="session", autouse=True)
def natasha_models():
    return models()


def by_name(text: str, word: str, published: date | None = PUB):
    ms = [m for m in extract_hits(text, published).meetings if word in (m.name or "")]
    assert ms, [m.name for m in extract_hits(text, published).meetings]
    return ms[0]


def test_event_participle_agreeing_with_the_body():
    # the participle agrees with the council, not with the session: it still places and dates the session
    m = by_name("Министры обсудили итоги, достигнутые на третьем заседании совета делового партнерства, "
                "состоявшегося в Ереване в феврале этого года.", "заседании")
    assert m.location == "Ереван"
    assert m.start_date is not None and m.start_date.isoformat().startswith("2024-02")


def test_place_of_a_where_clause():
    m = by_name("Делегация Грузии побывала с рабочим визитом в Астане, где приняла участие в четвертом "
                "совещании министров транспорта.", "совещании")
    assert m.location == "Астана"


def test_place_and_date_between_status_participle_and_trigger():
    m = by_name("Министры обсудили подготовку к предстоящему в 2025 году в Туркменистане третьему "
                "энергетическому саммиту.", "саммиту")
    assert m.location == "Туркменистан"
    assert m.start_date is not None and m.start_date.year == 2025


def test_place_inside_a_participle_clause_of_an_argument_is_not_the_meetings():
    ms = extract_hits("В ходе встречи министры обсудили документы, регулирующие сотрудничество на Балтике в "
                      "различных областях.", PUB).meetings
    assert all(m.location is None for m in ms)


def test_talks_during_a_visit_take_its_place():
    m = by_name("Министр иностранных дел Армении Давид Петросян провел переговоры с министром иностранных дел "
                "Латвии Андрисом Берзиньшем, прибывшим в Ереван с официальным визитом.", "переговоры")
    assert m.location == "Ереван"


def test_country_location_under_the_name_the_article_uses():
    m = by_name("Глава правительства Кыргызстана примет участие в заседании совета глав приграничных областей, "
                "которое состоится в Ошской области.", "заседании")
    assert m.location == "Кыргызстан"


def test_participle_on_the_subject_places_the_meeting():
    m = by_name("Находящийся с рабочим визитом в Королевстве Нидерланды президент Армении Ашот Саркисян сегодня "
                "встретился с премьер-министром Нидерландов.", "встретился")
    assert m.location == "Нидерланды"


def test_the_verbs_own_place_beats_the_subjects_participle():
    m = by_name("Министр Грузии, находящийся в Армении с рабочим визитом, в четверг проведет в Гюмри переговоры "
                "с руководством железной дороги.", "переговоры")
    assert m.location == "Гюмри"


def test_receiving_a_guest_the_parser_hung_on_the_venue():
    ms = extract_hits("Президент Таджикистана в четверг принял в Дворце нации президента Латвии Андриса Берзиньша.",
                      PUB).meetings
    assert len(ms) == 1, [m.name for m in ms]
    assert ms[0].location == "Душанбе"


def test_a_city_after_the_abbreviation_of_gorod_is_the_place():
    for text in ("Меморандум был подписан в г. Ош в ходе рабочего визита премьер-министра Таджикистана.",
                 "Меморандум был подписан в г.Ош в ходе рабочего визита премьер-министра Таджикистана."):
        got = extract_hits(text, PUB).meetings
        assert [m.location for m in got] == ["Ош"], text
