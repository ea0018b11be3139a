"""The project's realistic Russian feeds (../shared/feeds/realistic) and corpus-wide properties."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feeds.articles import build_articles, dedupe_items
from feeds.parse import parse_feed
from schemas import BodySource, Language, ParsedFeed

CORPUS = (Path(__file__).parents[2] / ".." / "shared" / "feeds").resolve()
REALISTIC = CORPUS / "realistic"
FP = CORPUS / "feedparser-tests"
MOJIBAKE = re.compile("Ð|Ñ|Ã|Â|\ufffd")
SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")


def parse(name: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> ParsedFeed:
    path = REALISTIC / name
    return parse_feed(path.read_bytes() if data is None else data,
                      feed_url=f"https://feeds.example/{name}", headers=headers)


def sentences(text: str) -> int:
    return len(SENTENCE_END.findall(text))


def test_a_body_is_yandex_full_text_with_paragraphs_and_utc_times() -> None:
    parsed = parse("a-rss-yandex-fulltext-utf8.xml")
    assert parsed.error is None
    assert len(parsed.items) == 3
    first = parsed.items[0]
    assert first.full_text is not None and first.summary is not None
    assert first.full_text.startswith("Глава администрации Сонеграда Павел Веденеев")
    assert first.full_text.count("\n") == 2  # three paragraphs kept
    assert "общественных слушаниях в апреле." in first.full_text
    assert first.published_at == datetime(2025, 3, 11, 14, 20, tzinfo=UTC)
    assert first.published_at.isoformat().replace("+00:00", "Z") == "2025-03-11T14:20:00Z"
    assert first.authors == ("Ольга Травина",)
    assert first.language == "ru"
    for item in parsed.items:
        assert item.full_text and item.summary and len(item.full_text) > 2 * len(item.summary)
        assert not MOJIBAKE.search(item.full_text + item.title)
    articles, skipped = build_articles(parsed.feed_url, parsed.items, page_texts={},
                                       detect_language=lambda _text: Language.RU)
    assert skipped == []
    assert {a.body_source for a in articles} == {BodySource.FULL_TEXT}


@pytest.mark.parametrize("headers", [
    None,
    {"Content-Type": "application/rss+xml; charset=windows-1251"},
    {"content-type": "text/xml"},
])
def test_b_windows_1251_equals_a_field_for_field(headers: dict[str, str] | None) -> None:
    a = parse("a-rss-yandex-fulltext-utf8.xml")
    b = parse("b-rss-yandex-fulltext-windows-1251.xml", headers=headers)
    assert b.error is None
    assert b.encoding is not None and b.encoding.lower().replace("_", "-") in {"windows-1251", "cp1251"}
    assert b.title == a.title
    assert b.items == a.items


def test_b_served_with_conflicting_utf8_charset_is_flagged() -> None:
    b = parse("b-rss-yandex-fulltext-windows-1251.xml", headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    assert b.error and "utf-8" in b.error  # the declaration did not fit the bytes: recorded
    a = parse("a-rss-yandex-fulltext-utf8.xml")
    if b.items != a.items:  # whatever was guessed, a mismatch is never silent
        assert b.error


def test_c_content_encoded_wins_and_is_sanitised() -> None:
    parsed = parse("c-rss-content-encoded.xml")
    assert parsed.error is None
    first, second, third = parsed.items
    for item in parsed.items:
        assert item.full_text and item.summary and item.summary not in item.full_text.split("\n")[0:0]
        assert len(item.full_text) > len(item.summary)
    assert "«" in first.full_text and "—" in first.full_text
    text = second.full_text or ""
    for bad in ("<script", "<iframe", "onclick", "alert(", "javascript:", "<p"):
        assert bad not in text
    assert sentences(text) == 5, text
    assert "«Лесной»" in (third.full_text or "")
    assert "&laquo;" not in (third.full_text or "")
    # its only &amp;nbsp; ends a paragraph: edge whitespace (NBSP included) is stripped from lines
    assert "&nbsp;" not in (third.full_text or "") and not (third.full_text or "").endswith("\xa0")
    assert [i.published_at for i in parsed.items] == [
        datetime(2025, 3, 10, 16, 45, tzinfo=UTC),
        datetime(2025, 3, 11, 16, 10, tzinfo=UTC),
        datetime(2025, 3, 12, 5, 0, tzinfo=UTC),
    ]
    assert first.authors == ("Денис Арефьев",)
    assert first.guid == "severnaya-lenta-2025-0310-transport"


def test_d_links_are_absolute_after_nested_xml_base() -> None:
    parsed = parse("d-atom-xml-base-relative-links.xml")
    assert parsed.error is None
    assert [i.link for i in parsed.items] == [
        "https://verkhneozersk-news.example/news/2025/03/11/sosnovyi-zastroishchik.html",
        "https://verkhneozersk-news.example/health/2025/03/12/sovmestnyi-priem.html",
        "https://verkhneozersk-news.example/news/2025/03/12/velodorozhka.html",
    ]
    first = parsed.items[0]
    assert first.language == "ru"
    assert first.published_at != first.updated_at  # both kept, both UTC
    assert first.published_at is not None and first.published_at.utcoffset().total_seconds() == 0


def test_e_truncated_feed_keeps_complete_items_and_flags_the_cut_one() -> None:
    parsed = parse("e-rss-truncated.xml")
    assert parsed.error and "line 28" in parsed.error
    assert [i.incomplete for i in parsed.items] == [False, False, True]
    for item in parsed.items[:2]:
        assert item.summary is not None and sentences(item.summary) == 4
        assert item.title and item.link and item.published_at
    articles, skipped = build_articles(parsed.feed_url, parsed.items, page_texts={},
                                       detect_language=lambda _text: Language.RU)
    assert len(articles) == 2
    assert skipped == [(parsed.items[2].identity, "item was cut off by a parse error (incomplete)")]


def test_e_cut_inside_a_multibyte_character_gives_no_mojibake() -> None:
    data = (REALISTIC / "e-rss-truncated.xml").read_bytes()
    assert data[-2:].decode("utf-8")  # the file ends on a character boundary
    parsed = parse("e-rss-truncated.xml", data=data[:-1])
    assert parsed.error
    assert [i.incomplete for i in parsed.items] == [False, False, True]
    assert parsed.items[:2] == parse("e-rss-truncated.xml").items[:2]
    for item in parsed.items:
        assert not MOJIBAKE.search(item.title + (item.summary or ""))


def test_f_newest_revision_wins_not_the_last_in_file() -> None:
    parsed = parse("f-rss-guid-update.xml")
    stories = dedupe_items(parsed.items)
    assert len(stories) == 2
    by_guid = {s.guid: s for s in stories}
    update = by_guid["sl-2025-0314-0042"]
    assert update.published_at == datetime(2025, 3, 14, 15, 40, tzinfo=UTC)  # 18:40 +0300
    assert update.title == parsed.items[0].title
    assert by_guid["sl-2025-0314-0040"] == parsed.items[1]
    reversed_stories = dedupe_items(list(reversed(parsed.items)))
    assert {s.guid: s for s in reversed_stories}["sl-2025-0314-0042"] == update


def test_koi8r_without_any_declaration_gives_cyrillic() -> None:
    parsed = parse_feed((FP / "illformed/chardet/koi8r.xml").read_bytes(), feed_url="http://x.example/")
    assert parsed.items[0].title == "Как пережить новогоднюю ночь"
    assert parsed.error and "KOI8-R" in parsed.error  # a guess is recorded as such


@pytest.mark.parametrize("name", sorted(p.name for p in (FP / "encoding").glob("u*.xml") if "8" not in p.name))
def test_utf16_utf32_files_are_detected_cleanly(name: str) -> None:
    parsed = parse_feed((FP / "encoding" / name).read_bytes(), feed_url="http://x.example/")
    assert parsed.error is None
    assert parsed.encoding and parsed.encoding.lower().startswith(("utf-16", "utf-32"))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_realistic_a_reencoded_gives_the_same_items(codec: str) -> None:
    original = (REALISTIC / "a-rss-yandex-fulltext-utf8.xml").read_bytes().decode("utf-8")
    declared = original.replace('encoding="UTF-8"', f'encoding="{codec.removesuffix("-sig")}"', 1)
    parsed = parse("a-rss-yandex-fulltext-utf8.xml", data=declared.encode(codec))
    assert parsed.error is None
    assert parsed.items == parse("a-rss-yandex-fulltext-utf8.xml").items


@pytest.mark.parametrize("path", sorted((FP / "wellformed/amp").glob("*.xml")), ids=lambda p: p.name)
def test_ampersands_are_decoded_exactly_once(path: Path) -> None:
    parsed = parse_feed(path.read_bytes(), feed_url="http://x.example/")
    fields = [parsed.title] + [v for i in parsed.items for v in (i.title, i.summary, i.full_text) if v]
    assert any("&" in f for f in fields)
    for field in fields:
        assert "&amp;" not in field and "&#38;" not in field and "&#x26;" not in field


@pytest.mark.parametrize("path", sorted((FP / "wellformed/sanitize").glob("*.xml")), ids=lambda p: p.name)
def test_dangerous_markup_never_reaches_the_text(path: Path) -> None:
    parsed = parse_feed(path.read_bytes(), feed_url="http://x.example/")
    for item in parsed.items:
        for field in (item.title, item.summary or "", item.full_text or ""):
            low = field.lower()
            assert "<script" not in low and "alert(" not in low and "javascript:" not in low
            assert "<iframe" not in low and "<object" not in low and "onclick" not in low


def test_external_entities_are_never_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-MARKER")
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}"> <!ENTITY % pe SYSTEM "file://{secret}"> %pe;]>
<rss version="2.0"><channel><title>t &xxe;</title>
<item><title>i &xxe;</title><description>d &xxe;</description></item></channel></rss>""".encode()
    parsed = parse_feed(doc, feed_url="http://x.example/")
    dump = parsed.model_dump_json()
    assert "TOPSECRET" not in dump
    rdf = parse_feed((FP / "wellformed/rdf/doctype_contains_entity_decl.xml").read_bytes(),
                     feed_url="http://x.example/")
    assert rdf.error is None


def test_yandex_full_text_with_child_markup_is_recovered() -> None:
    doc = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:yandex="http://news.yandex.ru"><channel><title>x</title>
<item><guid>1</guid><title>t</title><description>lead</description>
<yandex:full-text><p>Первый абзац &amp; союз.</p><p>Второй <b>абзац</b>.</p>хвост</yandex:full-text></item>
<item><guid>2</guid><title>t2</title><yandex:full-text><![CDATA[<p>C1 &amp;lt;</p><p>C2</p>]]></yandex:full-text></item>
</channel></rss>""".encode()
    parsed = parse_feed(doc, feed_url="http://x.example/")
    assert parsed.items[0].full_text == "Первый абзац & союз.\nВторой абзац.\nхвост"
    assert parsed.items[1].full_text == "C1 &lt;\nC2"
