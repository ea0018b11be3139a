"""Frames over pipes: an 8-byte big-endian length, then the payload; reads and writes that give
up at a deadline (`time.monotonic()` seconds) with TimeoutError."""
from __future__ import annotations

import os
import select
import struct
import time
from collections.abc import Callable, Sequence

_LENGTH = struct.Struct(">Q")
READY = b"ready"      # a worker's first frame: it started and is ready for requests


class WorkerFailed(Exception):
    """A worker died, stalled or broke the protocol; the message says how."""


def _write_all(fd: int, data: bytes, deadline: float | None) -> None:
    view = memoryview(data)
    while view:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                raise TimeoutError
        view = view[os.write(fd, view[:1 << 16]):]


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes | None:
    """`size` bytes from `fd`; None at end of stream; TimeoutError after `deadline`."""
    chunks = bytearray()
    while len(chunks) < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(size - len(chunks), 1 << 20))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def write_frame(fd: int, payload: bytes, deadline: float | None = None) -> None:
    _write_all(fd, _LENGTH.pack(len(payload)) + payload, deadline)


def read_frame(fd: int, deadline: float | None = None) -> bytes | None:
    """The next frame's payload; None when the stream ended before it."""
    head = _read_exact(fd, _LENGTH.size, deadline)
    if head is None:
        return None
    payload = _read_exact(fd, _LENGTH.unpack(head)[0], deadline)
    if payload is None:
        raise WorkerFailed("the stream ended inside a frame")
    return payload


def await_ready(fd: int, timeout_s: float, what: str, stop: Callable[[], object]) -> None:
    """Wait for a child's READY frame on `fd`; when it does not come in time or something else
    comes, `stop()` it and raise WorkerFailed naming `what`."""
    try:
        ready = read_frame(fd, time.monotonic() + timeout_s)
    except TimeoutError:
        stop()
        raise WorkerFailed(f"the {what} did not start within {timeout_s:g} s") from None
    if ready != READY:
        status = stop()
        raise WorkerFailed(f"the {what} failed to start" + (f" (exit status {status})" if status is not None else ""))


def send(to_fd: int, frames: Sequence[bytes], deadline: float) -> bool:
    """Send one request's frames; False when the other side has gone (broken pipe).
    TimeoutError at `deadline`."""
    try:
        for frame in frames:
            write_frame(to_fd, frame, deadline)
    except BrokenPipeError:
        return False
    return True

