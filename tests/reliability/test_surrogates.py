"""Issue 10, item 7: a surrogate character reference does not kill a feed.

One ``&#xD800;`` made feedparser raise UnicodeEncodeError and the 50 good items of that feed were
lost. Feeds of 50 good items plus one item carrying a reference to a code point XML cannot hold
(decimal or hex, in text, in an attribute, in escaped HTML, in CDATA), or a surrogate as raw bytes
(CESU-8), are served from 127.0.0.1: every item survives, the bad character is U+FFFD, the feed's
run records it. One case goes all the way into a DuckDB file.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from feeds.fetch import fetch_feed
from flows.steps import collect_feed
from schemas import Feed
from tests.reliability.test_feed_encoding import cyrillic_share, ingest_once
from tests.sitekit import rss, serve_site

pytestmark = [pytest.mark.network, pytest.mark.timeout(300)]

MARK = "ZZMARKZZ"
GOOD = [{"guid": f"s-{i}", "title": f"Новость номер {i}", "link": f"http://test.example/s/{i}",
         "text": f"Министр иностранных дел провел переговоры с делегацией номер {i} в Астане."}
        for i in range(50)]
BAD = {"guid": "s-bad", "title": f"Плохая {MARK} новость", "link": "http://test.example/s/bad",
       "text": f"Текст плохой новости {MARK} о переговорах в Бишкеке."}

# where the bad character sits: (what replaces MARK in the title, in the text), extra XML in the item
PLACEMENTS: dict[str, tuple[bytes, bytes, bytes]] = {
    "title-hex": (b"&#xD800;", b"", b""),
    "title-upper-hex": (b"&#XDBFF;&#xDC00", b"", b""),          # a lone high one, then an unterminated one
    "text-decimal": (b"", b"&#55296;", b""),
    "beyond-unicode": (b"&#x110000;", b"&#1114112;", b""),
    "escaped-html": (b"", b"", b"<description>&lt;p&gt;a &amp;#xDFFF; b&lt;/p&gt;</description>"),
    "cdata": (b"", b"", b"<description><![CDATA[<p>a &#xD800; b</p>]]></description>"),
    "attribute": (b"", b"", b'<enclosure url="http://test.example/a&#xD800;.mp3" type="audio/mpeg" length="1"/>'),
    "control": (b"&#x1;&#0;&#xFFFF;", b"", b""),
    "raw-cesu-bytes": (b"\xed\xa0\x80", b"\xed\xbf\xbf", b""),
}


def feed_with_bad_item(placement: str) -> bytes:
    in_title, in_text, extra = PLACEMENTS[placement]
    data = rss([*GOOD[:25], BAD, *GOOD[25:]]).encode("utf-8")
    head, sep, tail = data.partition(MARK.encode())
    data = head + in_title + sep.replace(MARK.encode(), b"") + tail
    data = data.replace(MARK.encode(), in_text, 1)
    return data.replace(b'<guid isPermaLink="false">s-bad</guid>', b'<guid isPermaLink="false">s-bad</guid>' + extra)


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
def test_every_item_survives_a_character_xml_cannot_hold(placement: str) -> None:
    with serve_site() as site:
        url = site.put("/feed.xml", feed_with_bad_item(placement))
        fetched = fetch_feed(url)
        outcome = collect_feed(Feed(url=url, name="Лента"), fetched, fetch_linked_pages=False)
    assert not outcome.failed, outcome.error
    guids = [a.guid for a in outcome.articles]
    assert len(guids) == 51 and {f"s-{i}" for i in range(50)} <= set(guids) and "s-bad" in guids
    bad = next(a for a in outcome.articles if a.guid == "s-bad")
    assert bad.title.startswith("Плохая") and "о переговорах в Бишкеке" in bad.body
    for article in outcome.articles:
        assert cyrillic_share(article.title + article.body) > 0.9, article.title  # no mojibake anywhere
        assert not any("\ud800" <= ch <= "\udfff" for ch in article.title + article.body)
    assert outcome.parsed is not None and outcome.parsed.error and "U+FFFD" in outcome.parsed.error


def test_the_feed_with_a_surrogate_reference_loads_all_its_articles(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with serve_site() as site:
        url = site.put("/feed.xml", feed_with_bad_item("title-hex"))
        outcome, counts = ingest_once(db, Feed(url=url, name="Лента"))
    assert counts.articles_new == 51
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 51
        title = con.execute("SELECT title FROM articles WHERE guid = 's-bad'").fetchone()[0]
        assert title == "Плохая \ufffd новость"
        assert con.execute("SELECT count(*) FROM meetings").fetchone()[0] >= 50   # every item was extracted
        status, error = con.execute("SELECT status, error FROM feed_runs").fetchone()
    assert status == "ok" and "character reference(s) to code points XML cannot hold" in error
