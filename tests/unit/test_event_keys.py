"""extraction.event_keys: one key set for a name in Russian and in English (my own phrases)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extraction.event_keys import name_keys, ordinals


def test_ordinals_in_both_languages():
    assert ordinals("the 3rd summit") == {3} and ordinals("the third summit") == {3}
    assert ordinals("третьего саммита") == {3} and ordinals("3-й саммит") == {3}
    assert ordinals("II Форум регионов") == {2}
    assert ordinals("в пятницу состоялся саммит") == set()
    assert ordinals("summit of 2025") == set()


def test_a_russian_and_an_english_name_share_their_keys():
    ru = name_keys("план совместных действий на 2026–2028 годы")
    en = name_keys("the joint Action Plan for 2026-2028")
    assert {"concept:action-plan", "year:2026", "year:2028"} <= ru & en


def test_compound_adjectives_name_their_countries():
    ru = name_keys("узбекско-кыргызского фонда развития")
    en = name_keys("the Uzbek-Kyrgyz Development Fund")
    assert {"country:UZ", "country:KG", "concept:fund", "concept:development"} <= ru & en


def test_party_words_in_both_languages():
    assert "parties:3" in name_keys("a trilateral meeting of ministers") & name_keys("трехсторонней встречи министров")
    assert "parties:5" in name_keys("пятистороннего делового совета")
    assert not any(k.startswith("parties:") for k in name_keys("the sides met twice"))


def test_inflection_does_not_change_the_keys():
    assert name_keys("рабочая группа по водным ресурсам") == name_keys("рабочей группы по водным ресурсам")


@given(st.text(max_size=200))
def test_name_keys_never_fail(text):
    keys = name_keys(text)
    assert all(":" in k for k in keys)
