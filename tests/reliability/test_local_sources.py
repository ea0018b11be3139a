"""Local sources have the limits of HTTP: regular files only, the byte cap and the deadline.

Real devices (/dev/zero), FIFOs (os.mkfifo, no writer: an open without O_NONBLOCK would
block for ever), procfs files (st_size 0, content longer) and the real CLI. Library calls run
in a memory-capped child (tests/reliability/clikit.py), so a regression fails instead of
reading /dev/zero into memory.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.reliability.clikit import cli_env, one_line_error, run_child, run_cli
from tests.sitekit import rss

pytestmark = [pytest.mark.timeout(120)]

ITEM = [{"guid": "1", "title": "t", "text": "Президент провел переговоры в Астане."}]


@pytest.fixture()
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "feed.fifo"
    os.mkfifo(path)
    return path


def _fetch(source: str, **limits: float) -> dict:
    code = f"""
import json, time
from feeds.fetch import FetchLimits, fetch_feed
t = time.monotonic()
r = fetch_feed({source!r}, limits=FetchLimits(**{limits!r}))
print(json.dumps({{"status": r.status.value, "error": r.error, "transient": r.transient,
                  "bytes": len(r.content or b""), "seconds": time.monotonic() - t}}))
"""
    result = run_child(code)
    assert isinstance(result, dict)
    return result


@pytest.mark.parametrize("source, kind", [("/dev/zero", "a character device"),
                                          ("file:///dev/zero", "a character device"),
                                          ("FIFO", "a FIFO (named pipe)"),
                                          ("DIR", "a directory")])
def test_a_feed_that_is_no_regular_file_fails_at_once(source: str, kind: str, fifo: Path, tmp_path: Path) -> None:
    source = {"FIFO": str(fifo), "DIR": str(tmp_path)}.get(source, source)
    result = _fetch(source)
    assert result["status"] == "failed" and result["bytes"] == 0, result
    assert kind in result["error"] and "expected a regular file" in result["error"], result
    assert "\n" not in result["error"] and not result["transient"]
    assert result["seconds"] < 10


def test_a_file_longer_than_its_size_says_is_cut_at_the_cap() -> None:
    """procfs reports st_size 0 for a file of hundreds of bytes: the cap holds while reading."""
    assert os.stat("/proc/self/maps").st_size == 0
    result = _fetch("/proc/self/maps", max_bytes=200)
    assert result["status"] == "failed" and result["bytes"] == 0, result
    assert "over the limit of 200 bytes" in result["error"], result


def test_a_regular_file_within_the_cap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(rss(ITEM), encoding="utf-8")
    size = path.stat().st_size
    assert _fetch(str(path), max_bytes=size)["bytes"] == size
    assert "over the limit" in _fetch(path.as_uri(), max_bytes=size - 1)["error"]


def test_a_local_read_has_the_fetch_deadline(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(rss(ITEM), encoding="utf-8")
    result = _fetch(str(path), total_timeout_s=0)
    assert result["status"] == "failed" and result["transient"], result
    assert "deadline of 0 s passed" in result["error"], result


def _load_toml(path: str) -> str:
    code = f"""
import json
from feeds.config import load_feeds_toml
from feeds.errors import ConfigError
try:
    load_feeds_toml({path!r})
    print(json.dumps("loaded"))
except ConfigError as e:
    print(json.dumps(str(e)))
"""
    result = run_child(code)
    assert isinstance(result, str)
    return result


def test_the_feeds_file_is_read_like_a_local_feed(fifo: Path, tmp_path: Path) -> None:
    assert _load_toml("/dev/zero") == ("feeds file: /dev/zero is a character device, expected a regular file "
                                       "[/dev/zero]")
    assert "is a FIFO (named pipe)" in _load_toml(str(fifo))
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 500_000 + '[[feeds]]\nname = "a"\nurl = "https://a.example/rss"\n')
    assert big.stat().st_size > 4 * 1024 * 1024
    message = _load_toml(str(big))
    assert f"{big} is over the limit of {4 * 1024 * 1024} bytes" in message and message.endswith(f"[{big}]")


def _nothing_created(db: Path) -> None:
    assert not db.exists() and not Path(f"{db}.writer.lock").exists()
    assert not Path(f"{db}.wal").exists()


@pytest.mark.parametrize("source", ["/dev/zero", "file:///dev/zero", "FIFO"])
def test_cli_refuses_a_feed_that_is_no_regular_file(source: str, fifo: Path, tmp_path: Path) -> None:
    source = str(fifo) if source == "FIFO" else source
    db = tmp_path / "w.duckdb"
    started = time.monotonic()
    proc = run_cli(cli_env(tmp_path), "run", "--feeds", source, "--db", str(db))
    line = one_line_error(proc, 2, "expected a regular file", "--feeds")
    assert ("FIFO" if source == str(fifo) else "character device") in line
    assert time.monotonic() - started < 60
    _nothing_created(db)


@pytest.mark.parametrize("how", ["--feeds-file", "EVENTWIRE_FEEDS_FILE"])
@pytest.mark.parametrize("what", ["/dev/zero", "FIFO"])
def test_cli_refuses_a_feeds_file_that_is_no_regular_file(how: str, what: str, fifo: Path, tmp_path: Path) -> None:
    path = str(fifo) if what == "FIFO" else what
    db = tmp_path / "w.duckdb"
    if how == "--feeds-file":
        proc = run_cli(cli_env(tmp_path), "run", "--feeds-file", path, "--db", str(db))
    else:
        proc = run_cli(cli_env(tmp_path, EVENTWIRE_FEEDS_FILE=path), "run", "--db", str(db))
    line = one_line_error(proc, 2, "feeds file", path, "expected a regular file")
    assert "does not exist" not in line
    _nothing_created(db)


def test_cli_refuses_a_fifo_as_the_warehouse(fifo: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(rss(ITEM), encoding="utf-8")
    env = cli_env(tmp_path)
    one_line_error(run_cli(env, "sql", "--db", str(fifo), "SELECT 1"), 2, str(fifo), "FIFO")
    one_line_error(run_cli(env, "run", "--feeds", str(feed), "--db", str(fifo)), 2, str(fifo), "FIFO")
    one_line_error(run_cli(env, "reprocess", "--db", str(fifo)), 2, str(fifo), "FIFO")
    assert fifo.is_fifo() and not Path(f"{fifo}.writer.lock").exists()
