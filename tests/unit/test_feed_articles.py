"""Identity, de-duplication, body precedence and feed configuration."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from feeds.articles import article_id_for, build_articles, dedupe_items, items_needing_page
from feeds.config import feeds_from_args, load_feeds_toml
from feeds.errors import ConfigError
from schemas import BodySource, FeedItem, Language, content_hash, stable_id


def t(hour: int) -> datetime:
    return datetime(2025, 3, 14, hour, tzinfo=UTC)


def ru(_text: str) -> Language:
    return Language.RU


def test_dedupe_newest_wins_by_date_not_position() -> None:
    old = FeedItem(guid="g", title="old", published_at=t(7))
    new = FeedItem(guid="g", title="new", published_at=t(15))
    other = FeedItem(link="https://e.example/2", title="other", published_at=t(9))
    assert dedupe_items([new, other, old]) == [new, other]
    assert dedupe_items([old, other, new]) == [new, other]
    updated = FeedItem(guid="g", title="updated", published_at=t(7), updated_at=t(16))
    assert dedupe_items([new, updated]) == [updated]


def test_dedupe_falls_back_to_link_and_keeps_items_without_identity() -> None:
    a = FeedItem(link="https://e.example/1", title="a")
    b = FeedItem(link="https://e.example/1", title="b", published_at=t(1))
    anonymous = FeedItem(title="no id")
    assert dedupe_items([a, anonymous, b]) == [b, anonymous]


def test_items_needing_page() -> None:
    items = [
        FeedItem(guid="1", link="https://e.example/1", full_text="full"),
        FeedItem(guid="2", link="https://e.example/2", summary="lead"),
        FeedItem(guid="3", link="https://e.example/2"),
        FeedItem(guid="4", link="https://e.example/4", incomplete=True),
        FeedItem(guid="5"),
    ]
    assert items_needing_page(items) == ["https://e.example/2"]


def test_build_articles_body_precedence_and_skips() -> None:
    items = [
        FeedItem(guid="1", link="https://e.example/1", title="T1", full_text="Full.", summary="Lead."),
        FeedItem(guid="2", link="https://e.example/2", title="T2", summary="Lead two."),
        FeedItem(guid="3", link="https://e.example/3", title="T3", summary="Lead three."),
        FeedItem(guid="4", link="https://e.example/4", title="T4"),
        FeedItem(guid="5", link="https://e.example/5", title="T5", summary="x", incomplete=True),
        FeedItem(title="no identity", summary="x"),
    ]
    seen: list[str] = []

    def detect(text: str) -> Language:
        seen.append(text)
        return Language.EN

    articles, skipped = build_articles("https://feed.example/rss", items,
                                       page_texts={"https://e.example/2": "Page text."}, detect_language=detect)
    assert [(a.body, a.body_source) for a in articles] == [
        ("Full.", BodySource.FULL_TEXT), ("Page text.", BodySource.PAGE), ("T3\n\nLead three.", BodySource.SUMMARY)]
    assert [s[0] for s in skipped] == ["4", "5", "no identity"]
    first = articles[0]
    assert first.content_hash == content_hash("Full.") and first.title == "T1"
    assert first.url == "https://e.example/1" and first.language is Language.EN
    assert seen[0] == "T1\nFull."


def test_article_ids_scope_relative_guids_by_feed() -> None:
    assert article_id_for("https://a.example/rss", "1") != article_id_for("https://b.example/rss", "1")
    url = "https://e.example/news/1"
    assert article_id_for("https://a.example/rss", url) == article_id_for("https://b.example/rss", url) == stable_id(url)
    articles, _ = build_articles("https://a.example/rss", [FeedItem(guid="1", summary="s")], page_texts={},
                                 detect_language=ru)
    assert articles[0].article_id == stable_id("https://a.example/rss", "1")


def test_load_feeds_toml(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('''
[[feeds]]
name = "Kazinform (ru)"
url = "https://www.inform.example/rss/rus.xml"
language = "ru"
tags = ["kazakhstan"]

[[feeds]]
name = "Local"
url = "deploy/demo/ru.xml"
''', encoding="utf-8")
    feeds = load_feeds_toml(path)
    assert [f.name for f in feeds] == ["Kazinform (ru)", "Local"]
    assert feeds[0].language is Language.RU and feeds[0].tags == ("kazakhstan",)


@pytest.mark.parametrize(("body", "words"), [
    ('[[feeds]]\nname = "x"\n', ["entry 1", "url"]),
    ('[[feeds]]\nname = "x"\nurl = "ftp://e.example/a"\n', ["entry 1", "'x'", "ftp://"]),
    ('[[feeds]]\nname = "x"\nurl = "https://e.example/a"\nlanguage = "de"\n', ["language"]),
    ('[[feeds]]\nname = "x"\nurl = "https://e.example/a"\ncolour = 1\n', ["unknown key", "colour"]),
    ("[[feeds]\n", ["not valid TOML"]),
    ("title = 1\n", ["[[feeds]]"]),
])
def test_bad_config_names_file_and_entry(tmp_path: Path, body: str, words: list[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_feeds_toml(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_feeds_toml(tmp_path / "absent.toml")


def test_feeds_from_args() -> None:
    feeds = feeds_from_args(["https://news.example/rss.xml", "data/feeds/local-feed.xml",
                             "file:///tmp/x/other.xml", "https://news.example/rss.xml"])
    assert [(f.name, f.url) for f in feeds] == [
        ("news.example/rss.xml", "https://news.example/rss.xml"),
        ("local-feed.xml", "data/feeds/local-feed.xml"),
        ("other.xml", "file:///tmp/x/other.xml"),
    ]
    assert feeds_from_args(["https://news.example/"])[0].name == "news.example"
    with pytest.raises(ConfigError):
        feeds_from_args(["gopher://old.example/"])


def test_a_summary_body_is_led_by_its_headline_unless_it_holds_it():
    from feeds.articles import with_headline
    assert with_headline("Presidents hold talks in Baku", "Talks lasted three hours.") == \
        "Presidents hold talks in Baku\n\nTalks lasted three hours."
    assert with_headline("Talks in Baku.", "Talks  in Baku. They lasted three hours.") == \
        "Talks  in Baku. They lasted three hours."
    assert with_headline("", "Only a summary.") == "Only a summary."


def test_a_title_and_a_line_of_summary_give_the_meeting_the_title_states():
    from extraction import extract
    items = [FeedItem(guid="t1", link="https://e.example/t1",
                      title="Tokayev and Mirziyoyev hold talks in Tashkent",
                      summary="The leaders discussed water and energy.")]
    articles, _ = build_articles("https://feed.example/rss", items, page_texts={},
                                 detect_language=lambda text: Language.EN)
    meetings = extract(articles[0]).meetings
    assert [m.location for m in meetings] == ["Tashkent"]
