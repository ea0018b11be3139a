"""Incremental resolution: each new report joins the stored event it fits best, or founds one.

    resolve(new_reports, stored=[(report, event_id), ...], taken=existing event ids)

Reports are taken in publication order (then by id), so a run gives the same events whatever
order its articles were loaded in, and an event's id is derived from the report that founded
it: the same reports found the same ids on every warehouse. A report that belonged to an event
before it was re-extracted (`Report.previous_event`) rejoins that event whenever nothing
contradicts it there, and keeps its id when it was the event's only report, so reprocessing
keeps event ids stable. `stored` must hold every stored report of those previous events.

Candidates come through blocking keys (`blocking_keys`): a report is compared only with
events that share a person, an institution, a place or a name key with it (its countries
when it names nothing else). That keeps resolution linear in the number of reports.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from events.match import NOT_NAME_CONTENT, conflict, evidence, join_threshold
from events.reports import Report
from schemas import stable_id

_EARLIEST = datetime.min
BLOCKING_REACH = timedelta(days=62)
DAY_WINDOW_DAYS = 4       # a window this short is a stated day with its slack


@dataclass(frozen=True)
class Assignment:
    report_id: str
    event_id: str
    founded: bool          # the report founded the event (no stored or earlier report fitted)
    evidence: float        # what it shared with the event's best-fitting report (0 when founded)


def _names(report: Report) -> set[str]:
    """What a report is blocked on: each person, institution, concept and body of its name, its
    city and its set of countries (single countries only when it has nothing else)."""
    keys = set(report.named) | {t for t in report.tokens if not t.startswith(NOT_NAME_CONTENT)}
    if report.place_key and report.place_feature != "country":
        keys.add(report.place_key)
    if len(report.countries) >= 2:
        keys.add("with:" + "+".join(sorted(c.removeprefix("country:") for c in report.countries)))
    if not keys:
        keys |= report.countries
    return keys


def _series(report: Report) -> set[str]:
    """A numbered series ("the 2nd session of <body>") meets its other reports whatever their
    dates (see `match._numbered_alike`)."""
    return {f"meeting|{o}+{t}|series" for o in report.tokens if o.startswith("ord:")
            for t in report.tokens if not t.startswith(NOT_NAME_CONTENT)}


def blocking_keys(report: Report) -> frozenset[str]:
    """The keys a report is stored under (`search_keys` are the ones it looks up).

    Meetings are blocked by time as well as by name, at two grains, so that a head of state's
    thousand meetings are not all candidates of each new one: a report that states its day is
    stored under each day of its window (`d`) and under its month (`m`, for coarser reports to
    find); a coarser or undated one under each month of its window (`c`). A day report looks up
    the days of its window and the coarse reports of its months; a coarse one both kinds of its
    months."""
    return _keys(report, day_months=("m",), coarse_months=("c",))


def search_keys(report: Report) -> frozenset[str]:
    """The keys under which a report's candidates are stored (see `blocking_keys`)."""
    return _keys(report, day_months=("c",), coarse_months=("c", "m"))


def _keys(report: Report, day_months: tuple[str, ...], coarse_months: tuple[str, ...]) -> frozenset[str]:
    names = _names(report)
    if report.event_type != "meeting":
        return frozenset(f"{report.event_type}|{k}" for k in names)
    keys = _series(report)
    grains = coarse_months
    if _is_day(report):
        keys |= {f"meeting|{k}|d|{d}" for k in names for d in _days(report)}
        grains = day_months
    keys |= {f"meeting|{k}|{g}|{m}" for k in names for m in _months(report) for g in grains}
    return frozenset(keys)


def _is_day(report: Report) -> bool:
    return report.dated and report.date_lo is not None and report.date_hi is not None \
        and (report.date_hi - report.date_lo).days <= DAY_WINDOW_DAYS


def _days(report: Report) -> list[str]:
    span = (report.date_hi - report.date_lo).days
    return [(report.date_lo + timedelta(days=i)).isoformat() for i in range(span + 1)]


def _months(report: Report) -> list[str]:
    """The months (YYYY-MM) of the report's date window; for blocking an undated report looks
    BLOCKING_REACH around its publication (a report with no date of its own speaks of recent or
    coming days; older meetings it recalls come dated, or numbered: `_series`)."""
    lo, hi = report.date_lo, report.date_hi
    if lo is None and hi is None:
        return ["any"]
    if not report.dated:
        anchor = report.published.date() if report.published else (lo or hi)
        lo = max(lo, anchor - BLOCKING_REACH) if lo else anchor - BLOCKING_REACH
        hi = min(hi, anchor + BLOCKING_REACH) if hi else anchor + BLOCKING_REACH
    months, year, month = [], lo.year, lo.month
    while (year, month) <= (hi.year, hi.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _order(report: Report) -> tuple:
    """Publication order; among reports published at once, the most informative first (dated,
    then with more names), so that ids (which hash URLs) decide only between equals."""
    published = report.published.replace(tzinfo=None) if report.published else _EARLIEST
    return (published, not report.dated, -len(report.entities) - len(report.tokens), report.report_id)


def new_event_id(report: Report, taken: set[str]) -> str:
    """`ev-` + a hash of the founding report (salted when that id is still in use)."""
    salt = 0
    while True:
        event_id = "ev-" + stable_id(report.event_type, report.report_id, salt or None)
        if event_id not in taken:
            return event_id
        salt += 1


def resolve(new: Sequence[Report], stored: Iterable[tuple[Report, str]] = (),
            taken: Iterable[str] = ()) -> list[Assignment]:
    """Assign every new report to an event (see the module docstring).

    A report that fits several events bridges them: they become one (the event with the most
    reports keeps its id) when no report of one contradicts a report of the other. The stored
    reports that move with such a merge are returned too, as assignments to their new event.
    """
    members: dict[str, list[Report]] = defaultdict(list)
    index: dict[str, set[str]] = defaultdict(set)

    def add(report: Report, event_id: str) -> None:
        members[event_id].append(report)
        for key in blocking_keys(report):
            index[key].add(event_id)

    stored_ids: dict[str, str] = {}
    for report, event_id in stored:
        add(report, event_id)
        stored_ids[report.report_id] = event_id
    taken_ids = set(taken) | set(members)
    out: dict[str, Assignment] = {}
    for report in sorted(new, key=_order):
        fits: list[tuple[float, str]] = []
        previous = report.previous_event
        if previous is not None and not members.get(previous):
            fits = [(0.0, previous)]        # it was the event's only report: the event keeps its id
        elif previous is not None and not any(conflict(report, m) for m in members[previous]):
            fits = [(max(evidence(report, m) for m in members[previous]), previous)]
        else:
            candidates = set().union(*(index.get(k, ()) for k in search_keys(report)))
            for event_id in sorted(candidates):
                reps = members.get(event_id)
                if not reps:
                    continue
                if any(conflict(report, m) for m in reps):
                    continue
                score = max(evidence(report, m) for m in reps)
                if score >= join_threshold(report):
                    fits.append((score, event_id))
        # the best fit first; on a tie the event of the report's own kind, then the larger one
        fits.sort(key=lambda f: (-f[0], -sum(m.kind == report.kind for m in members.get(f[1], ())),
                                 -len(members.get(f[1], ())), f[1]))
        if not fits or not members.get(fits[0][1]):
            event_id = fits[0][1] if fits else new_event_id(report, taken_ids)
            taken_ids.add(event_id)
            out[report.report_id] = Assignment(report.report_id, event_id, founded=True, evidence=0.0)
            add(report, event_id)
            continue
        event_id = fits[0][1]
        for _, other in fits[1:]:
            if other in members and _mergeable(members[event_id], members[other]):
                keep, gone = (event_id, other) if len(members[event_id]) >= len(members[other]) else (other, event_id)
                for moved in members.pop(gone):   # the index still names `gone`: skipped below
                    add(moved, keep)
                    out[moved.report_id] = Assignment(moved.report_id, keep, founded=False, evidence=0.0)
                event_id = keep
        out[report.report_id] = Assignment(report.report_id, event_id, founded=False, evidence=fits[0][0])
        add(report, event_id)
    return [a for a in out.values() if stored_ids.get(a.report_id) != a.event_id]


def _mergeable(a: list[Report], b: list[Report]) -> bool:
    return not any(conflict(x, y) for x in a for y in b)
