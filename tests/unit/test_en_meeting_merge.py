"""Generic references to a meeting join the specific meeting the article names (invented sentences)."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.en import extract_hits
from extraction.en.nlp import pipeline

PUB = date(2024, 5, 17)      # a Friday


@pytest.fixture(scope="session", autouse=True)
def en_models():
    return pipeline()


def meetings(text: str, published: date | None = PUB):
    return extract_hits(text, published).meetings


def test_headline_reference_joins_the_named_summit():
    text = ("Nordic and Baltic premiers gather for their first summit\n\n"
            "The first summit of Nordic and Baltic heads of government opened in Riga, Latvia, on Friday.")
    found = meetings(text)
    assert len(found) == 1, [m.name for m in found]
    assert found[0].location == "Riga"


def test_generic_mention_with_a_place_joins_the_meeting():
    text = ("Georgia and Armenia are preparing a meeting of their transport ministers, officials said. "
            "The spokesman confirmed that such a meeting in Tbilisi will take place soon.")
    found = meetings(text)
    assert len(found) == 1, [m.name for m in found]
    assert found[0].location == "Tbilisi"       # the city, finer than a country another mention gives


def test_next_meeting_stays_apart_from_the_past_one():
    text = ("Water experts of Kyrgyzstan and Kazakhstan agreed on new quotas during a meeting held in Talas on Monday. "
            "The parties will continue the work at the next meeting. The recent meeting ended with a protocol.")
    found = meetings(text)
    assert sorted(m.status.value for m in found) == ["past", "planned"], [(m.name, m.status) for m in found]


def test_ordinals_keep_summits_apart():
    text = ("The second summit of the organisation took place in Baku in 2019. "
            "Hungary was granted observer status at the first summit.")
    assert len(meetings(text)) == 2


def test_verb_meeting_does_not_join_a_session_it_precedes():
    text = ("The ministers agreed to meet again in Baku next year, ahead of the fifth ministerial meeting "
            "of the Caspian Energy Council.")
    assert len(meetings(text)) == 2


def test_participle_of_a_past_signing_makes_the_summit_past():
    text = "Officials expect that the three treaties agreed at the Tashkent summit will enter into force in June."
    found = meetings(text)
    assert [m.status.value for m in found] == ["past"]


def test_unknown_settlement_in_the_meeting_phrase_is_its_place():
    text = "A meeting held in Karavshin last week settled the route of a new irrigation canal."
    assert [m.location for m in meetings(text)] == ["Karavshin"]


def test_month_after_in_is_no_place():
    text = "Border experts of the two countries held a meeting in December."
    assert [m.location for m in meetings(text)] == [None]


def test_territory_of_a_country_is_the_place():
    text = "The sides agreed to continue the work at the next meeting to be held on Tajikistan's territory."
    found = meetings(text)
    assert [(m.location, m.status.value) for m in found] == [("Tajikistan", "planned")]


def test_kicked_off_this_morning_makes_the_summit_ongoing():
    text = ("The charter of a new water fund was presented, the prime minister said, addressing the Caspian "
            "Shipping Summit in Aktau. The Caspian Shipping Summit kicked off this morning in Aktau.")
    found = [m for m in meetings(text) if m.kind.value == "summit"]
    assert [(m.status.value, m.location) for m in found] == [("ongoing", "Aktau")]
