"""What one run did: counts per feed and in total, rendered for the terminal and as Markdown.

Every string in the Markdown comes from somewhere we do not control (feed names taken from
URLs, errors quoting servers, HTTP reason phrases), so each one goes through `md_escape`, which
the Prefect artifacts (flows/artifacts.py) use as well.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

MD_LIMIT = 300  # characters of one value shown in an artifact (errors can be long)
ZERO_WIDTH_SPACE = "\u200b"
# Line breaks, other white space, controls and invisible formatting (bidi overrides, zero widths).
_MD_FLATTEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+")
# Where Markdown could start markup: after "<" (HTML, autolinks) and "&" (entities), between "]"
# and "(" or "[" (links, images), and inside the autolink literals GFM renderers find in text
# after escapes are resolved ("://", "www.", "@"): a zero-width space there defuses each one.
_MD_BREAK = re.compile(r"(?<=[<&@])|(?<=\])(?=[(\[])|(?<=:)(?=//)|(?<=[wW]{3})(?=\.)")


def md_escape(value: object, *, limit: int = MD_LIMIT) -> str:
    """Any value -> Markdown that renders as its text, on one line: no link, image, HTML or table break.

    White space and invisible characters become single spaces; more than `limit` characters are
    cut with "…"; `\\` and `|` are backslash-escaped; a zero-width space goes where markup or
    an autolink could start (see `_MD_BREAK`). Emphasis characters are left alone: at worst a
    value renders in italics. Safe in a table cell, a paragraph or a heading, never at a line
    start after a bare newline (it has none).
    """
    text = _MD_FLATTEN.sub(" ", str(value)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return _MD_BREAK.sub(ZERO_WIDTH_SPACE, text)


@dataclass
class FeedRow:
    name: str
    url: str
    status: str                 # ok | not_modified | failed
    http_status: int | None = None
    items: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    error: str | None = None


@dataclass
class RunSummary:
    run_id: str
    db_path: str
    flow_run_id: str | None = None
    kind: str = "ingest"            # or "reprocess"
    status: str = "running"
    feeds: list[FeedRow] = field(default_factory=list)
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    articles_by_language: dict[str, int] = field(default_factory=dict)
    institution_mentions: int = 0
    meetings: int = 0
    mechanisms: int = 0
    rejects: int = 0
    seconds: float = 0.0
    error: str | None = None

    def feed_count(self, status: str) -> int:
        return sum(1 for f in self.feeds if f.status == status)

    def counts(self) -> dict[str, int]:
        """The numbers stored on the `runs` row."""
        return {
            "feeds_total": len(self.feeds), "feeds_ok": self.feed_count("ok"),
            "feeds_not_modified": self.feed_count("not_modified"), "feeds_failed": self.feed_count("failed"),
            "articles_new": self.articles_new, "articles_updated": self.articles_updated,
            "articles_unchanged": self.articles_unchanged,
            "records_institution_mentions": self.institution_mentions, "records_meetings": self.meetings,
            "records_mechanisms": self.mechanisms, "rejects": self.rejects,
        }

    def feed_table(self) -> list[dict]:
        return [asdict(f) for f in self.feeds]

    def to_markdown(self) -> str:
        """The run summary artifact; every string in it is escaped with `md_escape`."""
        lines = [
            f"# eventwire run {md_escape(self.run_id)} — {md_escape(self.status)}",
            "",
            f"Warehouse: {md_escape(self.db_path)} · {self.seconds:.1f} s",
            "",
            "| feeds ok | not modified | failed | articles new | updated | unchanged |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {self.feed_count('ok')} | {self.feed_count('not_modified')} | {self.feed_count('failed')} "
            f"| {self.articles_new} | {self.articles_updated} | {self.articles_unchanged} |",
            "",
            "| institution mentions | meetings | mechanisms | rejects |",
            "|---:|---:|---:|---:|",
            f"| {self.institution_mentions} | {self.meetings} | {self.mechanisms} | {self.rejects} |",
        ]
        if self.articles_by_language:
            langs = ", ".join(f"{md_escape(k)}: {v}" for k, v in sorted(self.articles_by_language.items()))
            lines += ["", f"Articles extracted by language — {langs}"]
        failed = [f for f in self.feeds if f.status == "failed"]
        if failed:
            lines += ["", "## Failed feeds", "", "| feed | reason |", "|---|---|"]
            lines += [f"| {md_escape(f.name)} | {md_escape(f.error or '')} |" for f in failed]
        if self.error:
            lines += ["", f"**Run error:** {md_escape(self.error)}"]
        return "\n".join(lines)
