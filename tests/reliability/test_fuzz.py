"""Hypothesis fuzzing of what tests/unit/test_feed_html.py does not cover yet: the text normaliser on
arbitrary text (control characters, RTL, emoji, combining marks), and the feed parser on well-formed
feeds with arbitrary text in every field."""
from __future__ import annotations

import re
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.html import normalize_text, text_or_html_to_text
from feeds.parse import parse_feed

pytestmark = pytest.mark.timeout(300)

NASTY = st.lists(st.one_of(
    st.text(max_size=5),                                 # anything but surrogates
    st.sampled_from(["\x00", "\x1b", "\u202e", "\u200b", "\ufeff", "\r\n", "\u2028", "\xa0", "\u0301", "😀",
                     "ש", "ب", "\n\n\n", "\t", " ", "&amp;", "<b>", "]]>", "\r"]),
), max_size=60).map("".join)
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NASTY)
def test_normalize_text_is_idempotent_and_clean(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert once == once.strip()
    assert not XML_ILLEGAL.search(once.replace("\t", ""))
    assert text_or_html_to_text(once) == text_or_html_to_text(text_or_html_to_text(once))


def _feed(items: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<item><guid>g{i}</guid><title>{escape(t)}</title><description>{escape(d)}</description></item>"
                   for i, (t, d) in enumerate(items))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>f</title>'
            f"{body}</channel></rss>").encode()


LEGAL = NASTY.map(lambda s: XML_ILLEGAL.sub("", s))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(LEGAL, LEGAL), max_size=8))
def test_parse_feed_keeps_every_item_of_a_well_formed_feed(items: list[tuple[str, str]]) -> None:
    parsed = parse_feed(_feed(items), feed_url="http://feeds.example/f.xml")
    assert len(parsed.items) == len(items)
    for item in parsed.items:
        assert normalize_text(item.title) == item.title
        assert item.summary is None or normalize_text(item.summary) == item.summary


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NASTY, NASTY), max_size=8), st.sampled_from(["utf-8", "utf-16", "cp1251", "koi8-r"]))
def test_parse_feed_never_raises_on_any_text_in_any_encoding(items: list[tuple[str, str]], codec: str) -> None:
    data = _feed(items).decode("utf-8").encode(codec, errors="replace")
    parsed = parse_feed(data, feed_url="http://feeds.example/f.xml")
    assert len(parsed.items) <= len(items)
