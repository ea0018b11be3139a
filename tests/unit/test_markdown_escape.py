"""md_escape (flows/summary.py): network text in a Markdown artifact renders as that text.

Rendered with markdown-it-py (CommonMark + GFM tables). The autolink literals the Prefect UIs add
on top are checked with their own patterns: the classic UI's marked finds them in the Markdown
source, the React UI's remark-gfm in the text after escapes are resolved.
"""
from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from flows.artifacts import escaped_row
from flows.summary import ZERO_WIDTH_SPACE, FeedRow, RunSummary, md_escape

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ALLOWED_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "p", "strong", "em", "code", "s", "h1", "h2", "hr"}
TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)")
# marked (classic UI), on the Markdown source
MARKED_URL = re.compile(r"((?:ftp|https?):\/\/|www\.)(?:[a-zA-Z0-9\-]+\.?)+[^\s<]*")
MARKED_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[a-zA-Z0-9\-_]+(?:\.[a-zA-Z0-9\-_]*[a-zA-Z0-9])+")
# mdast-util-gfm-autolink-literal (React UI), on rendered text
GFM_URL = re.compile(r"(https?:\/\/|www(?=\.))([-.\w]+)", re.IGNORECASE)
GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")

PHISH = ('<img src=x onerror=alert(1)> Service Unavailable — [log in again](http://phish.example/login) '
         '![x](http://phish.example/p.png) <a href="javascript:alert(1)">here</a> www.phish.example '
         'admin@phish.example <http://phish.example> &lt;script&gt; | col \\| \n# heading\n<script>x()</script>')


def render_cell(value: str) -> tuple[str, list[str]]:
    """HTML of a one-row table whose second cell holds md_escape(value); and its row's cell texts."""
    out = MD.render(f"| a | b |\n|---|---|\n| x | {md_escape(value)} |\n")
    rows = re.findall(r"<tr>(.*?)</tr>", out, re.S)
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", rows[-1], re.S)]
    return out, cells


def assert_inert(rendered: str, source: str) -> None:
    tags = {m.group(2).lower() for m in TAG.finditer(rendered)}
    assert tags <= ALLOWED_TAGS, tags
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for pattern in (MARKED_URL, MARKED_EMAIL):
        assert not pattern.search(source), pattern.pattern
    for pattern in (GFM_URL, GFM_EMAIL):
        assert not pattern.search(text), pattern.pattern


def test_a_phishing_reason_phrase_renders_as_text() -> None:
    rendered, cells = render_cell(PHISH)
    assert_inert(rendered, md_escape(PHISH))
    assert len(cells) == 2
    shown = cells[1].replace(ZERO_WIDTH_SPACE, "")
    assert shown == " ".join(PHISH.split())  # every character shown, on one line


@pytest.mark.parametrize(("raw", "escaped"), [
    ("plain feed", "plain feed"),
    ("a|b", "a\\|b"),
    ("back\\slash", "back\\\\slash"),
    ("line\nbreak\r\n\tand\u2028more", "line break and more"),
    ("\u202eevil\u200b", "evil"),
    ("x" * 400, "x" * 299 + "…"),
])
def test_md_escape_examples(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_the_run_summary_escapes_every_string() -> None:
    summary = RunSummary(run_id="r1", db_path="/data/`x`/w.duckdb", status="completed", error=PHISH)
    summary.feeds.append(FeedRow(name="<b>feed</b> [x](http://phish.example)", url="http://127.0.0.1/f.xml",
                                 status="failed", http_status=503, error=f"HTTP 503 {PHISH}"))
    summary.articles_by_language = {"<i>ru</i>": 1}
    md = summary.to_markdown()
    assert_inert(MD.render(md), md)
    assert "<img" not in md and "](http" not in md and "<script" not in md
    failed = MD.render(md).split("Failed feeds")[1]
    assert len(re.findall(r"<td>", failed)) == 2  # one row, two cells: no pipe broke out


def test_table_artifact_rows_escape_strings_and_keep_numbers() -> None:
    row = escaped_row({"feed": "[a](http://phish.example)", "http_status": 503, "error": None, "items": 0})
    assert row == {"feed": f"[a]{ZERO_WIDTH_SPACE}(http:{ZERO_WIDTH_SPACE}//phish.example)", "http_status": 503,
                   "error": None, "items": 0}


PLAIN = st.text(alphabet=st.characters(exclude_characters="*_`~"), max_size=80)   # no emphasis or code spans
ANY = st.lists(st.one_of(
    st.text(max_size=6),
    st.sampled_from(["<", ">", "[", "]", "(", ")", "!", "|", "\\", "&", "#", ":", "//", "@", "www", ".", "`",
                     "*", "_", "~", "http://", "https://x.example", "mailto:", "javascript:", "<img ", "<a href=",
                     "&lt;", "&#60;", "\n", "\r", "-", "=", "a@b.example", " ", "\u2028", "\x00", "\x1b"]),
), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY)
def test_any_text_renders_inert_in_one_cell(raw: str) -> None:
    rendered, cells = render_cell(raw)
    assert_inert(rendered, md_escape(raw))
    assert len(cells) == 2


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PLAIN)
def test_text_without_emphasis_characters_renders_exactly(raw: str) -> None:
    _, cells = render_cell(raw)
    expected = re.sub(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+", " ", raw).strip()
    expected = expected if len(expected) <= 300 else expected[:299].rstrip() + "…"
    # markdown-it turns NUL into U+FFFD; a cell is trimmed
    assert cells[1].replace(ZERO_WIDTH_SPACE, "") == expected.replace("\x00", "\ufffd").strip()


def test_the_maintenance_report_shows_feed_names_and_errors_as_text() -> None:
    from flows.maintenance import MaintenanceReport
    from warehouse.maintenance import FailingFeed

    report = MaintenanceReport(db_path="/data/w.duckdb", failing=[FailingFeed(
        feed_url="http://phish.example/feed", name="[news](javascript:alert(1))", error_count=4,
        last_error=PHISH, last_ok_at=None)], error=PHISH)
    out = MD.render(report.to_markdown())
    assert {tag for _, tag in TAG.findall(out)} <= ALLOWED_TAGS
    assert "<a " not in out and "<img" not in out and "<script" not in out
