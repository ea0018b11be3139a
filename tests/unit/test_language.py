"""Language detection: ru / en / other, per article and per paragraph."""
from __future__ import annotations

import pytest

from extraction.language import detect_language
from schemas import Language

CASES = [
    ["Министр энергетики провел переговоры с делегацией компании в Ташкенте и обсудил поставки газа.",
     Language.RU],
    # a Russian sentence with a company name in Kazakh spelling stays Russian
    ["Акционерное общество «Қазақстан темір жолы» и грузинская сторона договорились о новом тарифе "
     "на перевозку контейнеров по маршруту через Каспий.", Language.RU],
    ["The minister held talks with the delegation in Tashkent and discussed gas supplies for next year.",
     Language.EN],
    ["Қазақстан Республикасының Үкіметі бүгін кезекті отырыс өткізіп, бірқатар мәселелерді қарады.",
     Language.OTHER],
    ["Міністр енергетики провів переговори з делегацією компанії в Ташкенті і обговорив постачання газу.",
     Language.OTHER],
    ["Der Minister führte in Taschkent Gespräche mit der Delegation und erörterte die Gaslieferungen.",
     Language.OTHER],
    ["12:45", Language.OTHER],
    ["", Language.OTHER],
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detect_language(text, expected):
    assert detect_language(text) == expected
