"""`eventwire serve`: the scheduled deployments served from one process (no work pool needed)."""
from __future__ import annotations

from prefect import serve
from prefect.schedules import Cron

from flows.ingest import ingest, reprocess


def serve_deployments(*, cron: str = "*/15 * * * *", timezone: str = "UTC", db: str | None = None,
                      feeds_file: str | None = None) -> None:
    params = {k: v for k, v in {"db": db, "feeds_file": feeds_file}.items() if v}
    ingest_dep = ingest.to_deployment(name="ingest", schedules=[Cron(cron, timezone=timezone)], parameters=params,
                                      tags=["eventwire"])
    reprocess_dep = reprocess.to_deployment(name="reprocess", parameters={k: v for k, v in params.items()
                                                                         if k == "db"}, tags=["eventwire"])
    serve(ingest_dep, reprocess_dep)
