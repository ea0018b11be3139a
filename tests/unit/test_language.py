"""Language detection: ru / en / other, per article and per paragraph."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.language import detect_language, letters
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
    # short Russian texts with few or no function words: the dictionary says Russian
    ["Министр иностранных дел Казахстана Мурат Нуртлеу предложил создать рабочую группу по водным ресурсам.",
     Language.RU],
    ["Глава МИД Таджикистана встретился с послом Японии", Language.RU],
    ["Стороны обсудили развитие торгово-экономического сотрудничества и работу межправкомиссии.",
     Language.RU],
    # short texts in other languages written in Russian letters only (their function words look Russian)
    ["Министърът на външните работи на България предложи да се създаде работна група за водните ресурси.",
     Language.OTHER],
    ["Уряд затвердив програму розвитку водного господарства на наступний рок.", Language.OTHER],
    ["Министар спољних послова Србије предложио је стварање радне групе за водне ресурсе.", Language.OTHER],
    ["Президент Садыр Жапаров Ташкентке барды", Language.OTHER],
    ["Мемлекет басшысы Астанада шетелдік инвесторлармен кездесті", Language.OTHER],
    ["12:45", Language.OTHER],
    ["", Language.OTHER],
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("абвёЁЖжQqz_9١²ßÅ -\n.,әҚ"), max_size=80) | st.text(max_size=80))
def test_letters_are_counted_by_their_runs_as_one_by_one(text):
    for char_class in (r"[а-яё]", r"[a-z]", r"[^\W\d_]"):
        one_by_one = len(re.findall(char_class, text, re.IGNORECASE))
        assert letters(re.compile(char_class + "+", re.IGNORECASE), text) == one_by_one
