"""Prefect artifacts of a run, shown in the UI: a Markdown summary, a table of all feeds,
a one-row table per feed (its key keeps that feed's history across runs) and a link to
the warehouse file.

The UI renders artifact descriptions as Markdown, and the classic UI renders every string cell
of a table artifact as Markdown too, so every string in them goes through `md_escape` (the
summary's Markdown does so itself): a feed name, URL, error or HTTP reason phrase is shown as
text, never as a link, an image or HTML.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from flows.summary import FeedRow, RunSummary, md_escape

FEED_COLUMNS = ("status", "http_status", "items", "articles_new", "articles_updated", "articles_unchanged", "error")


def feed_artifact_key(feed: FeedRow) -> str:
    """`eventwire-feed-<slug>`: keys allow lowercase letters, digits and dashes only."""
    slug = re.sub(r"[^a-z0-9]+", "-", feed.url.lower().split("://", 1)[-1]).strip("-")
    return f"eventwire-feed-{slug}"[:200].rstrip("-")


def escaped_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A table artifact row with every string cell escaped (`md_escape`); numbers and None as they are."""
    return {key: md_escape(value) if isinstance(value, str) else value for key, value in row.items()}


def publish_run_artifacts(summary: RunSummary) -> None:
    """The run's Markdown summary, its feed table, one table per feed and the warehouse link."""
    run = md_escape(summary.run_id)
    create_markdown_artifact(key="eventwire-run-summary", markdown=summary.to_markdown(),
                             description=f"eventwire run {run}")
    if summary.feeds:
        create_table_artifact(key="eventwire-feeds", table=[escaped_row(r) for r in summary.feed_table()],
                              description=f"feeds of run {run}")
    for feed in summary.feeds:
        row = {"feed": feed.name, **{c: getattr(feed, c) for c in FEED_COLUMNS}}
        create_table_artifact(key=feed_artifact_key(feed), table=[escaped_row(row)],
                              description=f"{md_escape(feed.name)} ({md_escape(feed.url)}) in run {run}")
    db = Path(summary.db_path).expanduser().resolve()
    create_link_artifact(key="eventwire-warehouse", link=db.as_uri(), link_text=md_escape(db),
                         description="the DuckDB warehouse this run wrote (query it with `eventwire sql`)")
