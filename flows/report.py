"""Terminal output of the CLI: run summaries and query results (rich tables, CSV, JSON).

Strings in rich tables are `Text`, never markup: a feed name, an error quoting a server or a
stored title could otherwise hold rich markup (`[link=...]`) or terminal escape sequences (a
hyperlink, a cleared screen). Control characters other than tab and newline are dropped.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows.summary import RunSummary

# C0 controls but tab and newline (ESC starts terminal sequences), DEL, C1 controls, bidi overrides.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(value: object) -> Text:
    """`value` as plain rich Text: no markup interpreted, no control character passed to the terminal."""
    return Text(_TERMINAL_UNSAFE.sub("", "" if value is None else str(value)))


def print_summary(summary: RunSummary, *, console: Console | None = None) -> None:
    """The run's feed table and totals on the terminal."""
    console = console or Console(soft_wrap=True)
    if summary.kind == "reprocess":
        _print_reprocess(summary, console)
        return
    title = f"eventwire run {summary.run_id} — {summary.status} in {summary.seconds:.1f}s"
    feeds = Table(title=terminal_text(title))
    for col in ("feed", "status", "http", "items", "new", "updated", "unchanged", "error"):
        feeds.add_column(col, justify="right" if col in {"http", "items", "new", "updated", "unchanged"} else "left")
    for f in summary.feeds:
        feeds.add_row(terminal_text(f.name), terminal_text(f.status), str(f.http_status or ""), str(f.items),
                      str(f.articles_new), str(f.articles_updated), str(f.articles_unchanged),
                      terminal_text((f.error or "")[:120]))
    console.print(feeds)
    totals = Table(title="articles and records")
    for col in ("new", "updated", "unchanged", "mentions", "meetings", "mechanisms", "rejects"):
        totals.add_column(col, justify="right")
    totals.add_row(*(str(x) for x in (summary.articles_new, summary.articles_updated, summary.articles_unchanged,
                                      summary.institution_mentions, summary.meetings, summary.mechanisms,
                                      summary.rejects)))
    console.print(totals)
    console.print(terminal_text(f"warehouse: {summary.db_path}"))


def _print_reprocess(summary: RunSummary, console: Console) -> None:
    """What a reprocess did: how many stored articles it re-extracted (by language), what they hold now."""
    languages = ", ".join(f"{lang} {n}" for lang, n in sorted(summary.articles_by_language.items()))
    console.print(terminal_text(
        f"eventwire reprocess {summary.run_id} — {summary.status} in {summary.seconds:.1f}s: re-extracted "
        f"{summary.articles_updated} stored article(s){f' ({languages})' if languages else ''} with the "
        f"current extractor, no refetch"))
    if summary.status == "skipped":
        console.print(terminal_text(f"skipped: {summary.error}"))
    totals = Table(title="records now")
    for col in ("articles", "mentions", "meetings", "mechanisms", "rejects"):
        totals.add_column(col, justify="right")
    totals.add_row(*(str(x) for x in (summary.articles_updated, summary.institution_mentions, summary.meetings,
                                      summary.mechanisms, summary.rejects)))
    console.print(totals)
    console.print(terminal_text(f"warehouse: {summary.db_path}"))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple | dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def _table_cell(v: Any) -> Text:
    return terminal_text(_cell(v))


def print_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, fmt: str = "table",
               limit: int = 1000) -> None:
    """Query results as a rich table (cells as plain text), CSV or JSON on stdout."""
    if fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(columns)
        w.writerows([[_cell(v) for v in r] for r in rows])
        return
    if fmt == "json":
        json.dump([dict(zip(columns, r, strict=True)) for r in rows], sys.stdout, ensure_ascii=False, default=str, indent=2)
        sys.stdout.write("\n")
        return
    table = Table(caption=f"{len(rows)} rows" + (f" (first {limit} shown)" if len(rows) > limit else ""))
    for column in columns:
        table.add_column(terminal_text(column))
    for r in rows[:limit]:
        table.add_row(*(_table_cell(v) for v in r))
    Console(soft_wrap=False, width=max(120, Console().width)).print(table)
