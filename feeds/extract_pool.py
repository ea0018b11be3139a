"""A few worker processes for main-text extraction, each call bounded in time and memory.

trafilatura on a large or pathological page is CPU- and memory-heavy and cannot be
interrupted inside a thread. Here it runs in plain child processes (`python -c`, not
multiprocessing, so Dask's daemon worker processes may start them too), one page at a time
each:

- a call that outlives its `timeout_s` gets its worker killed (SIGKILL) and raises
  PageError; the next call starts a fresh worker;
- each worker lives under an address-space limit (`RLIMIT_AS`, `memory_mb`): a page that
  would need more fails with PageError and its worker is replaced;
- at most `workers` extractions run at once, the other threads wait their turn;
- a worker is replaced after `max_jobs` pages (Python keeps freed memory), and exits by
  itself when this process goes away (its stdin closes).

Protocol over the worker's stdin/stdout: frames of an 8-byte big-endian length and a
payload; a request is a JSON header (url, charset) then the HTML bytes, a reply one JSON
object ({"text": ...} or {"error": ...}). The worker's own stdout is moved to stderr so a
stray print cannot corrupt a frame.
"""
from __future__ import annotations

import json
import time
from typing import Any

from feeds.errors import PageError
from workers.frames import READY, WorkerFailed, read_frame, write_frame
from workers.process import Pool, Worker, reply_channel

_WORKER = "import sys; from feeds.extract_pool import serve; serve(int(sys.argv[1]))"


def serve(memory_mb: int) -> None:
    """The worker's loop (in the child): extract pages until stdin closes."""
    import resource

    from feeds.pages import extract_main_text

    if memory_mb > 0:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    out = reply_channel()
    write_frame(out, READY)
    while True:
        header = read_frame(0)
        html = read_frame(0) if header is not None else None
        if header is None or html is None:
            return
        meta = json.loads(header)
        fatal = False
        try:
            reply: dict[str, Any] = {"text": extract_main_text(html, url=meta["url"], charset=meta["charset"])}
        except MemoryError:
            reply, fatal = {"error": f"out of memory (limit {memory_mb} MB)"}, True
        except Exception as e:  # reported to the parent, which raises it as a PageError
            reply = {"error": f"{type(e).__name__}: {e}"}
        try:
            write_frame(out, json.dumps(reply).encode())
        except MemoryError:
            write_frame(out, b'{"error": "out of memory while replying"}')
            fatal = True
        if fatal:
            return


def _worker(memory_mb: int, start_timeout_s: float) -> Worker:
    return Worker(_WORKER, [str(memory_mb)], start_timeout_s=start_timeout_s, what="extraction worker")


def _run(worker: Worker, html: bytes, *, url: str, charset: str | None, deadline: float) -> dict[str, Any]:
    return json.loads(worker.run([json.dumps({"url": url, "charset": charset}).encode(), html], deadline=deadline))


class ExtractionPool:
    """Up to `workers` extraction processes under `memory_mb` each (see the module docstring)."""

    def __init__(self, workers: int = 2, *, memory_mb: int = 512, start_timeout_s: float = 60.0,
                 max_jobs: int = 200) -> None:
        self.workers, self.memory_mb = workers, memory_mb
        self._pool = Pool(workers, lambda: _worker(memory_mb, start_timeout_s), max_jobs=max_jobs)

    def extract(self, html: bytes, *, url: str, charset: str | None, timeout_s: float,
                wait_s: float | None = None) -> str | None:
        """Main text of `html` (`feeds.pages.extract_main_text`) in a worker, stopped after `timeout_s`.

        Waits at most `wait_s` (None: as long as it takes) for a free worker. Raises PageError
        naming `url` when no worker is free in time, or the worker is stopped, runs out of
        memory or fails.
        """
        if not self._pool.slot(wait_s):
            raise PageError(f"skipped: no main-text extraction worker was free within {wait_s:g} s", url=url)
        try:
            try:
                worker = self._pool.take()
            except (OSError, WorkerFailed) as e:
                raise PageError(f"cannot start a main-text extraction worker: {e}", url=url) from e
            try:
                reply = _run(worker, html, url=url, charset=charset, deadline=time.monotonic() + timeout_s)
            except TimeoutError:
                worker.kill()
                raise PageError(f"main-text extraction stopped at its limit of {timeout_s:g} s "
                                f"({len(html)} bytes of HTML)", url=url) from None
            except (OSError, WorkerFailed) as e:
                worker.kill()
                raise PageError(f"main-text extraction failed: {e}", url=url) from e
            self._pool.give_back(worker, failed="error" in reply and "out of memory" in reply["error"])
        finally:
            self._pool.release()
        if "error" in reply:
            raise PageError(f"main-text extraction failed: {reply['error']}", url=url)
        return reply.get("text")

    def pids(self) -> list[int]:
        """Process ids of the idle workers (for monitoring)."""
        return self._pool.pids()

    def close(self) -> None:
        """Stop the idle workers; busy ones are stopped when their call returns."""
        self._pool.close()
