"""Which version of an article may be written: feed ownership, real change, no garbage (plain functions)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from feeds.owners import on_site, writable_versions
from feeds.revisions import degraded, misread_as
from schemas import text_fingerprint
from warehouse.testing import make_article

RU = "Министры иностранных дел Казахстана и Узбекистана провели переговоры в Ташкенте и договорились о транзите."
EN = "The foreign ministers of Kazakhstan and Uzbekistan held talks in Tashkent and agreed on a transit corridor."


def _version(feed: str, body: str = RU, url: str = "https://news.example/1", **kw):
    return make_article(1, body, feed_url=feed, url=url, **kw)


def test_on_site_matches_the_host_and_its_sub_domains_only() -> None:
    assert on_site("https://rss.tass.ru/all.xml", "https://tass.ru/politika/1")
    assert on_site("https://www.inform.kz/rss/rus.xml", "https://inform.kz/ru/1")
    assert not on_site("https://evil.example/feed.xml", "https://tass.ru/politika/1")
    assert not on_site("https://nottass.ru/feed.xml", "https://tass.ru/1")
    assert not on_site("/srv/feeds/local.xml", "https://tass.ru/1")
    assert not on_site("https://tass.ru/feed", None)


def test_a_stored_article_is_written_by_its_owner_only() -> None:
    owner, stranger = "https://a.example/feed", "https://b.example/feed"
    versions = [_version(stranger, RU + " FAKE"), _version(owner)]
    assert writable_versions(versions, [stranger, owner], {"a0001": owner}) == [versions[1]]
    assert writable_versions([versions[0]], [stranger, owner], {"a0001": owner}) == []


def test_the_story_s_own_site_takes_over_from_a_stranger_and_wins_a_new_article() -> None:
    stranger, own = "https://b.example/feed", "https://rss.news.example/feed"
    mine = _version(own)
    assert writable_versions([_version(stranger), mine], [stranger, own], {"a0001": stranger}) == [mine]
    assert writable_versions([_version(stranger), mine], [stranger, own], {}) == [mine]


def test_a_new_article_off_every_site_goes_to_the_first_configured_feed() -> None:
    first, second = "https://a.example/feed", "https://b.example/feed"
    a, b = _version(first), _version(second)
    assert writable_versions([b, a], [first, second], {}) == [a]


def test_numbers_of_short_lines_are_no_change_but_numbers_in_sentences_are() -> None:
    body = f"{RU} Встреча пройдет 12 ноября.\nПросмотров: 1024\n"
    assert text_fingerprint(body) == text_fingerprint(body.replace("1024", "1311"))
    assert text_fingerprint(body) == text_fingerprint(body.replace(" ", "  ").replace("\n", "\n\n"))
    assert text_fingerprint(body) != text_fingerprint(body.replace("12 ноября", "13 ноября"))
    assert text_fingerprint(body) != text_fingerprint(body.replace("Ташкенте", "Самарканде"))


def test_an_ordinary_edit_may_replace_the_stored_version() -> None:
    assert degraded("ru", RU, _version("f", RU + " Дополнено: стороны подписали меморандум.", language="ru")) is None
    assert degraded("en", EN, _version("f", EN + " Updated with the communiqué.", language="en")) is None


def test_garbage_may_not_replace_readable_text() -> None:
    for encoding in ("koi8-r", "cp1251", "latin-1"):
        mojibake = RU.encode("utf-8").decode(encoding)
        assert degraded("ru", RU, _version("f", mojibake, language="ru")), encoding
    assert "language" in degraded("ru", RU, _version("f", RU, language="other"))
    assert "replacement" in degraded("ru", RU, _version("f", RU.replace("и", "\ufffd", 2), language="ru"))
    assert "letters" in degraded("en", EN, _version("f", "■ ◆ ● " * 40 + EN[:30], language="en"))


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗ ,.«»—", min_size=8, max_size=300)
       .filter(lambda t: sum(c.isalpha() for c in t) >= 4))
def test_cyrillic_text_is_never_taken_for_mojibake_and_its_mojibake_always_is(text: str) -> None:
    assert misread_as(text) is None
    for encoding in ("koi8-r", "cp1251"):
        try:
            mojibake = text.encode("utf-8").decode(encoding)
        except UnicodeDecodeError:   # a byte cp1251 leaves undefined: no such mojibake exists
            continue
        assert misread_as(mojibake) is not None
