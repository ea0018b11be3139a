"""Meetings in English text: trigger nouns and verbs over spaCy's dependency tree.

One pass finds mentions (`meeting_mentions`: a trigger from ``meeting_triggers.tsv``,
`meeting_lexicon`, with its phrase; status from its modifiers, the words around it and the
tense/aspect/modals of the verb that governs it, `meeting_status` — "will hold" → planned, "is
taking place" → ongoing, "held" → past; date, place and participants read off the trigger's
subtree and the governing verb's arguments, `meeting_attributes`). The language-neutral engine
(`extraction.engine.meetings`), under the English `RULES`, merges the mentions of one real
meeting ("the meeting", "the talks", "Friday's session", a second mention naming the same body)
and keeps distinct events apart ("its first meeting", a planned session and a past one); generic
references are then absorbed, and visits, framing events and delegations lend places and
parties, before the engine makes one `MeetingHit` per cluster.
Word sets are data (``lexicons/en/``); the exported rule `find_meetings` is last.
"""
from __future__ import annotations

import re

from extraction.en.meeting_attributes import governing_verb, participants_of
from extraction.en.meeting_lexicon import FRAME_HEADS, ORDINALS, PARTICIPANT_KEY, lemma, trigger_of
from extraction.en.meeting_mentions import mentions
from extraction.en.meeting_status import runs_until
from extraction.en.places import country_of_token, group_members, place_at
from extraction.engine.meetings import (
    DEFAULT_STATUS,
    SAME_STEMS_SHARE,
    Cluster,
    HeadChoice,
    KindChoice,
    MeetingRules,
    Mention,
    assemble,
    compatible,
    dated_by_publication,
    dating_mention,
    first_status,
    first_word_status,
    participant_union,
    same_spelling,
    status_clash,
)
from extraction.engine.meetings import merge as merge_mentions
from extraction.hits import MeetingHit, ParticipantHit, Sentence
from schemas import ParticipantType

__all__ = ["find_meetings", "trigger_of"]


def _decisive(m: Mention) -> bool:
    """Any stated source fixes the status: a word, a tense, a date, "runs until", a framing event."""
    return m.status_src != "none"


def _status_conflict(c: Cluster, m: Mention) -> bool:
    return status_clash(c, m, _decisive)


def _similar(c: Cluster, m: Mention) -> bool:
    for o in c.mentions:
        if o.place is not None and o.place.location.lower() in m.stems:
            return True         # "the Kars meeting" after "will meet in Kars"
        if o.anaphoric:
            continue
        if o.insts & m.insts:
            return True
        if o.stems and m.stems:
            inter, union = len(o.stems & m.stems), len(o.stems | m.stems)
            if inter / union >= SAME_STEMS_SHARE or o.stems <= m.stems or m.stems <= o.stems:
                return True     # "the Turkic summit" is "the summit of the Organization of Turkic States"
    return False


def _named(m: Mention, ptype: ParticipantType) -> frozenset[str]:
    return frozenset(p.name for p in m.participants if p.participant_type == ptype)


def _other_people(c: Cluster, m: Mention) -> bool:
    """Both name the persons who meet, and none of them is the same: two meetings."""
    mine = _named(m, ParticipantType.PERSON)
    theirs = frozenset().union(*(_named(o, ParticipantType.PERSON) for o in c.mentions))
    return bool(mine and theirs and not mine & theirs)


# undated talks continue the meeting of the sentence before (no later), when they name the same
# countries, at least two (one country alone is any bilateral meeting)
TALKS_AFTER_REACH = 1
TALKS_MIN_COUNTRIES = 2


def _talks_of(c: Cluster, m: Mention) -> bool:
    """"The joint meeting of the commissions of A and B was held in Gabala. Talks between the delegations
    of A and B were led by ...": undated talks of the same parties right after a meeting are that meeting."""
    if m.kind != "talks" or m.date is not None or m.place is not None or m.distinct or \
            c.kind not in ("meeting", "session"):
        return False
    last = max(o.sent for o in c.mentions)
    mine = _named(m, ParticipantType.COUNTRY)
    return 0 < m.sent - last <= TALKS_AFTER_REACH and len(mine) >= TALKS_MIN_COUNTRIES and any(_named(o, ParticipantType.COUNTRY) == mine for o in c.mentions) and \
        not _status_conflict(c, m)


GENERIC_KINDS = frozenset({"meeting", "talks", "session", None})


def _kind_ok(ck: str | None, mk: str | None) -> bool:
    if mk in GENERIC_KINDS or ck == mk:
        return True
    return mk == "call" and ck in ("talks", "meeting") or mk == "summit" and ck == "meeting"


def _alike(c: Cluster, m: Mention) -> bool:
    """A named mention may be the cluster's meeting: of its kind and alike in words."""
    return c.kind == m.kind and _similar(c, m)


def _antecedent_score(c: Cluster, m: Mention) -> int | None:
    """An anaphor's own score for a compatible cluster (0); None when the cluster cannot be its antecedent:
    a verb ("met with") joins a meeting of its kind, of a status that agrees, between persons of whom one is the same; a noun a cluster of a kind it may name (`_kind_ok`)."""
    ck = c.kind
    if m.role == "verb":
        if ck != m.kind and not (m.kind == "meeting" and ck in ("talks", "meeting")) or _status_conflict(c, m) \
                or _other_people(c, m):
            return None
    elif not _kind_ok(ck, m.kind):
        return None
    return 0


def _starts_meeting(m: Mention) -> bool:
    """An anaphor with no antecedent still makes a meeting when it is a noun or a verb ("met with X")."""
    return m.role in ("noun", "verb")


RULES = MeetingRules(
    language="en",
    # a verb mention ("met") is the weakest evidence of a meeting: a noun phrase heads the cluster
    head=HeadChoice.NOUN_THEN_LONGEST_NAME,
    # a verb ("met") says only that people met: the kind comes from a noun
    kind=KindChoice.NOUN_FIRST,
    # English tense is reliable ("will hold", "held"): any stated source is decisive
    decisive=_decisive,
    alike=_alike,
    # undated talks of the same parties right after a meeting are that meeting (`_talks_of`)
    continues=_talks_of,
    antecedent_score=_antecedent_score,
    # a clashing stated status is strong evidence of another meeting
    status_clash_penalty=2,
    # English stories report a meeting and come back to it with "met" a few sentences later
    verb_reach=3,
    starts_meeting=_starts_meeting,
    participant_key=PARTICIPANT_KEY,
    # the delegation and visit passes compare exact spellings (their names come from one people lookup)
    added_participant_key=same_spelling,
)


def merge(ms: list[Mention]) -> list[Cluster]:
    """The mentions grouped by meeting (`extraction.engine.meetings.merge`), generic references
    then absorbed by the specific meeting they name (`_absorb_generic`)."""
    return _absorb_generic(merge_mentions(ms, RULES))
NEVER_SAME = frozenset({"another", "other", "new"})
TALK_KINDS = frozenset({"meeting", "talks", "session"})
VERB_REACH = 1          # sentences between a verb mention ("met with ...") and the meeting it joins
GENERIC_REACH = 3       # ... between two bare references that make one meeting


def _words(c: Cluster) -> frozenset[str]:
    return frozenset(w for m in c.mentions for w in re.findall(r"[a-z]+", m.name.lower()))


def _generic(c: Cluster) -> bool:
    """Every mention is a bare reference ("a meeting", "their first summit", "a meeting in Osh", "met
    with ..."): no content word, no body named, nothing that tells the meeting apart."""
    return all(m.role == "verb" or not m.core and not m.insts for m in c.mentions)


def _absorbs(c: Cluster, g: Cluster) -> bool:
    """Cluster `c` may take in the generic cluster `g`: compatible kinds, no conflicting date, place,
    status or persons, no ordinal that tells them apart ("the first summit" vs "the second summit")."""
    gk, ck = g.kind, c.kind
    verbal = any(m.role == "verb" for m in g.mentions)
    if verbal and gk != ck and not {gk, ck} <= {"meeting", "talks"}:
        return False            # "promised to meet again ..., ahead of the 9th session of the commission"
    if gk != ck and not (gk in TALK_KINDS and ck in TALK_KINDS) and (gk not in ("meeting", "talks")
                                                                    or ck in ("visit", "call")):
        return False
    gw, cw = _words(g), _words(c)
    if gw & NEVER_SAME or cw & ORDINALS and gw & ORDINALS and not gw & ORDINALS <= cw:
        return False
    if any(_frame_of(m, o) or _frame_of(o, m) for m in g.mentions for o in c.mentions):
        return False            # "their meeting took place on the margins of the council": two events
    named = Cluster([o for o in c.mentions if not o.anaphoric] or c.mentions, RULES)    # "the summit is set to ..."
    return not any(not compatible(c, m) or _status_conflict(named, m) or
                   _other_people(c, m) for m in g.mentions)


def _absorb_generic(clusters: list[Cluster]) -> list[Cluster]:
    """A generic reference that found no cluster of its own kind joins the specific meeting the article
    names ("their first summit" → "the first summit of the heads of ... in Khiva"): the
    nearest compatible one, a specific one first."""
    out = list(clusters)
    for g in [c for c in clusters if _generic(c)]:
        sents = [m.sent for m in g.mentions]
        best, best_key = None, None
        for c in out:
            if c is g or not _absorbs(c, g):
                continue
            dist = min(abs(a.sent - b) for a in c.mentions for b in sents)
            if dist > VERB_REACH and any(m.role == "verb" for m in g.mentions + c.mentions) or \
                    dist > GENERIC_REACH and _generic(c):
                continue        # "ministers will meet in the coming weeks", three sentences after another meeting;
                                # two bare references far apart are two meetings
            key = (not _generic(c), c.kind == g.kind, -dist)
            if best_key is None or key > best_key:
                best, best_key = c, key
        if best is not None:
            best.mentions.extend(g.mentions)
            best.mentions.sort(key=lambda m: m.start)
            out.remove(g)
    return out


def _hit(ctx, c: Cluster, running: bool = False) -> MeetingHit:
    head = c.head
    kind = c.kind or "meeting"
    if kind == "meeting" and any(m.kind == "talks" for m in c.mentions) and (head.role == "verb" or any(
            x.dep_ == "prep" and x.lower_ in ("with", "between") for x in head.tok.children)):
        kind = "talks"          # "held a meeting with ... During the talks, ..."
    status, src = head.status, head.status_src
    if running or any(m.status_src == "run" for m in c.mentions):
        status, src = "ongoing", "run"
    if src not in ("word", "tense", "date", "run"):
        status = first_word_status(c) or status
    if status == "past" and src == "tense" and any(m.status == "ongoing" and m.status_src == "word" and
                                                   not m.anaphoric for m in c.mentions):
        status, src = "ongoing", "word"     # "said speaking at the summit ... The summit has kicked off today"
    if status is None:
        status = first_status(c)
    dating = dating_mention(c)
    d, prec, own = (dating.date, dating.precision, dating.date_own) if dating is not None else (None, None, False)
    status = status or DEFAULT_STATUS
    # a date read off the action a running or framing event frames ("runs until", "on the sidelines") is
    # the action's, not the event's own
    dated = d is not None and not (src in ("run", "frame") and not own)
    if dated_by_publication(status, dated, ctx.reported):
        d, prec = ctx.reported, "day"
    loc = _cluster_place(head, c)
    if loc is None and kind not in ("visit", "call"):
        loc = _name_place(ctx, c)
    seen: set[str] = set()
    parts = participant_union((m.participants for m in [head, *c.mentions]), RULES.participant_key, seen)
    # "the EU-Central Asia summit": the five countries
    members = (x for m in c.mentions for x in group_members(m.name, m.tok.text if m.role != "verb" else None))
    parts += participant_union([(ParticipantHit(x, ParticipantType.COUNTRY) for x in members)],
                               RULES.participant_key, seen)
    sent = ctx.sents[ctx.sent_index[head.tok.i]]
    return assemble(c, sentence=Sentence(sent.start_char, sent.end_char), kind=kind, status=status,
                    start_date=d, precision=prec, location=loc, participants=parts)


def _cluster_place(head: Mention, c: Cluster) -> str | None:
    """The head's place, else the first one stated; a city a mention names in the country another
    gives ("a meeting ... in Mongolia", "such a meeting in Ulaanbaatar") is the more precise one."""
    places = [p for p in [head.place, *(m.place for m in c.mentions)] if p is not None]
    if not places:
        return None
    first = places[0]
    if first.kind in ("country", "region"):
        finer = next((p for p in places if p.kind in ("city", "venue") and p.country == first.country), None)
        if finer is not None:
            return finer.location
    return first.location


def _name_place(ctx, c: Cluster) -> str | None:
    """The city an event is named after ("Tashkent International Investment Forum", "the Astana
    summit"): a city name left of a named trigger, outside an institution's name."""
    for m in c.mentions:
        if m.anaphoric or m.role == "verb":
            continue
        for t in ctx.doc[m.tok.left_edge.i:m.tok.i]:
            if t.idx < m.start or t.pos_ != "PROPN" or t.i in ctx.inst_at:
                continue
            p = place_at(ctx, t)
            if p is not None and p.kind == "city":
                return p.location
    return None


def _running(ctx, clusters: list[Cluster]) -> set[int]:
    """Clusters a later "X runs until Saturday" keeps on, X a name or acronym inside their name."""
    out: set[int] = set()
    own = {m.tok.i for c in clusters for m in c.mentions}
    for v in ctx.doc:
        if v.idx < ctx.dateline or not runs_until(v):
            continue
        for s in (x for x in v.children if x.dep_ == "nsubj" and x.i not in own and x.pos_ == "PROPN"):
            pat = re.compile(r"(?<!\w)" + re.escape(s.text) + r"(?!\w)")
            for i, c in enumerate(clusters):
                if any(not m.anaphoric and m.start < s.idx and pat.search(ctx.text[m.start:m.end + len(s.text) + 3])
                       for m in c.mentions):      # "... Forum (SPIEF)": the acronym after the name
                    out.add(i)
    return out


DELEGATION_NOUNS = frozenset({"side", "delegation"})
LEAD_VERBS = frozenset({"represent", "lead", "head"})


def _delegations(ctx, clusters: list[Cluster]) -> None:
    """"The Azerbaijani side was represented by X", "X led the Kazakh delegation": X and the side's country
    take part in the meeting the last two sentences reported."""
    for v in ctx.doc:
        if v.pos_ != "VERB" or lemma(v) not in LEAD_VERBS or v.idx < ctx.dateline:
            continue
        passive = any(c.dep_ == "auxpass" for c in v.children)
        sides = [c for c in v.children if c.dep_ == ("nsubjpass" if passive else "dobj") and lemma(c) in DELEGATION_NOUNS]
        if not sides:
            continue
        if passive:
            people = [t for c in v.children if c.dep_ == "agent" for t in c.subtree]
        else:
            people = [t for c in v.children if c.dep_ == "nsubj" for t in c.subtree]
        toks = people + [t for s in sides for t in s.subtree]
        parts = participants_of(ctx, toks, False)
        sent = ctx.sent_of(v)
        near = [c for c in clusters if any(0 <= sent - m.sent <= 2 for m in c.mentions)]
        if not near or not parts:
            continue
        target = max(near, key=lambda c: max(m.sent for m in c.mentions if m.sent <= sent))
        head = target.head
        have = {RULES.added_participant_key(y.name) for y in head.participants}
        head.participants.extend(participant_union([parts], RULES.added_participant_key, have))


VISIT_REACH = 2         # sentences after a visit within which unplaced talks are held during it


def _talks_in_visits(clusters: list[Cluster]) -> None:
    """"Putin arrived in Mongolia on an official visit. The leaders will hold talks ...": talks (or a meeting)
    that state no place, reported right after a visit, are held during it — the visit's place, and its
    parties when the talks name none (guideline: the visit and its talks are two meetings)."""
    visits = [v for v in clusters if v.kind == "visit" and any(m.place for m in v.mentions)]
    for c in clusters:
        if c.kind not in ("talks", "meeting") or any(m.place for m in c.mentions) or c in visits:
            continue
        first = min(c.mentions, key=lambda m: m.start)
        for v in sorted(visits, key=lambda v: -max(m.start for m in v.mentions)):
            lead = [m for m in v.mentions if m.start < first.start and 0 <= first.sent - m.sent <= VISIT_REACH]
            if not lead:
                continue
            vstatus, cstatus = v.head.status, c.head.status
            if vstatus == "past" and cstatus in ("planned", "ongoing") or vstatus == "planned" and cstatus == "past":
                break
            vparts = {p.name for m in v.mentions for p in m.participants}
            mine = {p.name for m in c.mentions for p in m.participants if p.participant_type != ParticipantType.INSTITUTION}
            if mine and not mine & vparts:
                break           # other parties: another meeting
            first.place = next(m.place for m in [v.head, *v.mentions] if m.place)
            if not mine:
                have = {RULES.added_participant_key(p.name) for p in first.participants}
                first.participants.extend(participant_union((m.participants for m in v.mentions),
                                                            RULES.added_participant_key, have))
            break


PARTY_KINDS = frozenset({"meeting", "talks", "session", "summit"})


def _subject_countries(ctx, si: int) -> list[str]:
    """The countries that make up the subject of a clause of sentence `si`, when two or more do
    ("Kazakhstan, Uzbekistan and Kyrgyzstan have reached an agreement", "The foreign ministers of A, B and C
    will meet")."""
    if not 0 <= si < len(ctx.sents):
        return []
    for t in ctx.sents[si]:
        if t.dep_ not in ("nsubj", "nsubjpass") or t.idx < ctx.dateline or t.head.pos_ not in ("VERB", "AUX"):
            continue
        found: list[str] = []
        v = t.head
        partners = [p for c in v.children for p in ([c] if c.dep_ == "prep" and c.lower_ == "with" else
                                                     [x for x in c.children if x.dep_ == "prep" and x.lower_ == "with"]
                                                     if c.dep_ == "dobj" else [])]
        for x in [*t.subtree, *(y for p in partners for y in p.subtree)]:     # "A has had a meeting with B's leader"
            c = country_of_token(ctx, x)
            if c and c not in found:
                found.append(c)
        if len(found) >= 2:
            return found
    return []


def _lead_parties(ctx, clusters: list[Cluster]) -> None:
    """A meeting that names no party takes the countries the story is about: those that form the subject
    of the sentence before it, of its own sentence, or of the lead ("Kazakhstan, Uzbekistan and
    Kyrgyzstan have agreed on ... The question was discussed at a trilateral meeting in Tashkent")."""
    lead = ctx.sent_index.get(next((t.i for t in ctx.doc if t.idx >= ctx.dateline), 0), 0)
    for c in clusters:
        if c.kind not in PARTY_KINDS or any(p.participant_type != ParticipantType.INSTITUTION
                                                  for m in c.mentions for p in m.participants):
            continue
        if any(m.tok.i in ctx.inst_at for m in c.mentions):
            continue            # "the 81st UN General Assembly": the body's session, its members unnamed
        first = min(c.mentions, key=lambda m: m.start)
        for si in (first.sent - 1, first.sent, lead):
            found = _subject_countries(ctx, si)
            if found:
                first.participants.extend(ParticipantHit(x, ParticipantType.COUNTRY) for x in found)
                break


def _frames(u, v) -> bool:
    """Token `u` under verb `v` frames what `v` reports: "on the sidelines of u", "during u", "within the framework of u"."""
    cur = u
    while cur.i != v.i and cur.head.i != cur.i:
        h = cur.head
        if h.lower_ == "during" or h.lower_ == "of" and (h.head.lower_ in FRAME_HEADS or h.head.lower_ == "part"
                                                         and h.head.head.lower_ == "as"):
            return True         # "took part in the summit as part of his visit to Tashkent"
        cur = h
    return False


def _frame_of(m: Mention, o: Mention) -> bool:
    """Mention `o` frames what the verb of mention `m` reports ("m took place on the sidelines of o")."""
    v = m.tok if m.role == "verb" else governing_verb(m.tok)
    return v is not None and o.tok.i != m.tok.i and any(u.i == o.tok.i for u in v.subtree) and _frames(o.tok, v)


def _framed_places(clusters: list[Cluster]) -> None:
    """"The meeting was held on the sidelines of the UN General Assembly in New York": a meeting with no
    place of its own is where the event that frames it is."""
    owner = {m.tok.i: c for c in clusters for m in c.mentions}
    for c in clusters:
        if any(m.place for m in c.mentions):
            continue
        for m in c.mentions:
            v = m.tok if m.role == "verb" else governing_verb(m.tok)
            if v is None:
                continue
            frame = next((owner[u.i] for u in v.subtree if u.i in owner and owner[u.i] is not c and
                          any(x.place for x in owner[u.i].mentions) and _frames(u, v)), None)
            if frame is not None:
                m.place = next(x.place for x in [frame.head, *frame.mentions] if x.place)
                break


def find_meetings(ctx) -> list[MeetingHit]:
    """One `MeetingHit` per real meeting the text reports, announces or recalls."""
    clusters = merge(mentions(ctx))
    _talks_in_visits(clusters)
    _framed_places(clusters)
    _lead_parties(ctx, clusters)
    _delegations(ctx, clusters)
    running = _running(ctx, clusters)
    return [_hit(ctx, c, i in running) for i, c in enumerate(clusters)]
