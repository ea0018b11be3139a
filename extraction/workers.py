"""Articles extracted in worker processes: every core busy, the models loaded once per process,
and an article that overruns its budget stops its worker, never the run.

    pool = ArticleWorkers(processes=2)
    extractions = pool.extract_batch(articles)     # in order, one Extraction per article
    pool.close()

Each worker is a plain child process (`workers.process.Worker`) that loads a language's NLP
models (natasha for Russian, spaCy for English) with its first article of that language, and
extracts one article per request with `extraction.pipeline.extract` — the same function,
with its own in-process budget, as a run without workers. The parent waits for an article at
most its budget plus `HARD_STOP_GRACE_S`: a worker that has not replied by then (stuck in one long
C call, where the in-process budget cannot land) is killed (SIGKILL), the article gets a timeout
reject and stays due like any failed extraction, and a fresh worker takes the next article. A
worker is replaced after `max_jobs` articles (Python keeps freed memory) and exits by itself
when the parent goes away (its stdin closes).

Requests and replies are JSON frames (an `Article` in, an `Extraction` out) over the worker's
stdin and stdout.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from extraction.budget import TIME_BUDGET_S
from schemas import Article, Extraction
from workers.frames import READY, WorkerFailed, read_frame, write_frame
from workers.process import Pool, Worker, reply_channel

HARD_STOP_GRACE_S = 10.0     # past the in-process budget, before the worker is killed
_WORKER = "import sys; from extraction.workers import serve; serve(sys.argv[1] == 'warm')"
_WARM_UP = (("ru", "Президент Казахстана провел переговоры в Астане."),
            ("en", "The president of Kazakhstan held talks in Astana."))


def serve(warm_up: bool = False) -> None:
    """The worker's loop (in the child): extract articles until stdin closes. A language's models
    load with its first article (a Russian-only run never loads spaCy), or all of them before the
    first request with `warm_up`."""
    from extraction.pipeline import adhoc_article, extract

    out = reply_channel()
    if warm_up:
        for lang, text in _WARM_UP:
            extract(adhoc_article(text, language=lang))
    write_frame(out, READY)
    while True:
        frame = read_frame(0)
        if frame is None:
            return
        write_frame(out, extract(Article.model_validate_json(frame)).model_dump_json().encode())


class ArticleWorkers:
    """Up to `processes` extraction workers (see the module docstring); `warm_up`: each loads
    every language's models before it takes its first article."""

    def __init__(self, processes: int = 2, *, budget_s: float = TIME_BUDGET_S, grace_s: float = HARD_STOP_GRACE_S,
                 start_timeout_s: float = 180.0, max_jobs: int = 1000, warm_up: bool = False) -> None:
        if processes < 1:
            raise ValueError(f"ArticleWorkers: processes must be at least 1, not {processes}")
        self.processes, self.budget_s, self.grace_s = processes, budget_s, grace_s
        self._pool = Pool(processes, lambda: Worker(_WORKER, ["warm" if warm_up else "lazy"],
                                                    start_timeout_s=start_timeout_s, what="extraction worker"),
                          max_jobs=max_jobs)

    def extract_batch(self, articles: Sequence[Article]) -> list[Extraction]:
        """Every article's extraction, in order, on as many workers at once as the pool has."""
        if len(articles) <= 1:
            return [self.extract(a) for a in articles]
        with ThreadPoolExecutor(min(self.processes, len(articles)), thread_name_prefix="extract") as ex:
            return list(ex.map(self.extract, articles))

    def extract(self, article: Article) -> Extraction:
        """One article's extraction in a worker; a failed or timed-out worker gives a failed extraction."""
        from extraction.pipeline import failed

        self._pool.slot()
        try:
            try:
                worker = self._pool.take()
            except (OSError, WorkerFailed) as e:
                return failed(article, f"cannot start an extraction worker: {e}")
            limit = self.budget_s + self.grace_s
            try:
                reply = worker.run([article.model_dump_json().encode()], deadline=time.monotonic() + limit)
            except TimeoutError:
                worker.kill()
                return failed(article, f"ExtractionTimeout: the extraction worker was stopped after {limit:g} s "
                                       f"({len(article.body)} characters)")
            except (OSError, WorkerFailed) as e:
                worker.kill()
                return failed(article, f"extraction worker failed: {e}")
            self._pool.give_back(worker)
        finally:
            self._pool.release()
        return Extraction.model_validate_json(reply)

    def pids(self) -> list[int]:
        """Process ids of the idle workers."""
        return self._pool.pids()

    def close(self) -> None:
        """Stop the idle workers; busy ones are stopped when their article returns."""
        self._pool.close()
