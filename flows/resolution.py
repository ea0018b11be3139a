"""The resolution step: every unresolved meeting and mechanism row joins its event.

(Not named events.py: Prefect imports flows/ingest.py as a script, with flows/ on the path,
where a flows/events.py would shadow the `events` package.)

Runs after each ingest and reprocess load, in one transaction:
rows whose event_id is NULL are normalised (places geocoded, countries to ISO codes, persons and
institutions to ids, names to language-neutral keys: `extraction`), compared with the stored
reports that share a blocking key (`warehouse.events`), assigned by `events.resolve`, and the
events they touch are summarised again. Idempotent: with nothing unresolved it only checks.
"""
from __future__ import annotations

import dataclasses
import gc
import logging
import threading
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from duckdb import DuckDBPyConnection

from events import Report, date_window, resolve, summarize
from events.resolve import blocking_keys, search_keys
from events.summary import Member
from extraction.entities import Normaliser
from extraction.event_keys import name_keys
from extraction.persons import person_entity
from schemas import Entity, EntityType, Place
from warehouse.db import transaction
from warehouse.events import (
    candidate_reports,
    drop_orphan_reports,
    event_members,
    institution_ids_by_alias,
    live_event_ids,
    meeting_events_of,
    refresh_participants,
    unresolved_mechanisms,
    unresolved_meetings,
    upsert_entities,
    write_events,
    write_reports,
)

progress = logging.getLogger("eventwire.progress")


def warm_up() -> None:
    """Load what resolving a run's rows needs first (the geocoding index, the country names by
    lemma and pymorphy2's dictionary with them, the actor dictionary by person key: about 1 s), so
    that a run that calls it while its workers extract (`start_warm_up`) does not wait for them at
    the end. Loading twice is harmless."""
    from extraction import countries, geocode, persons

    geocode.preload()
    countries.preload()
    persons.preload()


def start_warm_up() -> threading.Thread:
    """`warm_up` in a background thread; a failure is logged (the resolution meets it again and
    reports it)."""
    def run() -> None:
        try:
            warm_up()
        except Exception as e:
            progress.warning("loading the resolution's indexes ahead of it failed: %s: %s", type(e).__name__, e)
    thread = threading.Thread(target=run, name="resolution-warm-up", daemon=True)
    thread.start()
    return thread


@dataclass(frozen=True)
class ResolveCounts:
    reports: int = 0          # rows resolved now
    joined: int = 0           # of those, rows that joined an event some other report founded
    events: int = 0           # events written (new or refreshed)
    dropped: int = 0          # events left without reports, deleted


def _entities_of(entities: list[Entity]) -> frozenset[str]:
    ids = {e.entity_id for e in entities}
    ids |= {f"country:{e.country_code}" for e in entities if e.entity_type == EntityType.PERSON and e.country_code}
    return frozenset(ids)


def meeting_report(row: dict, norm: Normaliser) -> tuple[Report, Place | None]:
    lang = row["language"] or "en"
    entities = [e for p in row["participants"] or () if (e := norm.participant(p["name"], p["participant_type"], lang))]
    place = norm.place(row["location"])
    tokens = name_keys(row["name"]) | {f"institution:{i}" for i in row["named_institutions"] or ()}
    published = row["published_at"]   # never the fetch time: a run must not depend on when it ran
    lo, hi, dated = date_window(row["start_date"], row["date_precision"], row["status"], published)
    countries = {t for t in tokens if t.startswith("country:")}
    return Report(
        report_id=row["report_id"], event_type="meeting", article_id=row["article_id"], kind=row["kind"],
        status=row["status"], date_lo=lo, date_hi=hi, dated=dated,
        place_key=_place_key(place), place_country=place.country_code if place else None,
        place_feature=str(place.feature) if place else None,
        entities=_entities_of(entities) | countries, tokens=_name_countries(tokens), language=lang, published=published,
        previous_event=row["previous_event"]), place


def mechanism_report(row: dict, norm: Normaliser) -> Report:
    lang = row["language"] or "en"
    proposer = row["proposer"]
    entities = []
    if proposer:
        entity = norm.participant(proposer, "country", lang) or person_entity(proposer, lang)
        norm.entities.setdefault(entity.entity_id, entity)
        entities.append(entity)
    tokens = name_keys(row["description"]) | {f"institution:{i}" for i in row["named_institutions"] or ()}
    countries = {t for t in tokens if t.startswith("country:")}
    published = row["published_at"]   # never the fetch time: a run must not depend on when it ran
    return Report(
        report_id=row["report_id"], event_type="mechanism", article_id=row["article_id"], kind=None,
        status=row["status"], date_lo=None, date_hi=None, dated=False, place_key=None, place_country=None,
        place_feature=None, entities=countries | {f"country:{e.country_code}" for e in entities if e.country_code},
        tokens=_name_countries(tokens), language=lang, published=published, previous_event=row["previous_event"])


def _name_countries(tokens: frozenset[str]) -> frozenset[str]:
    """The name's countries stay among its tokens as `named:XX` (the parties its name gives:
    "India-Central Asia summit"); as `country:XX` they count among the participants."""
    return frozenset(f"named:{t.removeprefix('country:')}" if t.startswith("country:") else t for t in tokens)


def _place_key(place: Place | None) -> str | None:
    if place is None:
        return None
    if place.geonames_id is not None and str(place.feature) != "country":
        return f"geonames:{place.geonames_id}"
    return f"country:{place.country_code}"


def _stored_report(row: dict, context: dict[str, frozenset[str]] | None = None) -> Report:
    place_key = row["place_key"]
    return Report(
        report_id=row["report_id"], event_type=row["event_type"], article_id=row["article_id"], kind=row["kind"],
        status=row["status"], date_lo=row["date_lo"], date_hi=row["date_hi"], dated=row["dated"],
        place_key=place_key, place_country=row["place_country"], place_feature=row["place_feature"], entities=frozenset(row["entities"]), tokens=frozenset(row["tokens"]),
        language=row["language"], published=row["published_at"],
        context=context.get(row["article_id"], frozenset()) if context and row["event_type"] == "mechanism" else frozenset())


def _report_row(report: Report, event_id: str, now: datetime) -> tuple:
    return (report.report_id, report.event_type, event_id, report.article_id, report.kind, report.status,
            report.language, report.published, report.date_lo, report.date_hi, report.dated, report.place_key,
            report.place_country, report.place_feature, sorted(report.entities), sorted(report.tokens),
            sorted(blocking_keys(report)), now)


def _member(row: dict, norm: Normaliser) -> Member:
    entities = row["entities"] or []
    return Member(
        report_id=row["report_id"], event_type=row["event_type"], article_id=row["article_id"], status=row["status"],
        name=row["name"], confidence=row["confidence"] or 0.0, seen_at=row["seen_at"], published=row["published_at"],
        language=row["language"],
        feeds=tuple(row["feeds"] or ()), kind=row["kind"], start_date=row["start_date"],
        date_precision=row["date_precision"], location=row["location"], place=norm.place(row["location"]),
        proposer=row["proposer"],
        countries=frozenset(e.removeprefix("country:") for e in entities if e.startswith("country:")),
        institutions=sum(1 for e in entities if e.startswith("institution:")))


def _event_row(event_id: str, members: list[Member], now: datetime) -> tuple:
    s = summarize(members)
    p = s.place
    return (event_id, s.event_type, s.kind, s.status, s.name, s.start_date, s.date_precision, s.location,
            s.first_seen_at, s.last_seen_at, s.articles, s.sources, list(s.languages),
            p.name if p else None, str(p.feature) if p else None, p.country_code if p else None,
            p.geonames_id if p else None, p.latitude if p else None, p.longitude if p else None, s.proposer,
            s.codes.cameo, s.codes.plover_type, s.codes.plover_mode, now)


def _resolve_batch(con: DuckDBPyConnection, new: list[Report], now: datetime,
                   context: dict[str, frozenset[str]] | None = None) -> tuple[list, set[str]]:
    """Resolve `new` against the stored reports that share a blocking key with them; write the
    assignments. Returns (assignments, events touched). `context`: article -> its meeting
    events, for mechanisms."""
    keys = set().union(*(search_keys(r) for r in new)) if new else set()
    # the new reports' own blocking keys (memoised on each report) are worked out while the
    # warehouse answers, which releases the GIL
    with ThreadPoolExecutor(1, thread_name_prefix="keys") as ex:
        keyed = ex.submit(lambda: [blocking_keys(r) for r in new])
        rows = candidate_reports(con, keys, {r.previous_event for r in new if r.previous_event},
                                 {r.article_id for r in new})
        keyed.result()
    stored = [(_stored_report(row, context), row["event_id"], row["keys"]) for row in rows]
    assignments = resolve(new, stored, live_event_ids(con))
    moved = {a.report_id for a in assignments}     # the new reports, and stored ones a merge moved
    by_id = {r.report_id: r for r, _, _ in stored} | {r.report_id: r for r in new}
    write_reports(con, [_report_row(by_id[a.report_id], a.event_id, now) for a in assignments], now)
    touched = {a.event_id for a in assignments} | {eid for r, eid, _ in stored if r.report_id in moved}
    return assignments, touched


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block (and back as it was after it).

    Resolution builds hundreds of thousands of small objects (rows, reports, keys, sets) that
    live to its end and hold no reference cycles; every few hundred allocations the collector
    walked all of them again, which took 40 % of a large resolution's time (the 1M bench: 73 s
    with it, 45 s without). Their memory is freed by reference counting as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


RESOLVE_CHUNK = 100_000   # unresolved rows resolved (and committed) at a time: see resolve_warehouse


def resolve_warehouse(con: DuckDBPyConnection, *, now: datetime | None = None,
                      chunk: int = RESOLVE_CHUNK) -> ResolveCounts:
    """Resolve every unresolved row and refresh the events it touches (see the module docstring).

    Meetings first, then mechanisms: a mechanism knows which meeting events its article reports
    (the agreements of one summit, named differently by each article that reports it). At most
    `chunk` rows at a time, in publication order, each chunk in its own transaction, so that a
    run that loaded a year of articles resolves them in bounded memory (as later runs would,
    one after the other); a crash leaves the rest unresolved for the next run."""
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, not {chunk}")
    now = now or datetime.now(UTC)
    total, first = ResolveCounts(), True
    while True:
        counts, rows = _resolve_chunk(con, now, chunk, drop_orphans=first)
        first = False
        total = ResolveCounts(*(a + b for a, b in zip(dataclasses.astuple(total), dataclasses.astuple(counts),
                                                      strict=True)))
        if rows < chunk or not counts.reports:
            return total


def _resolve_chunk(con: DuckDBPyConnection, now: datetime, chunk: int,
                   drop_orphans: bool) -> tuple[ResolveCounts, int]:
    """Resolve the first `chunk` unresolved rows; (their counts, how many there were)."""
    with _collector_paused(), transaction(con):
        touched = drop_orphan_reports(con) if drop_orphans else set()
        meetings = unresolved_meetings(con, limit=chunk)
        mechanisms = unresolved_mechanisms(con, limit=chunk - len(meetings)) if len(meetings) < chunk else []
        if not (meetings or mechanisms or touched):
            return ResolveCounts(), 0
        norm = Normaliser(institution_ids_by_alias(con))
        joined, touched_now = _resolve_batch(con, [meeting_report(row, norm)[0] for row in meetings], now)
        touched |= touched_now
        if mechanisms:
            new = [mechanism_report(row, norm) for row in mechanisms]
            context = meeting_events_of(con, {r.article_id for r in new})
            new = [dataclasses.replace(r, context=context.get(r.article_id, frozenset())) for r in new]
            more, touched_now = _resolve_batch(con, new, now, context)
            joined, touched = joined + more, touched | touched_now
        learnt = upsert_entities(con, ((e.entity_id, str(e.entity_type), e.name, e.country_code)
                                       for e in norm.entities.values()))
        grouped: dict[str, list[Member]] = defaultdict(list)
        for row in event_members(con, touched):
            grouped[row["event_id"]].append(_member(row, norm))
        write_events(con, [_event_row(eid, members, now) for eid, members in sorted(grouped.items())],
                     drop=touched - set(grouped))
        if learnt:
            refresh_participants(con, learnt, keep=touched)
    counts = ResolveCounts(reports=len(meetings) + len(mechanisms), joined=sum(not a.founded for a in joined),
                           events=len(grouped), dropped=len(touched - set(grouped)))
    if counts.reports:
        progress.info("resolved %d rows into events: %d joined an event another report founded; "
                      "%d events written, %d dropped", counts.reports, counts.joined, counts.events, counts.dropped)
    return counts, len(meetings) + len(mechanisms)
