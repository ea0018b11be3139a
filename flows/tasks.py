"""Prefect tasks: named, retry-configured calls into plain functions — nothing else.

A feed's fetch is retried by Prefect (`retries`, `retry_delay_seconds` set by the flow) on
transient failures only, and never past the feed's fetch budget (`flows.steps.FetchBudget`):
the budget starts with the first attempt (the task run's start time, the same for every
retry), each attempt gets at most what is left, and an attempt whose retry would not fit
raises a final `TransientFeedError` that `retry_transient_only` does not retry.

Linked pages count against one `PageBudget` per flow run (`run_page_budget`), shared by the
feed tasks of that run in this process: with the thread runner the cap is run-wide, with
Dask it holds per worker process.
"""
from __future__ import annotations

import atexit
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from prefect import task
from prefect.cache_policies import NONE
from prefect.client.schemas.objects import TaskRun
from prefect.context import TaskRunContext
from prefect.states import State

from extraction import extract_batch
from extraction.workers import ArticleWorkers
from feeds.fetch import FetchLimits
from feeds.pages import DEFAULT_CAPS, PageBudget, PageCaps
from flows.steps import FeedOutcome, FetchBudget, collect_feed, default_budget_s, fetch_attempt
from schemas import Article, Extraction, Feed, FetchResult, FetchStatus

_RUN_PAGES: OrderedDict[str, PageBudget] = OrderedDict()   # flow run id -> its page budget
_RUN_PAGES_KEPT = 16
_RUN_PAGES_LOCK = threading.Lock()


class TransientFeedError(Exception):
    """A fetch that may succeed when retried (timeout, 5xx, 429); carries the failed result.

    `final` is set when no retry fits in the feed's fetch budget.
    """

    def __init__(self, result: FetchResult, *, final: bool = False) -> None:
        super().__init__(f"feed {result.feed_url}: {result.error}")
        self.result = result
        self.final = final


def retry_transient_only(task_: object, task_run: TaskRun, state: State) -> bool:
    """Prefect's retry condition: retry transient fetch errors while the fetch budget lasts."""
    error = state.result(raise_on_failure=False)
    return isinstance(error, TransientFeedError) and not error.final


def _delays(run: TaskRunContext | None) -> list[float]:
    """The retry delays of this task run, one per retry (Prefect repeats the last one)."""
    if run is None or not run.task.retries:
        return []
    configured = run.task.retry_delay_seconds or 0
    if not isinstance(configured, Sequence):
        return [float(configured)] * run.task.retries
    values = [float(v) for v in configured] or [0.0]
    return [values[min(i, len(values) - 1)] for i in range(run.task.retries)]


def _budget(run: TaskRunContext | None, limits: FetchLimits, budget_s: float | None,
            started_at: float | None = None) -> FetchBudget:
    delays = _delays(run)
    seconds = budget_s if budget_s is not None else default_budget_s(limits, len(delays), delays)
    if started_at is None:
        started = run.task_run.start_time if run is not None else None   # the first attempt's start
        started_at = started.timestamp() if started else None
    return FetchBudget.starting(seconds, at=started_at)


def _next_delay(run: TaskRunContext | None) -> float | None:
    """The delay before the next retry, None when no retry is left (or outside Prefect)."""
    delays = _delays(run)
    done = run.task_run.run_count - 1 if run is not None else 0
    return delays[done] if done < len(delays) else None


def run_page_budget(flow_run_id: object, pages: int) -> PageBudget:
    """The page budget of a flow run in this process (a fresh one outside a flow run)."""
    if flow_run_id is None:
        return PageBudget(pages)
    key = str(flow_run_id)
    with _RUN_PAGES_LOCK:
        budget = _RUN_PAGES.get(key)
        if budget is None:
            budget = _RUN_PAGES[key] = PageBudget(pages)
            while len(_RUN_PAGES) > _RUN_PAGES_KEPT:   # the oldest runs are long over
                _RUN_PAGES.popitem(last=False)
        return budget


@task(name="fetch feed", cache_policy=NONE, retry_condition_fn=retry_transient_only)
def fetch_feed_task(feed: Feed, etag: str | None, last_modified: str | None, *, limits: FetchLimits,
                    page_limits: FetchLimits, fetch_linked_pages: bool, page_concurrency: int,
                    budget_s: float | None = None, page_caps: PageCaps = DEFAULT_CAPS,
                    probed: FetchResult | None = None, probed_at: float | None = None,
                    on_fetched: Callable[[FetchResult], None] | None = None) -> FeedOutcome:
    """Fetch, parse and collect one feed; `budget_s` bounds all attempts (default: every attempt's
    deadline plus the retry delays), `page_caps` its linked pages. `probed`: the run's conditional
    probe of the feed, made at `probed_at` (`time.time()`), which is the first attempt (its time
    counts in the budget). `on_fetched` sees the fetch that is kept, before it is parsed (the run's
    warm-up, in the flow's process: never given to a task that may run elsewhere)."""
    run = TaskRunContext.get()
    first = run is None or run.task_run.run_count <= 1
    attempt = fetch_attempt(feed, etag, last_modified, limits=limits,
                            budget=_budget(run, limits, budget_s, probed_at), retry_delay_s=_next_delay(run),
                            fetched=probed if first else None)
    result = attempt.result
    if result.status is FetchStatus.FAILED and result.transient:
        time.sleep(attempt.wait_s)
        raise TransientFeedError(result, final=not attempt.retry)
    if on_fetched is not None:
        on_fetched(result)
    run_pages = run_page_budget(run.task_run.flow_run_id if run else None, page_caps.per_run)
    return collect_feed(feed, result, fetch_linked_pages=fetch_linked_pages, page_concurrency=page_concurrency,
                        page_limits=page_limits, page_caps=page_caps, run_pages=run_pages)


@task(name="extract batch", cache_policy=NONE)
def extract_batch_task(articles: list[Article], processes: int = 0) -> list[Extraction]:
    """A batch's extractions: in `processes` worker processes of this process (shared by the run's
    batches and kept for the next run of a long-lived process), or here when 0."""
    if processes:
        return article_workers(processes).extract_batch(articles)
    return extract_batch(articles)


_workers: dict[int, ArticleWorkers] = {}
_workers_lock = threading.Lock()


def article_workers(processes: int) -> ArticleWorkers:
    """This process's extraction workers (started on first use, stopped at exit)."""
    with _workers_lock:
        pool = _workers.get(processes)
        if pool is None:
            pool = _workers[processes] = ArticleWorkers(processes)
            atexit.register(pool.close)
        return pool
