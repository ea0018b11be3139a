"""Prefect tasks: named, retry-configured calls into plain functions — nothing else."""
from __future__ import annotations

import time

from prefect import task
from prefect.cache_policies import NONE
from prefect.client.schemas.objects import TaskRun
from prefect.states import State

from extraction import extract_batch
from feeds.fetch import FetchLimits, fetch_feed
from flows.steps import FeedOutcome, collect_feed
from schemas import Article, Extraction, Feed, FetchResult, FetchStatus

MAX_RETRY_AFTER_S = 120.0


class TransientFeedError(Exception):
    """A fetch that may succeed when retried (timeout, 5xx, 429); carries the failed result."""

    def __init__(self, result: FetchResult) -> None:
        super().__init__(f"feed {result.feed_url}: {result.error}")
        self.result = result


def retry_transient_only(task_: object, task_run: TaskRun, state: State) -> bool:
    """Prefect's retry condition: retry transient fetch errors, nothing else."""
    return isinstance(state.result(raise_on_failure=False), TransientFeedError)


@task(name="fetch feed", cache_policy=NONE, retry_condition_fn=retry_transient_only)
def fetch_feed_task(feed: Feed, etag: str | None, last_modified: str | None, *, limits: FetchLimits,
                    page_limits: FetchLimits, fetch_linked_pages: bool, page_concurrency: int) -> FeedOutcome:
    result = fetch_feed(feed.url, etag=etag, last_modified=last_modified, limits=limits)
    if result.status is FetchStatus.FAILED and result.transient:
        if result.retry_after_s:
            time.sleep(min(result.retry_after_s, MAX_RETRY_AFTER_S))
        raise TransientFeedError(result)
    return collect_feed(feed, result, fetch_linked_pages=fetch_linked_pages,
                        page_concurrency=page_concurrency, page_limits=page_limits)


@task(name="extract batch", cache_policy=NONE)
def extract_batch_task(articles: list[Article]) -> list[Extraction]:
    return extract_batch(articles)
