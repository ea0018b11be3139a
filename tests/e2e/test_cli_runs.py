"""Runs that say what happened: a run that fetched no feed fails, a reprocess says what it did and
v_runs tells the two apart, the feed's declared language is recorded, settings and decode errors
name what is wrong, the demo finds a free port."""
from __future__ import annotations

import socket
import subprocess

import duckdb
import pytest

from flows.cli import main
from flows.demo import start_demo_server
from flows.settings import Settings, SettingsError
from tests.e2e.conftest import ARTICLES, BIN, run_cli
from tests.sitekit import rss


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"   # nothing listens there once closed


@pytest.mark.slow
@pytest.mark.network
def test_a_run_that_fetches_no_feed_fails_and_records_why(tmp_path, cli_env, site):
    db = tmp_path / "w.duckdb"
    broken = site.put("/broken.xml", "oops", status=500)
    r = run_cli(cli_env, "run", "--feeds", _closed_port_url(), "--feeds", broken, "--db", str(db), "-q")
    assert r.returncode == 1, r.stderr
    assert "the run failed: no feed could be fetched (2 failed)" in r.stderr
    assert "Traceback" not in r.stderr
    assert " — failed in " in r.stdout       # the feed table still shows each feed and its error
    con = duckdb.connect(str(db), read_only=True)
    kind, status, error, failed = con.execute("SELECT kind, status, error, feeds_failed FROM v_runs").fetchone()
    con.close()
    assert (kind, status, failed) == ("ingest", "failed", 2) and "NoFeedFetched" in error

    # one feed fetched is a completed run, even with the other one failing
    good = site.put("/good.xml", rss(ARTICLES[:1], lang="ru-RU"))
    r = run_cli(cli_env, "run", "--feeds", good, "--feeds", broken, "--db", str(db), "-q")
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status FROM v_runs ORDER BY started_at DESC LIMIT 1").fetchone() == ("completed",)
    # the language the feed declares, and the language hint taken from it
    assert con.execute("SELECT declared_language, language FROM feeds WHERE feed_url = ?",
                       [good]).fetchone() == ("ru-ru", "ru")
    con.close()

    r = run_cli(cli_env, "reprocess", "--db", str(db), "-q")
    assert r.returncode == 0, r.stderr
    assert "re-extracted 1 stored article(s) (ru 1)" in r.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT kind, status FROM v_runs ORDER BY started_at DESC LIMIT 1").fetchone() == \
        ("reprocess", "completed")
    con.close()


def test_a_settings_error_names_the_variable(monkeypatch):
    monkeypatch.setenv("EVENTWIRE_BATCH_SIZE", "abc")
    with pytest.raises(SettingsError, match=r"^EVENTWIRE_BATCH_SIZE='abc': Input should be a valid integer"):
        Settings()
    monkeypatch.delenv("EVENTWIRE_BATCH_SIZE")
    with pytest.raises(SettingsError, match=r"^feed_concurrency=0: Input should be greater than or equal to 1"):
        Settings(feed_concurrency=0)


def test_a_settings_error_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("EVENTWIRE_FEED_CONCURRENCY", "many")
    assert main(["run", "--feeds", "http://127.0.0.1:9/x", "--db", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("eventwire run: error: EVENTWIRE_FEED_CONCURRENCY='many':") and "\n" not in err
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize("args", [["run", "--batch-size", "0"], ["reprocess", "--batch-size", "-3"],
                                  ["run", "--batch-size", "x"]])
def test_a_batch_size_below_one_is_a_usage_error(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    assert "--batch-size" in capsys.readouterr().err


def test_invalid_utf8_names_the_file_and_says_decode(tmp_path, capsys):
    bad = tmp_path / "story.txt"
    bad.write_bytes("Саммит".encode() + b"\xff")
    assert main(["extract", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"eventwire extract: error: cannot decode {bad} as UTF-8: invalid start byte (byte 0xff at offset 12)"


def test_invalid_utf8_on_stdin_says_decode_without_a_traceback():
    r = subprocess.run([str(BIN), "extract", "-"], input=b"ok \xc3\x28", capture_output=True, timeout=120)
    assert r.returncode == 2
    err = r.stderr.decode()
    assert "cannot decode standard input as UTF-8" in err and "Traceback" not in err


def test_the_demo_serves_on_a_free_port_when_its_own_is_taken(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server, base = start_demo_server(port)
        try:
            assert base.startswith("http://127.0.0.1:") and not base.endswith(f":{port}")
        finally:
            server.shutdown()
            server.server_close()
    assert f"port {port} is taken" in capsys.readouterr().err


@pytest.mark.parametrize("feed, words", [("not-a-url", "No such file or directory"),
                                         ("ftp://example.org/feed.xml", "neither an http(s) URL nor a local path"),
                                         ("gopher://example.org/", "neither an http(s) URL nor a local path")])
def test_a_feed_that_is_neither_a_url_nor_a_file_is_a_usage_error_said_once(tmp_path, cli_env, feed, words):
    db = tmp_path / "w.duckdb"
    r = run_cli(cli_env, "run", "--feeds", feed, "--db", str(db))
    assert r.returncode == 2
    assert r.stderr.count(words) == 1 and r.stderr.count("\n") == 1, r.stderr     # one line, printed once
    assert r.stdout == "" and not db.exists()     # before anything started: no flow run, no warehouse
