"""A plural meeting noun with a generic modifier is a kind of event, not a meeting row (sentences we wrote)."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.ru import extract_hits
from extraction.ru.nlp import models

PUB = date(2025, 4, 10)


@pytest.fixture(scope="module", autouse=True)
def ru_models():
    return models()


def names(text: str) -> list[str]:
    return [m.name for m in extract_hits(text, PUB).meetings]


@pytest.mark.parametrize("text", [
    "Стороны условились чаще обмениваться взаимными визитами на разных уровнях.",
    "Пресс-секретарь не стал раскрывать график зарубежных визитов главы государства.",
    "Министр напомнил о многочисленных встречах с инвесторами.",
])
def test_kinds_of_events_are_no_rows(text):
    assert names(text) == []


@pytest.mark.parametrize("text", [
    "Президенты провели переговоры в Душанбе.",
    "Вчера прошли встречи министров с делегациями Ирана и Турции.",
])
def test_reported_occurrences_stay(text):
    assert names(text)


@pytest.mark.parametrize("text,expected", [
    ["Президент посетил мемориал павшим воинам и возложил венок.", []],
    ["Премьер-министр посетил машиностроительный завод в Навои.", []],
    ["Глава государства посетил Грузию с официальным визитом.", ["visit"]],
])
def test_a_visit_to_a_site_is_no_meeting(text, expected):
    assert [m.kind.value for m in extract_hits(text, PUB).meetings] == expected


def test_a_встреча_in_a_sports_report_is_a_match():
    text = ("Сборная Узбекистана уступила Ирану в первом тайме, но вырвала ничью. "
            "Ответная встреча команд пройдет 12 октября в Ташкенте.")
    assert names(text) == []
    assert names("Ответная встреча министров пройдет 12 октября в Ташкенте.")
