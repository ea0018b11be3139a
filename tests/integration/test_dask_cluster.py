"""Extraction past one machine: a real `dask scheduler` and two `dask worker` processes on
127.0.0.1 (as on other machines, started from the command line), the ingest flow pointed at the
scheduler (EVENTWIRE_DASK_ADDRESS), the flow process the one writer.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from prefect.testing.utilities import prefect_test_harness

from flows.ingest import ingest
from flows.runners import dask_available, task_runner_from_settings
from flows.settings import Settings
from tests.e2e.conftest import ARTICLES
from tests.sitekit import Site, rss, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.network,
              pytest.mark.skipif(not dask_available(), reason="prefect-dask is not installed (pip install -e '.[dask]')")]

DASK = Path(sys.executable).with_name("dask")
ROOT = Path(__file__).resolve().parents[2]


def _wait_for(path: Path, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            try:
                return json.loads(path.read_text())
            except json.JSONDecodeError:
                pass      # being written
        time.sleep(0.2)
    raise TimeoutError(f"no Dask scheduler file at {path} after {timeout} s")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[str]:
    """`dask scheduler` on 127.0.0.1 and two single-threaded `dask worker` processes; its address."""
    tmp = tmp_path_factory.mktemp("dask")
    info = tmp / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(info)], cwd=tmp, env=env,
                              stdout=subprocess.DEVNULL, stderr=(tmp / "scheduler.log").open("w"))]
    try:
        address = _wait_for(info)["address"]
        for i in range(2):
            procs.append(subprocess.Popen(
                [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
                 "--no-dashboard", "--name", f"w{i}", "--local-directory", str(tmp / f"w{i}")],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(tmp / f"worker{i}.log").open("w")))
        from distributed import Client
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve_site() as s:
        s.put("/a.xml", rss(ARTICLES))
        yield s


def test_extraction_runs_on_the_workers_and_the_flow_writes(tmp_path, cluster, site):
    db = tmp_path / "w.duckdb"
    runner = task_runner_from_settings(Settings(task_runner="dask", dask_address=cluster))
    with prefect_test_harness(server_startup_timeout=120):
        summary = ingest.with_options(task_runner=runner)(feeds=[site.url("/a.xml")], db=str(db), batch_size=1)
    assert summary.status == "completed" and summary.articles_new == len(ARTICLES) and summary.meetings >= 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(ARTICLES)
        assert con.execute("SELECT count(*) FROM meetings").fetchone()[0] == summary.meetings
    from distributed import Client
    with Client(cluster, timeout=60) as client:    # each worker: how many tasks it ran, whether it extracted
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
        extracted = client.run(lambda: "extraction.ru.nlp" in sys.modules
                               and sys.modules["extraction.ru.nlp"].models.cache_info().currsize == 1)
    assert len(executed) == 2 and sum(executed.values()) > len(ARTICLES), executed   # a fetch, a task a batch
    assert any(extracted.values()), extracted          # natasha's models were loaded on a worker
