"""`eventwire serve`: the deployments of deploy/prefect.yaml served from one process (no work pool).

The deployments (names, entrypoints, parameters, cron schedules with their timezone) are
read from deploy/prefect.yaml, so `serve` and `prefect deploy` + a worker run the same
thing. `flow.serve(cron=...)` would store the cron in UTC: schedules are built as
`prefect.schedules.Cron(cron, timezone=...)` objects instead. Before serving, the writer
limit of the warehouse is created on the server (flows/concurrency.py), so overlapping
runs queue on it.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from flows.settings import PROJECT_ROOT

PREFECT_YAML = PROJECT_ROOT / "deploy" / "prefect.yaml"


def load_deployment_specs(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    specs = data.get("deployments") or []
    if not specs:
        raise ValueError(f"{path}: no deployments")
    return specs


def build_deployments(specs: list[dict[str, Any]], *, overrides: dict[str, Any] | None = None,
                      cron: str | None = None, timezone: str | None = None) -> list:
    """RunnerDeployments of the specs. `overrides` replace parameters a flow accepts; `cron` and
    `timezone` replace the schedule of `ingest` (the timezone also applies to the other schedules)."""
    from prefect.schedules import Cron
    from prefect.utilities.importtools import import_object

    deployments = []
    for spec in specs:
        flow = import_object(spec["entrypoint"])
        accepted = set(flow.parameters.properties)
        params = {**(spec.get("parameters") or {}),
                  **{k: v for k, v in (overrides or {}).items() if v is not None and k in accepted}}
        schedules = []
        for s in spec.get("schedules") or []:
            expr = cron if (cron and spec["name"] == "ingest") else s["cron"]
            schedules.append(Cron(expr, timezone=timezone or s.get("timezone") or "UTC",
                                  active=s.get("active", True)))
        deployments.append(flow.to_deployment(
            name=spec["name"], description=spec.get("description"), tags=spec.get("tags") or [],
            parameters=params, schedules=schedules))
    return deployments


def serve_deployments(*, cron: str | None = None, timezone: str | None = None, db: str | None = None,
                      feeds_file: str | None = None, path: Path = PREFECT_YAML) -> None:
    from prefect import serve

    from flows.concurrency import ensure_writer_limit
    from flows.settings import Settings

    specs = load_deployment_specs(path)
    deployments = build_deployments(specs, overrides={"db": db, "feeds_file": feeds_file},
                                    cron=cron, timezone=timezone)
    warehouses = {p.get("db") for p in (d.parameters for d in deployments) if p.get("db")} or {str(Settings().db)}
    for warehouse in sorted(warehouses):
        print(f"writer limit {ensure_writer_limit(warehouse)} (limit 1) guards {warehouse}", file=sys.stderr)
    serve(*deployments)
