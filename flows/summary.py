"""What one run did: counts per feed and in total, rendered for the terminal and as Markdown."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
        lines = [
            f"# eventwire run `{self.run_id}` — {self.status}",
            "",
            f"Warehouse: `{self.db_path}` · {self.seconds:.1f} s",
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
            langs = ", ".join(f"{k}: {v}" for k, v in sorted(self.articles_by_language.items()))
            lines += ["", f"Articles extracted by language — {langs}"]
        failed = [f for f in self.feeds if f.status == "failed"]
        if failed:
            lines += ["", "## Failed feeds", "", "| feed | reason |", "|---|---|"]
            lines += [f"| {f.name} | {(f.error or '').replace('|', '/')} |" for f in failed]
        if self.error:
            lines += ["", f"**Run error:** {self.error}"]
        return "\n".join(lines)
