"""Which feed may write an article: an item's identity is scoped to the feed that owns it.

Articles are identified across feeds (an absolute-URL guid or link is one story wherever it
appears), so two feeds can deliver the same `article_id`. Only one of them, the article's
*owner*, may set or revise its title and body; every other feed is recorded as reporting
it (`article_feeds`) and never overwrites it, whatever dates it claims:

1. a stored article is owned by the feed that stored it (`articles.feed_url`);
2. a feed on the story's own site (the host of its URL, or a sub-domain of it: `rss.tass.ru`
   for `tass.ru/...`) takes over an article owned by a feed that is not on that site;
3. a new article goes to a feed on the story's site if one delivers it, else to the first
   feed (in the order feeds are configured) that delivers it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeVar
from urllib.parse import urlsplit


class Delivered(Protocol):
    """What ownership reads of an article: a `schemas.Article`, or its `feeds.spool` reference."""
    @property
    def article_id(self) -> str: ...
    @property
    def feed_url(self) -> str: ...
    @property
    def url(self) -> str | None: ...


A = TypeVar("A", bound=Delivered)


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def on_site(feed_url: str, article_url: str | None) -> bool:
    """True when the feed is served from the story's own host or a sub-domain of it (or vice versa)."""
    feed, story = _host(feed_url), _host(article_url)
    if not feed or not story:
        return False
    return feed == story or feed.endswith("." + story) or story.endswith("." + feed)


def writable_versions(candidates: Iterable[A], feed_order: Sequence[str],
                      stored_owners: Mapping[str, str]) -> list[A]:
    """One version per article_id that its owner may write; versions from other feeds are left out.

    `candidates` are the articles of every feed of a run (each with its `feed_url`),
    `feed_order` the configured feed URLs, `stored_owners` article_id -> owning feed_url of
    the stored articles. Order: first appearance of each article_id.
    """
    rank = {url: i for i, url in enumerate(feed_order)}
    by_id: dict[str, list[A]] = {}
    for article in candidates:
        by_id.setdefault(article.article_id, []).append(article)
    chosen: list[A] = []
    for article_id, versions in by_id.items():
        versions.sort(key=lambda a: rank.get(a.feed_url, len(rank)))
        owner = stored_owners.get(article_id)
        on_site_versions = [a for a in versions if on_site(a.feed_url, a.url)]
        if owner is None:
            chosen.append((on_site_versions or versions)[0])
            continue
        own = [a for a in versions if a.feed_url == owner]
        if on_site_versions and not any(on_site(owner, a.url) for a in versions):
            chosen.append(on_site_versions[0])   # the story's own site takes over from a stranger
        elif own:
            chosen.append(own[0])
    return chosen
