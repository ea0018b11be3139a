"""events/: plain functions over invented reports (no warehouse, no extraction)."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events import Report, codes_of, date_window, resolve, summarize
from events.match import conflict, evidence, kinds_fit
from events.resolve import SERIES, blocking_keys, new_event_id, search_keys
from events.summary import Member
from schemas import Place, PlaceFeature

ASTANA = ("geonames:1526273", "KZ", "city")
BISHKEK = ("geonames:1528675", "KG", "city")


def report(rid: str, article: str, *, kind: str = "summit", status: str = "past", day: date | None = None,
           precision: str | None = "day", place=ASTANA, entities=(), tokens=(), published=None, previous=None,
           event_type: str = "meeting") -> Report:
    published = published or datetime(2025, 10, 10, tzinfo=UTC)
    lo, hi, dated = date_window(day, precision if day else None, status, published)
    key, country, feature = place if place else (None, None, None)
    return Report(report_id=rid, event_type=event_type, article_id=article, kind=kind if event_type == "meeting" else None,
                  status=status, date_lo=lo, date_hi=hi, dated=dated, place_key=key, place_country=country,
                  place_feature=feature, entities=frozenset(entities), tokens=frozenset(tokens),
                  published=published, previous_event=previous)


def test_date_window_at_each_precision():
    pub = datetime(2025, 3, 1, tzinfo=UTC)
    assert date_window(date(2025, 3, 14), "day", "planned", pub)[:2] == (date(2025, 3, 13), date(2025, 3, 15))
    assert date_window(date(2025, 2, 1), "month", "past", pub)[:2] == (date(2025, 2, 1), date(2025, 2, 28))
    assert date_window(date(2024, 1, 1), "year", "past", pub)[:2] == (date(2024, 1, 1), date(2024, 12, 31))
    lo, hi, dated = date_window(None, None, "planned", pub)
    assert not dated and lo < date(2025, 3, 1) < hi
    assert date_window(None, None, "past", pub)[0] is None


def test_kind_families():
    assert kinds_fit("summit", "session") and kinds_fit("talks", "meeting") and kinds_fit("forum", "conference")
    assert not kinds_fit("visit", "talks") and not kinds_fit("call", "meeting") and not kinds_fit("summit", "talks")


def test_the_announcement_and_the_report_of_one_summit_are_one_event():
    announced = report("a1", "art-1", status="planned", day=date(2025, 10, 9), entities={"country:RU", "country:TJ"},
                       tokens={"ord:2", "concept:central-asia"}, published=datetime(2025, 10, 1, tzinfo=UTC))
    held = report("b1", "art-2", status="past", day=date(2025, 10, 10), entities={"country:RU", "country:TJ"},
                  tokens={"ord:2", "concept:central-asia"})
    assert conflict(announced, held) is None
    out = resolve([held, announced])
    assert out[0].event_id == out[1].event_id and {a.founded for a in out} == {True, False}


@pytest.mark.parametrize(("other", "why"), [
    (dict(day=date(2025, 11, 20)), "date"),
    (dict(place=BISHKEK), "place"),
    (dict(kind="call"), "kind"),
    (dict(kind="visit"), "kind"),
    (dict(tokens={"ord:3"}), "ordinal"),
    (dict(kind="meeting", entities={"country:RU", "country:KZ", "person:putin"}), "countries"),
])
def test_one_contradiction_keeps_reports_apart(other, why):
    base = dict(kind="meeting", day=date(2025, 10, 9), entities={"country:RU", "country:TJ", "person:putin"},
                tokens={"ord:2"})
    a = report("a1", "art-1", **base)
    b = report("b1", "art-2", **{**base, **other})
    assert conflict(a, b) == why
    assert len({x.event_id for x in resolve([a, b])}) == 2


def test_two_rows_of_one_article_are_never_merged():
    a = report("a1", "art-1", day=date(2025, 10, 9), entities={"person:x"})
    b = report("a2", "art-1", day=date(2025, 10, 9), entities={"person:x"})
    assert conflict(a, b) == "same article"


def test_a_report_that_fits_two_events_merges_them():
    day = date(2025, 10, 9)
    a = report("a1", "art-1", day=day, place=None, entities={"person:x", "person:y"}, tokens={"ord:2"},
               published=datetime(2025, 10, 1, tzinfo=UTC))
    b = report("b1", "art-2", day=day, entities={"country:RU"}, tokens={"ord:2"},
               published=datetime(2025, 10, 2, tzinfo=UTC))
    bridge = report("c1", "art-3", day=day, entities={"person:x", "person:y", "country:RU"}, tokens={"ord:2"})
    first = resolve([a, b])
    assert first[0].event_id != first[1].event_id        # nothing links them yet
    stored = [(a, first[0].event_id), (b, first[1].event_id)]
    out = {x.report_id: x.event_id for x in resolve([bridge], stored, {first[0].event_id, first[1].event_id})}
    assert len(set(out.values())) == 1 and set(out) >= {"c1"} and len(out) == 2   # the bridge and the moved report


def test_a_stated_party_count_keeps_councils_of_other_parties_apart():
    five = report("m1", "art-1", event_type="mechanism", place=None, entities={"country:TM"},
                  tokens={"concept:business", "concept:council", "parties:5"})
    two = report("m2", "art-2", event_type="mechanism", place=None, entities={"country:TM", "country:AZ"},
                 tokens={"concept:business", "concept:council", "named:TM", "named:AZ"})
    assert conflict(five, two) == "party count"


def test_weak_evidence_alone_does_not_join():
    a = report("a1", "art-1", day=None, place=None, entities={"country:KZ"})
    b = report("b1", "art-2", day=None, place=None, entities={"country:KZ"})
    assert evidence(a, b) < 3.0
    assert len({x.event_id for x in resolve([a, b])}) == 2


def test_order_of_arrival_does_not_change_the_events():
    rs = [report("a1", "art-1", status="planned", day=date(2025, 4, 4), entities={"country:UZ", "institution:eu"},
                 published=datetime(2025, 4, 1, tzinfo=UTC)),
          report("b1", "art-2", status="ongoing", day=date(2025, 4, 4), entities={"country:UZ", "institution:eu"},
                 published=datetime(2025, 4, 4, tzinfo=UTC)),
          report("c1", "art-3", kind="call", day=date(2025, 4, 4), entities={"country:UZ"})]
    one = {a.report_id: a.event_id for a in resolve(rs)}
    two = {a.report_id: a.event_id for a in resolve(list(reversed(rs)))}
    assert one == two and one["a1"] == one["b1"] != one["c1"]


def test_incremental_arrival_joins_the_stored_event():
    first = report("a1", "art-1", status="planned", day=date(2025, 4, 4), entities={"person:x", "person:y"})
    [stored] = resolve([first])
    later = report("b1", "art-2", status="past", day=date(2025, 4, 4), entities={"person:x", "person:y"})
    [joined] = resolve([later], stored=[(first, stored.event_id)], taken={stored.event_id})
    assert joined.event_id == stored.event_id and not joined.founded


def test_a_reextracted_report_keeps_its_event_id():
    first = report("a1", "art-1", entities={"person:x"})
    [stored] = resolve([first])
    again = report("a1", "art-1", entities={"person:x"}, previous=stored.event_id)
    assert resolve([again], taken={stored.event_id})[0].event_id == stored.event_id


def test_new_event_ids_are_derived_and_never_reused():
    r = report("a1", "art-1")
    first = new_event_id(r, set())
    assert first == new_event_id(r, set()) and new_event_id(r, {first}) != first


def test_blocking_keys_prefer_names_over_countries_and_carry_the_time():
    day = date(2025, 10, 9)
    days = {"2025-10-08", "2025-10-09", "2025-10-10"}
    assert blocking_keys(report("a", "x", day=day, entities={"country:KZ", "person:p"}, place=None)) == {
        *(f"meeting|person:p|d|{d}" for d in days), "meeting|person:p|m|2025-10"}
    assert search_keys(report("a", "x", day=day, entities={"country:KZ"}, place=None)) == {
        *(f"meeting|country:KZ|d|{d}" for d in days), "meeting|country:KZ|c|2025-10"}
    month = report("a", "x", day=date(2025, 10, 1), precision="month", entities={"country:KZ", "country:UZ"})
    assert blocking_keys(month) == {f"meeting|{k}|c|2025-10" for k in ("with:KZ+UZ", "geonames:1526273")}
    assert search_keys(month) == {f"meeting|{k}|{g}|2025-10" for k in ("with:KZ+UZ", "geonames:1526273")
                                  for g in ("c", "m")}
    undated_past = blocking_keys(report("a", "x", day=None, entities={"person:p"}, place=None))
    assert undated_past == {"meeting|person:p|c|2025-08", "meeting|person:p|c|2025-09", "meeting|person:p|c|2025-10"}


def test_a_day_report_and_a_month_report_are_candidates_of_each_other():
    day = report("a", "x", day=date(2025, 10, 9), entities={"person:p"}, place=None)
    month = report("b", "y", day=date(2025, 10, 1), precision="month", entities={"person:p"}, place=None)
    assert search_keys(day) & blocking_keys(month) and search_keys(month) & blocking_keys(day)


def test_mechanisms_join_on_shared_concepts_and_countries():
    a = report("m1", "art-1", event_type="mechanism", status="proposed", place=None,
               entities={"country:KZ", "country:UZ"}, tokens={"concept:council", "concept:heads-of-regions"})
    b = report("m2", "art-2", event_type="mechanism", status="agreed", place=None,
               entities={"country:KZ", "country:UZ"}, tokens={"concept:council", "concept:heads-of-regions"})
    c = report("m3", "art-3", event_type="mechanism", status="agreed", place=None,
               entities={"country:KZ", "country:UZ"}, tokens={"concept:fund"})
    ids = {a.report_id: a.event_id for a in resolve([a, b, c])}
    assert ids["m1"] == ids["m2"] != ids["m3"]


def member(rid: str, status: str, seen: datetime, **kw) -> Member:
    return Member(report_id=rid, event_type=kw.pop("event_type", "meeting"), article_id=kw.pop("article", rid),
                  status=status, name=kw.pop("name", rid), confidence=kw.pop("confidence", 0.8), seen_at=seen, **kw)


def test_summary_takes_the_furthest_status_the_best_date_and_place():
    astana = Place(name="Astana", feature=PlaceFeature.CITY, country_code="KZ", geonames_id=1526273,
                   latitude=51.18, longitude=71.45)
    kz = Place(name="Kazakhstan", feature=PlaceFeature.COUNTRY, country_code="KZ")
    s = summarize([
        member("a", "planned", datetime(2025, 1, 1, tzinfo=UTC), kind="summit", start_date=date(2025, 2, 1),
               date_precision="month", place=kz, location="Kazakhstan", language="en", feeds=("f1",)),
        member("b", "past", datetime(2025, 2, 20, tzinfo=UTC), kind="summit", start_date=date(2025, 2, 14),
               date_precision="day", place=astana, location="Астана", language="ru", feeds=("f2", "f1"),
               countries=frozenset({"KZ", "UZ", "KG"})),
    ])
    assert (s.status, s.start_date, s.date_precision, s.location) == ("past", date(2025, 2, 14), "day", "Астана")
    assert s.place == astana and (s.articles, s.sources, s.languages) == (2, 2, ("en", "ru"))
    assert s.codes.cameo == "040" and s.codes.plover_mode == "multilateral"


def test_mechanism_summary_keeps_the_first_proposer():
    s = summarize([
        member("a", "proposed", datetime(2025, 1, 1, tzinfo=UTC), event_type="mechanism", proposer="Kazakhstan"),
        member("b", "agreed", datetime(2025, 3, 1, tzinfo=UTC), event_type="mechanism"),
    ])
    assert (s.status, s.proposer, s.codes.cameo, s.codes.plover_type) == ("agreed", "Kazakhstan", "057", "AGREE")


def test_codes_table():
    assert codes_of("meeting", "summit", "planned").cameo == "036"
    assert codes_of("meeting", "visit", "past").plover_mode == "visit"
    assert codes_of("meeting", "meeting", "past", "third").cameo == "044"
    with pytest.raises(ValueError):
        summarize([])


# --- what many events share weighs less; pruning never changes an assignment -------------------

MOSCOW = ("geonames:524901", "RU", "city")


def _busy_day(n: int) -> list[tuple[Report, str]]:
    """n stored events of one day in one city, each of one head of state with another partner."""
    return [(report(f"s{i}", f"art-s{i}", kind="talks", day=date(2025, 10, 9), place=MOSCOW,
                    entities={"person:head", f"person:partner-{i}"}), f"ev-{i}") for i in range(n)]


def test_a_key_many_events_share_weighs_less():
    vague = report("n1", "art-n", kind="talks", day=date(2025, 10, 9), place=MOSCOW, entities={"person:head"})
    assert not resolve([vague], _busy_day(1), {"ev-0"})[0].founded          # one such event: it is that one
    stored = _busy_day(40)                                                    # forty: it could be any
    assert resolve([vague], stored, {e for _, e in stored})[0].founded
    named = report("n2", "art-n", kind="talks", day=date(2025, 10, 9), place=MOSCOW,
                   entities={"person:head", "person:partner-7"})
    assert resolve([named], stored, {e for _, e in stored})[0].event_id == "ev-7"   # a rare partner still tells


def test_a_report_agreeing_with_one_of_an_events_reports_only_does_not_join():
    day = date(2025, 10, 9)
    event = [(report("s1", "art-1", day=day, entities={"person:p"}), "ev-1"),
             (report("s2", "art-2", day=day, entities={"person:q"}), "ev-1"),
             (report("s3", "art-3", day=day, entities={"person:q"}), "ev-1")]
    new = report("n1", "art-4", day=day, entities={"person:p"})
    assert evidence(new, event[0][0]) >= 2.0
    assert resolve([new], event, {"ev-1"})[0].founded       # no chain through one report of three


_PEOPLE = st.sampled_from(["person:a", "person:b", "person:c", "institution:x", "country:KZ", "country:RU",
                           "country:UZ"])
_TOKENS = st.sampled_from(["concept:council", "concept:business", "ord:2", "ord:3", "year:2025", "institution:sco"])


@st.composite
def _reports(draw) -> list[Report]:
    out = []
    for i in range(draw(st.integers(2, 14))):
        precision = draw(st.sampled_from(["day", "day", "month", None]))
        out.append(report(
            f"r{i}", f"art-{draw(st.integers(0, 9))}", kind=draw(st.sampled_from(["summit", "talks", "meeting"])),
            status=draw(st.sampled_from(["past", "planned"])),
            # a year earlier now and then: a numbered series meets its other reports whatever the dates
            day=date(draw(st.sampled_from([2024, 2025, 2025])), 10, draw(st.integers(1, 28))) if precision else None,
            precision=precision or "day",
            place=draw(st.sampled_from([ASTANA, MOSCOW, BISHKEK, None])),
            entities=draw(st.frozensets(_PEOPLE, max_size=4)), tokens=draw(st.frozensets(_TOKENS, max_size=3)),
            published=datetime(2025, 10, draw(st.integers(1, 28)), tzinfo=UTC)))
    return out


@contextmanager
def _resolve_with(name: str, replacement) -> Iterator[None]:
    """events.resolve's `name` replaced by `replacement` for the block (hypothesis tests cannot take
    pytest's function-scoped monkeypatch)."""
    module = sys.modules["events.resolve"]
    original = getattr(module, name)
    setattr(module, name, replacement)
    try:
        yield
    finally:
        setattr(module, name, original)


@given(_reports())
@settings(max_examples=150, deadline=None)
def test_pruning_candidates_never_changes_the_events(reports):
    """`_candidates` compares only the events that can reach the threshold; comparing every event
    that shares a blocking key gives the same assignments."""
    resolve_module = sys.modules["events.resolve"]
    pruned = resolve(reports)
    original = resolve_module._candidates

    def every_candidate(report, index, members, *rest):
        _, weights = original(report, index, members, *rest)
        keyed = resolve_module._keys(report, ("c",), ("c", "m"))
        series = keyed.pop(SERIES)       # a numbered series' key brings only its numbered alike
        found = resolve_module.series_candidates(report, index)
        found |= set().union(*(index.get(k, ()) for k in search_keys(report) if k not in series))
        return sorted(e for e in found if members.get(e)), weights

    with _resolve_with("_candidates", every_candidate):
        assert resolve(reports) == pruned


@st.composite
def _reports_with_copies(draw) -> list[Report]:
    """Reports, some of them again from other articles (wire copies: alike in all evidence reads)."""
    reports = draw(_reports())
    copies = [replace(r, report_id=f"{r.report_id}-copy{n}", article_id=f"copy-{n}", status="past")
              for n, r in enumerate(draw(st.lists(st.sampled_from(reports), max_size=8)))]
    return reports + copies


@given(_reports_with_copies())
@settings(max_examples=150, deadline=None)
def test_scoring_reports_alike_once_never_changes_the_events(reports):
    """`resolve` scores a report against each kind of report once (`Report.alike`); scoring every
    report of every candidate event gives the same assignments."""
    once = resolve(reports)
    with _resolve_with("_evidence", lambda report, other, weights, scored: evidence(report, other, weights)):
        assert resolve(reports) == once


@given(_reports(), st.dictionaries(st.sampled_from(sorted(_TOKENS.elements) + ["person:a", "country:KZ", "with:KZ+RU"]),
                                   st.floats(0.1, 1.0)))
@settings(max_examples=200, deadline=None)
def test_a_score_taken_from_the_reports_alike_is_the_reports_own(reports, weights):
    """Whatever field a report differs in from one scored before it (each field of `Report` in
    turn, taken from another report), the score `resolve` takes for it equals its own evidence:
    `Report.alike` holds everything evidence reads."""
    resolve_module = sys.modules["events.resolve"]
    first, *others = reports
    for scored_first, donor in zip(others, others[1:], strict=False):
        for name in (f.name for f in fields(Report) if f.init):
            variant = replace(scored_first, **{name: getattr(donor, name)})
            for w in (weights, None):
                scored: dict = {}
                resolve_module._evidence(first, scored_first, w, scored)
                assert resolve_module._evidence(first, variant, w, scored) == evidence(first, variant, w), name
