"""The session of a bilateral body is its parties' meeting (guideline 13); sentences we wrote."""
from __future__ import annotations

import pytest

from extraction.ru import extract_hits
from extraction.ru.nlp import models


@pytest.fixture(scope="module", autouse=True)
def ru_models():
    return models()


def parties(text: str) -> list[set[str]]:
    return [{p.name for p in m.participants} for m in extract_hits(text, None).meetings]


def test_a_bilateral_commission_gives_its_countries_not_itself():
    got = parties("В Астане прошло заседание казахстанско-туркменской межправительственной комиссии по транспорту.")
    assert got == [{"Казахстан", "Туркменистан"}]


def test_an_organ_of_an_organisation_stays_a_participant():
    got = parties("В Ашхабаде прошло заседание Совета министров иностранных дел СНГ.")
    assert any(any("Совет министров иностранных дел" in n for n in g) for g in got)


def test_a_news_agency_reporting_the_meeting_is_no_participant():
    got = parties("Президенты Армении и Грузии провели переговоры в Тбилиси, передает ТАСС.")
    assert got and not any("ТАСС" in n for g in got for n in g)
