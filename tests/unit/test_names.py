"""One way to compare names (extraction/names.py) and forms of address that are no part of a name."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extraction.en import extract_hits
from extraction.names import name_key


def test_case_diacritics_yo_and_spaces_fold():
    assert name_key("António  Costa") == name_key("antonio costa")
    assert name_key("Recep Tayyip Erdoğan") == name_key("Recep Tayyip Erdogan")
    assert name_key("Пётр Сёмин") == name_key("Петр Семин")


def test_short_i_stays_a_letter_of_its_own():
    assert name_key("Андрей") != name_key("Андреи")


@given(st.text(max_size=40))
def test_the_key_is_stable(text):
    assert name_key(name_key(text)) == name_key(text)


def test_an_honorific_is_no_part_of_the_name_and_one_person_is_one_participant():
    hits = extract_hits("Shri Arvind Rao met President José Ramos in Delhi on Monday. Jose Ramos thanked him.", None)
    names = [p.name for m in hits.meetings for p in m.participants]
    assert "Arvind Rao" in names and not any(n.startswith("Shri") for n in names)


def test_capitalised_words_of_a_short_quoted_name_are_no_person():
    hits = extract_hits("Members of the “Steppe Transit Corridor” union met Minister Arman Serikov in Aktau.", None)
    names = {p.name for m in hits.meetings for p in m.participants}
    assert "Arman Serikov" in names and not any("Corridor" in n for n in names)
