"""The actor dictionary (extraction/actors.py): full names and countries an article leaves unsaid."""
from __future__ import annotations

from datetime import date

from extraction import en, ru
from extraction.actors import actor, full_name


def _participants(hits) -> list[set[str]]:
    return [{p.name for p in m.participants} for m in hits.meetings]


def test_a_full_name_in_any_spelling_finds_the_actor_and_a_bare_surname_none():
    assert actor("Тайип Эрдоган") is actor("Recep Tayyip Erdoğan") is not None
    assert actor("Эрдоган") is None and actor("") is None and actor(None) is None


def test_a_short_form_gets_the_full_name_and_a_spelling_of_its_own_stays():
    assert full_name("Тайип Эрдоган", "ru") == "Реджеп Тайип Эрдоган"
    assert full_name("Tayyip Erdogan", "en") == "Recep Tayyip Erdogan"
    assert full_name("Recep Tayyip Erdoğan", "en") == "Recep Tayyip Erdoğan"
    assert full_name("Иван Петров", "ru") == "Иван Петров"


def test_ru_a_known_leader_brings_his_country_and_his_full_name():
    text = "Шавкат Мирзиёев в понедельник обсудил по телефону с Тайипом Эрдоганом поставки зерна."
    parts = _participants(ru.extract_hits(text, date(2024, 3, 4)))
    assert parts and {"Шавкат Мирзиёев", "Реджеп Тайип Эрдоган", "Узбекистан", "Турция"} <= parts[0]


def test_ru_the_articles_own_title_wins_over_the_dictionary():
    text = "Председатель Европейского совета Дональд Туск провел в Брюсселе встречу с Ильхамом Алиевым."
    parts = _participants(ru.extract_hits(text, date(2016, 3, 4)))
    assert parts and "Азербайджан" in parts[0] and "Польша" not in parts[0]


def test_en_a_known_leader_brings_his_country_and_his_full_name():
    text = "Tayyip Erdogan held talks with Shavkat Mirziyoyev in Ankara on Monday."
    parts = _participants(en.extract_hits(text, date(2024, 3, 4)))
    assert parts and {"Recep Tayyip Erdogan", "Shavkat Mirziyoyev", "Turkey", "Uzbekistan"} <= parts[0]
