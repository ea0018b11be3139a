"""The query connection of `eventwire sql` (warehouse.db.connect_for_queries / run_query) on a real file:
views and example queries answer as on a plain read-only connection; writes, files, ATTACH,
extensions and settings are refused by DuckDB with a one-line QueryError; the file stays as it was."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from flows.resolution import resolve_warehouse
from schemas import Feed, FetchResult
from warehouse import (
    FeedCounts,
    QueryError,
    WarehouseError,
    connect_for_queries,
    finish_run,
    load_batch,
    open_warehouse,
    record_feed_result,
    run_query,
    start_run,
)
from warehouse.db import QUERY_SETTINGS
from warehouse.migrate import load_queries, load_views
from warehouse.testing import make_article, make_extraction

VIEWS = [name.removesuffix(".sql") for name, _ in load_views()]
QUERIES = load_queries()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("queries") / "w.duckdb"
    con = open_warehouse(path)
    start_run(con, run_id="run1", flow_run_id=None)
    articles = [make_article(1), make_article(2, language="en")]
    load_batch(con, run_id="run1", articles=articles, extractions=[make_extraction(a) for a in articles])
    resolve_warehouse(con)   # the events views need events
    feed = Feed(url="https://example.test/feed.xml", name="Example")
    record_feed_result(con, run_id="run1", feed=feed, counts=FeedCounts(articles_new=2), parsed=None,
                       fetch=FetchResult(feed_url=feed.url, status="failed", error="HTTP 500"))
    finish_run(con, "run1", status="completed", counts={"feeds_total": 1, "articles_new": 2})
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture()
def sealed(tiny: Path):
    con = connect_for_queries(tiny)
    yield con
    con.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plain(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        cur = con.execute(sql)
        return [d[0] for d in cur.description], cur.fetchall()


def test_the_connection_is_read_only_sealed_and_utc(sealed) -> None:
    columns, rows = run_query(sealed, "SELECT current_setting('access_mode'), current_setting('TimeZone'), "
                                      "current_setting('enable_external_access'), "
                                      "current_setting('lock_configuration')")
    assert len(columns) == 4
    assert rows == [("read_only", "UTC", *QUERY_SETTINGS.values())]
    assert QUERY_SETTINGS == {"enable_external_access": False, "lock_configuration": True}


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_answers_as_on_a_plain_connection(tiny: Path, view: str) -> None:
    sql = f"SELECT * FROM {view} ORDER BY ALL"
    con = connect_for_queries(tiny)
    try:
        ours = run_query(con, sql)
    finally:
        con.close()
    assert ours == _plain(tiny, sql)
    assert ours[1], view


@pytest.mark.parametrize("name, sql", QUERIES, ids=[name for name, _ in QUERIES])
def test_every_example_query_answers_as_on_a_plain_connection(tiny: Path, name: str, sql: str) -> None:
    con = connect_for_queries(tiny)
    try:
        ours = run_query(con, sql)
    finally:
        con.close()
    assert ours == _plain(tiny, sql), name


def test_tables_joins_and_builtin_functions_work(sealed) -> None:
    columns, rows = run_query(sealed, """
        SELECT a.language, count(DISTINCT m.meeting_id) AS meetings, max(a.published_at)::DATE AS last,
               json_object('n', count(*)) AS j, any_value(date_trunc('week', a.published_at)) IS NOT NULL AS tz
        FROM articles a LEFT JOIN meetings m USING (article_id) GROUP BY ALL ORDER BY ALL""")
    assert columns == ["language", "meetings", "last", "j", "tz"]
    assert [r[0] for r in rows] == ["en", "ru"] and all(r[4] for r in rows)
    assert run_query(sealed, "SELECT 1 AS a; SELECT 2 AS b") == (["b"], [(2,)])  # the last statement answers
    assert run_query(sealed, "CHECKPOINT")[1] == []  # a no-op on a read-only file


def _refused_statements(tmp: Path) -> dict[str, tuple[str, Path | None]]:
    """name -> (statement, a path it must not create)."""
    secret = tmp / "secret.csv"
    secret.write_text("user,password\nroot,hunter2\n")
    return {
        "copy to csv": (f"COPY articles TO '{tmp / 'out.csv'}'", tmp / "out.csv"),
        "copy query to parquet": (f"COPY (SELECT 1) TO '{tmp / 'out.parquet'}' (FORMAT parquet)",
                                  tmp / "out.parquet"),
        "copy from": (f"COPY feeds FROM '{secret}'", None),
        "export database": (f"EXPORT DATABASE '{tmp / 'export'}'", tmp / "export"),
        "import database": (f"IMPORT DATABASE '{tmp}'", None),
        "attach a file": (f"ATTACH '{tmp / 'other.duckdb'}' AS other", tmp / "other.duckdb"),
        "attach in memory": ("ATTACH ':memory:' AS scratch", None),
        "install": ("INSTALL httpfs", None),
        "load": ("LOAD httpfs", None),
        "read_csv": (f"SELECT * FROM read_csv('{secret}')", None),
        "read_csv of /etc/passwd": ("SELECT * FROM read_csv('/etc/passwd', sep = ':')", None),
        "read_text": (f"SELECT content FROM read_text('{secret}')", None),
        "read_blob": (f"SELECT content FROM read_blob('{secret}')", None),
        "glob": (f"SELECT * FROM glob('{tmp}/*')", None),
        "replacement scan of a path": (f"SELECT * FROM '{secret}'", None),
        "http": ("SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')", None),
        "re-enable external access": ("SET enable_external_access = true", None),
        "reset external access": ("RESET enable_external_access", None),
        "unlock configuration": ("SET lock_configuration = false", None),
        "set memory": ("SET memory_limit = '1TB'", None),
        "set temp directory": (f"SET temp_directory = '{tmp / 'spill'}'", tmp / "spill"),
        "profiling output": (f"SET profiling_output = '{tmp / 'profile.json'}'", tmp / "profile.json"),
        "pragma": ("PRAGMA enable_profiling", None),
        "persistent secret": ("CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')", None),
        "delete": ("DELETE FROM articles", None),
        "insert": ("INSERT INTO feeds (feed_url, name) VALUES ('a', 'b')", None),
        "create table": ("CREATE TABLE x (i INT)", None),
        "drop": ("DROP VIEW v_meetings", None),
        "write in a transaction": ("BEGIN; UPDATE feeds SET name = 'x'; COMMIT", None),
    }


def test_writes_files_attach_extensions_and_settings_are_refused(tiny: Path, tmp_path: Path) -> None:
    before = _sha(tiny)
    for name, (statement, must_not_exist) in _refused_statements(tmp_path).items():
        con = connect_for_queries(tiny)
        try:
            with pytest.raises(QueryError) as caught:
                run_query(con, statement)
            if not statement.startswith("BEGIN"):  # the seal holds after the refusal
                assert run_query(con, "SELECT current_setting('enable_external_access')")[1] == [(False,)], name
        finally:
            con.close()
        message = str(caught.value)
        assert message.startswith("refused: "), (name, message)
        assert "\n" not in message and "hunter2" not in message, name
        assert isinstance(caught.value.__cause__, duckdb.Error), name
        if must_not_exist is not None:
            assert not must_not_exist.exists(), name
    assert _sha(tiny) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.csv"]


def test_other_errors_are_one_line_query_errors(sealed) -> None:
    for statement in ("SELEC oops", "SELECT * FROM no_such_table", "SELECT 1/0::INT + 'x'"):
        with pytest.raises(QueryError) as caught:
            run_query(sealed, statement)
        assert not str(caught.value).startswith("refused") and "\n" not in str(caught.value), statement


def test_a_second_query_connection_in_the_same_process(tiny: Path) -> None:
    """DuckDB shares one instance (and its settings) between a process's connections to a file:
    the second connection finds it sealed already, in UTC, and opens all the same."""
    first = connect_for_queries(tiny)
    try:
        second = connect_for_queries(tiny)
        try:
            assert run_query(second, "SELECT count(*) FROM articles") == (["count_star()"], [(2,)])
            assert run_query(second, "SELECT current_setting('TimeZone')")[1] == [("UTC",)]
        finally:
            second.close()
        assert run_query(first, "SELECT count(*) FROM feeds")[1] == [(1,)]
    finally:
        first.close()


def test_a_missing_file_is_a_warehouse_error(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="does not exist"):
        connect_for_queries(tmp_path / "none.duckdb")
    assert not (tmp_path / "none.duckdb").exists()
