"""Parsed items -> stories -> Articles: identity, de-duplication, body precedence.

Body precedence (CONTRACT.md): the item's full text, else the linked page's main text, else
the summary — led by the item's title when the summary does not already hold it, so a
headline that states the event is read. Items cut off by a parse error (`incomplete`) never become articles. Title and body
pass `plain_text` once more on the way in, so no markup reaches the warehouse whichever path
(feed item, linked page) the text took.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

from feeds.html import plain_text
from schemas import Article, BodySource, FeedItem, Language, content_hash, stable_id

_EPOCH = datetime.min.replace(tzinfo=UTC)


def item_identity(item: FeedItem) -> str | None:
    """guid, else link: two items with the same identity are one story."""
    return item.identity


def _revision_time(item: FeedItem) -> datetime:
    return item.updated_at or item.published_at or _EPOCH


def dedupe_items(items: Iterable[FeedItem]) -> list[FeedItem]:
    """One item per identity: the newest by updated/published time wins (ties: the first seen).

    Items without any identity are kept as they are. Order: first appearance of each story.
    """
    best: dict[str, FeedItem] = {}
    order: list[str | FeedItem] = []
    for item in items:
        key = item_identity(item)
        if key is None:
            order.append(item)
            continue
        if key not in best:
            best[key] = item
            order.append(key)
        elif _revision_time(item) > _revision_time(best[key]):
            best[key] = item
    return [best[entry] if isinstance(entry, str) else entry for entry in order]


def items_needing_page(items: Iterable[FeedItem]) -> list[str]:
    """Links (http(s), distinct, in order) of complete items that carry no full text."""
    links: list[str] = []
    for item in items:
        if item.full_text or item.incomplete or not item.link:
            continue
        if urlsplit(item.link).scheme.lower() in ("http", "https") and item.link not in links:
            links.append(item.link)
    return links


def article_id_for(feed_url: str, identity: str) -> str:
    """stable_id of the identity; a guid that is not an absolute URL is scoped by the feed URL."""
    parts = urlsplit(identity)
    if parts.scheme and parts.netloc:
        return stable_id(identity)
    return stable_id(feed_url, identity)


def _body(item: FeedItem, page: str | None) -> tuple[str, BodySource | None]:
    """The first of full text, page text, summary that has plain text, and where it came from."""
    for candidate, source in ((item.full_text, BodySource.FULL_TEXT), (page, BodySource.PAGE),
                              (item.summary, BodySource.SUMMARY)):
        text = plain_text(candidate) if candidate else ""
        if text:
            return text, source
    return "", None


def with_headline(title: str, summary: str) -> str:
    """A summary-only body led by its headline, unless the summary already says it.

    A feed that gives only a title and a line of summary often states the event in the title
    alone ("Presidents of X and Y hold talks in Z"); without it the article would say nothing.
    """
    if not title or _squeezed(title) in _squeezed(summary):
        return summary
    return f"{title}\n\n{summary}"


def _squeezed(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".!?…")


def build_articles(
    feed_url: str,
    items: Iterable[FeedItem],
    *,
    page_texts: Mapping[str, str],
    detect_language: Callable[[str], Language],
) -> tuple[list[Article], list[tuple[str, str]]]:
    """Articles of the given items, plus (identity, reason) for each item that gave none.

    `page_texts` maps item links to the main text of the linked page (from `fetch_pages`).
    `detect_language` is called with the title and body (it lives in `extraction`).
    """
    articles: list[Article] = []
    skipped: list[tuple[str, str]] = []
    for item in items:
        identity = item_identity(item)
        label = identity or item.title or "(item without guid, link or title)"
        if identity is None:
            skipped.append((label, "item has neither guid nor link"))
            continue
        if item.incomplete:
            skipped.append((identity, "item was cut off by a parse error (incomplete)"))
            continue
        page = page_texts.get(item.link) if item.link else None
        body, source = _body(item, page)
        if source is None:
            skipped.append((identity, "no full text, page text or summary"))
            continue
        title = plain_text(item.title)
        body = with_headline(title, body) if source is BodySource.SUMMARY else body
        articles.append(Article(
            article_id=article_id_for(feed_url, identity),
            feed_url=feed_url,
            url=item.link,
            guid=item.guid,
            title=title,
            language=detect_language(f"{title}\n{body}" if title else body),
            published_at=item.published_at or item.updated_at,
            body=body,
            body_source=source,
            content_hash=content_hash(body),
        ))
    return articles, skipped
