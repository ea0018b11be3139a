"""Russian meetings: who takes part, and who does not."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.ru import extract_hits
from extraction.ru.nlp import models

PUB = date(2024, 5, 15)


@pytest.fixture(scope="session", autouse=True)
def natasha_models():
    return models()


def names(text: str) -> list[list[str]]:
    return [[p.name for p in m.participants] for m in extract_hits(text, PUB).meetings]


def test_speaker_after_a_call_does_not_join_it():
    got = names("Президент Армении Ашот Саркисян провел телефонный разговор с президентом Франции Луи Мартеном.\n"
                "Министр иностранных дел Грузии предложил создать рабочую группу по транзиту.")
    assert got and all("Грузия" not in g for g in got)


def test_unnamed_speaker_after_a_meeting_does_not_join_it():
    got = names("Президент Армении Ашот Саркисян провел встречу с президентом Франции Луи Мартеном.\n"
                "Министр иностранных дел Грузии предложил создать рабочую группу по транзиту.")
    assert got and all("Грузия" not in g for g in got)


def test_nationality_adjective_on_a_counterpart_names_the_country():
    got = names("Министр иностранных дел Армении Давид Петросян провел телефонный разговор со своим "
                "французским коллегой Луи Мартеном.")
    assert got and "Франция" in got[0]


def test_compound_adjective_in_the_name_gives_both_countries():
    got = names("В Ашхабаде прошло третье заседание туркмено-азербайджанской межправительственной комиссии.")
    assert got and {"Туркменистан", "Азербайджан"} <= set(got[0])
