"""Plain functions the flow sequences: one feed from fetch result to articles, batching, counting.

They wire `feeds` and `extraction` together (which must not import each other) and
hold no Prefect code, so tests call them directly.
"""
from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from extraction import detect_language
from feeds.articles import build_articles, dedupe_items, items_needing_page
from feeds.fetch import FetchLimits, fetch_feed
from feeds.pages import DEFAULT_CAPS, PageBudget, PageCaps, fetch_pages
from feeds.parse import parse_feed
from flows.settings import Settings
from schemas import Article, Feed, FetchResult, FetchStatus, ParsedFeed

T = TypeVar("T")
MIN_ATTEMPT_S = 1.0        # an attempt with less time than this left is not started
MAX_RETRY_AFTER_S = 120.0  # longest Retry-After honoured (and only within the budget)


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


@dataclass(frozen=True)
class FetchBudget:
    """The time one feed may spend over all its fetch attempts, retry waits included.

    `deadline` is wall-clock (`time.time()`), fixed when the first attempt starts, so it holds
    across retries; each attempt's total timeout is the smaller of its limit and what is left.
    """
    seconds: float
    deadline: float

    @classmethod
    def starting(cls, seconds: float, *, at: float | None = None) -> FetchBudget:
        return cls(seconds=seconds, deadline=(time.time() if at is None else at) + seconds)

    def left(self) -> float:
        return self.deadline - time.time()

    def attempt_limits(self, limits: FetchLimits) -> FetchLimits | None:
        """`limits` with the total timeout cut to what is left; None when too little is left."""
        left = self.left()
        if left < MIN_ATTEMPT_S:
            return None
        return replace(limits, total_timeout_s=min(limits.total_timeout_s, left))


def default_budget_s(limits: FetchLimits, retries: int, delays_s: Sequence[float] = ()) -> float:
    """Every attempt's full deadline plus the retry delays: what a feed may take when not configured."""
    return limits.total_timeout_s * (retries + 1) + sum(delays_s)


@dataclass(frozen=True)
class Attempt:
    """One fetch of a feed, and whether another attempt fits in its budget."""
    result: FetchResult
    retry: bool = False
    wait_s: float = 0.0     # the Retry-After to sleep before the next attempt


def fetch_attempt(feed: Feed, etag: str | None, last_modified: str | None, *, limits: FetchLimits,
                  budget: FetchBudget, retry_delay_s: float | None, fetched: FetchResult | None = None) -> Attempt:
    """Fetch `feed` within what is left of `budget`; say whether a transient failure may be retried.

    `retry_delay_s` is the scheduler's delay before the next attempt, None when no retry is
    left. A retry is allowed only when its Retry-After wait, the delay and a minimal attempt
    still fit in the budget; otherwise the error says why the retries stopped. `fetched`: the
    attempt was made already (the run's conditional probe), its result is judged the same way.
    """
    if fetched is not None:
        result = fetched
    else:
        bounded = budget.attempt_limits(limits)
        if bounded is None:
            return Attempt(FetchResult(feed_url=feed.url, status=FetchStatus.FAILED, transient=True,
                                       error=f"fetch budget of {budget.seconds:g} s spent before this attempt"))
        result = fetch_feed(feed.url, etag=etag, last_modified=last_modified, limits=bounded)
    if result.status is not FetchStatus.FAILED or not result.transient or retry_delay_s is None:
        return Attempt(result)
    wait = min(result.retry_after_s or 0.0, MAX_RETRY_AFTER_S)
    if budget.left() - wait - retry_delay_s < MIN_ATTEMPT_S:
        why = f"waiting Retry-After {result.retry_after_s:g} s" if wait else "another attempt"
        note = f"; not retried: {why} would pass the fetch budget of {budget.seconds:g} s"
        return Attempt(result.model_copy(update={"error": f"{result.error}{note}"}))
    return Attempt(result, retry=True, wait_s=wait)


def conditional_get(feed: Feed, etag: str | None, last_modified: str | None, *, limits: FetchLimits) -> FetchResult:
    """One conditional GET of `feed` (the run's probe of a feed whose validators it knows): a 304
    ends its fetch, any other answer is its first attempt (`fetch_attempt(fetched=...)`)."""
    return fetch_feed(feed.url, etag=etag, last_modified=last_modified, limits=limits)


def page_caps_of(settings: Settings) -> PageCaps:
    """The linked-page caps of these settings (byte and memory caps keep their library defaults)."""
    return PageCaps(per_feed=settings.max_pages_per_feed, per_run=settings.max_pages_per_run,
                    feed_seconds=settings.page_time_per_feed_s, extract_timeout_s=settings.page_extract_timeout_s)


def collect_feed(feed: Feed, fetched: FetchResult, *, fetch_linked_pages: bool = True,
                 page_concurrency: int = 4, page_limits: FetchLimits | None = None,
                 page_caps: PageCaps = DEFAULT_CAPS, run_pages: PageBudget | None = None) -> FeedOutcome:
    """Parse a fetched feed, fetch linked pages for items without full text, build the articles.

    Linked pages stay within `page_caps` and the run's `run_pages`; a page skipped or stopped
    by a cap is a page error, and its item keeps its summary.
    """
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
                                        caps=page_caps, run_budget=run_pages,
                                        **({"limits": page_limits} if page_limits else {})).items():
                if isinstance(got, str):
                    page_texts[url] = got
                else:
                    page_errors.append((url, str(got)))
    articles, skipped = build_articles(feed.url, items, page_texts=page_texts,
                                       detect_language=detect_language)
    return FeedOutcome(feed=feed, fetch=light, parsed=parsed.model_copy(update={"items": ()}), items=len(parsed.items),
                       articles=tuple(articles), skipped=tuple(skipped), page_errors=tuple(page_errors))


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield list(items[i:i + size])
