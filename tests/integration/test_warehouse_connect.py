"""Opening the warehouse: a file held by another process, a garbage file, a missing file."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from struct import Struct

import duckdb
import pytest

from warehouse import WarehouseCorrupt, WarehouseError, WarehouseLocked, connect, open_warehouse


@pytest.fixture
def holder(tmp_path):
    """A second process that opens the warehouse for writing and keeps it open."""
    path = tmp_path / "w.duckdb"
    open_warehouse(path).close()
    script = textwrap.dedent(f"""
        import sys, duckdb
        con = duckdb.connect({str(path)!r})
        print("open", flush=True)
        sys.stdin.read()
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    yield path, proc
    proc.stdin.close()
    proc.wait(timeout=30)


def test_locked_by_another_process(holder):
    path, proc = holder
    with pytest.raises(WarehouseLocked) as caught:
        connect(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    assert "another eventwire run may be writing" in message
    assert f"PID {proc.pid}" in message
    assert caught.value.transient


def test_locked_also_for_readers(holder):
    path, _ = holder
    with pytest.raises(WarehouseLocked):
        connect(path, read_only=True)


def test_garbage_file_is_corrupt(tmp_path):
    path = tmp_path / "w.duckdb"
    path.write_bytes(b"this is not a database\n" * 500)
    with pytest.raises(WarehouseCorrupt, match="not a readable DuckDB database") as caught:
        connect(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_missing_file_read_only(tmp_path):
    with pytest.raises(WarehouseError, match="does not exist"):
        connect(tmp_path / "none.duckdb", read_only=True)
    assert not (tmp_path / "none.duckdb").exists()


def test_read_only_connection_reads(tmp_path):
    path = tmp_path / "w.duckdb"
    open_warehouse(path).close()
    con = open_warehouse(path, read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert con.execute("SELECT current_setting('TimeZone')").fetchone()[0] == "UTC"


def test_transaction_commits_rolls_back_and_nests(tmp_path):
    from warehouse import transaction
    from warehouse.rejects import write_rejects
    from warehouse.testing import make_reject

    con = open_warehouse(tmp_path / "w.duckdb")
    with transaction(con):
        write_rejects(con, [make_reject(1)], "r")
        with transaction(con):  # joins the outer one
            write_rejects(con, [make_reject(2)], "r")
    assert con.execute("SELECT count(*) FROM rejects").fetchone() == (2,)
    with pytest.raises(ZeroDivisionError):
        with transaction(con):
            write_rejects(con, [make_reject(3)], "r")
            with transaction(con):
                write_rejects(con, [make_reject(4)], "r")
            raise ZeroDivisionError("injected")
    assert con.execute("SELECT count(*) FROM rejects").fetchone() == (2,)
    with transaction(con):  # usable again afterwards
        write_rejects(con, [make_reject(5)], "r")
    assert con.execute("SELECT count(*) FROM rejects").fetchone() == (3,)


def test_a_warehouse_duckdb_shortened_itself_opens_and_a_cut_one_does_not(tmp_path):
    """After a checkpoint DuckDB cuts the free blocks at the file's end but its header keeps counting them."""
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as raw:
        raw.execute("CREATE TABLE keep AS SELECT range AS i FROM range(1000)")
        raw.execute("CREATE TABLE big AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(300000)")
        raw.execute("CHECKPOINT")
        raw.execute("DROP TABLE big")
        raw.execute("CHECKPOINT")
    with duckdb.connect(str(db)) as raw:
        raw.execute("INSERT INTO keep SELECT range FROM range(10)")
        raw.execute("CHECKPOINT")
    head = db.read_bytes()[:12288]
    header = max((Struct("<QQQQQQ").unpack_from(head, offset) for offset in (4096, 8192)), key=lambda h: h[1])
    blocks, alloc = header[4], header[5]
    assert db.stat().st_size < 12288 + blocks * alloc        # shorter than the header counts, and whole
    con = connect(db)
    assert con.execute("SELECT count(*) FROM keep").fetchall() == [(1010,)]
    con.close()
    data = db.read_bytes()
    db.write_bytes(data[:-alloc])                            # the last block on disk holds data
    with pytest.raises(WarehouseCorrupt, match="hold data"):
        connect(db)
    assert db.read_bytes() == data[:-alloc]


READER = textwrap.dedent("""
    import sys
    from warehouse.db import connect_waiting
    con = connect_waiting(sys.argv[1], read_only=True, wait_s=60)
    print(con.execute("SELECT 42").fetchone()[0], flush=True)
    con.close()
""")


def test_a_waiting_reader_is_let_in_between_two_batches(tmp_path):
    from warehouse.db import Writer, waiting_readers
    from workers.process import child_env

    path = tmp_path / "w.duckdb"
    open_warehouse(path).close()
    writer = Writer(path, wait_s=30)
    writer.con.execute("CREATE TABLE t AS SELECT 1 AS x")
    assert writer.yield_to_readers() is False and writer._con is not None     # nobody waits: kept
    reader = subprocess.Popen([sys.executable, "-c", READER, str(path)], stdout=subprocess.PIPE, text=True,
                              env=child_env())
    try:
        deadline = time.monotonic() + 60
        while not waiting_readers(path) and time.monotonic() < deadline:
            time.sleep(0.05)
        [marker] = waiting_readers(path)
        assert marker.name.startswith(f"w.duckdb.reader-{reader.pid}-")
        assert writer.yield_to_readers() is True
        assert reader.stdout.readline().strip() == "42"           # the reader got in
        assert waiting_readers(path) == [] and not marker.exists()
        assert writer.con.execute("SELECT x FROM t").fetchone() == (1,)   # and the writer after it
    finally:
        reader.kill()
        reader.wait(timeout=30)
        writer.release()


def test_markers_of_readers_that_are_gone_are_stale(tmp_path):
    from warehouse.db import READER_MARKER, waiting_readers

    path = tmp_path / "w.duckdb"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    dead = tmp_path / f"w.duckdb{READER_MARKER}{gone.stdout.strip()}-0000"
    alive = tmp_path / f"w.duckdb{READER_MARKER}{os.getpid()}-1111"
    old = tmp_path / f"w.duckdb{READER_MARKER}{os.getpid()}-2222"
    other = tmp_path / f"x.duckdb{READER_MARKER}{os.getpid()}-3333"          # another warehouse's
    for marker in (dead, alive, old, other):
        marker.touch()
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert waiting_readers(path) == [alive]
    assert not dead.exists() and not old.exists() and other.exists()
