"""One writer per warehouse, in-process under prefect_test_harness: the file-lock path (no limit on
the server: ephemeral mode), the Prefect-limit path, skipping, two ingest flows at the same moment,
and the Dask task runner. (The same with a real server and worker: test_prefect_server.py.)"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import duckdb
import pytest
from prefect.client.orchestration import get_client
from prefect.testing.utilities import prefect_test_harness

from flows.concurrency import (
    WriterBusy,
    _prefect_slot,
    ensure_writer_limit,
    try_file_lock,
    writer_limit_name,
    writer_slot,
)
from flows.ingest import ingest
from flows.runners import dask_available, task_runner_from_settings
from flows.settings import Settings
from tests.e2e.conftest import ARTICLES
from tests.sitekit import Site, rss, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.network]


@pytest.fixture(scope="module", autouse=True)
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve_site() as s:
        s.put("/a.xml", rss(ARTICLES))
        yield s


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{threading.current_thread().name}: {record.getMessage()}")


def _logger(name: str) -> tuple[logging.Logger, Lines]:
    log = logging.getLogger(f"test.concurrency.{name}")
    log.setLevel(logging.INFO)
    log.propagate = False
    handler = Lines()
    log.handlers[:] = [handler]
    return log, handler


def _overlap(db, log, hold_s: float = 1.0, **kwargs) -> tuple[list[str], list[tuple[str, float, float]]]:
    """Thread A takes the writer slot and holds it `hold_s`; B asks for it once A has it.
    Returns the guards used and the (name, start, end) intervals in which each held it."""
    guards: list[str] = []
    spans: list[tuple[str, float, float]] = []
    a_holds = threading.Event()

    def hold(name: str) -> None:
        if name == "B":
            a_holds.wait(timeout=30)
        with writer_slot(db, log=log, **kwargs) as guard:
            t0 = time.monotonic()
            a_holds.set()
            guards.append(guard)
            time.sleep(hold_s)
            spans.append((name, t0, time.monotonic()))

    threads = [threading.Thread(target=hold, args=(name,), name=name) for name in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return guards, sorted(spans, key=lambda s: s[1])


def test_without_a_limit_the_file_lock_queues_the_second_writer(tmp_path):
    log, lines = _logger("file")
    guards, spans = _overlap(tmp_path / "w.duckdb", log)
    assert guards == ["file-lock", "file-lock"]
    assert [s[0] for s in spans] == ["A", "B"] and spans[1][1] >= spans[0][2]      # never both at once
    assert any(line.startswith("B: no Prefect concurrency limit") for line in lines.lines)
    assert any(line.startswith("B: waiting for the writer lock") for line in lines.lines), lines.lines
    assert any(line.startswith("B: took the writer lock") and "after waiting" in line for line in lines.lines)


def test_with_the_limit_the_second_writer_waits_for_the_prefect_slot(tmp_path):
    db = tmp_path / "w.duckdb"
    assert ensure_writer_limit(db) == writer_limit_name(db) == ensure_writer_limit(db)   # idempotent
    log, lines = _logger("limit")
    guards, spans = _overlap(db, log)
    assert guards == ["prefect-limit", "prefect-limit"]
    assert [s[0] for s in spans] == ["A", "B"] and spans[1][1] >= spans[0][2]
    assert any(line.startswith("B: waiting for the writer slot " + writer_limit_name(db)) for line in lines.lines)
    assert any(line.startswith("B: took the writer slot") and "after waiting" in line for line in lines.lines)
    assert not any("waiting for the writer lock" in line for line in lines.lines)   # the slot already serialised them
    with get_client(sync_client=True) as client:
        assert client.read_global_concurrency_limit_by_name(writer_limit_name(db)).active_slots == 0


@pytest.mark.parametrize("with_limit", [False, True], ids=["file-lock", "prefect-limit"])
def test_skip_policy_and_wait_timeout_skip_the_second_writer(tmp_path, with_limit):
    db = tmp_path / "w.duckdb"
    if with_limit:
        ensure_writer_limit(db)
    log, _ = _logger("skip")
    with writer_slot(db, log=log):
        started = time.monotonic()
        with pytest.raises(WriterBusy, match="skipped: another run is writing"):
            with writer_slot(db, log=log, on_overlap="skip"):
                pass
        assert time.monotonic() - started < 5
        with pytest.raises(WriterBusy, match="skipped: waited"):
            with writer_slot(db, log=log, wait_s=0.5):
                pass


def test_a_slot_that_cannot_be_taken_leaves_the_file_lock_as_the_guard(tmp_path):
    """The limit vanished between writer_slot's look-up and the acquisition (here: never created):
    not 'busy', so no skip and no wait, a warning, and the block runs (the file lock still guards it)."""
    db = tmp_path / "w.duckdb"
    log, lines = _logger("vanished")
    entered = []
    with _prefect_slot(writer_limit_name(db), str(db), on_overlap="skip", wait_s=0.5, log=log):
        entered.append(True)
    assert entered == [True]
    assert any(line.startswith(f"MainThread: cannot take the writer slot {writer_limit_name(db)}")
               and line.endswith(f"guarding {db} with the file lock only") for line in lines.lines), lines.lines


def test_two_ingest_flows_at_the_same_moment_one_waits_no_duplicates(tmp_path, site):
    db = tmp_path / "w.duckdb"
    summaries = []
    barrier = threading.Barrier(3)
    flow_lines = Lines()                      # the flow runs' own log lines, caught in this process
    flow_logger = logging.getLogger("prefect.flow_runs")
    flow_logger.addHandler(flow_lines)

    def run() -> None:
        barrier.wait()
        summaries.append(ingest(feeds=[site.url("/a.xml")], db=str(db)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        # another writer holds the warehouse while both runs start, so their overlap does not depend
        # on how fast Prefect starts each flow run: both must queue behind it and then one another
        log, _ = _logger("holder")
        with writer_slot(db, log=log):
            barrier.wait()
            time.sleep(3)
        for t in threads:
            t.join(timeout=240)
    finally:
        flow_logger.removeHandler(flow_lines)
    assert [s.status for s in summaries] == ["completed", "completed"]
    assert sorted((s.articles_new, s.articles_unchanged) for s in summaries) == [(0, 3), (3, 0)]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (3, 3)
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'completed'").fetchone()[0] == 2
    text = "\n".join(flow_lines.lines)  # warnings reach us whatever PREFECT_LOGGING_LEVEL says
    assert text.count("waiting for the writer lock") >= 1, text      # no server limit here: the file lock

def test_skip_policy_in_the_flow_leaves_the_warehouse_untouched(tmp_path, site, monkeypatch):
    db = tmp_path / "w.duckdb"
    monkeypatch.setenv("EVENTWIRE_ON_OVERLAP", "skip")
    with try_file_lock(db) as free:      # another writer holds the warehouse
        assert free
        summary = ingest(feeds=[site.url("/a.xml")], db=str(db))
    assert summary.status == "skipped" and "another run is writing" in summary.error
    assert not db.exists()


def test_the_task_runner_is_chosen_by_setting():
    from prefect.task_runners import ThreadPoolTaskRunner
    runner = task_runner_from_settings(Settings(feed_concurrency=3))
    assert isinstance(runner, ThreadPoolTaskRunner) and runner._max_workers == 3
    if dask_available():
        from prefect_dask import DaskTaskRunner
        assert isinstance(task_runner_from_settings(Settings(task_runner="dask")), DaskTaskRunner)


@pytest.mark.skipif(not dask_available(), reason="prefect-dask is not installed (pip install -e '.[dask]')")
def test_ingest_runs_on_a_dask_cluster(tmp_path, site):
    db = tmp_path / "w.duckdb"
    runner = task_runner_from_settings(Settings(task_runner="dask", dask_workers=1))
    summary = ingest.with_options(task_runner=runner)(feeds=[site.url("/a.xml")], db=str(db))
    assert summary.status == "completed" and summary.articles_new == 3 and summary.meetings >= 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
