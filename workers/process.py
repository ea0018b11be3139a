"""One worker: a plain child process (`python -c`, not multiprocessing, so Dask's daemon worker
processes may start them too) that reads request frames on stdin and writes one reply frame per
request on its stdout; killed (SIGKILL) when its caller gives up on it.

The child's code is a one-line `-c` program that calls a `serve` function of its own; it sends
`READY` once it can take requests (after loading what it needs), and should move its own
stdout to stderr so that a stray print cannot corrupt a frame (`reply_channel`).
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from workers.frames import WorkerFailed, await_ready, read_frame, send

_ROOT = str(Path(__file__).resolve().parents[1])    # the directory holding the project's packages


# the thread pools of numpy's BLAS and of OpenMP (OpenBLAS, MKL, BLIS, Accelerate): one thread
# in a worker process. Worker pools are sized to the cores already, and a BLAS that starts a
# thread per core in each of them makes the workers fight over the cores: with natasha's small
# matrices, two processes analysing Russian articles on this project's 2-core machine took about
# 190 ms an article with OpenBLAS's default (a thread per core) against 38 ms with one thread.
ONE_THREAD = dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                            "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"), "1")


def child_env() -> dict[str, str]:
    """The environment of a `python -c` child: this one, with the project's packages importable
    and one thread for BLAS and OpenMP (`ONE_THREAD`: the child is one of a pool sized to the cores)."""
    return dict(os.environ, **ONE_THREAD,
                PYTHONPATH=os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p))


def reply_channel() -> int:
    """In the child: a descriptor for reply frames; the process's stdout now goes to stderr."""
    out = os.dup(1)
    os.dup2(2, 1)
    return out


class Worker:
    """A child process running `code` (a `python -c` program) with `args`; see the module docstring."""

    def __init__(self, code: str, args: Sequence[str] = (), *, start_timeout_s: float = 60.0,
                 what: str = "worker") -> None:
        self.what = what
        self.jobs = 0
        self.proc = subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, bufsize=0, env=child_env(), close_fds=True)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in, self._out = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        await_ready(self._out, start_timeout_s, what, self.kill)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, frames: Sequence[bytes], *, deadline: float) -> bytes:
        """Send one request (its frames) and return the reply frame. TimeoutError at `deadline`
        (the caller kills the worker); WorkerFailed when it died."""
        self.send(frames, deadline=deadline)
        return self.receive(deadline=deadline)

    def send(self, frames: Sequence[bytes], *, deadline: float) -> None:
        """Send one request without waiting for its reply (`receive` reads it; replies come in
        the order of the requests). WorkerFailed when it died."""
        self.jobs += 1
        if not send(self._in, frames, deadline):
            raise WorkerFailed(f"the {self.what} died (exit status {self.kill()})")

    def receive(self, *, deadline: float) -> bytes:
        """The reply to the oldest request sent and not answered yet (see `run`)."""
        reply = read_frame(self._out, deadline)
        if reply is None:
            raise WorkerFailed(f"the {self.what} died (exit status {self.kill()})")
        return reply

    def kill(self) -> int | None:
        """Stop the process (SIGKILL) and close its pipes; its exit status."""
        self.proc.kill()
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()
        return code


class Running(Protocol):
    """What a pool needs of a worker (`Worker`, or `workers.forks.Forked`)."""

    jobs: int

    @property
    def pid(self) -> int: ...

    def alive(self) -> bool: ...

    def run(self, frames: Sequence[bytes], *, deadline: float) -> bytes: ...

    def send(self, frames: Sequence[bytes], *, deadline: float) -> None: ...

    def receive(self, *, deadline: float) -> bytes: ...

    def kill(self) -> int | None: ...


class Pool:
    """Idle workers kept for reuse, at most `size` busy at once (`slot()`), each replaced after
    `max_jobs` requests (Python keeps freed memory); `start()` makes a new one."""

    def __init__(self, size: int, start: Callable[[], Running], *, max_jobs: int) -> None:
        self._slots = threading.BoundedSemaphore(size)
        self._start, self.max_jobs = start, max_jobs
        self._idle: list[Running] = []
        self._lock = threading.Lock()
        self._closed = False

    def slot(self, timeout: float | None = None) -> bool:
        """Wait for a free slot (at most `timeout` s; None: as long as it takes); whether one came.
        Give it back with `release()`."""
        return self._slots.acquire(timeout=timeout)

    def release(self) -> None:
        self._slots.release()

    def take(self) -> Running:
        """An idle live worker, else a new one (WorkerFailed when closed or it cannot start)."""
        with self._lock:
            if self._closed:
                raise WorkerFailed("the worker pool is closed")
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return self._start()

    def give_back(self, worker: Running, *, failed: bool = False) -> None:
        """Keep a worker for the next request, or stop it (failed, worn out, or the pool closed)."""
        with self._lock:
            if not failed and not self._closed and worker.jobs < self.max_jobs:
                self._idle.append(worker)
                return
        worker.kill()

    def retire_idle(self) -> None:
        """Stop the idle workers (the next requests start new ones)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def pids(self) -> list[int]:
        """Process ids of the idle workers."""
        with self._lock:
            return [w.pid for w in self._idle]

    def close(self) -> None:
        """Stop the idle workers; busy ones are stopped when they are given back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()
