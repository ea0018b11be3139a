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
when it names nothing else), in its time window. That keeps resolution linear in the number
of reports. A key many events of the window share weighs less (`_candidates`), only events
that can reach the threshold are compared in full, and a report joins an event only when it
shares who or what with at least half of the event's reports (no chaining through one).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import combinations

from events.match import (
    JOIN_MEETING,
    KIND_FAMILIES,
    MAX_WHAT,
    MIN_IDENTITY,
    NUMBERED_SERIES_TOKENS,
    WHAT_ORDINAL,
    WHAT_TOKEN,
    WHAT_YEAR,
    WHEN_COARSE,
    WHEN_DAY,
    WHEN_NEAR,
    WHERE_CITY,
    WHERE_COUNTRY,
    WHO_MORE_NAMED,
    WHO_NAMED,
    WHO_SAME_COUNTRIES,
    conflict,
    evidence,
    join_threshold,
    places_meet,
    with_key,
)
from events.reports import Report
from schemas import stable_id

_EARLIEST = datetime.min
BLOCKING_REACH = timedelta(days=62)
COMMON_EVENTS = 8        # a key more events of a report's window share weighs less (`_candidates`)
DAY_WINDOW_DAYS = 4       # a window this short is a stated day with its slack
SERIES = "series"         # the atom of a report's numbered-series keys (`_series`)


@dataclass(frozen=True)
class Assignment:
    report_id: str
    event_id: str
    founded: bool          # the report founded the event (no stored or earlier report fitted)
    evidence: float        # what it shared with the event's best-fitting report (0 when founded)


class _Facts:
    """What one event's reports say of its kind, dates and place, kept as reports join it, so
    that `_candidates` drops an event that one of its reports contradicts (`match.conflict`:
    complete link) without comparing the report with each of them."""
    __slots__ = ("kinds", "ends_first", "starts_last", "places")

    def __init__(self) -> None:
        self.kinds: set[str | None] = set()
        self.ends_first: date | None = None       # the earliest end of its reports' windows
        self.starts_last: date | None = None      # ... and the latest start
        self.places: dict[tuple, Report] = {}     # one report per distinct place

    def add(self, report: Report) -> None:
        self.kinds.add(report.kind)
        if report.date_hi is not None and (self.ends_first is None or report.date_hi < self.ends_first):
            self.ends_first = report.date_hi
        if report.date_lo is not None and (self.starts_last is None or report.date_lo > self.starts_last):
            self.starts_last = report.date_lo
        if report.place_key is not None:
            self.places.setdefault((report.place_key, report.place_feature, report.place_country), report)

    def contradict(self, report: Report) -> bool:
        """Some report of the event conflicts with the meeting `report` in kind, date or place.
        Windows miss when one ends before the other starts (`match.windows_meet`); dates never
        part a numbered series (`match.numbered_alike` needs an ordinal)."""
        if not self.kinds <= _fitting(report.kind):
            return True
        if not report.ordinals and (
                report.date_lo is not None and self.ends_first is not None and self.ends_first < report.date_lo
                or report.date_hi is not None and self.starts_last is not None and self.starts_last > report.date_hi):
            return True
        return report.place_key is not None and any(not places_meet(report, m) for m in self.places.values())


@cache
def _fitting(kind: str | None) -> frozenset[str | None]:
    """The kinds that fit `kind` (`match.kinds_fit`)."""
    return frozenset({kind}).union(*(family for family in KIND_FAMILIES if kind in family))


def _atoms(report: Report) -> dict[str, float]:
    """What a report is blocked on, each with the most that sharing it adds to who and what (see
    `_candidates`): its persons and institutions, the concepts and bodies of its name, its set of
    countries, and its city (nothing: it is where). Single countries, worth nothing alone, only
    when it has nothing else. Worked out once per report (memoised in `report.keys`)."""
    atoms = report.keys.get("atoms")
    if atoms is None:
        atoms = report.keys["atoms"] = _compute_atoms(report)
    return atoms


def _compute_atoms(report: Report) -> dict[str, float]:
    atoms = dict.fromkeys(report.named, WHO_NAMED)
    for token in report.content:      # an institution can be a participant and in the name
        atoms[token] = atoms.get(token, 0.0) + WHAT_TOKEN
    if report.place_key and report.place_feature != "country":
        atoms.setdefault(report.place_key, 0.0)
    if len(report.countries) >= 2:
        atoms[with_key(report.countries)] = WHO_SAME_COUNTRIES
    if not atoms:
        atoms = dict.fromkeys(report.countries, 0.0)
    return atoms


def _series(report: Report) -> set[str]:
    """A numbered series ("the 2nd session of <body>") meets its other reports whatever their
    dates (see `match.numbered_alike`)."""
    return {f"meeting|{o}+{t}|series" for o in report.ordinals for t in report.content}


def blocking_keys(report: Report) -> frozenset[str]:
    """The keys a report is stored under (`search_keys` are the ones it looks up).

    Meetings are blocked by time as well as by name, at two grains, so that a head of state's
    thousand meetings are not all candidates of each new one: a report that states its day is
    stored under each day of its window (`d`) and under its month (`m`, for coarser reports to
    find); a coarser or undated one under each month of its window (`c`). A day report looks up
    the days of its window and the coarse reports of its months; a coarse one both kinds of its
    months."""
    return _flat(report, ("m",), ("c",))


def search_keys(report: Report) -> frozenset[str]:
    """The keys under which a report's candidates are stored (see `blocking_keys`)."""
    return _flat(report, ("c",), ("c", "m"))


def _flat(report: Report, day_months: tuple[str, ...], coarse_months: tuple[str, ...]) -> frozenset[str]:
    flat = report.keys.get(("flat", day_months, coarse_months))
    if flat is None:
        flat = report.keys[("flat", day_months, coarse_months)] = \
            frozenset().union(*_keys(report, day_months, coarse_months).values())
    return flat


def _keys(report: Report, day_months: tuple[str, ...], coarse_months: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """atom -> its keys (the numbered series under `SERIES`); computed once per report and grains."""
    memo = report.keys.get((day_months, coarse_months))
    if memo is None:
        memo = report.keys[(day_months, coarse_months)] = _compute_keys(report, day_months, coarse_months)
    return dict(memo)


def _compute_keys(report: Report, day_months: tuple[str, ...], coarse_months: tuple[str, ...]) -> dict[str, frozenset[str]]:
    atoms = _atoms(report)
    if report.event_type != "meeting":
        return {a: frozenset({f"{report.event_type}|{a}"}) for a in atoms}
    if _is_day(report):
        periods = [f"|d|{d}" for d in _days(report)] + [f"|{g}|{m}" for m in _months(report) for g in day_months]
    else:
        periods = [f"|{g}|{m}" for m in _months(report) for g in coarse_months]
    keys = {a: frozenset(["meeting|" + a + p for p in periods]) for a in atoms}
    keys[SERIES] = frozenset(_series(report))
    return keys


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


def resolve(new: Sequence[Report], stored: Iterable[tuple[Report, str] | tuple[Report, str, Iterable[str]]] = (),
            taken: Iterable[str] = ()) -> list[Assignment]:
    """Assign every new report to an event (see the module docstring).

    `stored` holds (report, event_id) pairs, or (report, event_id, keys) with the blocking keys
    the warehouse stored for the report: all of them or only those the new reports search for
    (`search_keys`; no other key is ever looked up), which spares computing them again.

    A report that fits several events bridges them: they become one (the event with the most
    reports keeps its id) when no report of one contradicts a report of the other. The stored
    reports that move with such a merge are returned too, as assignments to their new event.
    """
    members: dict[str, list[Report]] = defaultdict(list)
    index: dict[str, set[str]] = defaultdict(set)
    places: dict[str, set[str]] = defaultdict(set)     # event -> the countries its reports place it in
    stored_under: dict[str, set[str]] = defaultdict(set)    # event -> the keys its reports are stored under
    facts: dict[str, _Facts] = defaultdict(_Facts)

    def add(report: Report, event_id: str, keys: Iterable[str] | None = None) -> None:
        members[event_id].append(report)
        facts[event_id].add(report)
        if report.place_country:
            places[event_id].add(report.place_country)
        keys = blocking_keys(report) if keys is None else keys
        stored_under[event_id].update(keys)
        for key in keys:
            index[key].add(event_id)
        for key in _series_pairs(report):
            index[key].add(event_id)

    stored_ids: dict[str, str] = {}
    stored_keys: dict[str, Iterable[str]] = {}
    for report, event_id, *keys in stored:
        if keys:
            stored_keys[report.report_id] = keys[0]
        add(report, event_id, *keys)
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
            threshold = join_threshold(report)
            candidates, weights = _candidates(report, index, members, places, stored_under, facts)
            scored: dict[tuple, float] = {}     # by `Report.alike`: the same score for reports alike
            for event_id in candidates:
                reps = members[event_id]
                scores = [_evidence(report, m, weights, scored) for m in reps]
                score = max(scores)
                if score >= threshold and 2 * sum(s > 0 for s in scores) >= len(scores) \
                        and not any(conflict(report, m) for m in reps):
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
                    add(moved, keep, stored_keys.get(moved.report_id))
                    out[moved.report_id] = Assignment(moved.report_id, keep, founded=False, evidence=0.0)
                event_id = keep
        out[report.report_id] = Assignment(report.report_id, event_id, founded=False, evidence=fits[0][0])
        add(report, event_id)
    return [a for a in out.values() if stored_ids.get(a.report_id) != a.event_id]


def _evidence(report: Report, other: Report, weights: Mapping[str, float] | None,
              scored: dict[tuple, float]) -> float:
    """`evidence(report, other, weights)`, computed once for all the reports alike `other`
    (`Report.alike`: an event that many outlets report from one wire story holds many)."""
    score = scored.get(other.alike)
    if score is None:
        score = scored[other.alike] = evidence(report, other, weights)
    return score


def _candidates(report: Report, index: dict[str, set[str]], members: dict[str, list[Report]],
                places: dict[str, set[str]], stored_under: dict[str, set[str]],
                facts: dict[str, _Facts]) -> tuple[list[str], dict[str, float]]:
    """The events (with reports) that share a blocking key with `report` and can reach the join
    threshold, sorted; and the weight of each of the report's keys (`match.evidence`).

    A key under which more than COMMON_EVENTS events of the report's time window are stored (at
    the busiest of its days and months) weighs COMMON_EVENTS / their number: that a report names
    Putin, Moscow or a council tells one event of its week from another only when few events of
    that week do (as a linkage model's term-frequency adjustment). For a meeting, each shared
    key adds the most it can be worth, so an event that shares only common keys is never
    compared at all: only events that could join pay for the full comparison."""
    keyed = _keys(report, day_months=("c",), coarse_months=("c", "m"))
    keyed.pop(SERIES, None)
    found = series_candidates(report, index)
    if report.event_type != "meeting":
        found |= set().union(*(index.get(k, ()) for keys in keyed.values() for k in keys))
        return sorted(e for e in found if members.get(e)), {}
    atoms = _atoms(report)
    together = with_key(report.countries) if len(report.countries) >= 2 else None
    extra, reach = _bound(report)
    country_most = WHERE_COUNTRY if report.place_country else 0.0
    weights, worth = {}, {}
    for atom, keys in keyed.items():
        busiest = max((len(index.get(k, ())) for k in keys), default=0)
        weights[atom] = min(1.0, COMMON_EVENTS / busiest) if busiest else 1.0
        worth[atom] = (WHERE_CITY if atom == report.place_key else atoms[atom]) * weights[atom]
    # An event that shares none of the `leading` keys cannot reach the threshold even with all the
    # others (as in prefix filtering): only the leading keys' events are looked at.
    order = sorted(worth, key=lambda a: (-worth[a], a))
    rest = sum(worth.values()) + country_most + extra + reach
    leading = []
    for atom in order:
        if rest < JOIN_MEETING:
            break
        leading.append(atom)
        rest -= worth[atom]
    # event -> what the leading atoms it shares are worth (added in `leading` order, as a sum of
    # them would be); an event is under a key exactly when the key is among its `stored_under`
    hits: dict[str, float] = defaultdict(float)
    for atom in leading:
        w = worth[atom]
        for event_id in set().union(*(index.get(k, ()) for k in keyed[atom])):
            hits[event_id] += w
    fitting = _fitting(report.kind)
    for event_id, leading_worth in hits.items():
        if leading_worth + rest < JOIN_MEETING or not members.get(event_id) \
                or not facts[event_id].kinds <= fitting:      # cheap; `contradict` below does the rest
            continue
        under = stored_under[event_id]
        shared = [a for a in order if not under.isdisjoint(keyed[a])]
        who_what = _identity_most(report, shared, weights, together) + extra
        if who_what < MIN_IDENTITY:
            continue
        where_most = max(worth[report.place_key] if report.place_key in shared else 0.0,
                         country_most if report.place_country in places.get(event_id, ()) else 0.0)
        if who_what + where_most + reach >= JOIN_MEETING and not facts[event_id].contradict(report):
            found.add(event_id)
    return sorted(e for e in found if members.get(e)), weights


def series_candidates(report: Report, index: dict[str, set[str]]) -> set[str]:
    """A numbered series whatever the dates: the events that hold a report of the same number of
    the same series (`match.numbered_alike`), through the exact keys of `_series_pairs`. The
    stored series keys (`_series`) block on one concept or body, for the warehouse to find them;
    events they bring that are not numbered alike are candidates only in the report's time window
    (its other keys)."""
    return set().union(*(index.get(k, ()) for k in _series_pairs(report)))


def _series_pairs(report: Report) -> frozenset[str]:
    """Kind, ordinal and NUMBERED_SERIES_TOKENS concepts or bodies of the name: two reports share
    such a key exactly when they are numbered alike."""
    pairs = report.keys.get("series pairs")
    if pairs is None:
        pairs = frozenset()
        if report.event_type == "meeting" and report.ordinals and len(report.content) >= NUMBERED_SERIES_TOKENS:
            pairs = frozenset(f"series|{report.kind}|{o}|" + "+".join(tokens) for o in report.ordinals
                              for tokens in combinations(sorted(report.content), NUMBERED_SERIES_TOKENS))
        report.keys["series pairs"] = pairs
    return pairs


def _identity_most(report: Report, shared: Sequence[str], weights: dict[str, float], together: str | None) -> float:
    """The most `match.who` + `match.what` (without ordinals and years: `_bound`) can give between
    `report` and any report that shares no atom but `shared` with it: two named persons or
    institutions at most (the second at WHO_MORE_NAMED) or the same set of countries, and the
    name's concepts and bodies up to MAX_WHAT."""
    first = second = content = 0.0      # the two heaviest named, the name's concepts and bodies
    for atom in shared:
        weight = weights[atom]
        if atom in report.named:
            if weight > first:
                first, second = weight, first
            elif weight > second:
                second = weight
        if atom in report.content:
            content += weight
    who = WHO_NAMED * first + WHO_MORE_NAMED * second
    if together is not None and together in shared:
        who = max(who, WHO_SAME_COUNTRIES * weights[together])
    return who + min(MAX_WHAT, WHAT_TOKEN * content)


def _bound(report: Report) -> tuple[float, float]:
    """(what the name's ordinals and years can add to who and what, the most `when` can give)."""
    extra = WHAT_ORDINAL * bool(report.ordinals) + WHAT_YEAR * bool(report.years)
    reach = WHEN_DAY if report.dated and report.day else max(WHEN_COARSE, WHEN_NEAR)
    return extra, reach


def _mergeable(a: list[Report], b: list[Report]) -> bool:
    return not any(conflict(x, y) for x in a for y in b)
