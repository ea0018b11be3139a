"""Articles extracted in worker processes: every core busy, the models loaded once for all of
them, and an article that overruns its budget stops its worker, never the run.

    pool = ArticleWorkers(processes=2)
    extractions = pool.extract_batch(articles)     # in order, one Extraction per article
    pool.close()

The workers are forked from one fork server (`workers.forks.ForkServer`), a plain child process
that loads the NLP models of the languages expected (`expect`; natasha for Russian at least,
spaCy for English) before it forks any worker: the workers share those pages instead of each
loading its own copy (a fresh process holds about 300 MB, a forked worker about 50 MB of its
own). A batch in a language the server has not loaded starts the server again with it; a
single `extract` loads it in its worker. A worker extracts one article per request with
`extraction.pipeline.extract` — the same function, with its own in-process budget, as a run
without workers. A batch's worker is sent its next article while it extracts one, so that it
never waits for the parent in between. The parent waits for an article at most its budget plus
`HARD_STOP_GRACE_S` from when the worker takes it up: a worker that has not replied by then
(stuck in one long C call, where the in-process budget cannot land) is killed (SIGKILL), the
article gets a timeout reject and stays due like any failed extraction, and a fresh worker takes
the next article (the one the killed worker held included). A worker is replaced after
`max_jobs` articles (Python keeps freed memory) and exits by itself when the parent goes away
(its request pipe closes); a fork server that died is started again. `prestart` has the fork
server load its models in the background, while a run is still fetching: the first worker then
waits for it instead of starting it.

Requests and replies are JSON frames (an `Article` in, an `Extraction` out) over the worker's
two pipes.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from extraction.budget import TIME_BUDGET_S
from schemas import Article, Extraction
from workers.forks import Forked, ForkServer
from workers.frames import READY, WorkerFailed, read_frame, write_frame
from workers.process import Pool, Running

HARD_STOP_GRACE_S = 10.0     # past the in-process budget, before the worker is killed
# A worker is sent its next article while it extracts one (it reads it as soon as it has replied,
# instead of waiting for this process to take its reply and send another: about 1.5 ms an article
# with both cores busy) when the request is at most this long. A request pipe holds 64 KiB on
# Linux: a longer request could block this process while the worker blocks writing its reply.
PIPELINED_BYTES = 32 * 1024
_WARM_UP = (("ru", "Президент Казахстана провел переговоры в Астане."),
            ("en", "The president of Kazakhstan held talks in Astana."))
_LANGUAGES = frozenset(lang for lang, _ in _WARM_UP)    # those whose models a fork server can preload
log = logging.getLogger("eventwire.workers")


def preload(languages: Sequence[str]) -> None:
    """In the fork server, before it forks any worker: load these languages' models (by extracting
    a sentence of each), so that every worker shares them."""
    from extraction.pipeline import adhoc_article, extract

    for lang, text in _WARM_UP:
        if lang in languages:
            extract(adhoc_article(text, language=lang))


def serve(requests: int, replies: int) -> None:
    """A worker's loop (forked from the server): extract articles until its request pipe closes.
    A language the server did not preload loads with its first article in this worker."""
    from extraction.pipeline import extract

    write_frame(replies, READY)
    while True:
        frame = read_frame(requests)
        if frame is None:
            return
        write_frame(replies, extract(Article.model_validate_json(frame)).model_dump_json().encode())


class ArticleWorkers:
    """Up to `processes` extraction workers (see the module docstring); `warm_up`: each loads
    every language's models before it takes its first article."""

    def __init__(self, processes: int = 2, *, budget_s: float = TIME_BUDGET_S, grace_s: float = HARD_STOP_GRACE_S,
                 start_timeout_s: float = 180.0, max_jobs: int = 1000, warm_up: bool = False) -> None:
        if processes < 1:
            raise ValueError(f"ArticleWorkers: processes must be at least 1, not {processes}")
        self.processes, self.budget_s, self.grace_s = processes, budget_s, grace_s
        self._languages = ("ru", "en") if warm_up else ("ru",)
        self._start_timeout_s = start_timeout_s
        self._server: ForkServer | None = None
        self._server_lock = threading.Lock()
        self._starting: threading.Thread | None = None
        self._pool = Pool(processes, self._fork, max_jobs=max_jobs)

    def expect(self, languages: set[str]) -> None:
        """Articles in these languages are coming: a fork server not started yet will load their
        models; one that runs without them (English in a pool started on Russian) is started
        again with them, so that the workers share those models too instead of each loading its
        own, and the idle workers of the old server retire. `extract_batch` calls it for its
        batch; a run that knows all its articles' languages calls it first."""
        wanted = set(languages) & _LANGUAGES
        with self._server_lock:
            if wanted <= set(self._languages):
                return
            self._languages = tuple(lang for lang, _ in _WARM_UP if lang in wanted or lang in self._languages)
            if self._server is None:
                return                 # not started yet: it starts with them
            self._server.close()
            self._server = None
        self._pool.retire_idle()

    def prestart(self, languages: set[str]) -> None:
        """Have the fork server load these languages' models now, in a background thread, unless
        it runs or is starting: the first worker waits for it (`_fork` takes the same lock). When
        it cannot start, the first worker starts it again and reports why."""
        self.expect(languages)
        with self._server_lock:
            if self._server is not None or self._starting is not None:
                return
            self._starting = threading.Thread(target=self._start_server, name="fork-server-start", daemon=True)
            self._starting.start()

    def _start_server(self) -> None:
        with self._server_lock:
            if self._server is not None or self._starting is not threading.current_thread():
                return          # started meanwhile, or the pool was closed first
            try:
                self._server = self._new_server()
            except (OSError, WorkerFailed) as e:    # the first fork tries again, and fails with the reason
                log.warning("the extraction workers' fork server did not start ahead of the run's articles: %s", e)

    def _new_server(self) -> ForkServer:
        return ForkServer(f"from extraction.workers import preload; preload({self._languages!r})",
                          "extraction.workers:serve", start_timeout_s=self._start_timeout_s, what="extraction worker")

    def _fork(self) -> Forked:
        """A new worker from the fork server (started, or started again, when needed)."""
        with self._server_lock:
            if self._server is None or not self._server.alive():
                if self._server is not None:
                    self._server.close()
                self._server = self._new_server()
            server = self._server
        return server.fork()

    def extract_batch(self, articles: Sequence[Article]) -> list[Extraction]:
        """Every article's extraction, in order, on as many workers at once as the pool has: each
        of the batch's threads takes a worker and keeps it busy with the batch's next articles
        (`_drain`) until none is left."""
        self.expect({a.language.value for a in articles})
        return self._extracted(articles)

    def extract(self, article: Article) -> Extraction:
        """One article's extraction in a worker; a failed or timed-out worker gives a failed extraction.
        Its language's models load in the worker when the fork server has not loaded them."""
        return self._extracted([article])[0]

    def _extracted(self, articles: Sequence[Article]) -> list[Extraction]:
        todo = deque(enumerate(articles))
        out: list[Extraction | None] = [None] * len(articles)
        threads = min(self.processes, len(articles))
        if threads == 1:
            self._drain(todo, out)
        elif threads > 1:
            with ThreadPoolExecutor(threads, thread_name_prefix="extract") as ex:
                for future in [ex.submit(self._drain, todo, out) for _ in range(threads)]:
                    future.result()
        done = [extraction for extraction in out if extraction is not None]
        if len(done) != len(articles):
            raise RuntimeError(f"{len(articles) - len(done)} of {len(articles)} articles left unextracted")
        return done

    def _drain(self, todo: deque[tuple[int, Article]], out: list[Extraction | None]) -> None:
        """Extract the articles of `todo` (index, article) into `out` on one worker (a fresh one
        after a worker fails or wears out) until `todo` is empty. The worker holds its next
        request while it extracts an article, so that it never waits for this process in between
        (`PIPELINED_BYTES`); each article still has its whole budget from when the worker takes it
        up. When a worker is killed (its article overran) or dies, its next request goes back to
        `todo` for a fresh worker: only the article it was extracting fails."""
        from extraction.pipeline import failed

        limit = self.budget_s + self.grace_s
        worker: Running | None = None
        self._pool.slot()
        try:
            sent: deque[tuple[int, Article]] = deque()   # the worker's requests, the one it extracts first
            began = 0.0                 # when the worker took up the first of them
            while True:
                if worker is not None and not sent and worker.jobs >= self._pool.max_jobs:
                    self._pool.give_back(worker)     # worn out: stopped, a fresh one takes the next article
                    worker = None
                broken: Exception | None = None      # the worker failed while it held a request
                while len(sent) < 2 and (worker is None or worker.jobs < self._pool.max_jobs):
                    try:
                        index, article = todo.popleft()
                    except IndexError:
                        break
                    frame = article.model_dump_json().encode()
                    if sent and len(frame) > PIPELINED_BYTES:
                        todo.appendleft((index, article))    # sent once the worker has replied
                        break
                    try:
                        worker = worker or self._pool.take()
                    except (OSError, WorkerFailed) as e:
                        out[index] = failed(article, f"cannot start an extraction worker: {e}")
                        continue
                    try:
                        worker.send([frame], deadline=time.monotonic() + limit)
                    except (OSError, WorkerFailed, TimeoutError) as e:
                        if sent:        # it failed with the article before this one, which fails
                            todo.appendleft((index, article))
                        else:           # it failed with this one
                            sent.append((index, article))
                        broken = e
                        break
                    if not sent:
                        began = time.monotonic()
                    sent.append((index, article))
                if broken is not None:
                    index, article = sent.popleft()
                    out[index] = failed(article, f"extraction worker failed: {broken or type(broken).__name__}")
                elif not sent:
                    break
                else:
                    index, article = sent.popleft()
                    try:
                        reply = worker.receive(deadline=began + limit)
                    except TimeoutError:
                        out[index] = failed(article, f"ExtractionTimeout: the extraction worker was stopped after "
                                                     f"{limit:g} s ({len(article.body)} characters)")
                    except (OSError, WorkerFailed) as e:
                        out[index] = failed(article, f"extraction worker failed: {e}")
                    else:
                        began = time.monotonic()
                        out[index] = Extraction.model_validate_json(reply)
                        continue
                worker.kill()
                worker = None
                todo.extendleft(reversed(sent))     # its next request: to a fresh worker
                sent.clear()
            if worker is not None:
                self._pool.give_back(worker)
        except BaseException:
            if worker is not None:      # it may hold a request: never back in the pool
                worker.kill()
            raise
        finally:
            self._pool.release()

    def pids(self) -> list[int]:
        """Process ids of the idle workers."""
        return self._pool.pids()

    def server_pid(self) -> int | None:
        """Process id of the fork server, when it runs."""
        server = self._server
        return server.pid if server is not None and server.alive() else None

    def started(self) -> bool:
        """The fork server runs or is starting (`prestart`)."""
        return self._server is not None or self._starting is not None

    def close(self) -> None:
        """Stop the idle workers and the fork server; busy ones are stopped when their article returns."""
        self._pool.close()
        with self._server_lock:
            self._starting = None
            if self._server is not None:
                self._server.close()
                self._server = None
