"""One writer per warehouse file: overlapping runs queue (or skip) instead of hitting DuckDB's lock.

DuckDB lets one process write a file. Every run that writes (ingest, reprocess,
maintenance) enters `writer_slot(db)` first:

1. When the Prefect server has a global concurrency limit named `writer_limit_name(db)`
   (limit 1; `eventwire limit` / `eventwire serve` create it), the run takes its slot.
   A run that finds it taken logs "waiting for the writer slot ..." and queues; the
   slot is visible in the UI (Concurrency) and held across workers of one server.
2. Always, then, an exclusive file lock `<db>.writer.lock` (fcntl; released by the OS
   if the process dies). It covers runs that do not share a Prefect server, and
   ephemeral mode (`eventwire run` with no server), where no limit exists: there the
   lock is the only guard and a log line says so. The holder writes its PID into the
   file (and empties it on release), so a run that waits or skips names the holder:
   "waiting for the writer lock <path> (held by PID 1234 (eventwire run ...)): ...".

`on_overlap="skip"` (or a wait longer than `wait_s`) skips the run with a log line:
`WriterBusy` is raised and the flow ends Completed with status "skipped".
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

LIMIT_PREFIX = "eventwire-writer"
POLL_S = 0.5


class WriterBusy(Exception):
    """Another run holds the warehouse's writer slot and this run does not wait (longer)."""


def writer_limit_name(db: str | Path) -> str:
    """The global concurrency limit of one warehouse file: readable stem + hash of the absolute path."""
    path = Path(db).expanduser().resolve()
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem)[:40] or "db"
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    return f"{LIMIT_PREFIX}-{stem}-{digest}"


def lock_path(db: str | Path) -> Path:
    path = Path(db).expanduser().resolve()
    return path.with_name(path.name + ".writer.lock")


def ensure_writer_limit(db: str | Path) -> str:
    """Create (or reset to 1) the warehouse's global concurrency limit on the current Prefect API."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
    from prefect.exceptions import ObjectNotFound

    name = writer_limit_name(db)
    with get_client(sync_client=True) as client:
        try:
            existing = client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1, active=True))
        else:
            if existing.limit != 1 or not existing.active:
                client.update_global_concurrency_limit(name, GlobalConcurrencyLimitUpdate(limit=1, active=True))
    return name


def _limit_exists(name: str, log: logging.Logger | logging.LoggerAdapter) -> bool:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    try:
        with get_client(sync_client=True) as client:
            limit = client.read_global_concurrency_limit_by_name(name)
        return bool(limit.active)
    except ObjectNotFound:
        return False
    except Exception as e:  # no API reachable: the file lock still guards this machine
        log.warning("cannot read concurrency limit %s (%s): using the file lock only", name, e)
        return False


def _busy(exc: BaseException) -> bool:
    """True when a slot acquisition failed because the limit is full (HTTP 423), not for other errors."""
    cause = exc.__cause__
    response = getattr(cause, "response", None)
    return getattr(response, "status_code", None) == 423


@dataclass(frozen=True)
class _Guard:
    """How the log and WriterBusy name one guard of the writer slot."""
    what: str       # "writer slot <limit>" / "writer lock <path>"
    held: str       # why the run is busy: "concurrency limit <limit> is taken" / "file lock <path> is held"
    of: str = ""    # said after `what` when a wait times out (" of <db>")
    holder: str = ""  # who holds it, when known: "PID 1234 (eventwire run ...)"

    @property
    def held_by(self) -> str:
        """ " by PID 1234 (eventwire run ...)" when the holder is known, else ""."""
        return f" by {self.holder}" if self.holder else ""


def _take(guard: _Guard, db: str, take_now: Callable[[], bool], take_within: Callable[[float], bool], *,
          on_overlap: str, wait_s: float, log: logging.Logger | logging.LoggerAdapter) -> bool:
    """Wait-or-skip, shared by the Prefect slot and the file lock; returns whether the run waited.

    `take_now()` takes the guard without waiting (False: another run holds it); then, with
    on_overlap "skip", WriterBusy at once; else a warning and `take_within(wait_s)` (False: timed
    out, WriterBusy).
    """
    if take_now():
        return False
    if on_overlap == "skip":
        raise WriterBusy(f"skipped: another run is writing {db} ({guard.held}{guard.held_by})")
    log.warning("waiting for the %s%s: another run is writing %s (up to %.0f s)",
                guard.what, f" (held{guard.held_by})" if guard.holder else "", db, wait_s)
    started = time.monotonic()
    if not take_within(wait_s):
        raise WriterBusy(f"skipped: waited {wait_s:.0f} s for the {guard.what}{guard.of}")
    log.info("took the %s after waiting %.1f s", guard.what, time.monotonic() - started)
    return True


class _SlotUnavailable(Exception):
    """The slot could not be asked for (the limit vanished, the API failed): not 'busy'."""


@contextmanager
def _prefect_slot(name: str, db: str, *, on_overlap: str, wait_s: float,
                  log: logging.Logger | logging.LoggerAdapter) -> Iterator[None]:
    from prefect.concurrency.asyncio import ConcurrencySlotAcquisitionError
    from prefect.concurrency.sync import concurrency

    kwargs = {"strict": True, "raise_on_lease_renewal_failure": False}
    with ExitStack() as stack:
        def take_now() -> bool:
            try:
                stack.enter_context(concurrency(name, max_retries=0, **kwargs))
            except ConcurrencySlotAcquisitionError as e:
                if _busy(e):
                    return False
                raise _SlotUnavailable(str(e)) from e
            return True

        def take_within(timeout: float) -> bool:
            try:
                stack.enter_context(concurrency(name, timeout_seconds=timeout, **kwargs))
            except TimeoutError:
                return False
            return True

        guard = _Guard(f"writer slot {name}", f"concurrency limit {name} is taken", f" of {db}")
        try:
            waited = _take(guard, db, take_now, take_within, on_overlap=on_overlap, wait_s=wait_s, log=log)
        except _SlotUnavailable as e:  # the file lock still guards this machine
            log.warning("cannot take the writer slot %s (%s): guarding %s with the file lock only", name, e, db)
        else:
            if not waited:
                log.info("took the writer slot %s of %s (Prefect concurrency limit)", name, db)
        yield


@contextmanager
def _lock_file(db: str | Path) -> Iterator[int]:
    """The open descriptor of the warehouse's writer lock file (created if missing), closed after the block."""
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        yield fd
    finally:
        os.close(fd)


def _flock_now(fd: int) -> bool:
    """The exclusive lock on `fd` if free (True), else False at once."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _flock_within(fd: int, timeout: float) -> bool:
    """The exclusive lock on `fd`, polling every POLL_S for up to `timeout` seconds."""
    started = time.monotonic()
    while not _flock_now(fd):
        if time.monotonic() - started >= timeout:
            return False
        time.sleep(POLL_S)
    return True


@contextmanager
def _unlocking(fd: int) -> Iterator[None]:
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_holder(fd: int) -> str:
    """Who holds the writer lock, from the PID its holder wrote: "PID 1234 (eventwire run ...)".

    "" when the file names no PID, or one whose process is gone (a holder killed before it
    could empty the file).
    """
    from warehouse.db import describe_holder
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    if not text.isdigit() or not Path(f"/proc/{text}").exists():
        return ""
    return describe_holder(int(text))


@contextmanager
def _file_lock(db: str, *, on_overlap: str, wait_s: float,
               log: logging.Logger | logging.LoggerAdapter) -> Iterator[None]:
    path = lock_path(db)
    with _lock_file(db) as fd:
        free = _flock_now(fd)
        guard = _Guard(f"writer lock {path}", f"file lock {path} is held", holder="" if free else lock_holder(fd))
        _take(guard, db, lambda: free, lambda timeout: _flock_within(fd, timeout),
              on_overlap=on_overlap, wait_s=wait_s, log=log)
        with _unlocking(fd):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            try:
                yield
            finally:
                os.ftruncate(fd, 0)  # names no holder once released


@contextmanager
def try_file_lock(db: str | Path) -> Iterator[bool]:
    """The writer file lock if free (yields True, held for the block), else yields False at once."""
    with _lock_file(db) as fd:
        if not _flock_now(fd):
            yield False
            return
        with _unlocking(fd):
            yield True


@contextmanager
def writer_slot(db: str | Path, *, on_overlap: str = "wait", wait_s: float = 3600.0,
                use_prefect: bool = True, log: logging.Logger | logging.LoggerAdapter | None = None) -> Iterator[str]:
    """Hold the warehouse's writer slot for the block; yields which guard was used.

    Yields "prefect-limit" (the Prefect limit, then the file lock) or "file-lock" (no limit
    on this server). Raises WriterBusy when the run should be skipped.
    """
    log = log or logging.getLogger("eventwire.concurrency")
    if on_overlap not in ("wait", "skip"):
        raise ValueError(f"on_overlap must be 'wait' or 'skip', got {on_overlap!r}")
    db = str(db)
    name = writer_limit_name(db)
    with ExitStack() as stack:
        if use_prefect and _limit_exists(name, log):
            stack.enter_context(_prefect_slot(name, db, on_overlap=on_overlap, wait_s=wait_s, log=log))
            guard = "prefect-limit"
        else:
            log.info("no Prefect concurrency limit %s on this server: guarding %s with the file lock %s "
                     "(create the limit with `eventwire limit`)", name, db, lock_path(db))
            guard = "file-lock"
        stack.enter_context(_file_lock(db, on_overlap=on_overlap, wait_s=wait_s, log=log))
        yield guard
