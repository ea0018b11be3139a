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


def test_a_compound_noun_read_as_an_adjective_still_heads_its_countries():
    # the parser reads "бизнес-форум" as an adjective of the genitive after it (clauses.Tree repairs it)
    got = extract_hits("В Бишкеке прошел бизнес-форум предпринимателей Кыргызстана и Турции.", PUB).meetings
    assert len(got) == 1 and got[0].location == "Бишкек"
    assert {p.name for p in got[0].participants} == {"Кыргызстан", "Турция"}


def test_a_trip_after_the_verb_that_announced_it_is_the_same_visit():
    text = ("Президент Таджикистана Эмомали Рахмон посетит Японию и Южную Корею, сообщил МИД.\n"
            "Программа рабочей поездки в эти страны пока согласовывается.")
    got = extract_hits(text, PUB).meetings
    assert len(got) == 1 and got[0].kind == "visit"
    assert {"Эмомали Рахмон", "Япония"} <= {p.name for p in got[0].participants}
    assert any("поездки" in text[a:b] for a, b in got[0].mentions)     # one visit, two mentions


def test_a_bare_conference_after_a_forum_is_that_forum():
    text = ("В Ташкенте прошел инвестиционный форум предпринимателей Узбекистана и Индии.\n"
            "Конференция собрала более трехсот участников.")
    got = extract_hits(text, PUB).meetings
    assert len(got) == 1 and got[0].kind == "forum"


def test_visits_planned_for_a_season_refer_back_to_the_visit_announced():
    text = ("Премьер-министр Армении Никол Пашинян посетит Вьетнам и Малайзию, сообщили в правительстве.\n"
            "«Мы планируем визиты на весну», – сказал пресс-секретарь Ашот Мелкумян.")
    got = extract_hits(text, PUB).meetings
    assert len(got) == 1 and "Никол Пашинян" in {p.name for p in got[0].participants}


def test_a_meeting_that_finds_no_party_in_its_clause_takes_the_persons_of_its_sentence():
    # the parser hangs the names on the council, where no clause rule reads them
    text = ("По итогам переговоров и третьего заседания Совета сотрудничества президенты Касым-Жомарт Токаев "
            "и Садыр Жапаров подписали совместное заявление.")
    talks = [m for m in extract_hits(text, PUB).meetings if m.kind == "talks"]
    assert len(talks) == 1 and {"Касым-Жомарт Токаев", "Садыр Жапаров"} <= {p.name for p in talks[0].participants}
