"""Fetch and parse feeds and pages: bytes in, FeedItem / Article out (no prefect, no duckdb).

    fetch_feed(url) -> FetchResult            feeds.fetch   (failures are data)
    parse_feed(bytes, feed_url, headers)      feeds.parse   (problems in ParsedFeed.error)
    dedupe_items / items_needing_page         feeds.articles
    fetch_pages(urls) -> {url: text | PageError}  feeds.pages
    build_articles(...) -> (articles, skipped)    feeds.articles
    load_feeds_toml / feeds_from_args         feeds.config
"""
from feeds.articles import build_articles, dedupe_items, items_needing_page
from feeds.config import feeds_from_args, load_feeds_toml
from feeds.errors import ConfigError, FeedError, FetchError, PageError, ParseError
from feeds.fetch import FetchLimits, fetch_feed
from feeds.html import html_to_text, sanitize_html
from feeds.pages import fetch_page_text, fetch_pages
from feeds.parse import parse_feed

__all__ = [
    "ConfigError", "FeedError", "FetchError", "FetchLimits", "PageError", "ParseError",
    "build_articles", "dedupe_items", "feeds_from_args", "fetch_feed", "fetch_page_text", "fetch_pages",
    "html_to_text", "items_needing_page", "load_feeds_toml", "parse_feed", "sanitize_html",
]
