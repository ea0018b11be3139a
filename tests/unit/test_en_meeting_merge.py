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
    text = ("Leaders of the Nordic and Baltic states are holding their first summit to discuss energy links\n\n"
            "The first summit between the leaders of the Nordic and Baltic states opened in Riga, Latvia, on Friday.")
    found = meetings(text)
    assert len(found) == 1, [m.name for m in found]
    assert found[0].location == "Riga"


def test_generic_mention_with_a_place_joins_the_meeting():
    text = ("Preparations are under way for a meeting of the transport ministers of Georgia and Armenia, "
            "the ministry said. \"Such a meeting in Tbilisi is in the works,\" the spokesman added.")
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
    text = "We hope that the documents signed at the Tashkent summit will be implemented soon, the minister said."
    found = meetings(text)
    assert [m.status.value for m in found] == ["past"]


def test_unknown_settlement_in_the_meeting_phrase_is_its_place():
    text = "Border experts of the two countries agreed on 9 kilometres of the line during a meeting held in Karavshin."
    assert [m.location for m in meetings(text)] == ["Karavshin"]


def test_month_after_in_is_no_place():
    text = "Border experts of the two countries held a meeting in December."
    assert [m.location for m in meetings(text)] == [None]


def test_territory_of_a_country_is_the_place():
    text = "The sides agreed to continue the work at the next meeting to be held on Tajikistan's territory."
    found = meetings(text)
    assert [(m.location, m.status.value) for m in found] == [("Tajikistan", "planned")]


def test_kicked_off_today_makes_the_summit_ongoing():
    text = ("Today we will sign a document on a joint fund, the president said, speaking at the Extraordinary "
            "Summit of the Organization of Turkic States in Ankara. Meanwhile, the Extraordinary Summit of the "
            "Organization of Turkic States has kicked off today in Ankara.")
    found = [m for m in meetings(text) if m.kind.value == "summit"]
    assert [(m.status.value, m.location) for m in found] == [("ongoing", "Ankara")]
