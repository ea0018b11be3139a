"""Local sources (a path or file:// URL, the feeds TOML file) read within the limits of an HTTP fetch.

Only regular files are read. A path is opened with O_NONBLOCK, so a FIFO never blocks
the open, and the opened descriptor is checked with fstat (not the path, which could be
swapped in between): a FIFO, a device (/dev/zero, /dev/stdin), a socket or a directory is
refused. The bytes are read in chunks up to `max_bytes` + 1, so a file that is larger than
its st_size says (procfs) or grows while being read is still cut at the cap, and the total
deadline is checked between chunks.

    read_local_file(path, max_bytes=..., timeout_s=...)  -> bytes, or LocalReadError
    check_local_file(path)                                -> None, or LocalReadError (stat only)
    read_local_feed(url, limits, started)                 -> FetchResult (used by feeds.fetch)

`LocalReadError` is an OSError-like failure with a one-line reason naming the path;
`.transient` is True only for a passed deadline.
"""
from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from schemas import FetchResult, FetchStatus

if TYPE_CHECKING:
    from feeds.fetch import FetchLimits

CHUNK = 64 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class LocalReadError(Exception):
    """A local file could not be read within the limits; the message is one line and names the path."""

    def __init__(self, message: str, *, path: Path, transient: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.transient = transient


def is_local_source(url: str) -> bool:
    """True for file:// URLs and plain paths (no scheme, or a Windows drive letter)."""
    scheme = urlsplit(url).scheme.lower()
    return scheme == "file" or scheme == "" or (len(scheme) == 1 and url[1:2] == ":")


def local_path(url: str) -> Path:
    """The file system path of a local source (a plain path, or the path of a file:// URL)."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        return Path(unquote(parts.path))
    return Path(url)


def kind_of(mode: int) -> str:
    """What a file of this st_mode is, in words: "a regular file", "a FIFO (named pipe)", ..."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_regular(path: Path, mode: int) -> LocalReadError:
    return LocalReadError(f"{path} is {kind_of(mode)}, expected a regular file", path=path)


def _os_error(path: Path, exc: OSError) -> LocalReadError:
    return LocalReadError(f"cannot read {path}: {exc.strerror or exc}", path=path)


def check_local_file(path: str | Path) -> None:
    """Raise LocalReadError unless `path` is an existing regular file (stat only: nothing is opened)."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise _os_error(path, exc) from exc
    if not stat.S_ISREG(mode):
        raise _not_regular(path, mode)


def read_local_file(path: str | Path, *, max_bytes: int, timeout_s: float) -> bytes:
    """The bytes of the regular file at `path`: at most `max_bytes`, read within `timeout_s` seconds.

    Raises LocalReadError (one line, naming the path) for a missing or unreadable file, anything
    that is not a regular file, more than `max_bytes` bytes, or a passed deadline (transient).
    """
    path = Path(path)
    deadline = time.monotonic() + timeout_s
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _os_error(path, exc) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        body = bytearray()
        while True:
            if time.monotonic() >= deadline:
                raise LocalReadError(f"deadline of {timeout_s:g} s passed while reading {path} "
                                     f"({len(body)} bytes read)", path=path, transient=True)
            chunk = os.read(fd, min(CHUNK, max_bytes + 1 - len(body)))
            if not chunk:
                return bytes(body)
            body += chunk
            if len(body) > max_bytes:
                raise LocalReadError(f"{path} is over the limit of {max_bytes} bytes (stopped reading)",
                                     path=path)
    except OSError as exc:
        raise _os_error(path, exc) from exc
    finally:
        os.close(fd)


def read_local_feed(url: str, limits: FetchLimits, started: float) -> FetchResult:
    """A local feed as a FetchResult (never raises): OK with the bytes, or FAILED with the reason.

    `limits.max_bytes` caps the bytes; `limits.total_timeout_s`, counted from `started`
    (time.monotonic()), is the deadline."""
    path = local_path(url)
    left = max(0.0, limits.total_timeout_s - (time.monotonic() - started))
    try:
        content = read_local_file(path, max_bytes=limits.max_bytes, timeout_s=left)
    except LocalReadError as exc:
        return FetchResult(feed_url=url, status=FetchStatus.FAILED, error=str(exc), transient=exc.transient,
                           elapsed_ms=_ms(started))
    return FetchResult(feed_url=url, status=FetchStatus.OK, content=content, final_url=str(path),
                       elapsed_ms=_ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
