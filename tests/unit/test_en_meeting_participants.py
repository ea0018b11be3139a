"""Who takes part in an English meeting: groups of countries, source credits, topics (invented sentences)."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.en import extract_hits
from extraction.en.nlp import pipeline
from extraction.en.places import group_members

PUB = date(2024, 5, 17)
FIVE = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]


@pytest.fixture(scope="session", autouse=True)
def en_models():
    return pipeline()


def meetings(text: str):
    return extract_hits(text, PUB).meetings


def names(m) -> set[str]:
    return {p.name for p in m.participants}


@pytest.mark.parametrize("text,head,expected", [
    ("the second Japan-Central Asia summit", "summit", FIVE),
    ("the Central Asia-China leaders' summit", "summit", FIVE),
    ("the trade ministers of the five Central Asian countries gathered", None, FIVE),
    ("the three countries of the South Caucasus", None, ["Armenia", "Azerbaijan", "Georgia"]),
    ("a forum for EU-Central Asia transport links", "forum", []),        # the format is the topic, not the side
    ("the summit of Central Asian states", "summit", []),               # no count, no format
    ("the four Central Asian countries", None, []),                     # a count that is not the group's
])
def test_group_members(text, head, expected):
    assert group_members(text, head) == expected


def test_format_summit_takes_the_group_members():
    m = meetings("The third Korea-Central Asia summit will be held in Seoul next year.")[0]
    assert set(FIVE) <= names(m)


def test_press_service_is_no_participant():
    text = ("Arman Beketov held a phone conversation with Mongolian leader Bat Erdene, the Ak Orda press "
            "office informed.")
    m = meetings(text)[0]
    assert not {"Akorda", "Ak Orda"} & names(m) and "Bat Erdene" in names(m), names(m)


def test_talking_about_a_summit_is_not_taking_part():
    text = ("Presidents Arman Beketov and Mehmet Aydin also exchanged views about the coming summit of the "
            "Shanghai Cooperation Organisation, due to be held in Bishkek in October.")
    found = [m for m in meetings(text) if m.kind.value == "summit"]
    assert found and not {"Arman Beketov", "Beketov", "Mehmet Aydin", "Aydin"} & names(found[0])


def test_preparing_a_meeting_is_taking_part():
    text = ("The foreign ministers of Georgia and Armenia will meet in Tbilisi on May 20. Foreign Minister "
            "Levan Kavtaradze and his Armenian counterpart Ara Mkrtchyan discussed preparations for the "
            "Tbilisi meeting in a phone call on Monday.")
    found = [m for m in meetings(text) if m.kind.value == "meeting"]
    assert any("Levan Kavtaradze" in names(m) for m in found), [(m.name, names(m)) for m in found]


def test_negated_talks_are_no_meeting():
    assert meetings("Officials said a trade deal could come later, but no negotiations are planned.") == []


def test_meeting_without_parties_takes_the_countries_of_the_lead():
    text = ("Armenia, Georgia and Azerbaijan have approved a joint rail tariff. "
            "The tariff was adopted at a trilateral meeting of transport officials in Tbilisi.")
    m = [x for x in meetings(text) if x.kind.value == "meeting"][0]
    assert {"Armenia", "Georgia", "Azerbaijan"} <= names(m)


def test_forum_does_not_take_the_countries_of_the_lead():
    text = ("Kazakhstan and Uzbekistan signed deals worth $1 billion. "
            "The agreements were signed at a business forum in Tashkent.")
    forums = [x for x in meetings(text) if x.kind.value == "forum"]
    assert forums and not {"Kazakhstan", "Uzbekistan"} & names(forums[0])


def test_lead_parties_include_the_partner_of_the_subject():
    text = ("Kazakhstan's President Arman Beketov signed a transit deal with Kyrgyz President Timur Asanov. "
            "The first joint meeting of the customs commissions will follow next month.")
    found = [x for x in meetings(text) if "commissions" in x.name]
    assert found and {"Kazakhstan", "Kyrgyzstan"} <= names(found[0]), [(x.name, names(x)) for x in meetings(text)]


def test_title_fragments_are_no_persons():
    text = "The Second UN Conference on Small Island Countries opened in Bridgetown on Monday."
    m = meetings(text)[0]
    assert not any(p.participant_type.value == "person" for p in m.participants), m.participants


def test_untitled_partner_is_kept():
    m = meetings("Arman Beketov held talks with Timur Rashidov in Tashkent on Monday.")[0]
    assert {"Arman Beketov", "Timur Rashidov"} <= names(m)
