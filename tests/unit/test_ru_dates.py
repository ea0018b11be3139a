"""Russian date expressions: found with offsets, resolved against the publication date."""
from datetime import date

import pytest

from extraction.dateline import dateline_end as _dateline_end
from extraction.ru.dates import find_dates, resolve


def dateline_end(text: str) -> int:
    return _dateline_end(text, "ru")

PUB = date(2024, 5, 15)   # a Wednesday

CASES = [
    ["встреча прошла 23 июня 2023 года", None, (date(2023, 6, 23), "day")],
    ["саммит состоялся в октябре 2022 года", None, (date(2022, 10, 1), "month")],
    ["форум пройдет в конце мая 2026 года", None, (date(2026, 5, 1), "month")],
    ["заседание запланировано на апрель 2026 года", None, (date(2026, 4, 1), "month")],
    ["комиссия была создана в 2019 году", None, (date(2019, 1, 1), "year")],
    ["заседания прошли 15 и 17 марта", False, (date(2024, 3, 1), "month")],
    ["саммит пройдет 26 и 27 ноября в Минске", True, (date(2024, 11, 26), "day")],
    ["встреча прошла 3 апреля", False, (date(2024, 4, 3), "day")],
    ["встреча пройдет 3 апреля", True, (date(2025, 4, 3), "day")],
    ["встреча прошла в декабре", False, (date(2023, 12, 1), "month")],
    ["вчера президенты провели переговоры", None, (date(2024, 5, 14), "day")],
    ["в ходе сегодняшнего заседания министры согласуют план", None, (date(2024, 5, 15), "day")],
    ["до конца 2025 года ожидается визит премьера", None, (date(2025, 1, 1), "year")],
    ["визит планируется до конца этого года", None, (date(2024, 1, 1), "year")],
    ["на вчерашней встрече стороны обсудили транзит", None, (date(2024, 5, 14), "day")],
    ["сегодня открывается форум", None, (date(2024, 5, 15), "day")],
    ["завтра откроется форум", None, (date(2024, 5, 16), "day")],
    ["во вторник парламент принял закон", False, (date(2024, 5, 14), "day")],
    ["в пятницу министры встретятся", True, (date(2024, 5, 17), "day")],
    ["в октябре прошлого года стороны встретились", None, (date(2023, 10, 1), "month")],
    ["в апреле следующего года пройдет саммит", None, (date(2025, 4, 1), "month")],
    ["в следующем году пройдет саммит", None, (date(2025, 1, 1), "year")],
    ["на следующей неделе пройдут консультации", None, (date(2024, 5, 1), "month")],
    ["соглашение подписано 04.09.2009", None, (date(2009, 9, 4), "day")],
    ["конференция пройдет 11–12 сентября", True, (date(2024, 9, 11), "day")],
    ["совещание намечено на конец мая", True, (date(2024, 5, 1), "month")],
    ["консультации пройдут в начале следующего месяца", True, (date(2024, 6, 1), "month")],
    ["переговоры прошли в конце прошлого месяца", False, (date(2024, 4, 1), "month")],
    ["конференция пройдет в первом квартале следующего года", True, (date(2025, 1, 1), "year")],
    ["форум пройдет во второй половине 2026 года", True, (date(2026, 1, 1), "year")],
    ["осенью в столице пройдет встреча", True, (date(2024, 1, 1), "year")],
    ["накануне в столице состоялось заседание совета", None, (date(2024, 5, 14), "day")],
    ["переговоры, продолжавшиеся с понедельника, завершились", False, (date(2024, 5, 13), "day")],
    ["на прошлогоднем саммите лидеры договорились", False, (date(2023, 1, 1), "year")],
]


@pytest.mark.parametrize(("text", "future", "expected"), CASES)
def test_resolve(text, future, expected):
    exprs = find_dates(text)
    assert exprs, text
    assert resolve(exprs[0], PUB, future=future) == expected


@pytest.mark.parametrize("text", ["вчера прошла встреча", "в следующем году", "в декабре", "5 июля"])
def test_relative_dates_need_a_publication_date(text):
    assert resolve(find_dates(text)[0], None) is None


@pytest.mark.parametrize(("text", "dateline"), [
    ["БИШКЕК, 12 марта. /ТАСС/. Президенты встретились.", "БИШКЕК, 12 марта. /ТАСС/."],
    ["АЛМАТЫ, 3 фев - Sputnik. Текст.", "АЛМАТЫ, 3 фев - Sputnik."],
    ["Ташкент, 3 марта /Синьхуа/ -- Текст", "Ташкент, 3 марта /Синьхуа/ --"],
    ["ДУШАНБЕ. АГЕНТСТВО - Текст", "ДУШАНБЕ. АГЕНТСТВО -"],
    ["Президенты встретились 12 марта в Бишкеке.", ""],
])
def test_dateline(text, dateline):
    assert text[:dateline_end(text)] == dateline


def test_offsets_point_at_the_expression():
    text = "Стороны встретились в октябре 2022 года в Астане."
    e = find_dates(text)[0]
    assert text[e.start:e.end] == "в октябре 2022 года"


def test_eve_of_an_event_is_not_a_date():
    assert not find_dates("накануне визита президента")


def test_dateline_with_an_agency_after_the_date_or_in_brackets():
    for head in ("Рига. 5 февраля. ИНТЕРФАКС – ", "ТАЛЛИН (БНС) - ", "Вильнюс. 10 апреля. REPORT. "):
        text = head + "Министр провел встречу."
        assert dateline_end(text) == len(head) - 1, (head, dateline_end(text))
    assert dateline_end("Президент Латвии провел встречу. Министр ...") == 0
