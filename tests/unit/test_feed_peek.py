"""feeds/peek.py: a look at a feed's bytes before the parse: how many items it seems to hold and a
sample of its text, in any encoding it declares; never an exception, whatever the bytes."""
from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.parse import parse_feed
from feeds.peek import peek_feed
from tests.sitekit import rss

WHEN = datetime(2025, 6, 2, 8, tzinfo=UTC)


@given(st.lists(st.text(min_size=0, max_size=60), max_size=12))
@settings(max_examples=60, deadline=None)
def test_the_items_of_an_rss_document_are_counted_as_its_parse_finds_them(texts):
    doc = rss([{"guid": f"g{i}", "title": t, "text": t or "x", "published": WHEN} for i, t in enumerate(texts)]).encode()
    assert peek_feed(doc).items == len(texts) == len(parse_feed(doc, feed_url="http://127.0.0.1/f.xml").items)


def test_atom_entries_and_prefixed_rdf_items_count_and_lookalike_tags_do_not():
    atom = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            b'<entry><title>a</title></entry><entry xml:lang="en"><title>b</title></entry>'
            b'<entryPoint/><items/></feed>')
    rdf = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/">'
           b'<rss:item rdf:about="a"/><rss:item rdf:about="b"/><rss:item rdf:about="c"/></rdf:RDF>')
    assert peek_feed(atom).items == 2
    assert peek_feed(rdf).items == 3


def test_the_text_sample_leaves_out_tags_cdata_entities_escaped_html_and_links():
    doc = ('<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Лента &amp; новости</title>'
           '<item><description><![CDATA[<p>Министры провели <b>переговоры</b>: https://example.org/a?b=1</p>]]>'
           '</description></item><item><description>&lt;p&gt;Стороны договорились&lt;/p&gt; www.example.org'
           '</description></item></channel></rss>').encode()
    assert peek_feed(doc).text == "Лента & новости Министры провели переговоры : Стороны договорились"


def test_a_declared_legacy_encoding_is_read_as_declared():
    doc = ('<?xml version="1.0" encoding="windows-1251"?><rss><channel><item><title>Переговоры в Астане'
           '</title></item></channel></rss>').encode("cp1251")
    assert peek_feed(doc).text == "Переговоры в Астане"
    assert peek_feed(doc, {"content-type": "text/xml; charset=koi8-r"}).text != "Переговоры в Астане"  # HTTP first


def test_the_sample_is_cut_to_the_characters_asked_for():
    doc = rss([{"guid": f"g{i}", "title": "Саммит", "text": "Переговоры. " * 50, "published": WHEN}
               for i in range(40)]).encode()
    peek = peek_feed(doc, chars=300)
    assert peek.items == 40 and len(peek.text) == 300


@given(st.binary(max_size=400), st.sampled_from([None, {"content-type": "text/xml; charset=no-such-codec"},
                                                 {"content-type": "application/rss+xml; charset=utf-16"}]))
@settings(max_examples=200, deadline=None)
def test_any_bytes_give_a_peek_never_an_exception(data, headers):
    peek = peek_feed(b"<?xml version='1.0' encoding='base64'?>" + data if data[:1] == b"!" else data, headers)
    assert peek.items >= 0 and isinstance(peek.text, str)
