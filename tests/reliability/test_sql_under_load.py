"""`eventwire sql` under load: it reads no more rows than it prints, Ctrl-C stops a running query
(exit 130, one line), and a run blocked by a query, or by another run's writer lock, names the holder.

Real processes: the CLI of this checkout (`python -m flows.cli`, memory-capped), a reader holding
the DuckDB file, a writer holding `<db>.writer.lock`; SIGINT sent with `send_signal`.
"""
from __future__ import annotations

import logging
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.concurrency import WriterBusy, lock_path, writer_slot
from tests.reliability.clikit import (
    ROOT,
    cli_env,
    cpu_seconds,
    one_line_error,
    popen_cli,
    run_cli,
    wait_until,
)
from tests.sitekit import rss
from warehouse import connect, migrate

pytestmark = [pytest.mark.timeout(120)]

ENDLESS = "SELECT count(*) FROM range(1000000000) a, range(1000000000) b"  # 10^18 rows: hours of work


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    con = connect(path)
    migrate(con)
    con.close()
    return path


def _has_open(pid: int, path: Path) -> bool:
    fds = Path(f"/proc/{pid}/fd")
    try:
        return any(Path(fd).resolve() == path.resolve() for fd in (str(p) for p in fds.iterdir()))
    except OSError:
        return False


@pytest.fixture()
def running_query(db: Path, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """`eventwire sql ENDLESS` with the query running: the file is open and the process burns CPU."""
    proc = popen_cli(cli_env(tmp_path), "sql", "--db", str(db), ENDLESS, cap_memory=False)  # counts: no rows kept
    try:
        wait_until(lambda: _has_open(proc.pid, db) or proc.poll() is not None, timeout=60, what="the query to start")
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        spent = cpu_seconds(proc.pid)
        wait_until(lambda: cpu_seconds(proc.pid) > spent + 1.0, timeout=60, what="the query to run")
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def test_ctrl_c_stops_a_running_query_with_one_line_and_exit_130(running_query: subprocess.Popen[str]) -> None:
    running_query.send_signal(signal.SIGINT)
    try:
        out, err = running_query.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the query went on for 30 s after Ctrl-C")
    one_line_error(subprocess.CompletedProcess([], running_query.returncode, out, err), 130, "eventwire sql: interrupted")


def test_a_run_blocked_by_a_query_says_which_process_reads(running_query: subprocess.Popen[str], db: Path,
                                                           tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(rss([{"guid": "1", "title": "t", "text": "Переговоры прошли в Астане."}]), encoding="utf-8")
    proc = run_cli(cli_env(tmp_path), "run", "--feeds", str(feed), "--db", str(db))
    line = one_line_error(proc, 2, "locked", f"held by PID {running_query.pid} (", "flows.cli sql --db", "reading")
    assert "another eventwire run may be writing" not in line


def test_limit_reads_no_more_rows_than_it_prints(db: Path, tmp_path: Path) -> None:
    """A result of 10^12 rows: only --limit of them (plus one, to know there are more) are ever fetched."""
    env = cli_env(tmp_path)
    endless_rows = "SELECT range AS n FROM range(1000000000000)"
    csv = run_cli(env, "sql", "--db", str(db), "--format", "csv", "--limit", "5", endless_rows, timeout=60)
    assert csv.returncode == 0, csv.stderr[-3000:]
    assert csv.stdout.splitlines() == ["n", "0", "1", "2", "3", "4"]
    assert "the first 5 rows are shown, the query has more" in csv.stderr
    table = run_cli(env, "sql", "--db", str(db), "--limit", "3", endless_rows, timeout=60)
    assert table.returncode == 0, table.stderr[-3000:]
    assert "│ 2 │" in table.stdout and "│ 3 │" not in table.stdout
    every = run_cli(env, "sql", "--db", str(db), "--format", "csv", "--limit", "0", "SELECT * FROM range(2500)")
    assert every.returncode == 0 and len(every.stdout.splitlines()) == 2501 and not every.stderr
    exact = run_cli(env, "sql", "--db", str(db), "--format", "json", "--limit", "2", "SELECT * FROM range(2)")
    assert exact.returncode == 0 and exact.stdout.count('"range"') == 2 and not exact.stderr
    one_line_error(run_cli(env, "sql", "--db", str(db), "--limit", "-1", "SELECT 1"), 2, "--limit -1")


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_a_run_waiting_for_the_writer_lock_names_its_holder(db: Path) -> None:
    code = ("import sys; from flows.concurrency import writer_slot\n"
            "with writer_slot(sys.argv[1], use_prefect=False):\n"
            "    print('held', flush=True); sys.stdin.read()\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(db)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(WriterBusy) as skipped:
            with writer_slot(db, use_prefect=False, on_overlap="skip"):
                pass
        assert f"is held by PID {holder.pid} (python -c import sys; from flows.concurrency" in str(skipped.value)
        log = logging.getLogger("test.sql_under_load.writer")
        log.propagate, lines = False, Lines()
        log.handlers[:] = [lines]
        with pytest.raises(WriterBusy, match="skipped: waited 0 s for the writer lock"):
            with writer_slot(db, use_prefect=False, wait_s=0.2, log=log):
                pass
        waiting = [line for line in lines.lines if line.startswith("waiting for the writer lock")]
        assert len(waiting) == 1 and f"(held by PID {holder.pid} (python -c" in waiting[0], lines.lines
    finally:
        holder.communicate(input="", timeout=30)
    assert holder.returncode == 0
    assert lock_path(db).read_text() == ""  # released: the file names no holder any more
    with writer_slot(db, use_prefect=False, on_overlap="skip"):
        assert lock_path(db).read_text().strip().isdigit()
