"""`eventwire run` end to end: a real HTTP server on 127.0.0.1, the real CLI, a real DuckDB file."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.e2e.conftest import ARTICLES, run_cli
from tests.sitekit import rss
from warehouse.testing import duplicate_keys

pytestmark = [pytest.mark.slow, pytest.mark.network]

TABLES = ["articles", "institutions", "institution_mentions", "meetings", "meeting_participants", "mechanisms",
          "rejects", "feeds", "feed_runs", "runs"]
def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def duplicates(db: Path) -> dict[str, int]:
    """Key values stored more than once, in any table (warehouse.testing knows every table's key)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return duplicate_keys(con)


def snapshot(db: Path, article_id: str | None = None, exclude: str | None = None) -> dict[str, list]:
    """Every extracted row of one article (or of all but one), for before/after comparisons."""
    where, params = "", []
    if article_id:
        where, params = "WHERE article_id = ?", [article_id]
    elif exclude:
        where, params = "WHERE article_id <> ?", [exclude]
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT * EXCLUDE (extractor_version) FROM {t} {where} ORDER BY ALL", params)
                .fetchall() for t in ("meetings", "mechanisms", "institution_mentions")} | {
            "articles": con.execute(f"SELECT article_id, content_hash, updated_at, body FROM articles {where} "
                                    "ORDER BY ALL", params).fetchall()}


def test_run_twice_is_idempotent_and_a_change_touches_only_its_article(site, cli_env, tmp_path):
    url = site.put("/ru.xml", rss(ARTICLES))
    db = tmp_path / "w.duckdb"

    first = run_cli(cli_env, "run", "--feeds", url, "--db", str(db))
    assert first.returncode == 0, first.stderr
    after_first = counts(db)
    assert after_first["articles"] == 3
    assert after_first["feeds"] == 1 and after_first["runs"] == 1
    assert after_first["institution_mentions"] > 0
    assert not any(duplicates(db).values())

    second = run_cli(cli_env, "run", "--feeds", url, "--db", str(db))
    assert second.returncode == 0, second.stderr
    after_second = counts(db)
    assert {k: v for k, v in after_second.items() if k not in {"runs", "feed_runs"}} == \
        {k: v for k, v in after_first.items() if k not in {"runs", "feed_runs"}}
    assert after_second["runs"] == 2
    assert not any(duplicates(db).values())
    with duckdb.connect(str(db), read_only=True) as con:
        new, unchanged = con.execute("SELECT articles_new, articles_unchanged FROM runs ORDER BY started_at DESC "
                                     "LIMIT 1").fetchone()
        changed_id = con.execute("SELECT article_id FROM articles WHERE guid = 't-1'").fetchone()[0]
    assert (new, unchanged) == (0, 3)

    others_before = snapshot(db, exclude=changed_id)
    target_before = snapshot(db, article_id=changed_id)
    edited = [dict(a) for a in ARTICLES]
    edited[0]["text"] = edited[0]["text"].replace("Душанбе", "Худжанде")
    site.put("/ru.xml", rss(edited))
    third = run_cli(cli_env, "run", "--feeds", url, "--db", str(db))
    assert third.returncode == 0, third.stderr
    assert snapshot(db, exclude=changed_id) == others_before
    target_after = snapshot(db, article_id=changed_id)
    assert target_after["articles"] != target_before["articles"]
    assert "Худжанде" in target_after["articles"][0][3]
    assert not any(duplicates(db).values())
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT articles_new, articles_updated, articles_unchanged FROM runs "
                          "ORDER BY started_at DESC LIMIT 1").fetchone()
        revisions = con.execute("SELECT count(*) FROM article_revisions WHERE article_id = ?",
                                [changed_id]).fetchone()[0]
    assert row == (0, 1, 2)
    assert revisions == 1


def test_a_failing_feed_is_recorded_and_the_others_load(site, cli_env, tmp_path):
    good = site.put("/good.xml", rss(ARTICLES[:2]))
    broken = site.url("/missing.xml")           # 404
    db = tmp_path / "w.duckdb"
    proc = run_cli(cli_env, "run", "--feeds", broken, "--feeds", good, "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "failed" in proc.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        status, error = con.execute("SELECT status, error FROM feed_runs WHERE feed_url = ?", [broken]).fetchone()
        assert status == "failed" and "404" in error
        errors, last_error = con.execute("SELECT error_count, last_error FROM feeds WHERE feed_url = ?",
                                         [broken]).fetchone()
        assert errors == 1 and "404" in last_error
        assert con.execute("SELECT error_count FROM feeds WHERE feed_url = ?", [good]).fetchone()[0] == 0


def test_second_run_uses_conditional_get(site, cli_env, tmp_path):
    url = site.put("/etag.xml", rss(ARTICLES[:1]), ETag='"v1"')
    db = tmp_path / "w.duckdb"
    assert run_cli(cli_env, "run", "--feeds", url, "--db", str(db)).returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT etag FROM feeds").fetchone()[0] == '"v1"'
    proc = run_cli(cli_env, "run", "--feeds", url, "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert site.not_modified["/etag.xml"] == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status FROM feed_runs ORDER BY rowid DESC LIMIT 1").fetchone()[0] == "not_modified"
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_reprocess_re_extracts_stored_articles_without_refetching(site, cli_env, tmp_path):
    url = site.put("/re.xml", rss(ARTICLES))
    db = tmp_path / "w.duckdb"
    assert run_cli(cli_env, "run", "--feeds", url, "--db", str(db)).returncode == 0
    before = snapshot(db)
    hits = site.hits["/re.xml"]
    proc = run_cli(cli_env, "reprocess", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert site.hits["/re.xml"] == hits          # no refetch
    assert snapshot(db) == before                # same extractor, same records, no duplicates
    assert not any(duplicates(db).values())
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'completed'").fetchone()[0] == 2
        versions = con.execute("SELECT DISTINCT extractor_version FROM meetings UNION "
                               "SELECT DISTINCT extractor_version FROM institution_mentions").fetchall()
    assert len(versions) == 1 and versions[0][0]


def test_reprocess_on_a_missing_warehouse_is_a_usage_error(cli_env, tmp_path):
    proc = run_cli(cli_env, "reprocess", "--db", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr


def test_worker_processes_extract_what_the_run_process_extracts(site, cli_env, tmp_path):
    url = site.put("/ru.xml", rss(ARTICLES))
    rows = {}
    for processes in (0, 2):
        db = tmp_path / f"w{processes}.duckdb"
        env = cli_env | {"EVENTWIRE_EXTRACT_PROCESSES": str(processes), "EVENTWIRE_EXTRACT_PROCESSES_FROM": "1"}
        out = run_cli(env, "run", "--feeds", url, "--db", str(db))
        assert out.returncode == 0, out.stderr
        assert ("in 2 worker processes" in out.stderr + out.stdout) == (processes == 2), out.stderr
        rows[processes] = {t: v for t, v in snapshot(db).items() if t != "articles"}
    assert rows[0] == rows[2] and rows[2]["meetings"]
