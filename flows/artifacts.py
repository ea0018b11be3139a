"""Prefect artifacts of a run: a Markdown summary and a table per feed, shown in the UI."""
from __future__ import annotations

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.summary import RunSummary


def publish_run_artifacts(summary: RunSummary) -> None:
    create_markdown_artifact(key="eventwire-run-summary", markdown=summary.to_markdown(),
                             description=f"eventwire run {summary.run_id}")
    if summary.feeds:
        create_table_artifact(key="eventwire-feeds", table=summary.feed_table(),
                              description=f"feeds of run {summary.run_id}")
