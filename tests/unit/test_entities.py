"""extraction/entities.py: participants and places to the ids that match across languages."""
from __future__ import annotations

from extraction.entities import Normaliser, strip_legal_form


def test_legal_forms_and_quotes_go():
    assert strip_legal_form("АО «Узбекнефтегаз»") == "Узбекнефтегаз"
    assert strip_legal_form('JSC "Uzbekneftegaz"') == "Uzbekneftegaz"
    assert strip_legal_form("Ао Ооо Альфа") == "Альфа"
    assert strip_legal_form("Ассоциация предприятий") == "Ассоциация предприятий"


def test_an_institution_participant_joins_its_institution_by_name_alias_or_without_its_legal_form():
    norm = Normaliser([("Узбекнефтегаз", "uzbekneftegaz"), ("UNG", "uzbekneftegaz"), ("Евразийский банк", "edb")])
    assert norm.participant("АО «Узбекнефтегаз»", "institution", "ru").entity_id == "institution:uzbekneftegaz"
    assert norm.participant("UNG", "institution", "en").entity_id == "institution:uzbekneftegaz"
    unknown = norm.participant("Совет старейшин", "institution", "ru")
    assert unknown.entity_id.startswith("institution:") and unknown.entity_id != "institution:uzbekneftegaz"


def test_an_alias_two_institutions_share_goes_to_the_same_one_whatever_the_order():
    one = Normaliser([("ЕАБР", "b"), ("ЕАБР", "a")]).participant("ЕАБР", "institution", "ru")
    two = Normaliser([("ЕАБР", "a"), ("ЕАБР", "b")]).participant("ЕАБР", "institution", "ru")
    assert one.entity_id == two.entity_id == "institution:a"


def test_countries_and_persons_meet_across_languages_and_are_kept():
    norm = Normaliser([])
    assert norm.participant("Киргизия", "country", "ru").entity_id == norm.participant(
        "Kyrgyzstan", "country", "en").entity_id == "country:KG"
    assert norm.participant("Atlantis", "country", "en") is None
    assert norm.participant("Садыр Жапаров", "person", "ru").entity_id == norm.participant(
        "Sadyr Japarov", "person", "en").entity_id
    assert {"country:KG"} <= set(norm.entities)


def test_places_geocode_and_nothing_is_no_place():
    norm = Normaliser([])
    assert norm.place("Алма-Ата").geonames_id == norm.place("Almaty").geonames_id is not None
    assert norm.place(None) is None and norm.place("") is None
