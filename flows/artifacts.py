"""Prefect artifacts of a run, shown in the UI: a Markdown summary, a table of all feeds,
a one-row table per feed (its key keeps that feed's history across runs) and a link to
the warehouse file."""
from __future__ import annotations

import re
from pathlib import Path

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from flows.summary import FeedRow, RunSummary

FEED_COLUMNS = ("status", "http_status", "items", "articles_new", "articles_updated", "articles_unchanged", "error")


def feed_artifact_key(feed: FeedRow) -> str:
    """`eventwire-feed-<slug>`: keys allow lowercase letters, digits and dashes only."""
    slug = re.sub(r"[^a-z0-9]+", "-", feed.url.lower().split("://", 1)[-1]).strip("-")
    return f"eventwire-feed-{slug}"[:200].rstrip("-")


def publish_run_artifacts(summary: RunSummary) -> None:
    create_markdown_artifact(key="eventwire-run-summary", markdown=summary.to_markdown(),
                             description=f"eventwire run {summary.run_id}")
    if summary.feeds:
        create_table_artifact(key="eventwire-feeds", table=summary.feed_table(),
                              description=f"feeds of run {summary.run_id}")
    for feed in summary.feeds:
        row = {"feed": feed.name, **{c: getattr(feed, c) for c in FEED_COLUMNS}}
        create_table_artifact(key=feed_artifact_key(feed), table=[row],
                              description=f"{feed.name} ({feed.url}) in run {summary.run_id}")
    db = Path(summary.db_path).expanduser().resolve()
    create_link_artifact(key="eventwire-warehouse", link=db.as_uri(), link_text=str(db),
                         description="the DuckDB warehouse this run wrote (query it with `eventwire sql`)")
