"""Visits as verbs, bare 'held talks', talks held during a visit, framed status (invented sentences)."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.en import extract_hits
from extraction.en.nlp import pipeline

PUB = date(2024, 5, 17)      # a Friday


@pytest.fixture(scope="session", autouse=True)
def en_models():
    return pipeline()


def meetings(text: str, published: date = PUB):
    return extract_hits(text, published).meetings


def test_visited_a_country_is_a_visit_there():
    found = meetings("Prime Minister Olzhas Sarsenov visited Georgia on 14 March.")
    assert [(m.kind.value, m.location, m.start_date) for m in found] == [("visit", "Georgia", date(2024, 3, 14))]


def test_visiting_a_plant_is_no_visit():
    assert meetings("The minister visited the new cement plant near Shymkent.") == []


def test_held_talks_without_modifiers_is_a_meeting():
    found = meetings("Kyrgyzstan and Tajikistan held talks in Batken on Monday.")
    assert [(m.kind.value, m.location, m.start_date) for m in found] == [("talks", "Batken", date(2024, 5, 13))]


def test_talks_after_a_visit_are_held_there():
    text = ("President Arman Beketov arrived in Baku on an official visit on Friday. "
            "The presidents will hold talks in a narrow format and then with delegations.")
    talks = [m for m in meetings(text) if m.kind.value == "talks"]
    assert [(m.location, m.status.value) for m in talks] == [("Baku", "planned")]
    assert "Arman Beketov" in {p.name for p in talks[0].participants}


def test_talks_of_other_parties_do_not_take_the_visit_place():
    text = ("President Arman Beketov arrived in Baku on an official visit on Friday. "
            "Separately, Timur Rashidov held talks with Ilkhom Nazarov on water quotas.")
    talks = [m for m in meetings(text) if m.kind.value == "talks"]
    assert [m.location for m in talks] == [None]


def test_meeting_framing_an_invitation_is_past():
    text = "Last October, during a meeting with Beketov in Hanoi, Rashidov asked him to come to Tashkent."
    found = [m for m in meetings(text, date(2024, 9, 2)) if m.kind.value == "meeting"]
    assert [(m.status.value, m.start_date) for m in found] == [("past", date(2023, 10, 1))]


def test_arriving_to_take_part_does_not_date_the_meeting():
    text = ("Governor Olzhas Sarsenov came to Tajikistan to attend the fourth meeting of the Joint Water "
            "Council. The fourth meeting of the Council opens today in Khujand city.")
    found = [m for m in meetings(text) if m.kind.value == "session"]
    assert [m.location for m in found] == ["Khujand"], [(m.name, m.status) for m in found]
    assert found[0].status.value != "past"


def test_sports_sides_do_not_meet():
    assert meetings("In the semi-final, the Kazakh club will meet the Iranian squad in Almaty next Sunday.") == []


def test_recurring_exchange_is_no_visit():
    assert meetings("The programme foresees a visit of fifty students annually from Mongolia to Kazakhstan.") == []


def test_sitting_body_framing_a_meeting_is_a_session_and_gives_its_place():
    text = ("Foreign Minister Arman Beketov talked to his Georgian counterpart on Tuesday. Their meeting "
            "took place on the margins of the Eurasian Intergovernmental Council in Yerevan.")
    found = meetings(text)
    kinds = {m.kind.value: m for m in found}
    assert "session" in kinds and kinds["session"].location == "Yerevan", [(m.name, m.kind) for m in found]
    assert [m.location for m in found if m.kind.value == "meeting"] == ["Yerevan"]


def test_hosting_an_organisation_on_a_date_is_its_summit():
    found = meetings("Dushanbe will host the Commonwealth of Independent States in September, the ministry "
                     "announced.")
    assert [(m.kind.value, m.start_date, m.location) for m in found] == [("summit", date(2024, 9, 1), "Dushanbe")]


def test_body_that_names_a_summit_is_not_a_session():
    text = "A road map was approved at the second EU–Central Asia summit, which met in Ashgabat on Friday."
    assert [m.kind.value for m in meetings(text)] == ["summit"]


def test_summit_attended_as_part_of_a_visit_is_in_the_visit_city():
    text = ("Premier Olzhas Sarsenov attended the fifth Caspian Economic Forum as part of his official "
            "visit to Baku.")
    found = [m for m in meetings(text) if m.kind.value != "visit"]
    assert [m.location for m in found] == ["Baku"]


def test_role_after_as_is_no_person():
    text = "Mongolia took part as a Guest Partner at the 11th Summit of the union in May 2022."
    m = meetings(text)[0]
    assert not any(p.participant_type.value == "person" for p in m.participants), m.participants
