"""The CLI's terminal tables (flows/report.py) show network text as text: no rich markup, no escape codes."""
from __future__ import annotations

import io

import pytest
from rich.console import Console

from flows.report import print_rows, print_summary, terminal_text
from flows.summary import FeedRow, RunSummary

HOSTILE = ("[link=http://phish.example]log in[/link] [bold red]x[/] \x1b]8;;http://evil.example\x1b\\click"
           "\x1b]8;;\x1b\\ \x1b[2J\x07 \u202eevil")


def test_terminal_text_keeps_the_words_and_drops_control_codes() -> None:
    text = terminal_text(HOSTILE)
    assert text.plain == ("[link=http://phish.example]log in[/link] [bold red]x[/] ]8;;http://evil.example\\click"
                          "]8;;\\ [2J evil")
    assert text.spans == []
    assert terminal_text(None).plain == ""


def test_the_run_summary_table_is_plain_on_a_terminal() -> None:
    summary = RunSummary(run_id="r", db_path="/tmp/w.duckdb", status="completed")
    summary.feeds.append(FeedRow(name=HOSTILE, url="http://x.example/f", status="failed", http_status=503,
                                 error=f"HTTP 503 {HOSTILE}"))
    out = io.StringIO()
    print_summary(summary, console=Console(file=out, force_terminal=True, width=400, color_system="truecolor"))
    shown = out.getvalue()
    assert "\x1b]8;" not in shown and "\x1b[2J" not in shown and "\x07" not in shown   # no hyperlink, no clear
    assert "[link=http://phish.example]" in shown                                       # the markup shown as text


def test_query_results_are_plain_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    print_rows(["title [b]"], [[HOSTILE]])
    shown = capsys.readouterr().out
    assert "[link=http://phish.example]" in shown and "title [b]" in shown and "\x1b]8;" not in shown
