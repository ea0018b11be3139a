"""Meetings, language-neutral: the mention record, merging the mentions of one meeting into a
cluster, the cluster's head, the participant union and assembling one `MeetingHit` per cluster.

A language's grammar (`extraction/<lang>/meetings.py` and its helpers) finds the mentions — a
trigger noun or verb from its `meeting_triggers.tsv`, with the phrase, status, date, place and
participants read off its parse tree — and fills one `Mention` for each. The skeleton of what
follows is here: a named mention joins the latest cluster it is alike and compatible with; an
anaphor ("this meeting", "the talks") joins its best-scoring compatible antecedent (`merge`);
the cluster's head mention gives the row its offsets and name (`HeadChoice`), a chosen mention
its kind (`KindChoice`), date (`dating_mention`) and word-stated status (`first_word_status`);
the row's participants are the union of its mentions' (`participant_union`, `ParticipantList`)
and its rule id and confidence follow from the head (`assemble`).

Where the two languages still decide a shared step differently, the difference is a named
field of `MeetingRules`, which each language sets explicitly (no defaults), with the reason.
Unifying them is a behaviour change to be measured on the dev set, not a refactor. The checks
that keep two meetings apart — a date, a place or a decisive status that disagree — are here too
(`dates_conflict`, `places_conflict`, `statuses_conflict`). Nothing here imports a language
module or an NLP library: tokens and places travel as opaque handles.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Protocol

from extraction.hits import MeetingHit, ParticipantHit, Sentence
from schemas import DatePrecision, MeetingKind, MeetingStatus, ParticipantType

# ------------------------------------------------------------------ thresholds

# The confidence a hit carries until `extraction.confidence` has measured its rule on the dev set
# (the adapter replaces it by the measured precision): a meeting named by its own noun phrase
# ("the summit of the SCO") is trusted more than one only referred back to ("the talks") or told
# by a verb ("met with").
NAMED_CONFIDENCE = 0.8
OTHER_CONFIDENCE = 0.6
# How an anaphor ranks its candidate antecedents: a cluster of its own kind counts most, a
# status that agrees with the cluster's head adds a little (a status that disagrees subtracts
# `MeetingRules.status_clash_penalty`); ties go to the cluster mentioned last.
KIND_MATCH_SCORE = 2
STATUS_MATCH_SCORE = 1
# statuses that never clash: a meeting held earlier today is still under way
PAST_AND_ONGOING = frozenset({"past", "ongoing"})
# A meeting whose status nothing states is one that took place: the news reports what happened.
DEFAULT_STATUS = "past"
# Two phrases name one meeting when at least half of all their content stems are shared (Jaccard):
# "the forum of the Caspian states" / "the Caspian states forum". Each language adds its own looser
# tests on top (a subset of stems, the same date): see each language's `_similar`.
SAME_STEMS_SHARE = 0.5


# ------------------------------------------------------------------ compatibility

# characters of an ISO date that a precision states ("2026-05" for a month)
PRECISION_CHARS = {"day": 10, "month": 7, "year": 4}


class PlaceLike(Protocol):
    """A place as either language's gazetteer gives it."""
    kind: str                   # city | venue | region | country
    location: str
    country: str | None


def dates_conflict(a: date | None, a_precision: str | None, b: date | None, b_precision: str | None) -> bool:
    """Two dates disagree at the coarser of their precisions ("in May" agrees with "on May 5")."""
    if a is None or b is None:
        return False
    n = min(PRECISION_CHARS.get(a_precision or "day", 10), PRECISION_CHARS.get(b_precision or "day", 10))
    return a.isoformat()[:n] != b.isoformat()[:n]


def _wider(p: PlaceLike) -> bool:
    return p.kind in ("country", "region")


def places_conflict(places: Iterable[PlaceLike | None], p: PlaceLike | None) -> bool:
    """`p` names another place than one of `places`; a city agrees with its country or region."""
    if p is None:
        return False
    for o in places:
        if o is None or o.location == p.location:
            continue
        if _wider(p) and o.country == p.country or _wider(o) and p.country == o.country:
            continue
        return True
    return False


def statuses_conflict(statuses: Iterable[tuple[str | None, bool]], status: str | None, decisive: bool) -> bool:
    """Two decisive statuses differ (past and ongoing go together: "opened on Monday ... is under way").

    `statuses` holds (status, decisive) of the cluster's mentions; decisive means a word or a date
    fixed it rather than a guess.
    """
    if status is None or not decisive:
        return False
    return any(s and d and s != status and {s, status} != PAST_AND_ONGOING for s, d in statuses)


# ------------------------------------------------------------------ the mention record

@dataclass
class Mention:
    """One mention of a meeting, as a language's grammar found it.

    Mutable on purpose: later passes of a grammar still settle a mention's place, date, status
    source and participants (a visit lends its place to the talks held during it). Fields that
    only one language's grammar fills say so; the other leaves them at their default. A grammar
    may give the kind and status as plain strings: they are stored as `MeetingKind` and
    `MeetingStatus` (string enums, equal to their values). The precision stays a string: the date
    grammars know precisions ("week", "season", "range") that `DatePrecision` lacks.
    """
    tok: object                 # the trigger token (opaque handle of the language's parser)
    kind: MeetingKind | None    # None: generic ("мероприятие"), takes its antecedent's
    role: str                   # noun | anaphor | verb
    sent: int                   # the sentence's number in the article
    start: int                  # offsets of the mention's phrase in the body
    end: int
    name: str                   # the phrase as it stands in the body
    status: MeetingStatus | None = None     # None when nothing says
    status_src: str = "none"    # what fixed the status: word | tense | date | lead (ru) | run | frame (en) | none
    date: date | None = None
    precision: str | None = None    # a `DatePrecision` value
    date_own: bool = False      # (en) the date is read off the trigger's own phrase, not the governing verb
    place: PlaceLike | None = None
    participants: list[ParticipantHit] = field(default_factory=list)
    anaphoric: bool = False     # refers back to a meeting already named ("данная встреча", "the talks")
    distinct: bool = False      # marked as another occurrence ("the next session")
    forward: bool = False       # (ru) "предстоящий саммит": the announced one named before, if any
    stems: frozenset[str] = frozenset()     # content stems of the phrase, compared between mentions
    words: frozenset[str] = frozenset()     # (ru) content lemmas, institutions' words too
    insts: frozenset[str] = frozenset()     # (en) ids of the institutions the phrase names
    core: frozenset[str] = frozenset()      # (en) content lemmas that are not place names

    def __post_init__(self) -> None:
        if self.kind is not None:
            self.kind = MeetingKind(self.kind)
        if self.status is not None:
            self.status = MeetingStatus(self.status)

    @property
    def location(self) -> str | None:
        """What a hit's location column gets from this mention's place (a city, else the country)."""
        return self.place.location if self.place is not None else None


# ------------------------------------------------------------------ clusters

class HeadChoice(Enum):
    """Which mention of a cluster is its head (offsets, name, evidence sentence, rule id)."""
    LONGEST_NAME = "longest-name"
    # (ru) among named (non-anaphoric) mentions the longest name in characters; among bare
    # anaphors only ("Переговоры ... В переговорах ...") the longest in words; the first on ties
    NOUN_THEN_LONGEST_NAME = "noun-then-longest-name"
    # (en) among named mentions, else all: a noun phrase over a verb, then the longest name in
    # characters, the first on ties


def head_of(mentions: list[Mention], choice: HeadChoice) -> Mention:
    """The head mention of a cluster's mentions."""
    named = [m for m in mentions if not m.anaphoric]
    pool = named or mentions
    if choice is HeadChoice.NOUN_THEN_LONGEST_NAME:
        return max(pool, key=lambda m: (m.role != "verb", len(m.name), -m.start))
    if named:
        return max(pool, key=lambda m: (len(m.name), -m.start))
    return max(pool, key=lambda m: (len(m.name.split()), -m.start))


class KindChoice(Enum):
    """Which mention gives a cluster its kind (`MeetingKind` value)."""
    NAMED_THEN_SPECIFIC = "named-then-specific"
    # (ru) the first named mention with a kind; among bare ones a specific kind ("переговорах")
    # over the generic "meeting" ("консультаций")
    NOUN_FIRST = "noun-first"
    # (en) the first mention with a kind, named before bare, nouns before verbs ("met" is any meeting)


def kind_of(mentions: list[Mention], choice: KindChoice) -> MeetingKind | None:
    """The kind of a cluster's mentions; None when no mention has one."""
    if choice is KindChoice.NOUN_FIRST:
        ms = sorted(mentions, key=lambda x: (x.anaphoric, x.role == "verb", x.start))
        return next((m.kind for m in ms if m.kind), None)
    ms = sorted(mentions, key=lambda x: (x.anaphoric, x.start))
    for m in ms:
        if m.kind and not m.anaphoric:
            return m.kind
    return next((m.kind for m in ms if m.kind and m.kind != "meeting"), None) or \
        next((m.kind for m in ms if m.kind), None)


@dataclass
class Cluster:
    """The mentions of one meeting, in the order they joined, and the rules of their language."""
    mentions: list[Mention]
    rules: MeetingRules

    @property
    def head(self) -> Mention:
        """The clearest mention: see `HeadChoice`."""
        return head_of(self.mentions, self.rules.head)

    @property
    def kind(self) -> MeetingKind | None:
        """The meeting's kind: see `KindChoice`."""
        return kind_of(self.mentions, self.rules.kind)


def first_dated(c: Cluster) -> Mention | None:
    """The first mention (in joining order) that states a date."""
    return next((m for m in c.mentions if m.date), None)


def dating_mention(c: Cluster) -> Mention | None:
    """The mention that dates the meeting: the head when it states a date, else the first that does."""
    head = c.head
    return head if head.date is not None else first_dated(c)


def dated_by_publication(status: MeetingStatus | str, dated: bool, published: date | None) -> bool:
    """An event under way at publication that no date of its own places is on the publication day."""
    return status == "ongoing" and published is not None and not dated


def first_word_status(c: Cluster, ignore: Callable[[Mention], bool] | None = None) -> MeetingStatus | None:
    """The status a word states ("upcoming", "предстоящий") at the first such mention in text order,
    passing over the mentions `ignore` holds too weak."""
    return next((m.status for m in sorted(c.mentions, key=lambda x: x.start)
                 if m.status and m.status_src == "word" and not (ignore is not None and ignore(m))), None)


def first_status(c: Cluster) -> MeetingStatus | None:
    """The first status any mention states, however weakly."""
    return next((m.status for m in c.mentions if m.status), None)


# ------------------------------------------------------------------ a mention against a cluster

def dates_clash(c: Cluster, m: Mention) -> bool:
    """The mention's date disagrees with the cluster's first stated date."""
    first = first_dated(c)
    return first is not None and dates_conflict(first.date, first.precision, m.date, m.precision)


def places_clash(c: Cluster, m: Mention) -> bool:
    """The mention names another place than one of the cluster's mentions."""
    return places_conflict((o.place for o in c.mentions), m.place)


def compatible(c: Cluster, m: Mention) -> bool:
    """Neither date nor place tells the mention apart from the cluster."""
    return not (dates_clash(c, m) or places_clash(c, m))


def status_clash(c: Cluster, m: Mention, decisive: Callable[[Mention], bool]) -> bool:
    """A decisive status of the mention disagrees with a decisive one of the cluster."""
    return statuses_conflict(((o.status, decisive(o)) for o in c.mentions), m.status, decisive(m))


# ------------------------------------------------------------------ what each language decides

@dataclass(frozen=True)
class MeetingRules:
    """The choices a language makes in the shared steps. Every field is set by each language with
    the reason it differs; see `extraction/en/meetings.py`, `extraction/ru/meetings.py`."""
    language: str                       # rule ids are "<language>.meeting.<head role>"
    head: HeadChoice
    kind: KindChoice
    decisive: Callable[[Mention], bool]     # a word (or date, ...) rather than a guess fixed the status
    alike: Callable[[Cluster, Mention], bool]   # a named mention may be this cluster's meeting (words, kind);
    #                                             `merge` adds the date, place and status checks
    continues: Callable[[Cluster, Mention], bool] | None   # a named mention that joins no cluster alike
    #                                             still continues the last one (None: never)
    antecedent_score: Callable[[Cluster, Mention], int | None]  # an anaphor's language-specific score for
    #                                             a compatible cluster (None: not its antecedent); `merge`
    #                                             adds KIND_MATCH_SCORE and the status terms
    status_clash_penalty: int           # subtracted when an anaphor's stated status differs from the head's
    verb_reach: int                     # sentences between a verb anaphor ("met with") and a mention of the
    #                                     meeting it joins
    starts_meeting: Callable[[Mention], bool]   # an anaphor with no antecedent still makes a meeting
    participant_key: Callable[[str], str]   # participants with equal keys are one in a hit (`participant_union`)
    added_participant_key: Callable[[str], str]     # ... when a later pass adds participants to a mention
    #                                     (speakers after the lead meeting, a delegation's head, a visit's parties)


# ------------------------------------------------------------------ merging

def _antecedent_key(c: Cluster, m: Mention, rules: MeetingRules) -> tuple[int, int] | None:
    if not compatible(c, m):
        return None
    if m.role == "verb" and not any(abs(o.sent - m.sent) <= rules.verb_reach for o in c.mentions):
        return None
    score = rules.antecedent_score(c, m)
    if score is None:
        return None
    if m.kind and c.kind == m.kind:
        score += KIND_MATCH_SCORE
    hs = c.head.status
    if m.status and hs == m.status:
        score += STATUS_MATCH_SCORE
    elif m.status and hs and m.status_src != "none" and {hs, m.status} != PAST_AND_ONGOING:
        score -= rules.status_clash_penalty
    return score, max(o.start for o in c.mentions)


def merge(mentions: Iterable[Mention], rules: MeetingRules) -> list[Cluster]:
    """Mentions grouped by meeting, in order of first mention.

    A named mention joins the latest cluster it is alike (`MeetingRules.alike`) and compatible
    with (date, place and decisive status agree), else the last cluster it continues, else starts
    one. An anaphor joins the compatible cluster it scores best with (`MeetingRules.antecedent_score`
    plus the kind and status terms; a verb only within `MeetingRules.verb_reach` sentences; ties
    go to the cluster mentioned last, then the earliest); with none it starts a cluster only when
    `MeetingRules.starts_meeting` says it names one.
    """
    clusters: list[Cluster] = []
    for m in mentions:
        if not m.anaphoric:
            target = next((c for c in reversed(clusters) if rules.alike(c, m) and compatible(c, m) and
                           not status_clash(c, m, rules.decisive)), None)
            if target is None and clusters and rules.continues is not None and rules.continues(clusters[-1], m):
                target = clusters[-1]
            if target is not None:
                target.mentions.append(m)
            else:
                clusters.append(Cluster([m], rules))
            continue
        best, best_key = None, None
        for c in clusters:
            key = _antecedent_key(c, m, rules)
            if key is not None and (best_key is None or key > best_key):
                best, best_key = c, key
        if best is not None:
            best.mentions.append(m)
        elif rules.starts_meeting(m):
            clusters.append(Cluster([m], rules))
    return clusters


# ------------------------------------------------------------------ assembly

class ParticipantList:
    """Participants gathered one at a time, in the order first found, each once by `key` of its name."""

    def __init__(self, key: Callable[[str], str]) -> None:
        self.key = key
        self.items: list[ParticipantHit] = []
        self._seen: set[str] = set()

    def add(self, name: str | None, ptype: ParticipantType) -> None:
        """Take `name` as a participant of type `ptype` unless it is empty or already taken."""
        if name and self.key(name) not in self._seen:
            self._seen.add(self.key(name))
            self.items.append(ParticipantHit(name, ptype))


def participant_union(groups: Iterable[Iterable[ParticipantHit]], key: Callable[[str], str],
                      seen: set[str] | None = None) -> list[ParticipantHit]:
    """The participants of `groups` in order, each once by `key` of its name; `seen` holds the keys
    already taken (updated in place), so a caller may extend a union it made before."""
    seen = set() if seen is None else seen
    out: list[ParticipantHit] = []
    for group in groups:
        for p in group:
            k = key(p.name)
            if k not in seen:
                seen.add(k)
                out.append(p)
    return out


def same_spelling(name: str) -> str:
    """The strictest participant key: two names are one participant only when spelt exactly alike."""
    return name


def rule_id(head: Mention, rules: MeetingRules) -> str:
    """The rule that found the head mention: "<language>.meeting.<noun | anaphor | verb>"."""
    return f"{rules.language}.meeting.{head.role}"


def confidence(head: Mention) -> float:
    """The prior confidence of a hit with this head (see NAMED_CONFIDENCE)."""
    return NAMED_CONFIDENCE if head.role == "noun" and not head.anaphoric else OTHER_CONFIDENCE


def assemble(c: Cluster, *, sentence: Sentence, kind: MeetingKind | str, status: MeetingStatus | str,
             start_date: date | None, precision: str | None, location: str | None,
             participants: Iterable[ParticipantHit]) -> MeetingHit:
    """One hit from a cluster and the attributes the language chose for it: the head's offsets and
    name, every mention's offsets, the rule id and confidence of the head."""
    head = c.head
    return MeetingHit(
        start=head.start, end=head.end, sentence=sentence, kind=MeetingKind(kind),
        status=MeetingStatus(status), name=head.name, start_date=start_date,
        date_precision=DatePrecision(precision) if precision else None, location=location,
        participants=tuple(participants), rule_id=rule_id(head, c.rules), confidence=confidence(head),
        mentions=tuple((m.start, m.end) for m in c.mentions))
