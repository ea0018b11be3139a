"""`eventwire export` on a real DuckDB warehouse of three months: every table and view as Parquet
(partitioned by month) or CSV, read back by DuckDB and pyarrow; --since; byte-identical re-exports;
no stale partitions; a failed export keeps the previous one; clear errors for a bad --out."""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from flows.cli import main
from flows.resolution import resolve_warehouse
from schemas import Feed, FetchResult, Reject
from warehouse import (
    FeedCounts,
    WarehouseError,
    connect,
    finish_run,
    insert_rejects,
    load_batch,
    open_warehouse,
    record_feed_result,
    start_run,
)
from warehouse.export import INTERNAL_TABLES, export_warehouse
from warehouse.migrate import load_views
from warehouse.testing import make_article, make_extraction, make_reject

CONTRACT = {"articles", "institutions", "institution_mentions", "meetings", "meeting_participants", "mechanisms",
            "rejects", "events", "feeds", "runs", "reports", "entities"}
# article n: publication (None: undated, so first seen now), language, meeting kind and place
ARTICLES = {
    1: (datetime(2024, 3, 5, 9, tzinfo=UTC), "ru", "summit", "Москва"),
    2: (datetime(2024, 3, 20, 23, 30, tzinfo=UTC), "en", "talks", "Париж"),
    3: (datetime(2024, 4, 10, 12, tzinfo=UTC), "ru", "forum", "Пекин"),
    4: (datetime(2024, 5, 2, 8, tzinfo=UTC), "en", "visit", "Дели"),
    5: (None, "ru", "call", "Каир"),
}
SINCE = date(2024, 4, 1)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Articles from March to May 2024 and one undated, with their records and events, two runs
    (one in March 2024), a feed, and rejects from March and May 2024."""
    path = tmp_path_factory.mktemp("export") / "w.duckdb"
    con = open_warehouse(path)
    start_run(con, run_id="run0", flow_run_id=None)
    finish_run(con, "run0", status="completed", counts={})
    start_run(con, run_id="run1", flow_run_id=None)
    articles, extractions = [], []
    for n, (published, language, kind, place) in ARTICLES.items():
        article = make_article(n, language=language, published_at=published)
        extraction = make_extraction(article)
        day = (published or datetime.now(UTC)).date()
        meeting = extraction.meetings[0].model_copy(update={
            "kind": kind, "location": place, "status": "past", "start_date": day, "date_precision": "day"})
        articles.append(article)
        extractions.append(extraction.model_copy(update={"meetings": (meeting,)}))
    load_batch(con, run_id="run1", articles=articles, extractions=extractions)
    resolve_warehouse(con)
    feed = Feed(url="https://example.test/feed.xml", name="Example")
    record_feed_result(con, run_id="run1", feed=feed, counts=FeedCounts(articles_new=5), parsed=None,
                       fetch=FetchResult(feed_url=feed.url, status="failed", error="HTTP 500"))
    insert_rejects(con, [make_reject(1), Reject.of(reject_id="r-march", stage="parse", record_type="item",
                                                   error="bad date", payload={"n": 0},
                                                   now=datetime(2024, 3, 1, tzinfo=UTC))], "run1")
    finish_run(con, "run1", status="completed", counts={"articles_new": 5})
    # the first run started in March 2024 (runs take their start time from the clock)
    con.execute("UPDATE runs SET started_at = ? WHERE run_id = 'run0'", [datetime(2024, 3, 1, 6, tzinfo=UTC)])
    con.close()
    return path


@pytest.fixture()
def con(db: Path):
    con = connect(db, read_only=True)
    yield con
    con.close()


def export(db: Path, out: Path, **options) -> list[str]:
    """export_warehouse on a read-only connection, as `eventwire export` calls it."""
    con = connect(db, read_only=True)
    try:
        return export_warehouse(con, out, **options)
    finally:
        con.close()


@pytest.fixture(scope="module")
def parquet_out(db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("parquet") / "out"
    return out, export(db, out)


def relations(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """name -> 'table' | 'view' of everything an export should write."""
    rows = con.execute("SELECT table_name, 'table' FROM duckdb_tables() WHERE NOT internal AND NOT temporary "
                       "UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE NOT internal AND NOT temporary"
                       ).fetchall()
    return {name: kind for name, kind in rows if name not in INTERNAL_TABLES}


def read_back(con: duckdb.DuckDBPyConnection, out: Path, name: str) -> list[tuple]:
    """Rows of an exported table or view as DuckDB reads them (without the partition column), sorted."""
    if (out / name).is_dir():
        return con.execute("SELECT * EXCLUDE (month) FROM read_parquet(?, hive_partitioning = true) ORDER BY ALL",
                           [str(out / name / "**" / "*.parquet")]).fetchall()
    return con.execute("SELECT * FROM read_parquet(?) ORDER BY ALL", [str(out / f"{name}.parquet")]).fetchall()


def exported_ids(out: Path, name: str, column: str) -> set[str]:
    return set(ds.dataset(out / name, format="parquet", partitioning="hive").to_table(columns=[column])
               .column(column).to_pylist())


def hashes(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def months(path: Path) -> set[str]:
    return {p.name for p in path.iterdir() if p.is_dir()}


def test_every_table_and_view_is_exported(parquet_out, con) -> None:
    out, lines = parquet_out
    expected = relations(con)
    assert CONTRACT <= set(expected) and {name.removesuffix(".sql") for name, _ in load_views()} <= set(expected)
    assert {line.split(":")[0] for line in lines} == set(expected) and len(lines) == len(expected)
    for name in expected:
        assert (out / name).is_dir() or (out / f"{name}.parquet").is_file(), name
    # tables that grow with time by month, dimensions and aggregates one file each
    assert months(out / "articles") >= {"month=2024-03", "month=2024-04", "month=2024-05"}
    assert months(out / "meetings") == months(out / "articles") == months(out / "v_meetings")
    assert months(out / "runs") >= {"month=2024-03"} and months(out / "rejects") == {"month=2024-03", "month=2024-05"}
    for name in ("feeds", "institutions", "entities", "v_feed_health", "v_articles_by_language"):
        assert (out / f"{name}.parquet").is_file(), name
    assert [p.name for p in (out / "articles" / "month=2024-03").iterdir()] == ["data_0.parquet"]
    articles = next(line for line in lines if line.startswith("articles:"))
    assert articles == f"articles: 5 rows in {len(months(out / 'articles'))} months -> {out / 'articles'}/"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging directory left


def test_duckdb_reads_back_the_same_rows(parquet_out, con) -> None:
    out, _ = parquet_out
    for name in relations(con):
        expected = con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
        assert read_back(con, out, name) == expected, name
    by_month = con.execute("SELECT article_id, month, typeof(month) FROM read_parquet(?, hive_partitioning = true) "
                           "ORDER BY article_id", [str(out / "articles" / "*" / "*.parquet")]).fetchall()
    assert by_month == con.execute(
        "SELECT article_id, strftime(coalesce(published_at, first_seen_at), '%Y-%m'), 'VARCHAR' FROM articles "
        "ORDER BY article_id").fetchall()
    # a record is in its article's month, whatever the date of the meeting
    participants = [str(out / "meeting_participants" / "*" / "*.parquet")]
    assert con.execute("SELECT count(*), count(*) FILTER (WHERE p.month = strftime(coalesce(a.published_at, "
                       "a.first_seen_at), '%Y-%m')) FROM read_parquet(?, hive_partitioning = true) AS p "
                       "JOIN meetings AS m USING (meeting_id) JOIN articles AS a ON a.article_id = m.article_id",
                       participants).fetchone() == (10, 10)


def test_files_are_ordered_by_key(parquet_out) -> None:
    out, _ = parquet_out
    for month in sorted((out / "articles").iterdir()):
        ids = pq.read_table(month / "data_0.parquet").column("article_id").to_pylist()
        assert ids == sorted(ids)


def test_pyarrow_opens_partitioned_and_single_files(parquet_out, con) -> None:
    out, _ = parquet_out
    meetings = ds.dataset(out / "meetings", format="parquet", partitioning="hive").to_table()
    assert meetings.num_rows == con.execute("SELECT count(*) FROM meetings").fetchone()[0]
    assert "month" in meetings.column_names and {"2024-03", "2024-04", "2024-05"} <= set(meetings.column("month").to_pylist())
    assert pq.read_table(out / "events").num_rows == con.execute("SELECT count(*) FROM events").fetchone()[0]
    events = pq.read_table(out / "v_events").to_pylist()  # nested columns stay lists in Parquet
    assert all(isinstance(e["languages"], list) and isinstance(e["participants"], list) for e in events)
    assert pq.read_table(out / "feeds.parquet").to_pylist()[0]["feed_url"] == "https://example.test/feed.xml"


def test_csv_has_headers_and_every_row(db: Path, con, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    lines = export(db, out, fmt="csv")
    expected = relations(con)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.csv" for name in expected)
    assert f"meetings: 5 rows -> {out / 'meetings.csv'}" in lines
    for name in expected:
        with (out / f"{name}.csv").open(newline="", encoding="utf-8") as f:
            header, *rows = list(csv.reader(f))
        assert header == [d[0] for d in con.execute(f'SELECT * FROM "{name}" LIMIT 0').description], name
        assert len(rows) == con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0], name
    with (out / "events.csv").open(newline="", encoding="utf-8") as f:
        events = {row["event_id"]: row for row in csv.DictReader(f)}
    stored = dict(con.execute("SELECT event_id, languages FROM events").fetchall())
    assert {eid: json.loads(row["languages"]) for eid, row in events.items()} == stored  # nested: JSON text
    assert con.execute("SELECT count(*) FROM read_csv(?, header = true)", [str(out / "meetings.csv")]).fetchone() == (5,)


def test_since_keeps_recent_rows_and_their_records(db: Path, con, tmp_path: Path) -> None:
    out = tmp_path / "since"
    export(db, out, since=SINCE)
    recent = {a for (a,) in con.execute("SELECT article_id FROM articles WHERE "
                                        "CAST(coalesce(published_at, first_seen_at) AS DATE) >= ?", [SINCE]).fetchall()}
    assert recent == {"a0003", "a0004", "a0005"}
    assert exported_ids(out, "articles", "article_id") == recent
    assert "month=2024-03" not in months(out / "articles")
    for name in ("meetings", "mechanisms", "institution_mentions", "reports", "v_meetings", "v_mechanisms",
                 "v_event_reports"):
        expected = {a for (a,) in con.execute(f"SELECT article_id FROM {name}").fetchall()} & recent
        assert exported_ids(out, name, "article_id") == expected, name
    meetings = exported_ids(out, "meetings", "meeting_id")
    assert exported_ids(out, "meeting_participants", "meeting_id") == meetings and len(meetings) == 3
    events = {e for (e,) in con.execute("SELECT event_id FROM events WHERE "
                                        "coalesce(CAST(last_seen_at AS DATE), start_date) >= ?", [SINCE]).fetchall()}
    assert events and exported_ids(out, "events", "event_id") == events == exported_ids(out, "v_events", "event_id")
    assert exported_ids(out, "runs", "run_id") == {"run1"} == exported_ids(out, "feed_runs", "run_id")
    assert exported_ids(out, "rejects", "reject_id") == {"r1"}
    # dimensions whole
    for name in ("feeds", "institutions", "entities"):
        assert read_back(con, out, name) == con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall(), name


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_reexport_is_byte_identical(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    first_lines = export(db, out, fmt=fmt, since=SINCE)
    first = hashes(out)
    assert export(db, out, fmt=fmt, since=SINCE) == first_lines
    assert hashes(out) == first
    export(db, tmp_path / "elsewhere", fmt=fmt, since=SINCE)
    assert hashes(tmp_path / "elsewhere") == first


def test_narrower_range_leaves_no_stale_partition(db: Path, con, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(db, out)
    assert "month=2024-03" in months(out / "articles")
    lines = export(db, out, since=date(2024, 5, 1))
    assert months(out / "articles") == months(out / "meetings") and "month=2024-04" not in months(out / "articles")
    assert exported_ids(out, "articles", "article_id") == {"a0004", "a0005"}
    assert "rejects: 1 row in 1 month" in " ".join(lines)
    # nothing in range: an empty file that still has the columns (and month)
    export(db, out, since=date(2099, 1, 1))
    assert [p.name for p in (out / "articles").iterdir()] == ["data_0.parquet"]
    empty = con.execute("SELECT * FROM read_parquet(?, hive_partitioning = true)",
                        [str(out / "articles" / "**" / "*.parquet")])
    assert empty.fetchall() == [] and "month" in [d[0] for d in empty.description]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_failed_export_keeps_the_previous_one(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(db, out)
    before = hashes(out)
    broken = tmp_path / "broken.duckdb"
    shutil.copy(db, broken)
    con = connect(broken)
    con.execute("CREATE VIEW v_zz_broken AS SELECT error('boom') AS x")  # fails when read, after all the others
    con.close()
    with pytest.raises(WarehouseError, match=r"cannot export view v_zz_broken: .*boom"):
        export(broken, out, since=SINCE)
    assert hashes(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_export_leaves_the_warehouse_and_connection_as_they_were(db: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    con = connect(db, read_only=True)
    settings = con.execute("SELECT current_setting('threads'), current_setting('preserve_insertion_order')").fetchall()
    export_warehouse(con, tmp_path / "out", since=SINCE)
    assert con.execute("SELECT current_setting('threads'), current_setting('preserve_insertion_order')"
                       ).fetchall() == settings
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name LIKE '_ew_export%'").fetchone() == (0,)
    con.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_bad_out_is_a_clear_error(db: Path, tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("not a directory\n")
    with pytest.raises(WarehouseError, match=rf"export directory {afile} exists and is not a directory"):
        export(db, afile)
    with pytest.raises(WarehouseError, match=rf"cannot create export directory {afile / 'sub'}: "):
        export(db, afile / "sub")
    with pytest.raises(ValueError, match="export format 'xlsx' is not one of parquet, csv"):
        export(db, tmp_path / "out", fmt="xlsx")
    assert afile.read_text() == "not a directory\n" and not (tmp_path / "out").exists()


def test_cli_export(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "exports"
    assert main(["export", "--db", str(db), "--format", "csv", "--out", str(out), "--since", "2024-04-01"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert f"articles: 3 rows -> {out / 'articles.csv'}" in printed
    assert len(printed) == len(list(out.iterdir()))


def test_cli_export_to_a_file_exits_2(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "taken"
    afile.write_text("")
    assert main(["export", "--db", str(db), "--out", str(afile)]) == 2
    err = capsys.readouterr().err
    assert err == f"eventwire export: error: export directory {afile} exists and is not a directory\n"
