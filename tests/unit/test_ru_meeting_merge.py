"""Russian meetings: mentions of one meeting across an article become one row that keeps every
mention's place and date."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.ru import extract_hits
from extraction.ru.nlp import models

PUB = date(2024, 5, 15)


@pytest.fixture(scope="session", autouse=True)
def natasha_models():
    return models()


def meetings(text: str):
    return extract_hits(text, PUB).meetings


def test_headline_mention_joins_the_named_meeting():
    ms = meetings("Форум впервые пройдет в формате пленарной сессии и круглых столов.\n\n"
                  "В Душанбе открылся Международный водный форум ООН. В мероприятии участвуют делегации "
                  "сорока стран.")
    forums = [m for m in ms if m.kind.value == "forum"]
    assert len(forums) == 1, [m.name for m in ms]
    assert forums[0].location == "Душанбе" and forums[0].status.value == "ongoing"


def test_held_meeting_in_the_lead_does_not_join_a_planned_one():
    ms = meetings("Президент рассказал о встрече в Минске. Стороны договорились, что следующая встреча лидеров "
                  "пройдет осенью в Баку.")
    assert not any(m.location == "Баку" and "Минске" in (m.name or "") for m in ms)


def test_bare_meeting_and_the_named_talks_after_it_are_one():
    ms = meetings("«Мы рады видеть вас», — заявил президент Армении гостю в ходе встречи в Ереване. "
                  "Он поблагодарил партнеров за поддержку. "
                  "Переговоры президентов Армении и Литвы прошли в узком составе.")
    assert len(ms) == 1, [m.name for m in ms]
    assert ms[0].location == "Ереван" and ms[0].kind.value == "talks"


def test_ordinal_tagged_as_participle_stays_in_the_name():
    ms = meetings("Министр выступил, открывая заседание двенадцатой армяно-грузинской межправительственной "
                  "комиссии.")
    assert any("комиссии" in (m.name or "") for m in ms), [m.name for m in ms]


def test_a_meeting_noun_is_not_a_place():
    ms = meetings("Саммит пройдет в два этапа. В Саммите также примут участие руководители международных "
                  "организаций.")
    assert all(m.location != "Саммит" for m in ms)


def test_signing_ceremony_after_bare_talks_stays_its_own_meeting():
    ms = meetings("Министры подписали протокол по итогам переговоров, которые проходили в Оше. "
                  "\"Это важный шаг\", – сказал министр на церемонии подписания.")
    assert len(ms) == 2, [m.name for m in ms]


def test_meeting_in_the_frame_of_a_forum_joins_the_named_meeting_after_it():
    ms = meetings("Премьер-министры обсудили транзит на встрече в Ереване в рамках \"Ереванского форума\". "
                  "\"У меня состоялась полезная встреча с премьер-министром Латвии Андрисом Озолсом\", – написал "
                  "премьер Армении.")
    talks = [m for m in ms if m.kind.value == "meeting"]
    assert len(talks) == 1, [m.name for m in ms]
    assert talks[0].location == "Ереван"


def test_bare_session_after_talks_names_them():
    ms = meetings("Вчера в Вене Армения и Евросоюз провели первый раунд переговоров о визовом режиме. "
                  "Заседание вели заместители министров обеих сторон.")
    assert len(ms) == 1, [m.name for m in ms]
    assert ms[0].location == "Вена"


def test_shortened_name_of_a_forum_is_the_same_forum():
    ms = meetings("Завтра в Гюмри пройдет второй форум молодых предпринимателей приграничных районов Армении и "
                  "Грузии. В программе второго форума молодых предпринимателей запланированы выставки.")
    forums = [m for m in ms if m.kind.value == "forum"]
    assert len(forums) == 1, [m.name for m in ms]


def test_bare_talks_and_consultations_are_talks():
    ms = meetings("Стороны договорились о новых рейсах по итогам консультаций, завершившихся в среду в Оше. "
                  "Делегацию на переговорах возглавлял заместитель министра.")
    assert len(ms) == 1, [m.name for m in ms]
    assert ms[0].kind.value == "talks"


def test_planned_session_does_not_join_a_held_ceremony():
    ms = meetings("Министр выступил на церемонии подписания. Он сообщил, что в марте в Ереване пройдет "
                  "заседание межправительственной комиссии.")
    assert len(ms) == 2, [m.name for m in ms]


def test_shortened_name_of_a_named_council_is_the_same_session():
    ms = meetings("Премьер-министр Кыргызстана 18 мая примет участие в работе третьего заседания Совета глав "
                  "пограничных районов Киргизии и Таджикистана, которое состоится в "
                  "Баткенской области. В ходе третьего заседания Совета планируется обсуждение торговли.")
    sessions = [m for m in ms if m.kind.value == "session"]
    assert len(sessions) == 1, [m.name for m in ms]
    assert sessions[0].start_date == date(2024, 5, 18)
