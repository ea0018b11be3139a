"""The opening dateline, read the same way for Russian and English (extraction/dateline.py)."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extraction.dateline import Dateline, parse_dateline

CASES = [
    ["АЛМАТЫ, 14 мар - Sputnik. Делегации провели переговоры.", "АЛМАТЫ, 14 мар - Sputnik.",
     ("Алматы", 14, 3, "Sputnik")],
    ["Душанбе. 2 октября. ИНТЕРФАКС – Стороны подписали план.", "Душанбе. 2 октября. ИНТЕРФАКС –",
     ("Душанбе", 2, 10, "ИНТЕРФАКС")],
    ["ОШ (24.kg) - Главы областей встретились.", "ОШ (24.kg) -", ("Ош", None, None, "24.kg")],
    ["TBILISI, November 9. /TASS/. The ministers met.", "TBILISI, November 9. /TASS/.",
     ("Tbilisi", 9, 11, "TASS")],
    ["ASHGABAT, Feb 2 (Reuters) - Turkmenistan signed a deal.", "ASHGABAT, Feb 2 (Reuters) -",
     ("Ashgabat", 2, 2, "Reuters")],
    ["Baku. May 7. Trend - The talks began.", "Baku. May 7. Trend - ", ("Baku", 7, 5, "Trend")],
    ["DUSHANBE. KHOVAR The president received the envoy.", "DUSHANBE. KHOVAR", ("Dushanbe", None, None, "KHOVAR")],
    ["NUR-SULTAN – The forum opened on Monday.", "NUR-SULTAN – ", ("Nur-Sultan", None, None, None)],
]


@pytest.mark.parametrize("text,head,parts", CASES)
def test_datelines_of_wire_copy(text, head, parts):
    d = parse_dateline(text)
    assert text[:d.end] == head
    assert (d.place, d.day, d.month, d.agency) == parts


@pytest.mark.parametrize("text", [
    "Президент провел встречу с делегацией.",
    "NATO and the EU agreed on a plan.",
    "The President of Kazakhstan arrived in Baku on Monday.",
    "В Ташкенте, 5 мая, открылся форум, который продлится три дня и соберет сотни гостей.",
])
def test_a_story_without_a_dateline(text):
    assert parse_dateline(text) == Dateline(0)


def test_the_dateline_day_takes_the_year_of_publication_or_the_one_before():
    d = Dateline(10, "Астана", 30, 12, None)
    assert d.date(date(2025, 1, 2)) == date(2024, 12, 30)
    assert Dateline(10, "Астана", 2, 1, None).date(date(2025, 1, 2)) == date(2025, 1, 2)
    assert Dateline(10, "Астана", 31, 2, None).date(date(2025, 3, 1)) is None
    assert Dateline(10, "Астана", 3, 3, None).date(None) is None


@given(st.text(max_size=300))
def test_any_text_gives_a_dateline_inside_it(text):
    d = parse_dateline(text)
    assert 0 <= d.end <= len(text)
    assert (d.day is None) == (d.month is None)


def test_where_a_dateline_may_stand_depends_on_the_copy():
    text = "Ministers meet in Osh, Kyrgyzstan, May 3, 2025.\n\nOSH, May 3 (Reuters) - The ministers met."
    assert parse_dateline(text, "en").end == 0          # the caption dates the meeting: part of the story
    ru = "Главы МИД встретились в Бишкеке\nБИШКЕК, 3 мая - Sputnik. Министры провели встречу."
    d = parse_dateline(ru, "ru")                       # a headline, then the dateline
    assert ru[:d.end].endswith("Sputnik.") and (d.place, d.day, d.month) == ("Бишкек", 3, 5)


def test_the_report_speaks_from_its_datelines_day_not_the_feeds():
    assert parse_dateline("АСТАНА, 4 мая — Kazinform. Текст.", "ru").reported(date(2024, 5, 5)) == date(2024, 5, 4)
    assert parse_dateline("Текст без датлайна.", "ru").reported(date(2024, 5, 5)) == date(2024, 5, 5)


def test_a_meeting_under_way_is_dated_by_the_dateline_when_the_feed_publishes_a_day_later():
    from extraction import en, ru
    text = "БИШКЕК, 4 мая — Sputnik. В Бишкеке проходит заседание Совета министров иностранных дел СНГ."
    got = ru.extract_hits(text, date(2024, 5, 5)).meetings
    assert [m.start_date for m in got] == [date(2024, 5, 4)]
    text = "BISHKEK, May 4 (Reuters) - A meeting of the CIS Council of Foreign Ministers is under way in Bishkek."
    got = en.extract_hits(text, date(2024, 5, 5)).meetings
    assert [m.start_date for m in got] == [date(2024, 5, 4)]
