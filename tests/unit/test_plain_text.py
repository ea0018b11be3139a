"""Text from the network is plain text: no markup in any field (feeds.html.plain_text, html_to_text)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.articles import build_articles
from feeds.html import has_markup, html_to_text, plain_text, text_or_html_to_text
from feeds.parse import parse_feed
from schemas import FeedItem, Language


@pytest.mark.parametrize(("raw", "text"), [
    ("<script>alert(1)</script>Hello", "Hello"),
    ("Hello <img src=x onerror=alert(1)>world", "Hello world"),
    ("<svg onload=alert(1)>x</svg>Заголовок", "Заголовок"),
    ("<b>жирный</b> и <i>курсив</i>", "жирный и курсив"),
    ("<<b>script>alert(1)<</b>/script>", "alert(1)"),          # removing one tag must not build another
    ("AT&T и x < y, 5 > 3", "AT&T и x < y, 5 > 3"),              # no markup: the text as it is
    ("Tom &amp; Jerry", "Tom &amp; Jerry"),                      # plain text: no entity decoding
    ("<p>a</p><p>b</p>", "a\nb"),
    ("  Переговоры \n\n в Астане ", "Переговоры\nв Астане"),
    ("<!-- note -->visible", "visible"),
    ("<?php echo 1 ?>visible", "visible"),
])
def test_plain_text_examples(raw: str, text: str) -> None:
    assert plain_text(raw) == text


def test_markup_decoded_from_entities_is_dropped_too() -> None:
    assert html_to_text("&lt;script&gt;alert(1)&lt;/script&gt; safe") == "alert(1) safe"
    assert html_to_text("History of the &lt;blink&gt; tag") == "History of the tag"
    assert text_or_html_to_text("<marquee onstart=alert(1)>x</marquee>") == "x"


def test_an_rss_title_with_script_and_an_atom_author_with_an_image_are_plain() -> None:
    doc = (b'<rss version="2.0"><channel><title>&lt;b&gt;Feed&lt;/b&gt;</title><item><guid>g</guid>'
           b"<title>&lt;script&gt;alert(1)&lt;/script&gt;Hello &lt;img src=x onerror=alert(1)&gt;</title>"
           b"<description>d</description><author>&lt;img src=x onerror=alert(2)&gt;Bob</author></item>"
           b'</channel></rss>')
    parsed = parse_feed(doc, feed_url="http://feeds.example/f.xml")
    item = parsed.items[0]
    assert (parsed.title, item.title, item.authors) == ("Feed", "Hello", ("Bob",))
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">&lt;i&gt;F&lt;/i&gt;</title><entry>'
            b'<id>urn:1</id><title type="text">&lt;script&gt;x()&lt;/script&gt;T</title>'
            b"<author><name>&lt;img src=x onerror=alert(1)&gt;Ann</name></author><summary>s</summary></entry></feed>")
    parsed = parse_feed(atom, feed_url="http://feeds.example/a.xml")
    assert (parsed.title, parsed.items[0].title, parsed.items[0].authors) == ("F", "T", ("Ann",))


def test_articles_are_plain_whatever_path_the_text_took() -> None:
    item = FeedItem(guid="g", link="http://e.example/1", title="<b>T</b>itle")
    articles, _ = build_articles("http://e.example/f", [item], detect_language=lambda _t: Language.EN,
                                 page_texts={"http://e.example/1": "Page <script>evil()</script>text"})
    assert (articles[0].title, articles[0].body) == ("Title", "Page text")


NASTY = st.lists(st.one_of(
    st.sampled_from(["<", ">", "/", "!", "?", "&lt;", "&gt;", "&amp;", "<script>", "</script>", "<b>", "<img ",
                     "onerror=", "\n", " ", "a", "Я", "<<", ">>", "<!--", "-->", "&", ";", "\"", "'"]),
    st.text(max_size=4),
), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NASTY)
def test_plain_text_never_holds_markup_and_is_idempotent(raw: str) -> None:
    once = plain_text(raw)
    assert not has_markup(once)
    assert plain_text(once) == once
    assert not has_markup(html_to_text(raw))
