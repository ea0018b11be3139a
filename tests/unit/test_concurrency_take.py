"""The wait-or-skip step shared by the writer slot's two guards (flows.concurrency._take), and the file lock
it drives, on real lock files (flock: two descriptors of one process exclude each other like two processes)."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from flows.concurrency import (
    WriterBusy,
    _file_lock,
    _flock_now,
    _flock_within,
    _Guard,
    _lock_file,
    _take,
    lock_path,
    try_file_lock,
)

LOCK = _Guard("writer lock /d/w.duckdb.writer.lock", "file lock /d/w.duckdb.writer.lock is held")
SLOT = _Guard("writer slot eventwire-writer-w-1234", "concurrency limit eventwire-writer-w-1234 is taken",
              " of /d/w.duckdb")


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.levelname, record.getMessage()))


@pytest.fixture()
def log() -> tuple[logging.Logger, Lines]:
    logger = logging.getLogger("test.concurrency.take")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = Lines()
    logger.handlers[:] = [handler]
    return logger, handler


def _never(timeout: float) -> bool:
    raise AssertionError("must not wait")


def test_free_guard_is_taken_at_once_without_a_line(log) -> None:
    logger, lines = log
    assert _take(LOCK, "/d/w.duckdb", lambda: True, _never, on_overlap="wait", wait_s=5, log=logger) is False
    assert lines.lines == []


@pytest.mark.parametrize("guard, held", [(LOCK, "file lock /d/w.duckdb.writer.lock is held"),
                                         (SLOT, "concurrency limit eventwire-writer-w-1234 is taken")])
def test_skip_policy_raises_at_once(log, guard, held) -> None:
    logger, lines = log
    with pytest.raises(WriterBusy) as caught:
        _take(guard, "/d/w.duckdb", lambda: False, _never, on_overlap="skip", wait_s=5, log=logger)
    assert str(caught.value) == f"skipped: another run is writing /d/w.duckdb ({held})"
    assert lines.lines == []


def test_wait_policy_waits_then_takes(log) -> None:
    logger, lines = log
    asked: list[float] = []
    waited = _take(SLOT, "/d/w.duckdb", lambda: False, lambda t: asked.append(t) or True,
                   on_overlap="wait", wait_s=7, log=logger)
    assert waited is True and asked == [7]
    assert lines.lines[0] == ("WARNING", "waiting for the writer slot eventwire-writer-w-1234: another run is "
                                         "writing /d/w.duckdb (up to 7 s)")
    assert lines.lines[1][0] == "INFO"
    assert lines.lines[1][1].startswith("took the writer slot eventwire-writer-w-1234 after waiting ")


@pytest.mark.parametrize("guard, what", [(LOCK, "the writer lock /d/w.duckdb.writer.lock"),
                                         (SLOT, "the writer slot eventwire-writer-w-1234 of /d/w.duckdb")])
def test_a_wait_that_times_out_skips(log, guard, what) -> None:
    logger, lines = log
    with pytest.raises(WriterBusy) as caught:
        _take(guard, "/d/w.duckdb", lambda: False, lambda t: False, on_overlap="wait", wait_s=3, log=logger)
    assert str(caught.value) == f"skipped: waited 3 s for {what}"
    assert [level for level, _ in lines.lines] == ["WARNING"]


def test_flock_helpers_on_a_real_lock_file(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "w.duckdb"
    with _lock_file(db) as first, _lock_file(db) as second:
        assert lock_path(db).is_file()
        assert _flock_now(first) is True
        assert _flock_now(second) is False
        started = time.monotonic()
        assert _flock_within(second, 0.3) is False
        assert 0.3 <= time.monotonic() - started < 5


def test_file_lock_and_try_file_lock_exclude_each_other(tmp_path: Path, log) -> None:
    logger, lines = log
    db = tmp_path / "w.duckdb"
    with _file_lock(str(db), on_overlap="wait", wait_s=1, log=logger):
        assert lock_path(db).read_text().strip().isdigit()  # the holder's PID
        with try_file_lock(db) as free:
            assert free is False
        with pytest.raises(WriterBusy, match="file lock .* is held"):
            with _file_lock(str(db), on_overlap="skip", wait_s=1, log=logger):
                pass
    with try_file_lock(db) as free:
        assert free is True
        with pytest.raises(WriterBusy, match="skipped: waited 0 s for the writer lock"):
            with _file_lock(str(db), on_overlap="wait", wait_s=0.2, log=logger):
                pass
    with _file_lock(str(db), on_overlap="skip", wait_s=1, log=logger):  # released by both
        pass
    assert lines.lines == [("WARNING", f"waiting for the writer lock {lock_path(db)}: another run is writing "
                                       f"{db} (up to 0 s)")]
