"""Russian person names in the nominative (extraction/ru/people.person_nominative), on sentences we wrote."""
from __future__ import annotations

import pytest

from extraction.ru.nlp import analyze, models
from extraction.ru.people import person_nominative


@pytest.fixture(scope="module", autouse=True)
def ru_models():
    return models()


def persons(text: str) -> list[str]:
    return [person_nominative(s) for s in analyze(text).spans if s.type == "PER"]


@pytest.mark.parametrize("text,expected", [
    # the last name of a list after genitive titles, which the tagger may call nominative
    ["Соглашение подписали в присутствии Премьер-министра Казахстана Олжаса Бектенова и Президента "
     "Кыргызской Республики Садыра Жапарова.", ["Олжас Бектенов", "Садыр Жапаров"]],
    # a woman's name keeps its gender
    ["Делегацию встретили Айгерим Сапаровой и Ильхамой Алиевой.", ["Айгерим Сапарова", "Ильхама Алиева"]],
    ["Премию вручили Азамату Токтосунову.", ["Азамат Токтосунов"]],
])
def test_names_in_the_nominative(text, expected):
    assert persons(text) == expected


def test_a_post_of_another_country_is_not_the_last_person_named():
    from extraction.ru.clauses import Tree
    from extraction.ru.people import People
    doc = analyze("Президент Армении Ашот Каренян провел переговоры с президентом Грузии Гией Беридзе. "
                  "Министр иностранных дел Казахстана предложил создать рабочую группу. "
                  "Президент Армении отметил важность встречи.")
    tree = Tree(doc)
    people = People(doc, tree)
    subjects = [t for t in tree.tokens if t.rel == "nsubj"]
    minister = next(t for t in subjects if t.text == "Министр")
    president = next(t for t in subjects if t.text == "Президент" and t.start > minister.start)
    assert people.agent(minister) is None
    assert people.agent(president) == "Ашот Каренян"


def test_a_misprinted_first_name_is_outvoted_and_namesakes_stay_apart():
    from extraction.ru.clauses import Tree
    from extraction.ru.people import People
    doc = analyze("Президент Бахтияр Юлдашев прибыл в Ташкент. Бахтиар Юлдашев провел переговоры. "
                  "Бахтияр Юлдашев подписал указ. Его брат Алишер Юлдашев тоже был там.")
    people = People(doc, Tree(doc))
    names = {people.resolve_span(s) for s in people.spans}
    assert names == {"Бахтияр Юлдашев", "Алишер Юлдашев"}


def test_initials_are_joined_and_a_short_form_takes_the_longer_one_named():
    from extraction.ru.clauses import Tree
    from extraction.ru.people import People
    doc = analyze("Президент Турции Реджеп Тайип Эрдоган прибыл в Баку. Реджеп Эрдоган провел переговоры. "
                  "Вопрос обсудил и министр А.Бекмуратов.")
    people = People(doc, Tree(doc))
    names = {people.resolve_span(s) for s in people.spans}
    assert "Реджеп Тайип Эрдоган" in names and "Реджеп Эрдоган" not in names
    assert "А.Бекмуратов" in names
