"""CLI and warehouse gaps: every bad --db, feeds file or feed URL is a one-line error before anything
is created or run, and a truncated warehouse stays byte-identical.

Real paths (/proc, /dev/null, a path under a regular file), a real truncated DuckDB file, real
TOML files, and the CLI of this checkout (`python -m flows.cli`, memory-capped).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from feeds.config import MAX_URL_CHARS, load_feeds_toml
from feeds.errors import ConfigError
from flows.cli import MAX_FEEDS_ARG_CHARS
from tests.reliability.clikit import cli_env, one_line_error, run_cli
from tests.sitekit import rss
from warehouse import connect, migrate

pytestmark = [pytest.mark.timeout(120)]


@pytest.fixture()
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.xml"
    path.write_text(rss([{"guid": "1", "title": "t", "text": "Переговоры прошли в Астане."}]), encoding="utf-8")
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("where, words", [
    ("/proc/nonexist/x.duckdb", ["cannot create the directory /proc/nonexist"]),
    ("UNDER_A_FILE", ["which is not a directory"]),
    ("/dev/null", ["a character device, expected a DuckDB file"]),
])
def test_a_db_path_that_cannot_be_a_warehouse_is_one_line_and_creates_nothing(where: str, words: list[str],
                                                                            feed: Path, tmp_path: Path) -> None:
    regular = tmp_path / "notes.txt"
    regular.write_text("a file")
    db = regular / "x.duckdb" if where == "UNDER_A_FILE" else Path(where)
    lock = Path(f"{db}.writer.lock")
    existed = lock.exists()
    try:
        proc = run_cli(cli_env(tmp_path), "run", "--feeds", str(feed), "--db", str(db))
        one_line_error(proc, 2, f"warehouse {db}", *words)
        assert lock.exists() == existed, f"{lock} was created beside an invalid --db"
    finally:
        if lock.exists() and not existed:
            lock.unlink()  # what the old code left in /dev
    for command in (["sql", "--db", str(db), "SELECT 1"], ["reprocess", "--db", str(db)]):
        one_line_error(run_cli(cli_env(tmp_path), *command), 2, str(db))
    assert regular.read_text() == "a file"


def _warehouse_with_data(db: Path) -> None:
    con = connect(db)
    migrate(con)
    con.execute("INSERT INTO feeds (feed_url, name) SELECT 'http://f.example/' || i, 'f' || i FROM range(20000) t(i)")
    con.execute("CHECKPOINT")
    con.close()


@pytest.mark.parametrize("cut", ["the last block", "the last byte"])
def test_a_truncated_warehouse_is_refused_and_left_byte_identical(cut: str, feed: Path, tmp_path: Path) -> None:
    """DuckDB opens a file that lacks its last blocks and writes to it; the header says how long it must be."""
    db = tmp_path / "w.duckdb"
    _warehouse_with_data(db)
    data = db.read_bytes()
    assert len(data) > 12288 + 262144
    db.write_bytes(data[:-262144] if cut == "the last block" else data[:-1])
    before = _sha(db)
    env = cli_env(tmp_path)
    for command in (["run", "--feeds", str(feed), "--db", str(db)], ["reprocess", "--db", str(db)],
                    ["sql", "--db", str(db), "SELECT count(*) FROM feeds"]):
        one_line_error(run_cli(env, *command), 2, f"warehouse {db} is not a readable DuckDB database: truncated")
    assert _sha(db) == before
    assert not Path(f"{db}.wal").exists()


def test_a_feeds_file_that_is_a_device_is_not_said_to_be_missing(tmp_path: Path) -> None:
    proc = run_cli(cli_env(tmp_path), "run", "--feeds-file", "/dev/zero", "--db", str(tmp_path / "w.duckdb"))
    line = one_line_error(proc, 2, "/dev/zero is a character device")
    assert "does not exist" not in line


MALFORMED = '[[feeds]]\nname = "ok"\nurl = "https://a.example/rss"\n\n[[feeds]]\nname = "v6"\nurl = "http://[::1/feed"\n'


def test_a_malformed_ipv6_url_names_the_file_and_the_entry(tmp_path: Path) -> None:
    toml = tmp_path / "feeds.toml"
    toml.write_text(MALFORMED, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_feeds_toml(toml)
    message = str(caught.value)
    assert "[[feeds]] entry 2 ('v6'): url 'http://[::1/feed' is not a valid URL: Invalid IPv6 URL" in message
    assert message.endswith(f"[{toml}]")
    env = cli_env(tmp_path)
    db = tmp_path / "w.duckdb"
    one_line_error(run_cli(env, "run", "--feeds-file", str(toml), "--db", str(db)), 2, str(toml), "entry 2")
    one_line_error(run_cli(env, "run", "--feeds", "http://[::1/feed", "--db", str(db)), 2,
                   "--feeds 'http://[::1/feed'", "Invalid IPv6 URL")
    assert not db.exists()


def test_a_huge_url_is_a_usage_error_and_no_run_is_recorded(tmp_path: Path) -> None:
    """A 2 MB URL in feeds.toml made the flow fail after the run was recorded completed (a Prefect event
    over its size limit): now it never reaches the flow. So do an 100 kB --feeds value (one argument
    can hold at most 128 kB) and --feeds values over MAX_FEEDS_ARG_CHARS together."""
    env = cli_env(tmp_path)
    db = tmp_path / "w.duckdb"
    toml = tmp_path / "feeds.toml"
    toml.write_text(f'[[feeds]]\nname = "big"\nurl = "http://127.0.0.1:9/{"a" * 2_000_000}"\n', encoding="utf-8")
    one_line_error(run_cli(env, "run", "--feeds-file", str(toml), "--db", str(db)), 2, str(toml), "entry 1 ('big')",
                   f"is over the limit of {MAX_URL_CHARS} characters")
    long = f"http://127.0.0.1:9/{'a' * 100_000}"
    line = one_line_error(run_cli(env, "run", "--feeds", long, "--db", str(db)), 2, "--feeds",
                          f"is over the limit of {MAX_URL_CHARS} characters")
    assert len(line) < 500
    many = [arg for i in range(MAX_FEEDS_ARG_CHARS // 8000 + 2) for arg in ("--feeds", f"http://127.0.0.1:9/{i:04}/"
                                                                           + "a" * (8000 - 24))]
    assert sum(len(arg) for arg in many[1::2]) > MAX_FEEDS_ARG_CHARS
    one_line_error(run_cli(env, "run", *many, "--db", str(db)), 2, f"over the limit of {MAX_FEEDS_ARG_CHARS}",
                   "--feeds-file")
    assert not db.exists()


def test_a_missing_local_feed_argument_is_a_usage_error(tmp_path: Path) -> None:
    """CONTRACT.md: exit 2 for a feed argument that is neither an http(s) URL nor an existing file."""
    db = tmp_path / "w.duckdb"
    one_line_error(run_cli(cli_env(tmp_path), "run", "--feeds", str(tmp_path / "absent.xml"), "--db", str(db)), 2,
                   "absent.xml", "No such file or directory")
    assert not db.exists()
