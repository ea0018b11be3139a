"""Prefect artifacts of a run, shown in the UI: a Markdown summary, a table of all feeds,
a one-row table per feed that has news (its key keeps that feed's history across runs) and a
link to the warehouse file. A feed has news when it is fetched for the first time, brought new
or updated articles, failed, or failed in its last run (it recovered): a feed that answers 304,
or the same articles, run after run publishes nothing more than its row in the feeds table
(and in `feed_runs`).

The UI renders artifact descriptions as Markdown, and the classic UI renders every string cell
of a table artifact as Markdown too, so every string in them goes through `md_escape` (the
summary's Markdown does so itself): a feed name, URL, error or HTTP reason phrase is shown as
text, never as a link, an image or HTML.

The artifacts are sent at once (`CONCURRENCY` requests in flight on one client): one after the
other, a 200-feed run's took 10 s.
"""
from __future__ import annotations

import asyncio
import contextvars
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from prefect.artifacts import Artifact, LinkArtifact, MarkdownArtifact, TableArtifact
from prefect.client.orchestration import get_client

from flows.summary import FeedRow, RunSummary, md_escape

CONCURRENCY = 16    # artifact requests in flight at once
FEED_COLUMNS = ("status", "http_status", "items", "articles_new", "articles_updated", "articles_unchanged", "error")


def feed_artifact_key(feed: FeedRow) -> str:
    """`eventwire-feed-<slug>`: keys allow lowercase letters, digits and dashes only."""
    slug = re.sub(r"[^a-z0-9]+", "-", feed.url.lower().split("://", 1)[-1]).strip("-")
    return f"eventwire-feed-{slug}"[:200].rstrip("-")


def escaped_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A table artifact row with every string cell escaped (`md_escape`); numbers and None as they are."""
    return {key: md_escape(value) if isinstance(value, str) else value for key, value in row.items()}


def has_news(feed: FeedRow, last_status: str | None) -> bool:
    """The feed is new, brought new or updated articles, failed, or recovered from a failure."""
    return last_status in (None, "failed") or feed.status == "failed" or bool(feed.articles_new or feed.articles_updated)


def run_artifacts(summary: RunSummary, last_status: Mapping[str, str | None] | None = None) -> list[Artifact]:
    """The run's Markdown summary, its feed table, one table per feed that has news (`has_news`;
    every feed without `last_status`, each feed's status in its last run) and the warehouse link."""
    run = md_escape(summary.run_id)
    out: list[Artifact] = [MarkdownArtifact(key="eventwire-run-summary", markdown=summary.to_markdown(),
                                            description=f"eventwire run {run}")]
    if summary.feeds:
        out.append(TableArtifact(key="eventwire-feeds", table=[escaped_row(r) for r in summary.feed_table()],
                                 description=f"feeds of run {run}"))
    for feed in summary.feeds:
        if last_status is not None and not has_news(feed, last_status.get(feed.url)):
            continue
        row = {"feed": feed.name, **{c: getattr(feed, c) for c in FEED_COLUMNS}}
        out.append(TableArtifact(key=feed_artifact_key(feed), table=[escaped_row(row)],
                                 description=f"{md_escape(feed.name)} ({md_escape(feed.url)}) in run {run}"))
    db = Path(summary.db_path).expanduser().resolve()
    out.append(LinkArtifact(key="eventwire-warehouse", link=db.as_uri(), link_text=md_escape(db),
                            description="the DuckDB warehouse this run wrote (query it with `eventwire sql`)"))
    return out


def publish_run_artifacts(summary: RunSummary, last_status: Mapping[str, str | None] | None = None) -> None:
    """Create the run's artifacts (`run_artifacts`) for the current flow run, `CONCURRENCY` at a time.
    Raises the first error after every request has ended."""
    publish(run_artifacts(summary, last_status))


def publish(artifacts: Sequence[Artifact]) -> None:
    """Create `artifacts` for the current run (the caller's Prefect context), at once on one client, from
    a thread of their own (whether or not the caller runs an event loop)."""
    context = contextvars.copy_context()
    with ThreadPoolExecutor(1, thread_name_prefix="artifacts") as pool:
        pool.submit(context.run, asyncio.run, _create(artifacts)).result()


async def _create(artifacts: Sequence[Artifact]) -> None:
    limit = asyncio.Semaphore(CONCURRENCY)
    async with get_client() as client:
        async def one(artifact: Artifact) -> None:
            async with limit:
                await artifact.acreate(client)
        results = await asyncio.gather(*(one(a) for a in artifacts), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]
