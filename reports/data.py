"""The report's data: plain rows (lists of dicts) read from the warehouse for one range and language.

Every question is one file in ``reports/queries/``, some with a ``$limit``. They all read the same
scope (``queries/scope.sql``: temporary views over the articles of the range and language, the
meeting events they report and those events' participants), made once per report from ``since``
and ``until`` (the first and last day, inclusive, of the articles' publication, else the day they
were first seen, UTC; None for no bound) and ``language`` ('ru', 'en', 'other'; None for all). An
event (a meeting or a mechanism) is in the report when an article of the scope reports it; it is
shown with its current status, date and place.

    data = load_report(con, since=date(2025, 3, 1), language="ru")
    data.weekly[0]  # {'week': date(2025, 3, 10), 'kind': 'talks', 'status': 'past', 'meetings': 1, ...}
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from typing import Any

import duckdb

Row = dict[str, Any]

LANGUAGES = ("ru", "en", "other")
_PARAM = re.compile(r"\$([a-z_]+)")


@dataclass(frozen=True)
class Limits:
    """How many rows a section shows at most (the charts stay readable, the file stays small)."""

    institutions: int = 15
    network_nodes: int = 40
    mechanisms: int = 25
    upcoming: int = 100
    reports: int = 1000


@dataclass(frozen=True)
class ReportData:
    since: date | None
    until: date | None
    language: str | None
    generated_at: datetime
    summary: Row
    weekly: list[Row]
    institutions: list[Row]
    nodes: list[Row]
    edges: list[Row]
    places: list[Row]
    mechanism_steps: list[Row]
    upcoming: list[Row]
    reports: list[Row]
    limits: Limits = field(default_factory=Limits)

    @property
    def reports_total(self) -> int:
        """Reports in the range and language, before the table's limit."""
        return self.reports[0]["total"] if self.reports else 0

    @property
    def meetings_without_place(self) -> int:
        return self.summary["meetings"] - sum(p["meetings"] for p in self.places)


@cache
def load_query(name: str) -> str:
    """The SQL text of reports/queries/<name>.sql."""
    return resources.files("reports").joinpath("queries", f"{name}.sql").read_text(encoding="utf-8")


def query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> list[Row]:
    """Rows of the query `name` as dicts; `params` may hold more values than the query names."""
    sql = load_query(name)
    wanted = set(_PARAM.findall(sql))
    missing = wanted - params.keys()
    if missing:
        raise ValueError(f"reports query {name}.sql needs parameters {sorted(missing)}")
    cursor = con.execute(sql, {k: v for k, v in params.items() if k in wanted})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def scope(con: duckdb.DuckDBPyConnection, since: date | None, until: date | None,
          language: str | None) -> Iterator[None]:
    """The views of queries/scope.sql for the block (then dropped); raises ValueError on a language
    the warehouse cannot hold or a bound that is not a date."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"report language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    for name, day in (("since", since), ("until", until)):
        if day is not None and not isinstance(day, date):
            raise ValueError(f"report {name} must be a date, not {day!r}")
    try:
        con.execute("SET VARIABLE eventwire_report_since = CAST(? AS DATE)", [since])
        con.execute("SET VARIABLE eventwire_report_until = CAST(? AS DATE)", [until])
        con.execute("SET VARIABLE eventwire_report_language = CAST(? AS VARCHAR)", [language])
        _run(con, "scope")
        yield
    finally:
        _run(con, "scope_end")


def _run(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """The statements of reports/queries/<name>.sql, for their effect."""
    sql = load_query(name)
    con.execute(sql)


def load_report(con: duckdb.DuckDBPyConnection, *, since: date | None = None, until: date | None = None,
                language: str | None = None, limits: Limits | None = None,
                now: datetime | None = None) -> ReportData:
    """Everything the report shows, for articles of [since, until] in `language` (None: no filter)."""
    limits = limits or Limits()

    def rows(name: str, limit: int | None = None) -> list[Row]:
        return query(con, name, {} if limit is None else {"limit": limit})

    with scope(con, since, until, language):
        nodes = rows("network_nodes", limits.network_nodes)
        kept = {n["entity_id"] for n in nodes}
        edges = [e for e in rows("network_edges") if e["source"] in kept and e["target"] in kept]
        return ReportData(
            since=since, until=until, language=language, generated_at=now or datetime.now(UTC),
            summary=rows("summary")[0], weekly=rows("meetings_weekly"),
            institutions=rows("institutions", limits.institutions), nodes=nodes, edges=edges,
            places=rows("meeting_places"), mechanism_steps=rows("mechanism_steps", limits.mechanisms),
            upcoming=rows("upcoming", limits.upcoming), reports=rows("event_reports", limits.reports),
            limits=limits)


def mechanisms(steps: list[Row]) -> list[Row]:
    """One row per mechanism from its steps (oldest first): its path of statuses, proposer, latest report."""
    by_event: dict[str, Row] = {}
    for step in steps:
        row = by_event.get(step["event_id"])
        if row is None:
            row = by_event[step["event_id"]] = {
                "event_id": step["event_id"], "mechanism": step["mechanism"],
                "current_status": step["current_status"], "steps": [], "proposers": [],
                "first_reported_at": step["first_reported_at"], "articles": 0}
            if step["event_proposer"]:
                row["proposers"].append(step["event_proposer"])
        row["steps"].append(step["status"])
        row["proposers"] += [p for p in step["proposers"] or [] if p not in row["proposers"]]
        row["articles"] += step["articles"]
        row["latest"] = step                      # steps come oldest first: the last one is the latest
    return list(by_event.values())
