"""Terminal output of the CLI: run summaries and query results (rich tables, CSV, JSON)."""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from flows.summary import RunSummary


def print_summary(summary: RunSummary, *, console: Console | None = None) -> None:
    console = console or Console(soft_wrap=True)
    feeds = Table(title=f"eventwire run {summary.run_id} — {summary.status} in {summary.seconds:.1f}s")
    for col in ("feed", "status", "http", "items", "new", "updated", "unchanged", "error"):
        feeds.add_column(col, justify="right" if col in {"http", "items", "new", "updated", "unchanged"} else "left")
    for f in summary.feeds:
        feeds.add_row(f.name, f.status, str(f.http_status or ""), str(f.items), str(f.articles_new),
                      str(f.articles_updated), str(f.articles_unchanged), (f.error or "")[:120])
    console.print(feeds)
    totals = Table(title="articles and records")
    for col in ("new", "updated", "unchanged", "mentions", "meetings", "mechanisms", "rejects"):
        totals.add_column(col, justify="right")
    totals.add_row(*(str(x) for x in (summary.articles_new, summary.articles_updated, summary.articles_unchanged,
                                      summary.institution_mentions, summary.meetings, summary.mechanisms,
                                      summary.rejects)))
    console.print(totals)
    console.print(f"warehouse: {summary.db_path}")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple | dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def print_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, fmt: str = "table",
               limit: int = 1000) -> None:
    if fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(columns)
        w.writerows([[_cell(v) for v in r] for r in rows])
        return
    if fmt == "json":
        json.dump([dict(zip(columns, r, strict=True)) for r in rows], sys.stdout, ensure_ascii=False, default=str, indent=2)
        sys.stdout.write("\n")
        return
    table = Table(*columns, caption=f"{len(rows)} rows" + (f" (first {limit} shown)" if len(rows) > limit else ""))
    for r in rows[:limit]:
        table.add_row(*(_cell(v) for v in r))
    Console(soft_wrap=False, width=max(120, Console().width)).print(table)
