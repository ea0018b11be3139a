"""The checks that keep two meetings apart (`extraction.engine.meetings`), shared by every language."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from extraction.engine.meetings import dates_conflict, places_conflict, statuses_conflict


@dataclass(frozen=True)
class P:
    kind: str
    location: str
    country: str | None


TASHKENT = P("city", "Tashkent", "Uzbekistan")
SAMARKAND = P("city", "Samarkand", "Uzbekistan")
UZBEKISTAN = P("country", "Uzbekistan", "Uzbekistan")
JIZZAKH = P("region", "Uzbekistan", "Uzbekistan")
ALMATY = P("city", "Almaty", "Kazakhstan")


def test_a_city_agrees_with_its_country_and_its_region_but_not_with_another_city():
    assert not places_conflict([TASHKENT], UZBEKISTAN)
    assert not places_conflict([UZBEKISTAN], TASHKENT)
    assert not places_conflict([TASHKENT], JIZZAKH)
    assert not places_conflict([JIZZAKH, None], SAMARKAND)
    assert places_conflict([TASHKENT], SAMARKAND)
    assert places_conflict([JIZZAKH], ALMATY)
    assert not places_conflict([TASHKENT], None)


def test_dates_compare_at_the_coarser_precision():
    assert not dates_conflict(date(2025, 5, 1), "month", date(2025, 5, 14), "day")
    assert dates_conflict(date(2025, 5, 13), "day", date(2025, 5, 14), "day")
    assert dates_conflict(date(2024, 1, 1), "year", date(2025, 5, 14), "day")
    assert not dates_conflict(None, None, date(2025, 5, 14), "day")


def test_only_decisive_statuses_conflict_and_past_goes_with_ongoing():
    assert statuses_conflict([("past", True)], "planned", True)
    assert not statuses_conflict([("past", False)], "planned", True)
    assert not statuses_conflict([("past", True)], "planned", False)
    assert not statuses_conflict([("past", True)], "ongoing", True)


@given(st.dates(), st.sampled_from(["day", "month", "year"]), st.dates(), st.sampled_from(["day", "month", "year"]))
def test_dates_conflict_is_symmetric(a, pa, b, pb):
    assert dates_conflict(a, pa, b, pb) == dates_conflict(b, pb, a, pa)
    assert not dates_conflict(a, pa, a, pb)
