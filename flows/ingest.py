"""The Prefect flows: `ingest` (fetch → extract → load) and `reprocess` (re-extract stored articles).

A flow sequences, fans out (a task per feed, a task per batch of articles), counts and
decides what is fatal. Per-feed failures are data (feed_runs, feeds.error_count), never
an exception that kills the run. All writes go through this one process, in one
transaction per batch, under the warehouse's writer slot (flows/concurrency.py: an
overlapping run waits or skips). An ingest run holds the slot twice: briefly to read the
feeds' conditional-GET state, then to load; feeds and pages are fetched in between with no
lock held. The run streams: each feed's articles go to a spool on disk as the feed arrives
(feeds/spool.py), and the load reads them back one batch at a time, with a few batches ahead
being extracted, so memory holds a window of batches whatever the number of feeds. A feed's
conditional-GET state (ETag, Last-Modified) is stored only after all its
articles are loaded, so a crash mid-run never hides work from the next run. Only the feed that
owns an article writes it (feeds/owners.py); other feeds that deliver it are recorded as
reporting it.
"""
from __future__ import annotations

import gc
import logging
import os
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from math import ceil
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext, get_run_context
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from extraction.language import detect_language
from extraction.version import extractor_version
from feeds.config import feeds_from_args, load_feeds_toml
from feeds.fetch import FetchLimits
from feeds.owners import writable_versions
from feeds.peek import peek_feed
from feeds.revisions import degraded
from feeds.spool import ArticleSpool, SpooledArticle
from flows.artifacts import publish_run_artifacts
from flows.concurrency import WriterBusy, writer_slot
from flows.resolution import resolve_warehouse, start_warm_up
from flows.runners import task_runner_from_settings
from flows.settings import Settings
from flows.steps import FeedOutcome, chunks, conditional_get, page_caps_of
from flows.summary import FeedRow, RunSummary
from flows.tasks import TransientFeedError, article_workers, extract_batch_task, fetch_feed_task
from schemas import Article, Extraction, Feed, FetchResult, FetchStatus, Language, Reject
from warehouse import (
    FeedCounts,
    FeedResult,
    FeedState,
    abandon_stale_runs,
    article_owners,
    articles_due,
    articles_for_reprocess,
    classify_articles,
    count_by_language,
    feed_states,
    finish_run,
    insert_rejects,
    load_batch,
    migrate,
    record_feed_results,
    record_reports,
    start_run,
    stored_hashes,
    stored_texts,
)
from warehouse.db import Writer, connect_waiting, transaction

progress = logging.getLogger("eventwire.progress")


class NoFeedFetched(RuntimeError):
    """Every feed of the run failed: the run is recorded as failed, its flow run fails, the CLI
    exits 1 (a schedule that fetches nothing must alert, not pass). Carries the run's summary."""

    def __init__(self, summary: RunSummary) -> None:
        failed = [f for f in summary.feeds if f.status == FetchStatus.FAILED.value]
        first = "; ".join(f"{f.name}: {f.error}" for f in failed[:3])
        super().__init__(f"no feed could be fetched ({len(failed)} failed): {first}"
                         f"{' …' if len(failed) > 3 else ''}")
        self.summary = summary


def resolve_feeds(feed_args: Sequence[str] | None, feeds_file: Path | None, settings: Settings) -> list[Feed]:
    """--feeds arguments when given, else the feeds file."""
    if feed_args:
        return feeds_from_args(list(feed_args))
    return load_feeds_toml(feeds_file or settings.feeds_file)


def _flow_run_id() -> str | None:
    try:
        return str(get_run_context().flow_run.id)
    except Exception:  # outside a flow run context (tests calling helpers): no id
        return None


def _outcome_of(feed: Feed, future) -> FeedOutcome:
    try:
        return future.result()
    except TransientFeedError as e:
        return FeedOutcome(feed=feed, fetch=e.result.model_copy(update={"content": None}))
    except Exception as e:  # a bug or an unexpected failure in one feed: recorded, the run goes on
        return FeedOutcome(feed=feed, fetch=FetchResult(
            feed_url=feed.url, status=FetchStatus.FAILED, error=f"{type(e).__name__}: {e}"))


@dataclass(frozen=True)
class _Fetched:
    """One feed's outcome, its articles in the run's spool."""
    outcome: FeedOutcome              # without its articles
    articles: list[SpooledArticle]


class _WarmUp:
    """Starts the extraction workers' models loading while the run is still fetching (the 1-3 s
    that the first batch would otherwise wait), once feeds whose content changed bring enough
    articles for worker processes. A feed's content changed when it is fetched for the first time
    or answers with an ETag or Last-Modified other than the one recorded: its articles are almost
    always new. A known feed that answers without either cannot say, and counts for nothing: a run
    where nothing changed loads no model.

    Two counts, whichever gets there first: the items a changed feed's bytes seem to hold as soon
    as they arrive (`fetched`, from the feed's task thread: `feeds.peek`, its language guessed
    from a sample of its text), and the articles its parse delivered (`seen`)."""

    def __init__(self, settings: Settings, states: dict) -> None:
        self.processes = _worker_processes(settings)
        self.enough, self.states = settings.extract_processes_from, states
        self.articles = self.estimated = 0
        self.languages: set[str] = set()
        self._lock = threading.Lock()

    def _changed(self, fetch: FetchResult) -> bool:
        if fetch.status != FetchStatus.OK:
            return False
        state = self.states.get(fetch.feed_url)
        validators = (fetch.etag, fetch.last_modified)
        return state is None or validators not in ((None, None), (state.etag, state.last_modified))

    def fetched(self, fetch: FetchResult) -> None:
        """A feed's bytes arrived (before its parse): count the items they seem to hold."""
        if not self.processes or self.triggered or not fetch.content or not self._changed(fetch):
            return
        try:
            peek = peek_feed(fetch.content, fetch.headers)
            language = detect_language(peek.text)
        except Exception as e:   # a guess only: the parsed articles count anyway (`seen`)
            progress.warning("%s: no warm-up estimate from its bytes (%s: %s)", fetch.feed_url, type(e).__name__, e)
            return
        if peek.items and language is not Language.OTHER:      # other languages load no model
            self._count(estimated=peek.items, languages={language.value})

    def seen(self, fetch: FetchResult, articles: list[SpooledArticle]) -> None:
        """A feed's articles, parsed."""
        if self.processes and articles and not self.triggered and self._changed(fetch):
            self._count(articles=len(articles), languages={a.language for a in articles})

    @property
    def triggered(self) -> bool:
        """Enough articles counted: the workers were asked to load their models."""
        return max(self.articles, self.estimated) >= self.enough

    def _count(self, *, articles: int = 0, estimated: int = 0, languages: set[str]) -> None:
        with self._lock:
            if self.triggered:
                return
            self.articles += articles
            self.estimated += estimated
            self.languages |= languages
            if not self.triggered:
                return
            wanted = set(self.languages)
        article_workers(self.processes).prestart(wanted)


def _fetch_all(feeds: list[Feed], states: dict, settings: Settings, spool: ArticleSpool,
               warm_up: _WarmUp | None = None) -> list[_Fetched]:
    """Fetch every feed; each outcome's articles go to `spool` as soon as it is there, and its
    future is dropped, so that memory never holds every feed's articles at once (`warm_up` sees
    them go). In the order of `feeds`.

    A feed with a recorded ETag or Last-Modified is first probed with a plain conditional GET
    (`feed_concurrency` at once): a 304 ends its fetch there, without a task run, since a task run
    costs the flow about 15 ms of Prefect's bookkeeping (3 s for 200 feeds that had not changed);
    any other answer is the first attempt of its fetch task, which parses it (and retries a
    transient failure within the feed's fetch budget, counted from the probe). Other feeds are
    fetched by their task from the start."""
    allowed = (settings.allow_networks,)
    limits = FetchLimits(max_bytes=settings.max_feed_bytes, total_timeout_s=settings.fetch_timeout_s,
                         allowed_networks=allowed)
    page_limits = FetchLimits(max_bytes=settings.max_page_bytes, total_timeout_s=settings.fetch_timeout_s,
                              allowed_networks=allowed)
    # the probe is the feed's first attempt: within its fetch budget too
    probe_limits = replace(limits, total_timeout_s=min(limits.total_timeout_s, settings.fetch_budget_s))
    pending: dict = {}
    fetched: dict[int, _Fetched] = {}
    # the warm-up sees each changed feed's bytes in its task's thread (worker processes, hence the
    # warm-up, only run where the tasks run in this process's threads)
    on_fetched = warm_up.fetched if warm_up is not None and warm_up.processes else None

    def submit(i: int, feed: Feed, probed: FetchResult | None = None, probed_at: float | None = None) -> None:
        state = states.get(feed.url)
        task = fetch_feed_task.with_options(
            task_run_name=f"fetch {feed.name}", retries=settings.fetch_retries,
            retry_delay_seconds=exponential_backoff(settings.retry_delay_s) if settings.fetch_retries else 0)
        future = task.submit(feed, state.etag if state else None, state.last_modified if state else None,
                             limits=limits, page_limits=page_limits, fetch_linked_pages=settings.fetch_pages,
                             page_concurrency=settings.page_concurrency,
                             budget_s=settings.fetch_budget_s, page_caps=page_caps_of(settings),
                             probed=probed, probed_at=probed_at, on_fetched=on_fetched)
        pending[future] = (i, feed)

    def record(i: int, feed: Feed, outcome: FeedOutcome) -> None:
        fetched[i] = _Fetched(replace(outcome, articles=()), spool.put(outcome.articles))
        if warm_up is not None:
            warm_up.seen(outcome.fetch, fetched[i].articles)
        progress.info("[%d/%d] %s: %s%s", len(fetched), len(feeds), feed.name, outcome.fetch.status.value,
                      f" ({outcome.error})" if outcome.failed else f", {len(outcome.articles)} articles")

    def collect(future: object) -> None:
        i, feed = pending.pop(future)
        record(i, feed, _outcome_of(feed, future))

    with ThreadPoolExecutor(settings.feed_concurrency, thread_name_prefix="probe") as pool:
        probes = {}
        for i, feed in enumerate(feeds):
            state = states.get(feed.url)
            if state is not None and (state.etag or state.last_modified):
                probes[pool.submit(_probe, feed, state, probe_limits)] = (i, feed)
            else:
                submit(i, feed)
        while probes:
            done, _ = wait(list(probes), timeout=0.2, return_when=FIRST_COMPLETED)
            for probe in done:
                i, feed = probes.pop(probe)
                result, at = probe.result()
                if result is not None and result.status is FetchStatus.NOT_MODIFIED:
                    record(i, feed, FeedOutcome(feed=feed, fetch=result))
                else:
                    submit(i, feed, result, at)
            for future in [f for f in pending if _done(f)]:
                collect(future)
    while pending:
        for future in _finished(pending):
            collect(future)
    return [fetched[i] for i in range(len(feeds))]


def _probe(feed: Feed, state: FeedState, limits: FetchLimits) -> tuple[FetchResult | None, float]:
    """A conditional GET of `feed` (a plain call, no task run) and when it started; None when it
    raised (a bug: the feed's task fetches it again and reports it)."""
    at = time.time()
    try:
        return conditional_get(feed, state.etag, state.last_modified, limits=limits), at
    except Exception as e:
        progress.warning("%s: the conditional probe failed (%s: %s); its task fetches it", feed.url,
                         type(e).__name__, e)
        return None, at


def _finished(pending: dict) -> list:
    """The futures of `pending` that are done, after waiting up to 0.2 s for the oldest; the oldest
    alone, waited for, when the task runner's futures cannot say whether they are done."""
    done = [f for f in pending if _done(f)]
    if done:
        return done
    oldest = next(iter(pending))
    if callable(getattr(getattr(oldest, "wrapped_future", None), "done", None)):
        oldest.wait(timeout=0.2)
        return [f for f in pending if _done(f)]
    return [oldest]


def _failed_batch(batch: list[Article], error: str) -> list[Extraction]:
    """A batch whose task failed, as failed extractions: its articles are stored and stay due."""
    version = extractor_version()
    return [Extraction(article_id=a.article_id, extractor_version=version, error=error, rejects=(Reject.of(
        article_id=a.article_id, feed_url=a.feed_url or None, stage="extract", record_type="Article",
        error=error, payload={"title": a.title, "url": a.url}, extractor_version=version),)) for a in batch]


def _extract_and_load(writer: Writer, run_id: str, batches: Iterable[list[Article]], count: int,
                      languages: set[str], settings: Settings, summary: RunSummary) -> None:
    """Extract `count` articles (in `languages`), given in batches read as they are needed, in
    batch tasks, and load each batch in its own transaction. A few batches run ahead of the load
    (`_batches_in_flight`), so that the workers never wait for it and memory holds only those.
    The warehouse is released while the run waits for a batch's extraction, and after a batch
    when queries wait for it (queries get in), and opened again to load the next.

    An article whose extraction failed (alone, or with its whole batch task) is stored and
    left due: the next run retries it, up to `settings.extract_attempts` times.
    """
    processes = _extract_processes(settings, count)
    if processes:
        progress.info("extracting %d articles in %d worker processes", count, processes)
        article_workers(processes).expect(languages)   # their models load once
        start_warm_up()     # the resolution's indexes load in this process meanwhile, off the critical path
    total = ceil(count / settings.batch_size)
    source = enumerate(batches, start=1)
    running: deque[tuple[int, list[Article], object]] = deque()

    def submit_next() -> None:
        for i, batch in source:
            if batch:
                running.append((i, batch, extract_batch_task.with_options(
                    task_run_name=f"extract batch {i}/{total}").submit(batch, processes)))
                return

    for _ in range(_batches_in_flight(processes)):
        submit_next()
    while running:
        i, batch, future = running.popleft()
        if not _done(future):
            writer.release()
        try:
            extractions: list[Extraction] = future.result()
        except Exception as e:  # a crashed task: every article of the batch failed this attempt
            extractions = _failed_batch(batch, f"extraction task failed: {type(e).__name__}: {e}")
        del future
        submit_next()      # before this batch loads: the workers keep busy meanwhile
        counts = load_batch(writer.con, run_id=run_id, articles=batch, extractions=extractions,
                            max_attempts=settings.extract_attempts)
        summary.institution_mentions += counts.institution_mentions
        summary.meetings += counts.meetings
        summary.mechanisms += counts.mechanisms
        summary.rejects += counts.rejects
        progress.info("extract batch %d/%d: %d articles, %d meetings, %d mechanisms, %d institution mentions%s",
                      i, total, len(batch), counts.meetings, counts.mechanisms, counts.institution_mentions,
                      f", {counts.extract_failed} failed ({counts.gave_up} given up)" if counts.extract_failed else "")
        writer.yield_to_readers()   # queries waiting get in even when the next batch is ready already


def _batches_in_flight(processes: int) -> int:
    """Batches extracted ahead of the load: with worker processes, two more than the workers (each
    batch task feeds all of them, so one always has the next article); under Dask, two per
    thread of the cluster (8 when the runner cannot say); else two."""
    if processes:
        return processes + 2
    context = FlowRunContext.get()
    client = getattr(context.task_runner, "_client", None) if context else None
    nthreads = getattr(client, "nthreads", None)
    if callable(nthreads):
        threads = sum(nthreads().values())
        return max(2, 2 * threads)
    return 8 if context and not isinstance(context.task_runner, ThreadPoolTaskRunner) else 2


def _done(future: object) -> bool:
    """The task's result is there already (its thread's or Dask's own future is done), so waiting
    for it would not be worth releasing the warehouse; asked without calling the Prefect API."""
    done = getattr(getattr(future, "wrapped_future", None), "done", None)
    return bool(callable(done) and done())


def _worker_processes(settings: Settings) -> int:
    """Worker processes this run may extract in: none under Dask (its workers are processes) or
    where processes cannot fork (Windows: the workers are forked from a fork server), else
    `extract_processes`."""
    context = FlowRunContext.get()
    threads = context is None or isinstance(context.task_runner, ThreadPoolTaskRunner)
    return settings.extract_processes if threads and hasattr(os, "fork") else 0


def _extract_processes(settings: Settings, articles: int) -> int:
    """Worker processes for this run's extraction: `_worker_processes`, but none for a handful of
    articles (starting workers costs seconds) unless their models are loading already (`_WarmUp`)."""
    processes = _worker_processes(settings)
    if not processes or not articles:
        return 0
    return processes if articles >= settings.extract_processes_from or article_workers(processes).started() else 0


def _skipped_rejects(outcome: FeedOutcome) -> list[Reject]:
    return [Reject.of(feed_url=outcome.feed.url, stage="parse", record_type="FeedItem", error=reason,
                      payload={"item": identity})
            for identity, reason in outcome.skipped]


@contextmanager
def _one_writer(settings: Settings, summary: RunSummary) -> Iterator[bool]:
    """The run's writes under the warehouse's writer slot; yields False when the run is skipped."""
    log = get_run_logger()
    if logging.getLogger("eventwire").level == logging.NOTSET:  # progress lines reach the run's log in the UI
        logging.getLogger("eventwire").setLevel(logging.INFO)   # (PREFECT_LOGGING_EXTRA_LOGGERS=eventwire)
    entered = False
    try:
        with writer_slot(settings.db, on_overlap=settings.on_overlap, wait_s=settings.writer_wait_s, log=log):
            entered = True
            yield True
    except WriterBusy as e:
        if entered:
            raise
        summary.status, summary.error = "skipped", str(e)
        log.warning("run skipped, the warehouse was not touched: %s", e)
        yield False


@flow(name="ingest", description="Fetch every feed, extract meetings, mechanisms and institutions, load DuckDB.",
      task_runner=task_runner_from_settings())
def ingest(feeds: list[str] | None = None, feeds_file: str | None = None, db: str | None = None,
           batch_size: int | None = None) -> RunSummary:
    """One run: fetch every feed, extract new and changed articles, load the warehouse."""
    overrides = {k: v for k, v in {"db": db, "feeds_file": feeds_file, "batch_size": batch_size}.items() if v}
    settings = Settings(**overrides)
    started = time.monotonic()
    feed_list = resolve_feeds(feeds, Path(feeds_file) if feeds_file else None, settings)
    summary = RunSummary(run_id=uuid.uuid4().hex, db_path=str(settings.db), flow_run_id=_flow_run_id())
    states = None
    with _one_writer(settings, summary) as writing:  # held only to read the feeds' conditional-GET state
        if writing:
            states = _feed_states(settings)
    try:
        if states is not None:
            with ArticleSpool() as spool:
                with _fetch_garbage_collected():
                    fetched = _fetch_all(feed_list, states, settings, spool,  # no lock is held meanwhile
                                         _WarmUp(settings, states))
                with _one_writer(settings, summary) as writing:
                    if writing:
                        _load_outcomes(settings, feed_list, fetched, spool, summary, started)
    finally:
        _publish(summary, {url: state.last_status for url, state in (states or {}).items()})
    get_run_logger().info("run %s %s: %s", summary.run_id, summary.status, summary.counts())
    return summary


@contextmanager
def _fetch_garbage_collected() -> Iterator[None]:
    """After the block (the fetch), a collection of the garbage cycles it left: the feeds'
    outcomes stay referenced from Prefect's task states, whose cycles only the collector frees,
    and a large fetch's bytes must not wait for its next full collection. The objects that
    existed before it (the imports, Prefect's set-up: most of the process's objects) are frozen
    meanwhile (`gc.freeze`), so that this collection walks only the fetch's own objects (0.02 s
    instead of 0.15 s before the first article goes to the workers); they are back in the
    collector's care after it. A process whose owner froze objects itself (a pre-forking server)
    keeps them frozen: the collection then walks what is not."""
    ours = gc.get_freeze_count() == 0
    if ours:
        gc.freeze()
    try:
        yield
        gc.collect()
    finally:
        if ours:
            gc.unfreeze()


def _publish(summary: RunSummary, last_status: dict[str, str | None] | None = None) -> None:
    """The run's Prefect artifacts, best effort: the run is already recorded in the warehouse, so a
    failure here (API down, an event over PREFECT_EVENTS_MAXIMUM_SIZE_BYTES) is a warning, never a
    failed flow whose exit disagrees with the recorded run."""
    try:
        publish_run_artifacts(summary, last_status)
    except Exception as e:
        get_run_logger().warning("run %s: its artifacts could not be published: %s", summary.run_id, e)


def _feed_states(settings: Settings) -> dict[str, FeedState]:
    con = connect_waiting(settings.db, wait_s=settings.writer_wait_s)
    try:
        migrate(con)
        return feed_states(con)
    finally:
        con.close()


@contextmanager
def _recorded_run(settings: Settings, summary: RunSummary, started: float) -> Iterator[Writer]:
    """The run's writer (a migrated connection, released while extraction runs so that queries
    get in) and a `runs` row that ends completed, or failed with the error.

    Entered only under the writer slot (`_one_writer`), so any other 'running' row is a run
    whose process ended without finishing (SIGKILL): it is closed as failed ("abandoned").
    """
    writer = Writer(settings.db, wait_s=settings.writer_wait_s)
    try:
        con = writer.con
        migrate(con)
        start_run(con, run_id=summary.run_id, flow_run_id=summary.flow_run_id, kind=summary.kind)
        try:
            abandoned = abandon_stale_runs(con, current_run_id=summary.run_id)
            if abandoned:
                get_run_logger().warning("marked %d run(s) failed that ended without finishing: %s",
                                         len(abandoned), ", ".join(abandoned))
            yield writer
            summary.status = "completed"
        except Exception as e:
            summary.status, summary.error = "failed", f"{type(e).__name__}: {e}"
            raise
        finally:
            summary.seconds = time.monotonic() - started
            finish_run(writer.con, summary.run_id, status=summary.status, counts=summary.counts(),
                       error=summary.error)
    finally:
        writer.release()


def _load_outcomes(settings: Settings, feed_list: list[Feed], fetched: list[_Fetched], spool: ArticleSpool,
                   summary: RunSummary, started: float) -> None:
    """Decide on the spooled articles by their ids and hashes (bodies are read back only for
    stored articles whose hash differs), then extract and load new and changed ones batch by
    batch, record every feed and resolve events."""
    with _recorded_run(settings, summary, started) as writer:
        con = writer.con
        delivered = [a for f in fetched for a in f.articles]
        owners = article_owners(con, {a.article_id for a in delivered})
        spooled = writable_versions(delivered, [f.url for f in feed_list], owners)
        hashes = stored_hashes(con, (a.article_id for a in spooled))
        new = [a for a in spooled if a.article_id not in hashes]
        unchanged: list[SpooledArticle | Article] = [a for a in spooled if hashes.get(a.article_id) == a.content_hash]
        differing = spool.get([a for a in spooled if hashes.get(a.article_id, a.content_hash) != a.content_hash])
        _, changed, same = classify_articles(con, differing)
        changed, kept, refused = _guard_revisions(con, changed)
        unchanged += same + kept
        if refused:
            summary.rejects += insert_rejects(con, refused, run_id=summary.run_id)
        summary.articles_new, summary.articles_updated, summary.articles_unchanged = (
            len(new), len(changed), len(unchanged))
        todo: list[SpooledArticle | Article] = [*new, *changed]
        # stored articles whose extraction failed in an earlier run: retried from their stored body
        due = articles_due(con, max_attempts=settings.extract_attempts, exclude=(a.article_id for a in todo))
        if due:
            progress.info("retrying %d article(s) whose extraction failed before", len(due))
        summary.articles_by_language = dict(Counter(_language(a) for a in todo))
        todo += due
        _extract_and_load(writer, summary.run_id, (_read_back(b, spool) for b in chunks(todo, settings.batch_size)),
                          len(todo), {_language(a) for a in todo}, settings, summary)
        con = writer.con
        new_ids = {(a.article_id, a.feed_url) for a in new}
        changed_ids = {(a.article_id, a.feed_url) for a in changed}
        _record_feeds(con, summary, fetched, new_ids, changed_ids)
        resolve_warehouse(con)   # after the feeds' reports: an event counts every feed that reports it
        if summary.feeds and summary.feed_count(FetchStatus.FAILED.value) == len(summary.feeds):
            raise NoFeedFetched(summary)    # the runs row ends failed with this error (`_recorded_run`)


def _language(article: SpooledArticle | Article) -> str:
    return article.language if isinstance(article, SpooledArticle) else article.language.value


def _read_back(batch: list[SpooledArticle | Article], spool: ArticleSpool) -> list[Article]:
    """The batch's articles, the spooled ones read back from `spool`, in order."""
    read = iter(spool.get([a for a in batch if isinstance(a, SpooledArticle)]))
    return [next(read) if isinstance(a, SpooledArticle) else a for a in batch]


def _guard_revisions(con, changed: list[Article]) -> tuple[list[Article], list[Article], list[Reject]]:
    """(changed articles that may replace their stored version, those that may not, a reject for each of those)."""
    stored = stored_texts(con, (a.article_id for a in changed))
    allowed, kept, refused = [], [], []
    for article in changed:
        reason = degraded(*stored[article.article_id], article)
        if reason is None:
            allowed.append(article)
            continue
        kept.append(article)
        progress.warning("kept the stored version of %s (%s): %s", article.article_id, article.url, reason)
        refused.append(Reject.of(
            article_id=article.article_id, feed_url=article.feed_url or None, stage="parse",
            record_type="ArticleRevision", error=f"revision refused, the stored version kept: {reason}",
            payload={"title": article.title, "url": article.url, "content_hash": article.content_hash,
                     "body_head": article.body[:300]}, extractor_version=None))
    return allowed, kept, refused


def _record_feeds(con, summary: RunSummary, fetched: list[_Fetched], new_ids: set[tuple[str, str]],
                  changed_ids: set[tuple[str, str]]) -> None:
    """The feeds' reports of articles, then their fetch results and conditional-GET states (last),
    in one transaction and a few statements whatever the number of feeds."""
    results, rejects = [], []
    for f in fetched:
        outcome = f.outcome
        ids = {(a.article_id, a.feed_url) for a in f.articles}   # counted for the feed whose version was written
        counts = FeedCounts(items=outcome.items, articles_new=len(ids & new_ids),
                            articles_updated=len(ids & changed_ids), articles_unchanged=len(ids - new_ids - changed_ids))
        results.append(FeedResult(outcome.feed, outcome.fetch, outcome.parsed, counts))
        rejects += _skipped_rejects(outcome)
        summary.feeds.append(FeedRow(
            name=outcome.feed.name, url=outcome.feed.url, status=outcome.fetch.status.value,
            http_status=outcome.fetch.http_status, items=counts.items, articles_new=counts.articles_new,
            articles_updated=counts.articles_updated, articles_unchanged=counts.articles_unchanged,
            error=outcome.error))
    with transaction(con):
        record_reports(con, ((a.article_id, a.feed_url, a.guid) for f in fetched for a in f.articles),
                       datetime.now(UTC))
        record_feed_results(con, run_id=summary.run_id, results=results)
        if rejects:
            summary.rejects += insert_rejects(con, rejects, run_id=summary.run_id)


@flow(name="reprocess", description="Re-extract stored articles with the current extractor; no refetch.",
      task_runner=task_runner_from_settings())
def reprocess(db: str | None = None, batch_size: int | None = None, language: str | None = None) -> RunSummary:
    overrides = {k: v for k, v in {"db": db, "batch_size": batch_size}.items() if v}
    settings = Settings(**overrides)
    started = time.monotonic()
    summary = RunSummary(run_id=uuid.uuid4().hex, db_path=str(settings.db), flow_run_id=_flow_run_id(),
                         kind="reprocess")
    with _one_writer(settings, summary) as writing:
        if writing:
            _reprocess_into(settings, language, summary, started)
    _publish(summary)
    return summary


def _reprocess_into(settings: Settings, language: str | None, summary: RunSummary, started: float) -> None:
    with _recorded_run(settings, summary, started) as writer:
        by_language = count_by_language(writer.con, language)
        summary.articles_updated = sum(by_language.values())
        summary.articles_by_language = by_language
        _extract_and_load(writer, summary.run_id, _stored_batches(writer, settings.batch_size, language),
                          summary.articles_updated, set(by_language), settings, summary)
        resolve_warehouse(writer.con)


def _stored_batches(writer: Writer, size: int, language: str | None) -> Iterator[list[Article]]:
    """The stored articles (of `language`), a batch at a time, each read when it is needed through
    the writer's connection as it is then (it is released between batches)."""
    after = ""
    while True:
        batch = next(articles_for_reprocess(writer.con, batch_size=size, language=language, after=after), [])
        if not batch:
            return
        yield batch
        after = batch[-1].article_id
