"""Bounded extraction: a cap on the text fed to NLP and a time budget per article.

    run_within_budget(extractor, text, published)   # the extractor's result, or raises

- **Length.** A body longer than `MAX_CHARS` is not extracted at all (ExtractionError): the
  pipeline turns that into a reject row, the article itself is still stored. Extraction runs
  at roughly 25k characters a second per core, so the cap bounds the time of ordinary text.
- **Time.** Adversarial text can still be slow (one 50k-character sentence, thousands of
  capitalised words). The extractor runs in a worker thread; when the budget is spent the
  caller raises `_OutOfTime` in that thread (``PyThreadState_SetAsyncExc``: delivered at the
  next Python bytecode, so a single long C call finishes first; re-sent every `RESEND_S`
  until it lands) and raises ExtractionTimeout, a reject row. `_OutOfTime` derives from
  BaseException so that an ``except Exception`` inside an extractor cannot swallow it.

Works in any thread (Prefect task-runner threads included) and costs nothing until the
deadline passes. Extractors hold no state that an interruption could leave half-updated
beyond caches of pure functions.
"""
from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import TypeVar

from extraction.errors import ExtractionError, ExtractionTimeout

T = TypeVar("T")

MAX_CHARS = 200_000
TIME_BUDGET_S = 15.0
RESEND_S = 0.5


class _OutOfTime(BaseException):
    """Raised asynchronously in the extracting thread when its budget is spent."""


def _send(thread_id: int | None, exc: type[BaseException]) -> None:
    if thread_id is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc))


def check_length(text: str, *, max_chars: int = MAX_CHARS) -> None:
    """Raise ExtractionError when `text` is over the extraction cap."""
    if len(text) > max_chars:
        raise ExtractionError(f"body of {len(text)} characters is over the extraction limit of {max_chars}; "
                              "stored, not extracted")


def call_with_time_budget(fn: Callable[..., T], *args: object, seconds: float = TIME_BUDGET_S,
                          grace_s: float = 5.0) -> T:
    """`fn(*args)` in a worker thread; ExtractionTimeout when it runs longer than `seconds`.

    The calling thread only waits, so the asynchronous exception can never land in it. A worker
    stuck in one long C call past `grace_s` is abandoned (a daemon thread) and the timeout raised.
    """
    box: dict[str, object] = {}

    def work() -> None:
        try:
            try:
                box["result"] = fn(*args)
            except _OutOfTime:
                box["timeout"] = True
            except BaseException as e:  # handed to the caller as it is
                box["error"] = e
        except _OutOfTime:  # landed after fn returned: the result stands
            pass

    worker = threading.Thread(target=work, name="extraction", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        waited = 0.0
        while worker.is_alive() and waited < grace_s:
            _send(worker.ident, _OutOfTime)
            worker.join(RESEND_S)
            waited += RESEND_S
    if "result" in box:
        return box["result"]  # type: ignore[return-value]
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    raise ExtractionTimeout(f"extraction took longer than its budget of {seconds:g} s")


def run_within_budget(extractor: Callable[..., T], text: str, *args: object, max_chars: int | None = None,
                      seconds: float | None = None) -> T:
    """`extractor(text, *args)` after the length check, within the time budget (module defaults)."""
    check_length(text, max_chars=MAX_CHARS if max_chars is None else max_chars)
    return call_with_time_budget(extractor, text, *args, seconds=TIME_BUDGET_S if seconds is None else seconds)
