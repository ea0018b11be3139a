"""Workers forked from one loaded process: the models in memory once, shared by every worker.

    forks = ForkServer("from extraction.workers import preload; preload()", serve=..., what="...")
    worker = forks.fork()            # a Worker-like: pid, alive(), run(frames, deadline=...), kill()
    forks.close()

A fork server is a plain child process (`python -c`, as `workers.process.Worker`) that runs its
`prepare` code once (import and load what every worker needs), freezes the objects it made
(`gc.freeze()`: the collector then leaves their pages alone), and then forks a worker on each
request. A forked worker shares the server's memory pages until it writes to them, so N workers
cost one set of model weights plus what each allocates on its own (about 20 MB for natasha,
where a fresh process holds about 300 MB).

The parent makes two pipes per worker and hands the worker's ends to the server over a Unix
socket (SCM_RIGHTS); the server forks, replies with the worker's pid and closes its copies. The
worker is the server's child, not the parent's: the server lets the kernel reap it (SIGCHLD
ignored), and the parent kills it by pid. A worker ends when its request pipe closes (its parent
went away or closed it); the server ends when its socket closes.
"""
from __future__ import annotations

import gc
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

from workers.frames import READY, WorkerFailed, await_ready, read_frame, send, write_frame
from workers.process import child_env

_PID = struct.Struct(">q")
_SERVER = "import sys; from workers.forks import serve_forks; serve_forks(int(sys.argv[1]), sys.argv[2], sys.argv[3])"


def serve_forks(sock_fd: int, prepare: str, serve: str) -> None:
    """The fork server's loop (in the child): run `prepare` (Python code), then fork a worker per
    request; each worker calls `serve(requests_fd, replies_fd)`, where `serve` is "module:function"."""
    os.dup2(2, 1)                      # a stray print must not reach the parent's pipes
    exec(compile(prepare, "<prepare>", "exec"), {})
    module, _, name = serve.partition(":")
    target: Callable[[int, int], None] = getattr(__import__(module, fromlist=[name]), name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)     # the kernel reaps the workers
    gc.collect()
    gc.freeze()
    sock = socket.socket(fileno=sock_fd)
    write_frame(sock.fileno(), READY)
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(sock, 16, 2)
        except OSError:
            return
        if not msg:
            return
        requests, replies = fds
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                sock.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                target(requests, replies)
            except BaseException:      # noqa: BLE001 - the worker's own errors end it; its parent sees EOF
                import traceback
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        os.close(requests)
        os.close(replies)
        sock.sendall(_PID.pack(pid))


class Forked:
    """A worker forked by a `ForkServer`: the same interface as `workers.process.Worker`."""

    def __init__(self, pid: int, requests: int, replies: int, what: str) -> None:
        self.pid, self.what, self.jobs = pid, what, 0
        self._in, self._out = requests, replies

    def alive(self) -> bool:
        """An idle worker never writes unasked: a readable reply pipe is its end (EOF). (Its pid
        can outlive it as a zombie when its server died before reaping it.)"""
        return self._out >= 0 and not select.select([self._out], [], [], 0)[0]

    def run(self, frames: Sequence[bytes], *, deadline: float) -> bytes:
        """Send one request and return the reply frame (see `workers.process.Worker.run`)."""
        self.send(frames, deadline=deadline)
        return self.receive(deadline=deadline)

    def send(self, frames: Sequence[bytes], *, deadline: float) -> None:
        """Send one request without waiting for its reply (see `workers.process.Worker.send`)."""
        self.jobs += 1
        if not send(self._in, frames, deadline):
            self.kill()
            raise WorkerFailed(f"the {self.what} (pid {self.pid}) died")

    def receive(self, *, deadline: float) -> bytes:
        """The reply to the oldest request not answered yet (see `workers.process.Worker.receive`)."""
        reply = read_frame(self._out, deadline)
        if reply is None:
            self.kill()
            raise WorkerFailed(f"the {self.what} (pid {self.pid}) died")
        return reply

    def kill(self) -> int | None:
        """Stop the worker (SIGKILL) and close its pipes. Its exit status is its server's to
        collect: None."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for fd in (self._in, self._out):
            try:
                os.close(fd)
            except OSError:
                pass
        self._in = self._out = -1
        return None


class ForkServer:
    """A process that runs `prepare` once and forks workers that call `serve` (see the module
    docstring); `fork()` is thread-safe."""

    def __init__(self, prepare: str, serve: str, *, start_timeout_s: float = 180.0, what: str = "worker") -> None:
        self.what, self.start_timeout_s = what, start_timeout_s
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(theirs.fileno()), prepare, serve],
                                         pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=child_env())
        finally:
            theirs.close()
        self._sock = ours
        self._lock = threading.Lock()
        await_ready(ours.fileno(), start_timeout_s, f"{what}s' fork server", self._stop)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def fork(self) -> Forked:
        """A new worker, ready for requests (WorkerFailed when the server or the worker cannot)."""
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        try:
            with self._lock:
                try:
                    socket.send_fds(self._sock, [b"fork"], [requests_r, replies_w])
                    head = self._recv_pid(time.monotonic() + self.start_timeout_s)
                except OSError as e:
                    raise WorkerFailed(f"the {self.what}s' fork server is gone ({e})") from e
        except BaseException:
            for fd in (requests_w, replies_r):
                os.close(fd)
            raise
        finally:
            os.close(requests_r)
            os.close(replies_w)
        worker = Forked(head, requests_w, replies_r, self.what)
        await_ready(replies_r, self.start_timeout_s, self.what, worker.kill)
        return worker

    def _recv_pid(self, deadline: float) -> int:
        data = b""
        while len(data) < _PID.size:
            self._sock.settimeout(max(0.0, deadline - time.monotonic()))
            try:
                chunk = self._sock.recv(_PID.size - len(data))
            except TimeoutError as e:
                raise WorkerFailed(f"the {self.what}s' fork server did not answer") from e
            if not chunk:
                raise WorkerFailed(f"the {self.what}s' fork server died (exit status {self.proc.poll()})")
            data += chunk
        return _PID.unpack(data)[0]

    def close(self) -> None:
        """Stop the server (its workers end when their request pipes close)."""
        self._stop()

    def _stop(self) -> int | None:
        self._sock.close()
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout=10)
