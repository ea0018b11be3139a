"""A locked, corrupted or full warehouse: a one-line error and a non-zero exit, never a traceback;
nothing committed before is lost and nothing else is damaged."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.e2e.conftest import ARTICLES, cli_env, run_cli  # noqa: F401 (fixture)
from tests.sitekit import rss
from warehouse import connect, migrate

pytestmark = [pytest.mark.timeout(300)]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr[-3000:]
    for word in words:
        assert word in lines[0].lower(), lines[0]


@pytest.fixture()
def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "feed.xml"
    path.write_text(rss(ARTICLES), encoding="utf-8")
    return path


@pytest.fixture()
def holder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen]]:
    """Another process holding the warehouse open for writing, with a table of its own."""
    db = tmp_path / "held.duckdb"
    code = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
            "con.execute('CREATE TABLE mine AS SELECT 42 AS answer'); print('ready', flush=True); time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    try:
        yield db, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


def test_a_locked_warehouse_is_a_one_line_error_and_the_holder_is_untouched(
        holder: tuple[Path, subprocess.Popen], feed_file: Path, cli_env: dict[str, str]) -> None:  # noqa: F811
    db, proc = holder
    run = run_cli(cli_env, "run", "--feeds", str(feed_file), "--db", str(db))
    _one_line_error(run, "locked")
    sql = run_cli(cli_env, "sql", "--db", str(db), "SELECT 1")
    _one_line_error(sql, "locked")
    reprocess = run_cli(cli_env, "reprocess", "--db", str(db))
    _one_line_error(reprocess, "locked")
    assert run.returncode == sql.returncode == reprocess.returncode == 2
    proc.terminate()
    proc.wait(timeout=10)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT answer FROM mine").fetchall() == [(42,)]
        assert not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'articles'").fetchone()[0]


def _warehouse_with_data(db: Path) -> None:
    con = connect(db)
    migrate(con)
    con.execute("INSERT INTO feeds (feed_url, name) SELECT 'http://f.example/' || i, 'f' || i FROM range(2000) t(i)")
    con.execute("CHECKPOINT")
    con.close()


@pytest.mark.parametrize("damage", ["garbage over the data blocks", "truncated inside the first block", "zeroed header"])
def test_a_corrupted_warehouse_is_a_one_line_error_and_is_left_as_it_was(tmp_path: Path, feed_file: Path, damage: str,
                                                                         cli_env: dict[str, str]) -> None:  # noqa: F811
    db = tmp_path / "w.duckdb"
    _warehouse_with_data(db)
    data = bytearray(db.read_bytes())
    if damage == "garbage over the data blocks":
        data[12288:] = b"\xde\xad\xbe\xef" * ((len(data) - 12288) // 4) + b"\0" * ((len(data) - 12288) % 4)
    elif damage == "truncated inside the first block":
        data = data[:20_000]
    else:
        data[:4096] = bytes(4096)
    db.write_bytes(bytes(data))
    before = _sha(db)
    other = tmp_path / "other.txt"
    other.write_text("untouched")
    for args in (["sql", "--db", str(db), "SELECT count(*) FROM feeds"],
                 ["run", "--feeds", str(feed_file), "--db", str(db)],
                 ["reprocess", "--db", str(db)]):
        proc = run_cli(cli_env, *args)
        _one_line_error(proc)
        assert "warehouse" in proc.stderr.lower() or "database" in proc.stderr.lower(), proc.stderr
    assert _sha(db) == before
    assert other.read_text() == "untouched"


def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True,
                       capture_output=True, timeout=10)
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"cannot mount a small tmpfs to fill up (needs root and CAP_SYS_ADMIN): {e}")


@pytest.mark.slow
def test_disk_full_while_loading_keeps_what_was_committed(tmp_path: Path, feed_file: Path,
                                                          cli_env: dict[str, str]) -> None:  # noqa: F811
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "16m")
    try:
        db = disk / "w.duckdb"
        first = run_cli(cli_env, "run", "--feeds", str(feed_file), "--db", str(db), "-q")
        assert first.returncode == 0, first.stderr
        with duckdb.connect(str(db), read_only=True) as con:
            committed = con.execute("SELECT article_id, content_hash FROM articles ORDER BY ALL").fetchall()
            records = con.execute("SELECT count(*) FROM institution_mentions").fetchone()[0]
        assert len(committed) == 3 and records > 0
        filler = disk / "filler"
        free = shutil.disk_usage(disk).free
        with open(filler, "wb") as out:
            out.write(b"\0" * max(0, free - 256 * 1024))
        lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. "
        big = tmp_path / "big.xml"
        big.write_text(rss([{"guid": f"big-{i}", "title": f"big {i}", "text": f"{i} " + lorem * 500}
                            for i in range(60)]), encoding="utf-8")
        full = run_cli(cli_env, "run", "--feeds", str(big), "--db", str(db), "-q")
        assert full.returncode != 0, full.stdout
        assert "Traceback" not in full.stderr, full.stderr[-3000:]
        last = [line for line in full.stderr.splitlines() if line.strip()][-1].lower()
        assert "space" in last or "disk" in last or "write" in last, full.stderr[-2000:]
        filler.unlink()
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT article_id, content_hash FROM articles WHERE list_contains(?, article_id) "
                               "ORDER BY ALL", [[a for a, _ in committed]]).fetchall() == committed
            assert con.execute("SELECT count(*) FROM institution_mentions").fetchone()[0] == records
        again = run_cli(cli_env, "run", "--feeds", str(big), "--db", str(db), "-q")
        assert again.returncode == 0, again.stderr[-2000:]
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 63
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=30)
