"""English date expressions resolved against the publication date."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.dateline import dateline_end as _dateline_end
from extraction.en.dates import find_dates, resolve


def dateline_end(text: str) -> int:
    return _dateline_end(text, "en")

PUB = date(2024, 5, 15)      # a Wednesday

CASES = [
    ["on April 14, 2017", None, (date(2017, 4, 14), "day")],
    ["on Aug. 3", False, (date(2023, 8, 3), "day")],
    ["on Aug. 3", True, (date(2024, 8, 3), "day")],
    ["on 12 March", False, (date(2024, 3, 12), "day")],
    ["in April 2026", None, (date(2026, 4, 1), "month")],
    ["in November last year", False, (date(2023, 11, 1), "month")],
    ["in 2019", None, (date(2019, 1, 1), "year")],
    ["yesterday", None, (date(2024, 5, 14), "day")],
    ["tomorrow", None, (date(2024, 5, 16), "day")],
    ["on Friday", False, (date(2024, 5, 10), "day")],
    ["on Friday", True, (date(2024, 5, 17), "day")],
    ["next month", None, (date(2024, 6, 1), "month")],
    ["next year", None, (date(2025, 1, 1), "year")],
    ["this fall", None, (date(2024, 1, 1), "year")],
    # "last/next <month>": the latest such month before publication, the first one after it
    ["last October", None, (date(2023, 10, 1), "month")],
    ["last March", None, (date(2024, 3, 1), "month")],
    ["next February", None, (date(2025, 2, 1), "month")],
    ["next May", None, (date(2025, 5, 1), "month")],
    # a season or half-year: its year, forward for a planned event, back for a past one
    ["in the autumn", True, (date(2024, 1, 1), "year")],
    ["in the spring", True, (date(2024, 1, 1), "year")],
    ["in the summer", False, (date(2023, 1, 1), "year")],
    ["in the first half of the year", None, (date(2024, 1, 1), "year")],
]


@pytest.mark.parametrize("text,future,expected", CASES)
def test_resolve(text, future, expected):
    found = find_dates(text)
    assert len(found) == 1, found
    assert resolve(found[0], PUB, future=future) == expected


@pytest.mark.parametrize("text", ["They may meet.", "The 2025-2027 programme.", "He will march on."])
def test_not_dates(text):
    assert find_dates(text) == []


@pytest.mark.parametrize("text,end", [["ASTANA – The talks", 9], ["Astana. May 15. KazNews - Talks", 26],
                                      ["The talks began.", 0]])
def test_dateline(text, end):
    assert dateline_end(text) == end


@pytest.mark.parametrize("text", ["Deputy Prime Minister Marat Saparov", "Junior officials", "the Augusta plant",
                                  "Decembrist Square", "Janet Moss"])
def test_a_word_beginning_with_a_month_abbreviation_is_no_date(text):
    assert find_dates(text) == []


@pytest.mark.parametrize("text,day", [["from 16 to 17 June", 16], ["on 18-19 June", 18], ["on 4 and 5 June", 4],
                                      ["from June 17 to 23", 17], ["between 3 and 5 June", 3]])
def test_a_range_gives_its_first_day(text, day):
    found = find_dates(text)
    assert len(found) == 1, found
    got = resolve(found[0], PUB, future=True)
    assert got is not None and got[0].month == 6 and got[0].day == day and got[1] == "day"


def test_last_month_capitalised_at_sentence_start():
    found = find_dates("Last October, the ministers met.")
    assert resolve(found[0], PUB, future=False)[0].month == 10
