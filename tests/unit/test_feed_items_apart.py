"""When feedparser raises on a document, the items it does not raise on survive (feeds.parse).

feedparser is third-party code: its failure is injected by patching its character-data handler to
raise on a marker (the way `&#xD800;` made it raise UnicodeEncodeError before the references were
repaired). Our own code runs as it is.
"""
from __future__ import annotations

import pytest
from feedparser.mixin import _FeedParserMixin

from feeds.parse import parse_feed

MARKER = "KABOOM"


@pytest.fixture()
def feedparser_raises_on_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    original = _FeedParserMixin.handle_data

    def handle_data(self: _FeedParserMixin, text: str, escape: int = 1) -> None:
        if MARKER in text:
            raise UnicodeEncodeError("utf-8", text, 0, 1, "surrogates not allowed")
        original(self, text, escape)

    monkeypatch.setattr(_FeedParserMixin, "handle_data", handle_data)


def rss(items: list[str], *, channel_title: str = "Лента") -> bytes:
    body = "".join(f"<item><guid>g{i}</guid><title>{t}</title><description>Текст {i}</description></item>"
                   for i, t in enumerate(items))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>{channel_title}</title><language>ru</language>{body}</channel></rss>").encode()


def test_the_items_feedparser_does_not_raise_on_survive(feedparser_raises_on_marker: None) -> None:
    titles = [f"Новость {i}" for i in range(50)]
    titles.insert(17, f"плохая {MARKER}")
    parsed = parse_feed(rss(titles), feed_url="http://feeds.example/f.xml")
    assert [i.title for i in parsed.items] == [t for t in titles if MARKER not in t]
    assert parsed.title == "Лента" and all(i.language == "ru" for i in parsed.items)
    assert parsed.error and "feedparser failed on the document (UnicodeEncodeError" in parsed.error
    assert "item 18 dropped: UnicodeEncodeError" in parsed.error


def test_a_channel_feedparser_raises_on_costs_its_title_only(feedparser_raises_on_marker: None) -> None:
    parsed = parse_feed(rss(["один", "два"], channel_title=MARKER), feed_url="http://feeds.example/f.xml")
    assert [i.title for i in parsed.items] == ["один", "два"]
    assert parsed.title == "" and parsed.error and "channel dropped" in parsed.error


def test_atom_entries_are_isolated_too(feedparser_raises_on_marker: None) -> None:
    entries = "".join(f"<entry><id>urn:e{i}</id><title>{t}</title><summary>s</summary></entry>"
                      for i, t in enumerate(["a", MARKER, "c"]))
    doc = f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>F</title>{entries}</feed>'.encode()
    parsed = parse_feed(doc, feed_url="http://feeds.example/atom.xml")
    assert [i.guid for i in parsed.items] == ["urn:e0", "urn:e2"] and parsed.title == "F"
    assert "item 2 dropped" in (parsed.error or "")


def test_without_items_the_failure_is_recorded(feedparser_raises_on_marker: None) -> None:
    parsed = parse_feed(rss([], channel_title=MARKER), feed_url="http://feeds.example/f.xml")
    assert parsed.items == () and "no item found" in (parsed.error or "")
