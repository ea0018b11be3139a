"""extraction/workers.py `ArticleWorkers.extract_batch`: each worker holds its next request while it
extracts an article, and an article that overruns or kills its worker fails alone; here with
scripted workers (the real processes: tests/integration/test_article_workers.py)."""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction import workers as article_workers
from extraction.pipeline import adhoc_article
from extraction.workers import ArticleWorkers
from schemas import Article, Extraction
from workers.frames import WorkerFailed
from workers.process import Pool

BEHAVIOURS = ("ok", "ok", "ok", "stuck", "crash", "gone", "long")
LONG_BYTES = 2_000          # PIPELINED_BYTES in these tests: a "long" article's request is longer


def _article(i: int, behaviour: str) -> Article:
    body = f"Статья {i}. " + ("Министры провели переговоры в Астане. " * 80 if behaviour == "long" else "")
    return adhoc_article(body, language="ru", title=behaviour, published_at=datetime(2025, 3, 3, tzinfo=UTC))


def _reply(article: Article) -> Extraction:
    return Extraction(article_id=article.article_id, extractor_version="scripted")


class ScriptedWorker:
    """A worker that extracts an article by its title: "stuck" overruns (TimeoutError), "crash"
    dies while extracting it, "gone" as soon as it is sent (the next request finds it dead); it
    records what it was sent and how many requests it held at once."""

    def __init__(self, log: list[ScriptedWorker]) -> None:
        self.jobs, self.pid = 0, 1000 + len(log)
        self.held: deque[Article] = deque()
        self.sent: list[tuple[Article, int]] = []     # (article, requests it held before it)
        self.dead = False
        log.append(self)

    def alive(self) -> bool:
        return not self.dead

    def send(self, frames: Sequence[bytes], *, deadline: float) -> None:
        if self.dead:
            raise WorkerFailed("the scripted worker died")
        self.jobs += 1
        article = Article.model_validate_json(frames[0])
        self.sent.append((article, len(self.held)))
        self.held.append(article)
        self.dead = article.title == "gone"

    def receive(self, *, deadline: float) -> bytes:
        article = self.held.popleft()
        if article.title == "stuck":
            raise TimeoutError
        if article.title in ("crash", "gone"):
            self.dead = True
            raise WorkerFailed("the scripted worker died")
        if article.title == "slow":             # 0.2 s of work, within a deadline as a real worker's
            time.sleep(0.2)
            if time.monotonic() > deadline:
                raise TimeoutError
        return _reply(article).model_dump_json().encode()

    def run(self, frames: Sequence[bytes], *, deadline: float) -> bytes:
        self.send(frames, deadline=deadline)
        return self.receive(deadline=deadline)

    def kill(self) -> int | None:
        self.dead = True
        return None


def _scripted(processes: int, max_jobs: int, budget_s: float = 0.0) -> tuple[ArticleWorkers, list[ScriptedWorker]]:
    pool = ArticleWorkers(processes=processes, budget_s=budget_s, grace_s=0.0)
    log: list[ScriptedWorker] = []
    lock = threading.Lock()

    def start() -> ScriptedWorker:
        with lock:
            return ScriptedWorker(log)

    pool._pool = Pool(processes, start, max_jobs=max_jobs)
    return pool, log


@settings(max_examples=60, deadline=None)
@given(behaviours=st.lists(st.sampled_from(BEHAVIOURS), min_size=2, max_size=14),
       processes=st.integers(1, 3), max_jobs=st.integers(1, 4))
def test_each_article_gets_its_own_outcome_however_its_neighbours_fare(behaviours, processes, max_jobs):
    articles = [_article(i, b) for i, b in enumerate(behaviours)]
    assert all((len(a.model_dump_json().encode()) > LONG_BYTES) == (a.title == "long") for a in articles)
    pool, log = _scripted(processes, max_jobs)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(article_workers, "PIPELINED_BYTES", LONG_BYTES)
        out = pool.extract_batch(articles)

    assert [e.article_id for e in out] == [a.article_id for a in articles]      # in order, one each
    for article, extraction in zip(articles, out, strict=True):
        if article.title == "stuck":
            assert extraction.error.startswith("ExtractionTimeout: the extraction worker was stopped")
        elif article.title in ("crash", "gone"):
            assert extraction.error == "extraction worker failed: the scripted worker died"
        else:
            assert extraction == _reply(article)      # a neighbour's failure never fails it
    for worker in log:
        assert worker.jobs <= max_jobs
        assert all(held <= 1 for _, held in worker.sent)             # at most its next request waits
        assert all(held == 0 for a, held in worker.sent if a.title == "long")   # a long one never waits
        failures = [i for i, (a, _) in enumerate(worker.sent) if a.title in ("stuck", "crash", "gone")]
        assert not failures or failures[0] >= len(worker.sent) - 2   # a failed worker takes nothing more
    assert len(log) <= len(articles)


def test_the_request_held_by_a_stopped_worker_goes_to_a_fresh_one():
    articles = [_article(0, "ok"), _article(1, "stuck"), _article(2, "ok"), _article(3, "ok")]
    pool, log = _scripted(processes=1, max_jobs=100)
    out = pool.extract_batch(articles)
    assert [e.error is None for e in out] == [True, False, True, True]
    first, second = log
    assert [a.article_id for a, _ in first.sent] == [a.article_id for a in articles[:3]]   # held the third
    assert first.dead and [a.article_id for a, _ in second.sent] == [a.article_id for a in articles[2:]]


def test_a_worker_that_dies_on_its_first_request_fails_that_article_only():
    articles = [_article(i, "ok") for i in range(3)]
    pool, log = _scripted(processes=1, max_jobs=100)
    born = ScriptedWorker.__init__

    def dead_on_arrival(self, log_: list) -> None:
        born(self, log_)
        self.dead = len(log_) == 1

    with pytest.MonkeyPatch.context() as m:
        m.setattr(ScriptedWorker, "__init__", dead_on_arrival)
        out = pool.extract_batch(articles)
    assert out[0].error == "extraction worker failed: the scripted worker died"
    assert out[1:] == [_reply(a) for a in articles[1:]] and len(log) == 2


def test_a_reply_that_breaks_the_batch_stops_its_worker(monkeypatch):
    articles = [_article(i, "ok") for i in range(3)]
    pool, log = _scripted(processes=1, max_jobs=100)
    monkeypatch.setattr(ScriptedWorker, "receive", lambda self, *, deadline: b"not an extraction")
    with pytest.raises(ValueError):
        pool.extract_batch(articles)
    assert [w.dead for w in log] == [True]          # it held a request: never given back to the pool
    assert pool.pids() == []


def test_a_waiting_request_has_its_whole_budget_from_when_its_worker_takes_it_up():
    articles = [_article(i, "slow") for i in range(3)]      # 0.2 s each, within a budget of 0.3 s
    pool, log = _scripted(processes=1, max_jobs=100, budget_s=0.3)
    assert pool.extract_batch(articles) == [_reply(a) for a in articles]
    assert len(log) == 1 and [held for _, held in log[0].sent] == [0, 1, 1]     # each but the first waited


def test_one_article_in_a_worker_and_an_empty_batch_in_none():
    pool, log = _scripted(processes=2, max_jobs=100)
    assert pool.extract_batch([]) == [] and log == []
    ok, stuck = _article(0, "ok"), _article(1, "stuck")
    assert pool.extract(ok) == _reply(ok)
    assert pool.extract(stuck).error.startswith("ExtractionTimeout: the extraction worker was stopped")
    assert pool.extract(ok) == _reply(ok)
    assert [w.dead for w in log] == [True, False]       # the stuck one's worker is gone, a fresh one took over


def test_a_worker_found_dead_when_sent_its_next_article_fails_the_one_it_held():
    articles = [_article(0, "ok"), _article(1, "gone"), _article(2, "ok")]
    pool, log = _scripted(processes=1, max_jobs=100)
    out = pool.extract_batch(articles)
    assert out[0] == _reply(articles[0]) and out[2] == _reply(articles[2])
    assert out[1].error == "extraction worker failed: the scripted worker died"
    first, second = log
    assert [a.title for a, _ in first.sent] == ["ok", "gone"]       # the third could not be sent to it
    assert [a.article_id for a, _ in second.sent] == [articles[2].article_id]
