"""The task runner of the flows, chosen by setting: a thread pool (default) or Dask.

    EVENTWIRE_TASK_RUNNER=thread   ThreadPoolTaskRunner(max_workers=EVENTWIRE_FEED_CONCURRENCY):
                                   fetches are I/O bound, extraction runs in threads of one process.
    EVENTWIRE_TASK_RUNNER=dask     prefect-dask's DaskTaskRunner (`pip install -e ".[dask]"`):
                                   a local cluster of processes (EVENTWIRE_DASK_WORKERS) for
                                   CPU-bound extraction, or an existing scheduler on other
                                   machines (EVENTWIRE_DASK_ADDRESS=tcp://host:8786).

Only tasks move: `fetch <feed>` and `extract batch i/n` are pure functions of their
arguments (feeds, lists of articles) and return plain records. Writing stays in the flow
process, under the writer slot (flows/concurrency.py). When Dask is asked for but
prefect-dask is not installed the thread pool is used and a warning says so.
"""
from __future__ import annotations

import importlib.util
import logging

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.settings import Settings

log = logging.getLogger("eventwire.runners")


def dask_available() -> bool:
    return importlib.util.find_spec("prefect_dask") is not None


def task_runner_from_settings(settings: Settings | None = None) -> TaskRunner:
    settings = settings or Settings()
    if settings.task_runner == "dask":
        if not dask_available():
            log.warning("EVENTWIRE_TASK_RUNNER=dask but prefect-dask is not installed "
                        "(pip install -e '.[dask]'): using the thread pool")
        else:
            from prefect_dask import DaskTaskRunner
            if settings.dask_address:
                return DaskTaskRunner(address=settings.dask_address)
            cluster_kwargs = {"processes": True, "threads_per_worker": 1, "dashboard_address": None}
            if settings.dask_workers:
                cluster_kwargs["n_workers"] = settings.dask_workers
            return DaskTaskRunner(cluster_kwargs=cluster_kwargs)
    return ThreadPoolTaskRunner(max_workers=settings.feed_concurrency)


def runner_name(runner: TaskRunner) -> str:
    return type(runner).__name__
