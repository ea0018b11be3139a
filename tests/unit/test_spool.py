"""feeds.spool: articles written once, read back by reference, in any order and from threads."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.spool import ArticleSpool, SpooledArticle, SpoolError
from schemas import Article, BodySource, Language, content_hash

_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)


@st.composite
def articles(draw) -> Article:
    body = draw(_text)
    return Article(article_id=draw(st.text("0123456789abcdef", min_size=16, max_size=16)),
                   feed_url=draw(st.sampled_from(["https://a.example/rss", "file:///feeds/b.xml"])),
                   url=draw(st.none() | st.just("https://a.example/news/1")), guid=draw(st.none() | _text),
                   title=draw(st.text(max_size=80)), language=draw(st.sampled_from(list(Language))),
                   published_at=draw(st.none() | st.datetimes(timezones=st.just(UTC))), body=body,
                   body_source=draw(st.sampled_from(list(BodySource))), content_hash=content_hash(body))


@settings(max_examples=60, deadline=None)
@given(st.lists(articles(), max_size=12), st.randoms())
def test_every_article_comes_back_equal_in_any_order(given_articles, rnd):
    with ArticleSpool() as spool:
        refs = spool.put(given_articles)
        assert [r.article_id for r in refs] == [a.article_id for a in given_articles]
        assert [(r.feed_url, r.url, r.guid, r.language, r.content_hash) for r in refs] == \
            [(a.feed_url, a.url, a.guid, a.language.value, a.content_hash) for a in given_articles]
        order = list(range(len(refs)))
        rnd.shuffle(order)
        assert spool.get([refs[i] for i in order]) == [given_articles[i] for i in order]
        assert spool.articles == len(given_articles)


def _article(n: int) -> Article:
    body = f"Текст статьи номер {n}. " * (n % 7 + 1)
    return Article(article_id=f"{n:016x}", feed_url="https://a.example/rss", url=f"https://a.example/{n}",
                   language=Language.RU, published_at=datetime(2025, 1, 1, tzinfo=UTC), body=body,
                   content_hash=content_hash(body))


def test_feeds_spooled_from_threads_read_back_whole():
    with ArticleSpool() as spool, ThreadPoolExecutor(4) as ex:
        batches = [[_article(f * 100 + i) for i in range(50)] for f in range(8)]
        refs = list(ex.map(spool.put, batches))
        for batch, got in zip(batches, refs, strict=True):
            assert spool.get(got) == batch
        assert spool.articles == 400


def test_a_reference_past_the_spool_or_a_closed_spool_names_the_article():
    spool = ArticleSpool()
    (ref,) = spool.put([_article(1)])
    beyond = SpooledArticle(**{**{f: getattr(ref, f) for f in ref.__slots__}, "offset": ref.offset + 10_000})
    with pytest.raises(SpoolError, match=f"article {ref.article_id} .*holds 0 of its"):
        spool.get([beyond])
    spool.close()
    with pytest.raises(SpoolError, match=f"article {ref.article_id} \\(https://a.example/1\\) could not be read"):
        spool.get([ref])
    with pytest.raises(SpoolError, match="article 0000000000000002 .*could not be spooled"):
        spool.put([_article(2)])
