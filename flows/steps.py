"""Plain functions the flow sequences: one feed from fetch result to articles, batching, counting.

They wire `feeds` and `extraction` together (which must not import each other) and
hold no Prefect code, so tests call them directly.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from extraction import detect_language
from feeds.articles import build_articles, dedupe_items, items_needing_page
from feeds.fetch import FetchLimits
from feeds.pages import fetch_pages
from feeds.parse import parse_feed
from schemas import Article, Feed, FetchResult, FetchStatus, ParsedFeed

T = TypeVar("T")


@dataclass(frozen=True)
class FeedOutcome:
    """What one feed gave in one run, before loading: plain values, no content bytes."""
    feed: Feed
    fetch: FetchResult
    parsed: ParsedFeed | None = None           # without its items (they became `articles`)
    items: int = 0                             # items in the document, before de-duplication
    articles: tuple[Article, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()          # (item identity, reason)
    page_errors: tuple[tuple[str, str], ...] = ()      # (url, reason)

    @property
    def failed(self) -> bool:
        return self.fetch.status is FetchStatus.FAILED

    @property
    def error(self) -> str | None:
        return self.fetch.error or (self.parsed.error if self.parsed else None)


def collect_feed(feed: Feed, fetched: FetchResult, *, fetch_linked_pages: bool = True,
                 page_concurrency: int = 4, page_limits: FetchLimits | None = None) -> FeedOutcome:
    """Parse a fetched feed, fetch linked pages for items without full text, build the articles."""
    light = fetched.model_copy(update={"content": None})
    if fetched.status is not FetchStatus.OK or fetched.content is None:
        return FeedOutcome(feed=feed, fetch=light)
    parsed = parse_feed(fetched.content, feed_url=fetched.final_url or feed.url, headers=fetched.headers)
    items = dedupe_items(parsed.items)
    page_texts: dict[str, str] = {}
    page_errors: list[tuple[str, str]] = []
    if fetch_linked_pages:
        wanted = items_needing_page(items)
        if wanted:
            for url, got in fetch_pages(wanted, concurrency=page_concurrency, trusted_url=feed.url,
                                        **({"limits": page_limits} if page_limits else {})).items():
                if isinstance(got, str):
                    page_texts[url] = got
                else:
                    page_errors.append((url, str(got)))
    articles, skipped = build_articles(feed.url, items, page_texts=page_texts,
                                       detect_language=detect_language)
    return FeedOutcome(feed=feed, fetch=light, parsed=parsed.model_copy(update={"items": ()}), items=len(parsed.items),
                       articles=tuple(articles), skipped=tuple(skipped), page_errors=tuple(page_errors))


def newest_per_article(outcomes: Iterable[FeedOutcome]) -> list[Article]:
    """One article per article_id across feeds (the same story in two feeds): the newest wins."""
    best: dict[str, Article] = {}
    for outcome in outcomes:
        for a in outcome.articles:
            old = best.get(a.article_id)
            if old is None or (a.published_at and (old.published_at is None or a.published_at > old.published_at)):
                best[a.article_id] = a
    return list(best.values())


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield list(items[i:i + size])
