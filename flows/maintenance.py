"""The nightly `maintenance` flow: checkpoint the warehouse, prune old bookkeeping, report failing feeds.

- CHECKPOINT folds DuckDB's write-ahead log into the file (a clean file to copy or back up).
- `runs` and `feed_runs` rows older than the retention are deleted (articles, records and
  rejects are data and stay); so are finished Prefect flow runs of this server older than the
  retention, with their task runs, logs and artifacts (the Prefect database grows ~20 KB per
  task run).
- Earlier versions of articles (`article_revisions`) are pruned: the newest
  `revisions_kept` of each article stay, none older than `revision_retention_days`.
- Feeds whose `error_count` (consecutive failed fetches) reached `failing_after` are listed
  in a Markdown artifact and each raises the Prefect event `eventwire.feed.failing`, which
  the automation of deploy/automations.yaml reacts to (`eventwire automations` creates it).

The work runs under the warehouse's writer slot, like ingest: it queues behind a running ingest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.concurrency import WriterBusy, writer_slot
from flows.settings import Settings
from flows.summary import md_escape
from warehouse import connect, migrate
from warehouse.maintenance import FailingFeed, checkpoint, failing_feeds, prune_revisions, prune_runs

FAILING_EVENT = "eventwire.feed.failing"
TERMINAL_STATES = ("COMPLETED", "FAILED", "CANCELLED", "CRASHED")


@dataclass
class MaintenanceReport:
    db_path: str
    status: str = "completed"
    runs_deleted: int = 0
    feed_runs_deleted: int = 0
    prefect_runs_deleted: int = 0
    revisions_deleted: int = 0
    failing: list[FailingFeed] = field(default_factory=list)
    events: int = 0
    error: str | None = None

    def to_markdown(self) -> str:
        lines = [f"# eventwire maintenance — {self.status}", "", f"Warehouse: {md_escape(self.db_path)} (checkpointed)", "",
                 "| runs deleted | feed_runs deleted | article revisions deleted | Prefect flow runs deleted "
                 "| failing feeds |",
                 "|---:|---:|---:|---:|---:|",
                 f"| {self.runs_deleted} | {self.feed_runs_deleted} | {self.revisions_deleted} "
                 f"| {self.prefect_runs_deleted} | {len(self.failing)} |"]
        if self.failing:
            lines += ["", "## Feeds that keep failing", "", "| feed | failures in a row | last ok | last error |",
                      "|---|---:|---|---|"]
            lines += [f"| {md_escape(f.name)} | {f.error_count} | {f.last_ok_at or 'never'} "
                      f"| {md_escape(f.last_error or '')} |" for f in self.failing]
        if self.error:
            lines += ["", md_escape(self.error)]
        return "\n".join(lines)


# --- plain functions (tests call them directly) ------------------------------------------------

def feed_resource_id(feed_url: str) -> str:
    return "eventwire.feed." + re.sub(r"[^a-z0-9]+", "-", feed_url.lower().split("://", 1)[-1]).strip("-")


def emit_failing_event(feed: FailingFeed, *, threshold: int) -> bool:
    """One `eventwire.feed.failing` event, the feed as its resource; False when events are off."""
    from prefect.events import emit_event
    event = emit_event(
        event=FAILING_EVENT,
        resource={"prefect.resource.id": feed_resource_id(feed.feed_url), "prefect.resource.name": feed.name,
                  "eventwire.feed.url": feed.feed_url},
        payload={"error_count": feed.error_count, "threshold": threshold, "last_error": feed.last_error,
                 "last_ok_at": feed.last_ok_at.isoformat() if feed.last_ok_at else None},
    )
    return event is not None


def prune_prefect_runs(*, before: datetime, batch: int = 200) -> int:
    """Delete finished Prefect flow runs that ended before `before` (their task runs, logs, artifacts go too)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterEndTime,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    flt = FlowRunFilter(end_time=FlowRunFilterEndTime(before_=before),
                        state=FlowRunFilterState(type=FlowRunFilterStateType(
                            any_=[StateType(s) for s in TERMINAL_STATES])))
    deleted = 0
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_flow_runs(flow_run_filter=flt, limit=batch)
            if not runs:
                return deleted
            for run in runs:
                client.delete_flow_run(run.id)
                deleted += 1
            if len(runs) < batch:
                return deleted


# --- the flow ----------------------------------------------------------------------------------

@flow(name="maintenance", description="Nightly: CHECKPOINT the warehouse, prune old runs and Prefect run logs, "
      "report feeds that keep failing (Prefect event eventwire.feed.failing).")
def maintenance(db: str | None = None, retention_days: int | None = None,
                failing_after: int | None = None) -> MaintenanceReport:
    overrides = {k: v for k, v in {"db": db, "retention_days": retention_days,
                                   "failing_after": failing_after}.items() if v}
    settings = Settings(**overrides)
    log = get_run_logger()
    report = MaintenanceReport(db_path=str(settings.db))
    cutoff = datetime.now(UTC) - timedelta(days=settings.retention_days)
    try:
        with writer_slot(settings.db, on_overlap=settings.on_overlap, wait_s=settings.writer_wait_s, log=log):
            con = connect(settings.db)
            try:
                migrate(con)
                report.runs_deleted, report.feed_runs_deleted = prune_runs(con, before=cutoff)
                report.revisions_deleted = prune_revisions(
                    con, keep=settings.revisions_kept,
                    before=datetime.now(UTC) - timedelta(days=settings.revision_retention_days))
                report.failing = failing_feeds(con, min_errors=settings.failing_after)
                checkpoint(con)
            finally:
                con.close()
    except WriterBusy as e:
        report.status, report.error = "skipped", str(e)
        log.warning("maintenance skipped: %s", e)
    log.info("warehouse %s: %d runs and %d feed_runs rows older than %d days and %d article revisions deleted, "
             "checkpointed", settings.db, report.runs_deleted, report.feed_runs_deleted, settings.retention_days,
             report.revisions_deleted)
    report.prefect_runs_deleted = prune_prefect_runs(before=cutoff)
    log.info("%d Prefect flow runs that ended before %s deleted", report.prefect_runs_deleted, cutoff.date())
    for feed in report.failing:
        log.warning("feed %s (%s) failed %d times in a row: %s", feed.name, feed.feed_url, feed.error_count,
                    feed.last_error)
        report.events += emit_failing_event(feed, threshold=settings.failing_after)
    create_markdown_artifact(key="eventwire-maintenance", markdown=report.to_markdown(),
                             description="nightly maintenance of the eventwire warehouse")
    return report
