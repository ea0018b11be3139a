"""The `ingest` flow in-process under Prefect's test harness: retries, artifacts, task names."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator

import duckdb
import pytest
from prefect.client.orchestration import get_client
from prefect.testing.utilities import prefect_test_harness

from flows.ingest import ingest
from tests.e2e.conftest import ARTICLES
from tests.sitekit import Route, rss, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.network]


@pytest.fixture(scope="module", autouse=True)
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def fast_retries(monkeypatch):
    monkeypatch.setenv("EVENTWIRE_RETRY_DELAY_S", "0")
    monkeypatch.setenv("EVENTWIRE_FETCH_RETRIES", "2")


async def _artifacts(flow_run_id: str) -> list:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    async with get_client() as client:
        return await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))


async def _task_names(flow_run_id: str) -> list[str]:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    async with get_client() as client:
        runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return sorted(r.name for r in runs)


def test_transient_failure_is_retried_and_the_run_publishes_artifacts(tmp_path, fast_retries):
    with serve_site() as site:
        body = rss(ARTICLES).encode()
        flaky = site.put_sequence("/flaky.xml", [Route(500, b"boom"), Route(200, body, {"Content-Type": "application/rss+xml"})])
        gone = site.put("/gone.xml", "not here", status=404, content_type="text/plain")
        db = tmp_path / "w.duckdb"
        summary = ingest(feeds=[flaky, gone], db=str(db))
        assert site.hits["/flaky.xml"] == 2           # 500, then retried: 200
        assert site.hits["/gone.xml"] == 1            # 404 is terminal: never retried
    assert summary.status == "completed"
    assert summary.articles_new == 3
    assert {f.url: f.status for f in summary.feeds} == {flaky: "ok", gone: "failed"}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert con.execute("SELECT flow_run_id FROM runs").fetchone()[0] == summary.flow_run_id

    artifacts = asyncio.run(_artifacts(summary.flow_run_id))
    by_key = {a.key: a for a in artifacts}
    assert by_key["eventwire-run-summary"].type == "markdown"
    assert by_key["eventwire-feeds"].type == "table"
    assert "| 1 | 0 | 1 | 3 | 0 | 0 |" in by_key["eventwire-run-summary"].data
    names = asyncio.run(_task_names(summary.flow_run_id))
    assert "fetch 127.0.0.1/flaky.xml" in names and "fetch 127.0.0.1/gone.xml" in names
    assert any(n.startswith("extract batch 1/1") for n in names)


def test_a_run_closes_the_runs_a_killed_process_left_running(tmp_path):
    """A SIGKILLed run leaves its row 'running'; the next run, holding the writer slot, marks it failed."""
    from warehouse import open_warehouse, start_run
    db = tmp_path / "w.duckdb"
    con = open_warehouse(db)
    start_run(con, run_id="killed-run", flow_run_id=None)
    con.execute("UPDATE runs SET started_at = started_at - INTERVAL 1 HOUR")
    con.close()
    with serve_site() as site:
        summary = ingest(feeds=[site.put("/a.xml", rss(ARTICLES[:1]))], db=str(db))
    assert summary.status == "completed"
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT run_id, status, error, finished_at > started_at FROM runs ORDER BY started_at").fetchall()
    assert rows == [
        ("killed-run", "failed",
         f"abandoned: the process ended without finishing (found by run {summary.run_id})", True),
        (summary.run_id, "completed", None, True),
    ]


def test_a_failure_to_publish_artifacts_does_not_fail_a_recorded_run(tmp_path, monkeypatch):
    """An event over Prefect's size limit (or an API error) while publishing: the run stays completed."""
    import flows.ingest as ingest_module

    def too_large(summary):
        raise ValueError("Event is too large to emit")

    monkeypatch.setattr(ingest_module, "publish_run_artifacts", too_large)
    with serve_site() as site:
        feed = site.put("/feed.xml", rss(ARTICLES), content_type="application/rss+xml")
        summary = ingest(feeds=[feed], db=str(tmp_path / "w.duckdb"))
    assert summary.status == "completed"
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT status FROM runs").fetchall() == [("completed",)]


def test_a_feed_with_a_known_etag_is_probed_first_and_only_a_changed_one_gets_a_task(tmp_path, fast_retries):
    rss_type = {"Content-Type": "application/rss+xml"}
    with serve_site() as site:
        same = site.put("/same.xml", rss(ARTICLES[:1]), ETag='"s1"')
        changed = site.put_sequence("/changed.xml", [Route(200, rss(ARTICLES[1:2]).encode(), {**rss_type, "ETag": '"c1"'}),
                                                     Route(200, rss(ARTICLES[1:]).encode(), {**rss_type, "ETag": '"c2"'})])
        flaky = site.put_sequence("/flaky.xml", [Route(200, rss(ARTICLES[:1]).encode(), {**rss_type, "ETag": '"f1"'}),
                                                 Route(503, b"busy"),
                                                 Route(200, rss(ARTICLES[:1]).encode(), {**rss_type, "ETag": '"f2"'})])
        db = str(tmp_path / "w.duckdb")
        first = ingest(feeds=[same, changed, flaky], db=db)
        hits = dict(site.hits)
        second = ingest(feeds=[same, changed, flaky], db=db)
        run2 = {path: site.hits[path] - hits[path] for path in hits}
    assert first.status == second.status == "completed"
    assert {f.url: f.status for f in second.feeds} == {same: "not_modified", changed: "ok", flaky: "ok"}
    assert site.not_modified == {"/same.xml": 1}
    # the changed feed's probe was its fetch (one GET); the flaky one's 503 probe was retried by its task
    assert run2 == {"/same.xml": 1, "/changed.xml": 1, "/flaky.xml": 2}
    assert second.articles_new == 1 and second.articles_unchanged == 2
    names = asyncio.run(_task_names(second.flow_run_id))
    assert "fetch 127.0.0.1/changed.xml" in names and "fetch 127.0.0.1/flaky.xml" in names
    assert not any(n.startswith("fetch 127.0.0.1/same.xml") for n in names)   # a 304 needs no task run
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT etag FROM feeds ORDER BY feed_url").fetchall() == [('"c2"',), ('"f2"',), ('"s1"',)]
