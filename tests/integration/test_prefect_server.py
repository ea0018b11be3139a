"""A real `prefect server start`, `prefect deploy` of deploy/prefect.yaml, a real process worker and
`eventwire serve`: flow runs of ingest on feeds served from 127.0.0.1, checked through the REST API.

One server for the module (temporary PREFECT_HOME, free port, scheduler off so no cron run
fires during the tests); every process started here is stopped in teardown (SIGINT twice,
then SIGKILL of its process group).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import httpx
import pytest

from flows.concurrency import writer_limit_name
from tests.e2e.conftest import ARTICLES
from tests.sitekit import Site, rss, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(600)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED", "CRASHED"}


# --- helpers (also used by tests/e2e/test_ui_browser.py) ----------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(home: Path, api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "EVENTWIRE_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_API_URL=api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", PREFECT_LOGGING_LEVEL="INFO", PYTHONUNBUFFERED="1",
               PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false", PREFECT_WORKER_QUERY_SECONDS="1",
               PREFECT_RUNNER_POLL_FREQUENCY="2", PREFECT_LOGGING_EXTRA_LOGGERS="eventwire")
    return env


def start(args: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    out = log.open("ab")
    return subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """SIGINT twice (a process worker ignores one SIGTERM), then SIGKILL of the whole process group."""
    if proc.poll() is None:
        for _ in range(2):
            try:
                os.killpg(proc.pid, signal.SIGINT)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=timeout / 2)
                break
            except subprocess.TimeoutExpired:
                continue
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # children left behind (flow run subprocesses) go too
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


@contextmanager
def prefect_server(tmp: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """`prefect server start` on 127.0.0.1:<free port> with PREFECT_HOME in `tmp`; yields (api url, env)."""
    home = tmp / "prefect-home"
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = clean_env(home, api)
    log = tmp / "server.log"
    proc = start([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)], env, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"prefect server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield api, env
    finally:
        stop(proc)


def run_cmd(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{args}: {proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


RETRY_STATUSES = frozenset({502, 503, 504})


def api_call(method: str, url: str, **kwargs) -> httpx.Response:
    """One API request, retried like Prefect's own client does when the server answers 502/503/504 or the
    connection drops (a loaded server's SQLite is briefly busy); other answers are returned as they are."""
    for attempt in range(6):
        try:
            r = httpx.request(method, url, timeout=10, **kwargs)
        except httpx.TransportError:
            if attempt == 5:
                raise
        else:
            if r.status_code not in RETRY_STATUSES or attempt == 5:
                return r
        time.sleep(0.5 * 2 ** attempt)
    raise AssertionError("unreachable")


def deployment(api: str, flow: str, name: str) -> dict:
    r = api_call("GET", f"{api}/deployments/name/{flow}/{name}")
    r.raise_for_status()
    return r.json()


def create_run(api: str, deployment_id: str, parameters: dict) -> str:
    r = api_call("POST", f"{api}/deployments/{deployment_id}/create_flow_run", json={"parameters": parameters})
    r.raise_for_status()
    return r.json()["id"]


def wait_for_runs(api: str, ids: list[str], timeout: float = 240) -> dict[str, dict]:
    deadline = time.monotonic() + timeout
    while True:
        runs = {i: api_call("GET", f"{api}/flow_runs/{i}").json() for i in ids}
        if all(r["state"]["type"] in TERMINAL for r in runs.values()):
            return runs
        if time.monotonic() > deadline:
            raise AssertionError(f"runs not finished in {timeout}s: {[(i, r['state']['type']) for i, r in runs.items()]}")
        time.sleep(1)


def filter_(api: str, what: str, body: dict) -> list[dict]:
    r = api_call("POST", f"{api}/{what}/filter", json=body)
    r.raise_for_status()
    return r.json()


def task_runs(api: str, run_id: str) -> list[dict]:
    return filter_(api, "task_runs", {"flow_runs": {"id": {"any_": [run_id]}}})


def artifacts(api: str, run_id: str) -> list[dict]:
    return filter_(api, "artifacts", {"artifacts": {"flow_run_id": {"any_": [run_id]}}})


def log_text(api: str, run_id: str, timeout: float = 20) -> str:
    """The run's log lines (they reach the API in batches: wait for the final line)."""
    deadline = time.monotonic() + timeout
    while True:
        logs = filter_(api, "logs", {"logs": {"flow_run_id": {"any_": [run_id]}}, "sort": "TIMESTAMP_ASC"})
        text = "\n".join(entry["message"] for entry in logs)
        if "Finished in state" in text or time.monotonic() > deadline:
            return text
        time.sleep(1)


def feed_articles(n: int) -> list[dict]:
    """`n` articles (the shared ones, repeated under new guids) — enough extraction work for a run to last."""
    return [{**a, "guid": f"{a['guid']}-{i}", "link": f"{a['link']}-{i}"}
            for i in range(n // len(ARTICLES) + 1) for a in ARTICLES][:n]


# --- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("prefect-server")


@pytest.fixture(scope="module")
def server(tmp) -> Iterator[tuple[str, dict[str, str]]]:
    with prefect_server(tmp) as s:
        yield s


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve_site() as s:
        s.put("/a.xml", rss(ARTICLES))
        s.put("/gone.xml", "not here", status=404, content_type="text/plain")
        s.put("/many.xml", rss(feed_articles(12)))
        yield s


@pytest.fixture(scope="module")
def deployed(server, tmp) -> Iterator[tuple[str, dict[str, str]]]:
    """The work pool, `prefect deploy --all` of deploy/prefect.yaml, the automations, and a worker."""
    api, env = server
    run_cmd(env, str(BIN / "prefect"), "work-pool", "create", "eventwire", "--type", "process")
    run_cmd(env, str(BIN / "prefect"), "--no-prompt", "deploy", "--prefect-file", "deploy/prefect.yaml", "--all")
    run_cmd(env, str(BIN / "eventwire"), "automations")
    worker = start([str(BIN / "prefect"), "worker", "start", "--pool", "eventwire", "--type", "process"],
                   env, tmp / "worker.log")
    try:
        yield api, env
    finally:
        stop(worker)


# --- tests --------------------------------------------------------------------------------------

def test_deploy_creates_the_scheduled_deployments(deployed):
    api, _ = deployed
    ingest = deployment(api, "ingest", "ingest")
    assert [(s["schedule"]["cron"], s["schedule"]["timezone"], s["active"]) for s in ingest["schedules"]] == [
        ("*/15 * * * *", "UTC", True)]
    assert ingest["parameters"] == {"feeds_file": "deploy/feeds.toml", "db": "data/eventwire.duckdb", "batch_size": 50}
    assert ingest["work_pool_name"] == "eventwire" and ingest["entrypoint"] == "flows.ingest:ingest"
    maintenance = deployment(api, "maintenance", "maintenance")
    assert [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in maintenance["schedules"]] == [
        ("30 3 * * *", "UTC")]
    assert deployment(api, "reprocess", "reprocess")["schedules"] == []


def test_a_worker_runs_ingest_and_the_ui_gets_its_artifacts(deployed, site, tmp):
    api, _ = deployed
    db = tmp / "one.duckdb"
    run_id = create_run(api, deployment(api, "ingest", "ingest")["id"],
                        {"feeds": [site.url("/a.xml"), site.url("/gone.xml")], "db": str(db)})
    run = wait_for_runs(api, [run_id])[run_id]
    assert run["state"]["type"] == "COMPLETED", run["state"]

    tasks = task_runs(api, run_id)
    assert sorted(t["name"] for t in tasks) == ["extract batch 1/1", "fetch 127.0.0.1/a.xml",
                                                "fetch 127.0.0.1/gone.xml"]
    assert {t["state"]["type"] for t in tasks} == {"COMPLETED"}

    found = {a["key"]: a for a in artifacts(api, run_id)}
    summary = found["eventwire-run-summary"]
    assert summary["type"] == "markdown"
    assert "| 1 | 0 | 1 | 3 | 0 | 0 |" in summary["data"]          # feeds ok / 304 / failed, articles new / upd / same
    assert "## Failed feeds" in summary["data"] and "404" in summary["data"]
    assert found["eventwire-feeds"]["type"] == "table"
    per_feed = {k: a for k, a in found.items() if k.startswith("eventwire-feed-")}
    assert len(per_feed) == 2 and {a["type"] for a in per_feed.values()} == {"table"}
    link = found["eventwire-warehouse"]["data"]            # a link artifact, stored as Markdown `[path](file://...)`
    assert f"({db.resolve().as_uri()})" in link and str(db.resolve()) in link

    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert con.execute("SELECT flow_run_id FROM runs").fetchall() == [(run_id,)]
    text = log_text(api, run_id)
    assert "no Prefect concurrency limit" in text       # no `eventwire limit` for this db: the file lock guards it
    assert "fetch 127.0.0.1/a.xml" in text or "[1/2]" in text


def test_two_runs_at_once_queue_on_the_writer_limit(deployed, site, tmp):
    api, env = deployed
    db = tmp / "two.duckdb"
    out = run_cmd(env, str(BIN / "eventwire"), "limit", "--db", str(db)).stdout
    assert writer_limit_name(db) in out
    dep = deployment(api, "ingest", "ingest")["id"]
    params = {"feeds": [site.url("/many.xml")], "db": str(db)}
    # a third writer holds the slot while both runs start, so that they overlap whatever the
    # worker's start-up times: both queue behind it, then one behind the other
    name = writer_limit_name(db)
    held = api_call("POST", f"{api}/v2/concurrency_limits/increment",
                    json={"names": [name], "slots": 1, "mode": "concurrency"})
    assert held.status_code == 200, held.text
    ids = [create_run(api, dep, params), create_run(api, dep, params)]
    deadline = time.monotonic() + 180
    while not all("waiting for the writer slot" in log_text(api, i, timeout=0) for i in ids):
        assert time.monotonic() < deadline, [log_text(api, i, timeout=0) for i in ids]
        time.sleep(2)
    api_call("POST", f"{api}/v2/concurrency_limits/decrement",
             json={"names": [name], "slots": 1}).raise_for_status()
    runs = wait_for_runs(api, ids)
    assert [r["state"]["type"] for r in runs.values()] == ["COMPLETED", "COMPLETED"]

    texts = [log_text(api, i) for i in ids]
    assert all("waiting for the writer slot" in t for t in texts), texts
    assert all("took the writer slot" in t and "after waiting" in t for t in texts), texts
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (12, 12)
        rows = con.execute("SELECT status, articles_new, articles_unchanged FROM runs ORDER BY started_at").fetchall()
    assert rows == [("completed", 12, 0), ("completed", 0, 12)]
    limit = api_call("GET", f"{api}/v2/concurrency_limits/{writer_limit_name(db)}").json()
    assert limit["limit"] == 1 and limit["active_slots"] == 0      # released by both


def test_maintenance_reports_a_failing_feed_as_an_event_and_the_automation_fires(deployed, site, tmp):
    api, _ = deployed
    db = tmp / "one.duckdb"          # written by the worker test: /gone.xml failed once there
    with duckdb.connect(str(db)) as con:  # and a run of 60 days ago, beyond the 30 days kept
        con.execute("INSERT INTO runs (run_id, started_at, status) VALUES ('old', now() - INTERVAL 60 DAY, 'completed')")
        con.execute("INSERT INTO feed_runs (run_id, feed_url, status, recorded_at) "
                    "VALUES ('old', 'http://x/', 'ok', now() - INTERVAL 60 DAY)")
    run_id = create_run(api, deployment(api, "maintenance", "maintenance")["id"],
                        {"db": str(db), "failing_after": 1})
    run = wait_for_runs(api, [run_id])[run_id]
    assert run["state"]["type"] == "COMPLETED", run["state"]
    md = {a["key"]: a for a in artifacts(api, run_id)}["eventwire-maintenance"]["data"]
    assert "Feeds that keep failing" in md and "127.0.0.1/gone.xml" in md
    assert "| 1 | 1 | 0 | 0 | 1 |" in md    # runs, feed_runs, article revisions, Prefect runs deleted; failing feeds
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs WHERE run_id = 'old'").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1       # the worker test's run stays

    automation = filter_(api, "automations", {})
    automation_id = next(a["id"] for a in automation if a["name"] == "eventwire-feed-failing")
    deadline = time.monotonic() + 60
    while True:
        events = api_call("POST", f"{api}/events/filter", json={"filter": {
            "event": {"name": ["eventwire.feed.failing", "prefect.automation.triggered"]},
            "occurred": {"since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))}},
            "limit": 50}).json()["events"]
        names = {e["event"] for e in events}
        if {"eventwire.feed.failing", "prefect.automation.triggered"} <= names or time.monotonic() > deadline:
            break
        time.sleep(2)
    failing = [e for e in events if e["event"] == "eventwire.feed.failing"]
    assert [e["resource"]["prefect.resource.name"] for e in failing] == ["127.0.0.1/gone.xml"]
    assert failing[0]["payload"]["error_count"] == 1
    triggered = [e for e in events if e["event"] == "prefect.automation.triggered"]
    assert triggered and triggered[0]["resource"]["prefect.resource.id"] == f"prefect.automation.{automation_id}"


def test_serve_serves_the_same_deployments_with_an_explicit_timezone(server, site, tmp):
    api, env = server
    db = tmp / "served.duckdb"
    for flow in ("ingest", "reprocess", "maintenance"):   # serve or a work pool, not both: drop the deployed ones
        try:
            api_call("DELETE", f"{api}/deployments/{deployment(api, flow, flow)['id']}").raise_for_status()
        except httpx.HTTPStatusError:
            pass
    serve = start([str(BIN / "eventwire"), "serve", "--timezone", "Europe/Moscow", "--db", str(db)],
                  env, tmp / "serve.log")
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                ingest = deployment(api, "ingest", "ingest")
                maintenance = deployment(api, "maintenance", "maintenance")
                deployment(api, "reprocess", "reprocess")
                if [s["schedule"]["timezone"] for s in ingest["schedules"]] == ["Europe/Moscow"]:
                    break
            except httpx.HTTPStatusError:
                ingest = None
            assert serve.poll() is None, (tmp / "serve.log").read_text()[-3000:]
            assert time.monotonic() < deadline, ingest
            time.sleep(1)
        assert ingest["schedules"][0]["schedule"]["cron"] == "*/15 * * * *"
        assert ingest["parameters"]["db"] == str(db)
        assert (maintenance["schedules"][0]["schedule"]["cron"],
                maintenance["schedules"][0]["schedule"]["timezone"]) == ("30 3 * * *", "Europe/Moscow")
        limit = api_call("GET", f"{api}/v2/concurrency_limits/{writer_limit_name(db)}")
        assert limit.status_code == 200 and limit.json()["limit"] == 1

        run_id = create_run(api, ingest["id"], {"feeds": [site.url("/a.xml")]})
        run = wait_for_runs(api, [run_id], timeout=180)[run_id]
        assert run["state"]["type"] == "COMPLETED", run["state"]
        assert "took the writer slot" in log_text(api, run_id)
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    finally:
        stop(serve)
