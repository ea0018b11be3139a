"""extraction/workers.py: articles extracted in worker processes (real child processes that load
the real models), the same records as in-process, and a worker that overruns is killed."""
from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from extraction.pipeline import adhoc_article, extract
from extraction.workers import ArticleWorkers
from schemas import Article

pytestmark = pytest.mark.slow

TEXTS = [
    ("ru", "Министр иностранных дел Эстонии провел в Таллине переговоры с министром иностранных дел Латвии. "
           "Стороны предложили создать совместную рабочую группу по энергетике."),
    ("en", "The prime ministers of Estonia and Latvia met in Riga on Monday and agreed to set up a joint "
           "council on rail transport, the Baltic Assembly said."),
    ("ru", "Заседание Совета министров Балтии пройдет 14 октября в Вильнюсе."),
]


def _articles() -> list[Article]:
    published = datetime(2025, 3, 3, 9, tzinfo=UTC)
    return [adhoc_article(text, language=lang, published_at=published) for lang, text in TEXTS]


@pytest.fixture(scope="module")
def pool() -> Iterator[ArticleWorkers]:
    workers = ArticleWorkers(processes=2)
    yield workers
    workers.close()


def test_workers_give_the_records_the_run_process_gives(pool):
    articles = _articles()
    assert pool.extract_batch(articles) == [extract(a) for a in articles]
    pids = pool.pids()
    assert len(pids) == 2 and os.getpid() not in pids          # two worker processes, kept for the next batch
    assert pool.extract_batch(articles[:1]) == [extract(articles[0])] and set(pool.pids()) <= set(pids)


def test_a_worker_past_its_hard_stop_is_killed_and_the_article_rejected():
    slow = adhoc_article(" ".join(["Министр иностранных дел Эстонии провел переговоры в Таллине."] * 1500),
                         language="ru", published_at=datetime(2025, 3, 3, tzinfo=UTC))
    quick = _articles()[2]
    workers = ArticleWorkers(processes=1, budget_s=0.0, grace_s=1.0, warm_up=True)
    try:
        assert workers.extract(quick) == extract(quick)   # starts the worker (models loaded before it takes requests)
        [before] = workers.pids()
        out = workers.extract(slow)
        assert out.error and out.error.startswith("ExtractionTimeout") and "stopped after 1 s" in out.error
        assert [r.stage for r in out.rejects] == ["extract"] and not out.meetings
        assert before not in workers.pids()         # the stuck worker is gone
        assert workers.extract(quick) == extract(quick) and workers.pids() != [before]   # a fresh one took over
    finally:
        workers.close()


def test_no_processes_is_a_usage_error():
    with pytest.raises(ValueError, match="at least 1"):
        ArticleWorkers(processes=0)


def test_workers_are_forked_from_one_server_and_share_its_models():
    import psutil

    pool = ArticleWorkers(processes=2)
    try:
        russian = _articles()[::2]                  # the server's models suffice: nothing loads in the workers
        assert pool.extract_batch(russian) == [extract(a) for a in russian]
        server = pool.server_pid()
        assert server is not None
        workers = [psutil.Process(pid) for pid in pool.pids()]
        assert len(workers) == 2 and all(w.ppid() == server for w in workers)
        loaded = psutil.Process(server).memory_info().rss
        # what a worker holds alone (USS) is a fraction of what the server loaded: the models are
        # pages they share
        own = [w.memory_full_info().uss for w in workers]
        assert all(uss < loaded / 4 for uss in own), (own, loaded)
    finally:
        pool.close()


def test_a_fork_server_that_died_is_started_again():
    workers = ArticleWorkers(processes=1)
    quick = _articles()[2]
    try:
        assert workers.extract(quick) == extract(quick)
        first, [worker] = workers.server_pid(), workers.pids()
        for pid in (first, worker):
            os.kill(pid, 9)
            _gone(pid)
        assert workers.extract(quick) == extract(quick)     # a dead idle worker is not given work
        assert workers.server_pid() not in (None, first)
    finally:
        workers.close()


def test_closing_the_pool_ends_the_server_and_its_workers():
    import psutil

    workers = ArticleWorkers(processes=1)
    workers.extract(_articles()[2])
    procs = [psutil.Process(pid) for pid in (workers.server_pid(), *workers.pids())]
    workers.close()
    _, alive = psutil.wait_procs(procs, timeout=20)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def _gone(pid: int) -> None:
    import psutil

    try:
        psutil.Process(pid).wait(timeout=20)
    except (psutil.NoSuchProcess, psutil.TimeoutExpired, ChildProcessError):
        pass


def test_a_batch_in_a_language_the_server_lacks_restarts_it_with_that_language():
    workers = ArticleWorkers(processes=1)
    articles = _articles()
    try:
        assert workers.extract_batch(articles[2:]) == [extract(articles[2])]        # Russian: the first server
        first = workers.server_pid()
        assert workers.extract_batch(articles[:2]) == [extract(a) for a in articles[:2]]   # English too now
        assert workers.server_pid() not in (None, first)
        again = workers.server_pid()
        assert workers.extract_batch(articles) == [extract(a) for a in articles]
        assert workers.server_pid() == again         # both loaded: no restart
    finally:
        workers.close()


def test_a_prestarted_server_loads_in_the_background_and_serves_the_first_worker():
    workers = ArticleWorkers(processes=1)
    quick = _articles()[2]
    try:
        assert not workers.started()
        workers.prestart({"ru"})
        assert workers.started() and workers.pids() == []   # no worker yet: the server loads meanwhile
        workers.prestart({"ru"})                             # once only
        starting = workers._starting
        assert starting is not None
        starting.join(timeout=120)
        server = workers.server_pid()
        assert server is not None
        assert workers.extract(quick) == extract(quick)
        assert workers.server_pid() == server               # the first worker came from the prestarted server
    finally:
        workers.close()


def test_a_prestart_that_fails_leaves_the_first_worker_to_try_again_and_say_why(monkeypatch):
    from workers.frames import WorkerFailed

    workers = ArticleWorkers(processes=1)
    real, calls = workers._new_server, []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise WorkerFailed("the extraction workers' fork server did not answer")
        return real()
    monkeypatch.setattr(workers, "_new_server", flaky)
    quick = _articles()[2]
    try:
        workers.prestart({"ru"})
        workers._starting.join(timeout=120)
        assert workers.server_pid() is None
        assert workers.extract(quick) == extract(quick) and len(calls) == 2
    finally:
        workers.close()


def test_a_pool_closed_while_its_server_starts_keeps_no_server():
    workers = ArticleWorkers(processes=1)
    workers.prestart({"ru"})
    starting = workers._starting
    workers.close()
    starting.join(timeout=120)
    assert workers.server_pid() is None and not workers.started()
