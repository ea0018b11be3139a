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
