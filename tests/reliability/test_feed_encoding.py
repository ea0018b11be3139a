"""Issue 10, item 2: one bad byte does not turn a whole feed into mojibake.

A UTF-8 Russian feed is served from 127.0.0.1 and loaded into a real DuckDB file with the flow's
plain functions (fetch_feed, collect_feed, extract_batch, load_batch, record_feed_result). The next
run serves the same feed with one invalid byte (``\\xff``) in one item. Before the fix the whole
document was decoded as koi8-u: every article became a new revision in mojibake, language
"other", its meetings deleted, the feed recorded "ok". Now the declared encoding is kept, the byte
becomes U+FFFD and the feed's run records it.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import duckdb
import pytest

from extraction import extract_batch
from feeds.fetch import fetch_feed
from flows.steps import FeedOutcome, collect_feed
from schemas import Feed
from tests.e2e.conftest import ARTICLES
from tests.sitekit import Site, rss, serve_site
from warehouse import (
    FeedCounts,
    LoadCounts,
    classify_articles,
    finish_run,
    load_batch,
    open_warehouse,
    record_feed_result,
    start_run,
)

pytestmark = [pytest.mark.network, pytest.mark.timeout(300)]

LETTER = re.compile(r"[^\W\d_]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
MOJIBAKE = re.compile("п[\u2500-\u257f≈÷©°]|Ð|Ñ")   # UTF-8 Cyrillic read as koi8 / latin-1


def ingest_once(db: Path, feed: Feed) -> tuple[FeedOutcome, FeedCounts]:
    """One run of one feed with the flow's plain functions: fetch over HTTP, parse, build, extract,
    load, record the feed's result (returned: what the feed contributed)."""
    outcome = collect_feed(feed, fetch_feed(feed.url), fetch_linked_pages=False)
    run_id = uuid.uuid4().hex
    con = open_warehouse(db)
    try:
        start_run(con, run_id=run_id, flow_run_id=None)
        new, changed, unchanged = classify_articles(con, list(outcome.articles))
        todo = new + changed
        loaded: LoadCounts = load_batch(con, run_id=run_id, articles=todo, extractions=extract_batch(todo))
        counts = FeedCounts(items=outcome.items, articles_new=len(new), articles_updated=len(changed),
                            articles_unchanged=len(unchanged))
        record_feed_result(con, run_id=run_id, feed=feed, fetch=outcome.fetch, parsed=outcome.parsed, counts=counts)
        finish_run(con, run_id, status="completed", counts=loaded.run_counts())
    finally:
        con.close()
    return outcome, counts


def cyrillic_share(text: str) -> float:
    letters = LETTER.findall(text)
    return sum(1 for ch in letters if CYRILLIC.match(ch)) / max(1, len(letters))


def snapshot(db: Path) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "articles": {r[0]: r[1:] for r in con.execute(
                "SELECT guid, title, body, language, revision, content_hash FROM articles").fetchall()},
            "revisions": con.execute("SELECT count(*) FROM article_revisions").fetchone()[0],
            "meetings": sorted(con.execute(
                "SELECT a.guid, m.kind, m.evidence FROM meetings m JOIN articles a USING (article_id)").fetchall()),
            "feed_error": con.execute("SELECT error FROM feed_runs ORDER BY recorded_at DESC LIMIT 1").fetchone()[0],
        }


# how the feed says it is UTF-8: (Content-Type, XML declaration)
DECLARATIONS = {
    "http-charset": ("application/rss+xml; charset=utf-8", b'<?xml version="1.0" encoding="utf-8"?>'),
    "xml-prolog": ("application/rss+xml", b'<?xml version="1.0" encoding="utf-8"?>'),
    "undeclared": ("application/rss+xml", b'<?xml version="1.0"?>'),
}


def feed_bytes(declaration: bytes, *, bad_byte_in: str | None) -> bytes:
    data = rss(ARTICLES).encode("utf-8").replace(b'<?xml version="1.0" encoding="utf-8"?>', declaration)
    if bad_byte_in == "category":   # inside an item, in an element that is not stored
        return data.replace("<title>Погода</title>".encode(), "<title>Погода</title><category>Общество ".encode()
                            + b"\xff</category>")
    if bad_byte_in == "body":
        return data.replace("ожидается дождь".encode(), "ожидается".encode() + b" \xff " + "дождь".encode())
    return data


def serve(site: Site, path: str, content_type: str, body: bytes) -> Feed:
    url = site.put(path, body, content_type=content_type)
    return Feed(url=url, name="Вестник")


@pytest.mark.parametrize("declared", sorted(DECLARATIONS))
def test_one_bad_byte_changes_nothing_stored(tmp_path: Path, declared: str) -> None:
    content_type, declaration = DECLARATIONS[declared]
    db = tmp_path / "w.duckdb"
    with serve_site() as site:
        first, _ = ingest_once(db, serve(site, "/feed.xml", content_type, feed_bytes(declaration, bad_byte_in=None)))
        before = snapshot(db)
        second, counts = ingest_once(db, serve(site, "/feed.xml", content_type,
                                               feed_bytes(declaration, bad_byte_in="category")))
    after = snapshot(db)

    assert len(before["articles"]) == 3 and before["meetings"], "the first run must load articles and meetings"
    assert second.parsed is not None and second.parsed.encoding == "utf-8"
    assert (counts.articles_new, counts.articles_updated, counts.articles_unchanged) == (0, 0, 3)
    assert after["articles"] == before["articles"]             # same titles, bodies, language, revision 1
    assert after["revisions"] == 0
    assert after["meetings"] == before["meetings"]             # nothing deleted
    for _title, body, language, *_ in after["articles"].values():
        assert language == "ru" and cyrillic_share(body) > 0.9 and not MOJIBAKE.search(body)
    assert "U+FFFD" in (after["feed_error"] or "")             # the feed's run says what happened


def test_a_bad_byte_in_one_body_costs_that_one_character(tmp_path: Path) -> None:
    content_type, declaration = DECLARATIONS["http-charset"]
    db = tmp_path / "w.duckdb"
    with serve_site() as site:
        ingest_once(db, serve(site, "/feed.xml", content_type, feed_bytes(declaration, bad_byte_in=None)))
        before = snapshot(db)
        ingest_once(db, serve(site, "/feed.xml", content_type, feed_bytes(declaration, bad_byte_in="body")))
    after = snapshot(db)
    untouched = {"t-1", "t-2"}
    assert {g: after["articles"][g] for g in untouched} == {g: before["articles"][g] for g in untouched}
    assert [m for m in after["meetings"] if m[0] in untouched] == [m for m in before["meetings"] if m[0] in untouched]
    weather = after["articles"]["t-3"]
    assert weather[1].count("\ufffd") <= 1 and "дождь" in weather[1] and weather[2] == "ru"
    for _title, body, language, *_ in after["articles"].values():
        assert language == "ru" and cyrillic_share(body) > 0.9 and not MOJIBAKE.search(body)
