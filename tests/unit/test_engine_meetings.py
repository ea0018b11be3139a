"""The language-neutral meeting engine on hand-built mentions: head choice, merging, the
participant union and hit assembly, and each named language choice of `MeetingRules`."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from extraction.engine.meetings import (
    NAMED_CONFIDENCE,
    OTHER_CONFIDENCE,
    Cluster,
    HeadChoice,
    KindChoice,
    MeetingRules,
    Mention,
    ParticipantList,
    assemble,
    compatible,
    dated_by_publication,
    dating_mention,
    first_dated,
    first_status,
    first_word_status,
    head_of,
    kind_of,
    merge,
    participant_union,
    same_spelling,
    status_clash,
)
from extraction.hits import ParticipantHit, Sentence
from schemas import MeetingKind, MeetingStatus, ParticipantType


def mention(start: int, name: str, *, kind: str | None = "summit", role: str = "noun", sent: int = 0,
            **kw) -> Mention:
    return Mention(tok=object(), kind=kind, role=role, sent=sent, start=start, end=start + len(name), name=name, **kw)


def alike(c: Cluster, m: Mention) -> bool:
    return c.kind == m.kind and any(o.stems & m.stems for o in c.mentions)


RULES = MeetingRules(
    language="xx",
    head=HeadChoice.NOUN_THEN_LONGEST_NAME,
    kind=KindChoice.NOUN_FIRST,
    decisive=lambda m: m.status_src != "none",
    alike=alike,
    continues=None,
    antecedent_score=lambda c, m: 0,
    status_clash_penalty=2,
    verb_reach=1,
    starts_meeting=lambda m: m.role != "anaphor",
    participant_key=str.casefold,
    added_participant_key=str.casefold,
)


class Place:
    def __init__(self, location: str, kind: str = "city", country: str | None = None) -> None:
        self.location, self.kind, self.country = location, kind, country


# ------------------------------------------------------------------ heads

def test_head_longest_name_prefers_named_mentions_and_the_first_on_ties() -> None:
    a = mention(0, "the summit", anaphoric=True)
    b = mention(20, "the SCO summit")
    c = mention(40, "the CIS summit")
    assert head_of([a, b, c], HeadChoice.LONGEST_NAME) is b


def test_head_longest_name_counts_words_among_bare_anaphors() -> None:
    a = mention(0, "переговорах", anaphoric=True)
    b = mention(30, "эти переговоры", anaphoric=True)
    assert head_of([a, b], HeadChoice.LONGEST_NAME) is b
    assert head_of([b, a], HeadChoice.LONGEST_NAME) is b


def test_head_noun_then_longest_name_puts_a_noun_before_a_longer_verb() -> None:
    verb = mention(0, "met with the president of X", role="verb")
    noun = mention(50, "the talks")
    assert head_of([verb, noun], HeadChoice.NOUN_THEN_LONGEST_NAME) is noun
    assert head_of([verb, noun], HeadChoice.LONGEST_NAME) is verb


def test_kind_named_then_specific_prefers_a_bare_specific_kind_over_generic() -> None:
    named = mention(0, "встреча", kind="meeting")
    bare = mention(30, "переговорах", kind="talks", anaphoric=True)
    assert kind_of([named, bare], KindChoice.NAMED_THEN_SPECIFIC) == "meeting"
    generic = mention(0, "консультаций", kind="meeting", anaphoric=True)
    assert kind_of([generic, bare], KindChoice.NAMED_THEN_SPECIFIC) == "talks"
    assert kind_of([generic, bare], KindChoice.NOUN_FIRST) == "meeting"


def test_kind_noun_first_puts_a_named_noun_before_a_verb() -> None:
    verb = mention(0, "met", kind="meeting", role="verb")
    noun = mention(20, "the talks", kind="talks")
    assert kind_of([verb, noun], KindChoice.NOUN_FIRST) == "talks"
    assert kind_of([verb, noun], KindChoice.NAMED_THEN_SPECIFIC) == "meeting"


def test_a_verb_anaphor_joins_only_within_the_verb_reach() -> None:
    talks = mention(0, "the talks", kind="talks", sent=0)
    met = mention(90, "met", kind="talks", role="verb", anaphoric=True, sent=2)
    assert [cl.mentions for cl in merge([talks, met], RULES)] == [[talks], [met]]
    assert [cl.mentions for cl in merge([talks, met], replace(RULES, verb_reach=3))] == [[talks, met]]


# ------------------------------------------------------------------ compatibility

def test_compatible_checks_date_at_the_coarser_precision_and_place() -> None:
    c = Cluster([mention(0, "the summit", date=date(2026, 5, 1), precision="month", place=Place("Astana"))],
                RULES)
    assert compatible(c, mention(20, "the summit", date=date(2026, 5, 20), precision="day"))
    assert not compatible(c, mention(20, "the summit", date=date(2026, 6, 2), precision="day"))
    assert not compatible(c, mention(20, "the summit", place=Place("Tashkent")))
    assert first_dated(c) is c.mentions[0]


def test_status_clash_needs_two_decisive_statuses_and_lets_past_meet_ongoing() -> None:
    c = Cluster([mention(0, "a", status="past", status_src="word")], RULES)
    assert status_clash(c, mention(5, "b", status="planned", status_src="tense"), RULES.decisive)
    assert not status_clash(c, mention(5, "b", status="planned"), RULES.decisive)
    assert not status_clash(c, mention(5, "b", status="ongoing", status_src="word"), RULES.decisive)
    only_words = lambda m: m.status_src == "word"    # noqa: E731 - the Russian choice
    assert not status_clash(c, mention(5, "b", status="planned", status_src="tense"), only_words)


# ------------------------------------------------------------------ merging

def test_merge_joins_alike_named_mentions_unless_the_date_differs() -> None:
    a = mention(0, "the SCO summit", stems=frozenset({"sco"}), date=date(2026, 7, 3), precision="day")
    b = mention(30, "the summit of the SCO", stems=frozenset({"sco"}))
    c = mention(60, "the SCO summit", stems=frozenset({"sco"}), date=date(2027, 7, 3), precision="day")
    clusters = merge([a, b, c], RULES)
    assert [cl.mentions for cl in clusters] == [[a, b], [c]]


def test_merge_continues_the_last_cluster_only_when_the_language_says_so() -> None:
    a = mention(0, "the session", kind="session", stems=frozenset({"council"}))
    b = mention(40, "talks between the delegations", kind="talks", stems=frozenset({"delegation"}))
    assert len(merge([a, b], RULES)) == 2
    joined = merge([a, b], replace(RULES, continues=lambda c, m: m.kind == "talks"))
    assert [cl.mentions for cl in joined] == [[a, b]]


def test_an_anaphor_joins_its_kind_and_a_status_that_agrees() -> None:
    summit = mention(0, "the SCO summit", stems=frozenset({"sco"}), status="past", status_src="tense")
    talks = mention(30, "talks with Iran", kind="talks", stems=frozenset({"iran"}), status="planned",
                    status_src="tense")
    again = mention(60, "the summit", anaphoric=True, role="anaphor", status="past", status_src="tense")
    later = mention(90, "the talks", kind="talks", anaphoric=True, role="anaphor", status="planned",
                    status_src="tense")
    clusters = merge([summit, talks, again, later], RULES)
    assert [cl.mentions for cl in clusters] == [[summit, again], [talks, later]]


def test_an_anaphor_with_no_antecedent_starts_a_meeting_only_when_the_language_says_so() -> None:
    bare = mention(0, "the meeting", kind="meeting", anaphoric=True, role="anaphor")
    verb = mention(20, "met", kind="meeting", anaphoric=True, role="verb")
    none_ok = replace(RULES, antecedent_score=lambda c, m: None)
    assert [cl.mentions for cl in merge([bare, verb], none_ok)] == [[verb]]


def test_the_status_clash_penalty_can_send_an_anaphor_to_an_earlier_meeting() -> None:
    undated = mention(0, "the SCO summit", stems=frozenset({"sco"}))
    announced = mention(30, "the CIS summit", stems=frozenset({"cis"}), status="planned", status_src="tense")
    anaphor = mention(60, "the summit", anaphoric=True, role="anaphor", status="past", status_src="tense")
    # both +2 for the kind; the announced summit loses the penalty for its clashing status
    assert merge([undated, announced, anaphor], RULES)[0].mentions[-1] is anaphor
    # without a penalty the tie goes to the cluster mentioned last
    lenient = replace(RULES, status_clash_penalty=0)
    assert merge([undated, announced, anaphor], lenient)[1].mentions[-1] is anaphor


# ------------------------------------------------------------------ assembly

def test_participant_union_keeps_the_first_spelling_and_extends_a_seen_set() -> None:
    a = ParticipantHit("Kazakhstan", ParticipantType.COUNTRY)
    b = ParticipantHit("KAZAKHSTAN", ParticipantType.COUNTRY)
    c = ParticipantHit("Uzbekistan", ParticipantType.COUNTRY)
    seen: set[str] = set()
    assert participant_union([[a], [b, c]], str.casefold, seen) == [a, c]
    assert participant_union([[c]], str.casefold, seen) == []
    assert participant_union([[a, b]], same_spelling) == [a, b]


def test_assemble_takes_offsets_name_rule_and_confidence_from_the_head() -> None:
    noun = mention(10, "the SCO summit", status="past")
    verb = mention(40, "met", role="verb", status="planned")
    c = Cluster([verb, noun], RULES)
    assert first_status(c) == "planned"
    hit = assemble(c, sentence=Sentence(0, 80), kind="summit", status="past", start_date=date(2026, 7, 3),
                   precision="day", location="Astana", participants=[])
    assert (hit.start, hit.end, hit.name) == (10, 24, "the SCO summit")
    assert hit.kind is MeetingKind.SUMMIT and hit.status is MeetingStatus.PAST
    assert hit.rule_id == "xx.meeting.noun" and hit.confidence == NAMED_CONFIDENCE
    assert hit.mentions == ((40, 43), (10, 24))
    bare = assemble(Cluster([verb], RULES), sentence=Sentence(0, 80), kind="meeting",
                    status="planned", start_date=None, precision=None, location=None, participants=[])
    assert bare.rule_id == "xx.meeting.verb" and bare.confidence == OTHER_CONFIDENCE
    assert bare.date_precision is None


def test_participant_list_takes_each_name_once_by_its_key() -> None:
    found = ParticipantList(str.casefold)
    found.add("Kazakhstan", ParticipantType.COUNTRY)
    found.add("", ParticipantType.COUNTRY)
    found.add(None, ParticipantType.PERSON)
    found.add("KAZAKHSTAN", ParticipantType.COUNTRY)
    found.add("Tokayev", ParticipantType.PERSON)
    assert [p.name for p in found.items] == ["Kazakhstan", "Tokayev"]


def test_the_head_dates_the_meeting_else_the_first_dated_mention() -> None:
    verb = mention(0, "met", role="verb", date=date(2026, 5, 4), precision="day")
    noun = mention(20, "the SCO summit")
    c = Cluster([verb, noun], RULES)
    assert dating_mention(c) is verb
    noun.date, noun.precision = date(2026, 5, 5), "day"
    assert dating_mention(c) is noun


def test_only_an_undated_event_under_way_takes_the_publication_day() -> None:
    published = date(2026, 5, 5)
    assert dated_by_publication("ongoing", False, published)
    assert not dated_by_publication("ongoing", True, published)
    assert not dated_by_publication("past", False, published)
    assert not dated_by_publication("ongoing", False, None)


def test_engine_imports_no_language_and_no_parser() -> None:
    import ast
    from pathlib import Path

    import extraction.engine.meetings as engine

    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | \
        {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in modules if m.split(".")[0] in ("spacy", "natasha", "yargy")
                or m.startswith(("extraction.ru", "extraction.en"))}


def test_a_grammar_may_give_kind_and_status_as_strings_the_record_holds_enums() -> None:
    m = mention(0, "the talks", kind="talks", status="planned")
    assert m.kind is MeetingKind.TALKS and m.status is MeetingStatus.PLANNED
    assert m.kind == "talks" and {m.status, "past"} == {"planned", "past"}
    assert mention(0, "the event", kind=None).kind is None


def test_the_first_status_a_word_states_in_text_order_unless_ignored() -> None:
    tense = mention(0, "met", role="verb", status="past", status_src="tense")
    weak = mention(40, "this meeting", anaphoric=True, status="planned", status_src="word")
    strong = mention(80, "the upcoming summit", status="ongoing", status_src="word")
    c = Cluster([strong, tense, weak], RULES)
    assert first_word_status(c) == "planned"
    assert first_word_status(c, lambda m: m.anaphoric) == "ongoing"
    assert first_word_status(Cluster([tense], RULES)) is None
