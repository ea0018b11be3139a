"""Meetings in English text: trigger nouns and verbs over spaCy's dependency tree.

One pass finds mentions (a trigger from ``meeting_triggers.tsv`` with its phrase; status from
its modifiers, the words around it and the tense/aspect/modals of the verb that governs it —
"will hold" → planned, "is taking place" → ongoing, "held" → past; date, place and
participants read off the trigger's subtree and the governing verb's arguments). The
language-neutral engine (`extraction.engine.meetings`), under the English `RULES`, merges the
mentions of one real meeting ("the meeting", "the talks", "Friday's session", a second mention
naming the same body) and keeps distinct events apart ("its first meeting", a planned session
and a past one); generic references are then absorbed, and visits, framing events and
delegations lend places and parties, before the engine makes one `MeetingHit` per cluster.
Word sets are data (``lexicons/en/``); the exported rule `find_meetings` is last.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from extraction.en.dates import resolve
from extraction.en.people import speech_verbs, titles
from extraction.en.places import Place, country_of_token, group_members, place_at, place_nouns, unnamed_place
from extraction.engine.meetings import (
    DEFAULT_STATUS,
    SAME_STEMS_SHARE,
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
    first_status,
    first_word_status,
    participant_union,
    same_spelling,
    status_clash,
)
from extraction.engine.meetings import merge as merge_mentions
from extraction.hits import MeetingHit, ParticipantHit, Sentence
from extraction.lexicons import load_table, load_words
from schemas import InstitutionKind, ParticipantType

# ------------------------------------------------------------------ sub-rules (constants)

_SPACES = re.compile(r"\s+")
ANAPHORIC_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "such"})
DISTINCT_MARKERS = frozenset({"first", "second", "third", "fourth", "fifth", "previous", "last", "next", "another",
                              "new", "upcoming", "future", "forthcoming", "other", "recent", "its", "their"})
SUMMIT_COMPLEMENTS = frozenset({"heads", "leaders", "presidents"})
SESSION_BODIES = frozenset({"council", "assembly", "committee", "commission", "board", "parliament", "senate",
                            "majlis", "mazhilis", "cabinet", "government", "presidium", "kenesh"})
PHONE_WORDS = frozenset({"phone", "telephone", "telephonic"})
PRESS_WORDS = frozenset({"press", "news"})
HYPOTHETICAL = frozenset({"could", "might", "would", "may", "should"})
REPORTING_VERBS = frozenset({"announce", "confirm", "report", "inform", "expect", "agree", "decide"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
# a verb reached through its "to"-infinitive that makes the meeting an announced one
INFINITIVE_PLANNED = frozenset({"agree", "decide", "plan", "intend", "expect", "invite", "propose", "hope", "aim",
                                "want", "set", "schedule", "prepare"})
PLACE_PREPS = frozenset({"in", "at"})
VISIT_PREPS = frozenset({"to", "in"})
ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "prep", "agent", "npadvmod", "obl", "attr"})
NAME_PREPS = frozenset({"of", "on", "with", "between", "among", "in", "at", "to", "for"})
MAX_NAME_TOKENS = 24
MECHANISM_SERIES = frozenset({"format", "mechanism", "series", "cycle", "platform"})
# "the forum runs until Saturday": a present-tense verb of duration with an end → the event is on
RUN_VERBS = frozenset({"run", "continue", "last", "go"})
RUN_PREPS = frozenset({"until", "till", "through", "to"})
# multi-day events an action is framed by ("signed on Wednesday on the sidelines of the forum"):
# reported within days of the action, the event is still on
FRAME_KINDS = frozenset({"session", "conference", "forum"})
FRAME_HEADS = frozenset({"sidelines", "margins", "day", "opening", "framework"})
FRAME_DAYS = 3
FRAME_PREPS = frozenset({"in", "during", "at", "on", "by", "via", "over", "through"})


@lru_cache(maxsize=1)
def triggers() -> dict[str, tuple[str, str]]:
    """lemma → (kind, role); a lemma that is a trigger both as a noun and as a verb ("visit") keeps its noun row."""
    rows = load_table("meeting_triggers", "en")
    out = {r["lemma"]: (r["kind"], r["role"]) for r in rows if r["role"] == "verb"}
    out.update({r["lemma"]: (r["kind"], r["role"]) for r in rows if r["role"] != "verb"})
    return out


@lru_cache(maxsize=1)
def verb_triggers() -> dict[str, str]:
    """Verb lemma → kind ("met with" → meeting, "visited Armenia" → visit)."""
    return {r["lemma"]: r["kind"] for r in load_table("meeting_triggers", "en") if r["role"] == "verb"}


@lru_cache(maxsize=1)
def sport_sides() -> frozenset[str]:
    return load_words("meeting_sport_sides", "en")


@lru_cache(maxsize=1)
def hold_verbs() -> frozenset[str]:
    return load_words("meeting_hold_verbs", "en")


@lru_cache(maxsize=1)
def status_words() -> dict[str, str]:
    return {r["lemma"]: r["status"] for r in load_table("meeting_status_words", "en")}


def _lem(t) -> str:
    return t.lemma_.lower()


# ------------------------------------------------------------------ mentions

def trigger_of(ctx, tok) -> tuple[str, str] | None:
    """(kind, role) when `tok` is a meeting trigger, else None."""
    if tok.pos_ == "VERB" and _lem(tok) in verb_triggers():
        return verb_triggers()[_lem(tok)], "verb"
    hit = triggers().get(_lem(tok)) or triggers().get(tok.lower_)
    if hit is None:
        return None
    kind, role = hit
    if role == "verb":
        return (kind, role) if tok.pos_ == "VERB" else None
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound" or tok.i in ctx.inst_at:
        return None
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and _lem(tok.head.head) in MECHANISM_SERIES:
        return None             # "the Lisbon format of consultations": a series, not a meeting
    mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    if mods & PRESS_WORDS:
        return None
    if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return None             # "no negotiations are planned"
    phone = bool(mods & PHONE_WORDS)
    if role == "signing":
        return (kind, "noun") if "signing" in mods else None
    if role == "plural":
        if tok.tag_ not in ("NNS", "NNPS"):
            return None
        if phone:
            return "call", "noun"
        defined = any(c.dep_ in ("amod", "compound", "nmod", "det", "poss") or c.dep_ == "prep" and c.lower_ in
                      ("with", "between", "among", "on", "of") for c in tok.children)  # "talks on transit were held"
        defined = defined or tok.dep_ == "pobj" and tok.head.lower_ == "of" and _lem(tok.head.head) in ROUND_HEADS
        defined = defined or tok.dep_ == "dobj" and tok.head.pos_ == "VERB" and _lem(tok.head) in hold_verbs() \
            and not _hypothetical(tok.head)         # "Kazakhstan and Uzbekistan held talks in Tashkent"
        return (kind, "noun") if defined else (kind, "anaphor")     # "the next round of consultations"
    if role == "phone":
        if phone:
            return kind, "noun"
        if _lem(tok) == "call":
            return (kind, "noun") if any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children) else None
        return kind, "anaphor"
    if phone and kind in ("meeting", "talks"):
        return "call", role
    near = [t for t in tok.subtree if not _in_clause(t, tok)]
    near += list(tok.head.children) if tok.dep_ in ("dobj", "nsubjpass") else []
    if any(c.dep_ == "advmod" and c.lower_ in FREQUENCY_ADVERBS for c in near):
        return None             # "a visit of a youth delegation annually": a recurring exchange, not one meeting
    if tok.tag_ in ("NNS", "NNPS") and any(c.dep_ == "amod" and c.lower_ in FREQUENCY for c in tok.children):
        return None             # "regular meetings of the secretaries": a format (a mechanism), not a meeting
    if tok.tag_ in ("NNS", "NNPS") and not any(c.dep_ in ("det", "nummod") or c.dep_ == "poss" and c.tag_ != "PRP$"
                                               or c.dep_ == "prep" and c.lower_ in ("with", "between", "among", "of")
                                               for c in tok.children):
        return None             # "between ministerial meetings", "regular summits", "their trips": in general
    return kind, role


def _in_clause(t, root) -> bool:
    """Token `t` of `root`'s subtree hangs on it through a clause ("the summit, held annually since ...")."""
    cur = t
    while cur.i != root.i and cur.head.i != cur.i:
        if cur.dep_ in ("acl", "relcl", "advcl", "ccomp"):
            return True
        cur = cur.head
    return False


def _aux(tok) -> list:
    return [c for c in tok.children if c.dep_ in ("aux", "auxpass")]


def verb_tense(tok) -> str | None:
    """past | ongoing | planned from a verb's form and auxiliaries; None for a bare participle/infinitive."""
    aux = _aux(tok)
    words = {a.lower_ for a in aux}
    if words & FUTURE_AUX or _reported_future(tok):
        return "planned"
    if "going" in words or any(a.lower_ == "going" for a in tok.children):
        return "planned"
    if tok.tag_ == "VBD":
        return "past"
    tags = {a.tag_ for a in aux}
    if "VBD" in tags:
        return "past"
    if tok.tag_ == "VBN" and words & {"has", "have", "had", "been"}:
        return "past"
    if tok.tag_ in ("VBZ", "VBP") or tags & {"VBZ", "VBP"}:
        return "ongoing"
    return None


def _hypothetical(tok) -> bool:
    return any(a.lower_ in HYPOTHETICAL for a in _aux(tok)) and not _reported_future(tok)


def _reported_future(tok) -> bool:
    """"said that the roadmap would be signed during the visit": "would" is the future of reported speech."""
    if not any(a.lower_ == "would" for a in _aux(tok)) or any(a.lower_ in HYPOTHETICAL - {"would"} for a in _aux(tok)):
        return False
    cur = tok
    for _ in range(3):
        if cur.dep_ == "conj":
            cur = cur.head
            continue
        return cur.dep_ == "ccomp" and _lem(cur.head) in speech_verbs() | REPORTING_VERBS
    return False


def runs_until(v) -> bool:
    """"runs until Saturday", "continues through Friday", "is running until 22 November"."""
    if v.pos_ not in ("VERB", "AUX") or _lem(v) not in RUN_VERBS:
        return False
    if not (v.tag_ in ("VBZ", "VBP") or v.tag_ == "VBG" and any(a.lower_ in ("is", "are") for a in _aux(v))):
        return False
    return any(c.dep_ == "prep" and c.lower_ in RUN_PREPS and (c.lower_ != "to" or _lem(v) == "last")
               for c in v.children)


def _framed(tok) -> bool:
    """The trigger frames another action: "during the forum", "on the sidelines of the session"."""
    h = tok.head
    if h.dep_ != "prep" and h.pos_ != "ADP" or h.i == tok.i:
        return False
    if h.lower_ in ("during", "amid"):
        return True
    return h.lower_ == "of" and h.head.lower_ in FRAME_HEADS and h.head.head.pos_ == "ADP"


def mention_status(ctx, tok) -> tuple[str | None, str, bool]:
    """(status, source, hypothetical) from the trigger's modifiers, neighbours and governors."""
    sw = status_words()
    for c in tok.children:
        if c.dep_ in ("amod", "det", "compound", "nummod", "advmod") and _lem(c) in sw:
            return sw[_lem(c)], "word", False
    doc = ctx.doc
    for t in doc[tok.left_edge.i:tok.i]:     # "the next C5+1 leaders' summit": a modifier hung elsewhere
        if t.pos_ == "ADJ" and _lem(t) in sw and t.dep_ in ("amod", "advmod"):
            return sw[_lem(t)], "word", False
    for c in tok.children:
        if c.dep_ in ("relcl", "acl") and any(runs_until(v) for v in (c, *(x for x in c.children if x.dep_ == "conj"))):
            return "ongoing", "run", False
    for c in tok.children:
        if c.dep_ in ("relcl", "acl"):
            if _hypothetical(c):
                return None, "none", True
            if _lem(c) in sw:
                return sw[_lem(c)], "word", False
            t = verb_tense(c)
            if t and c.dep_ == "relcl":
                return t, "tense", False
            if c.dep_ == "acl" and c.tag_ == "VBN":
                # "a meeting held in Minsk" → past; "a summit to be held in Baku" → planned
                return ("planned" if any(a.lower_ == "to" for a in c.children) else "past"), "tense", False
    cur, came_from_inf, crossed = tok, False, False
    for _ in range(7):
        h = cur.head
        if h.i == cur.i:
            break
        lem = _lem(h)
        if h.pos_ in ("NOUN", "PROPN") and trigger_of(ctx, h) is not None:
            crossed = True      # "preparations for the summit in a phone call": the call hangs on the summit
        if h.pos_ in ("VERB", "AUX"):
            if _hypothetical(h):
                return None, "none", True
            if h.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in h.children) and \
                    _lem(h) in ATTEND_VERBS:
                return None, "none", False      # "arrived in Osh to take part in the meeting": not the arrival's tense
            if came_from_inf and lem in INFINITIVE_PLANNED:
                return "planned", "word", False
            if runs_until(h) and cur.dep_ == "nsubj":
                return "ongoing", "run", False
            framing = cur.dep_ == "prep" and cur.lower_ in ("during", "at", "amid") and verb_tense(h) is not None
            if lem in sw and lem not in ("continue",) and h.lower_ not in ("set",) and not framing:
                return sw[lem], "word", False       # not "during a meeting with X, he invited Y to visit": past
            if h.lower_ == "set" and any(c.dep_ == "xcomp" for c in h.children):
                return "planned", "word", False
            t = verb_tense(h)
            if t:
                return t, "tense", False
            if h.tag_ == "VBN" and h.dep_ == "acl" and not _aux(h) and cur.dep_ == "prep":
                return "past", "tense", False       # "the documents signed at the summit will be implemented"
            came_from_inf = (any(c.dep_ == "aux" and c.lower_ == "to" for c in h.children) or h.dep_ == "xcomp") \
                and cur.dep_ in ("dobj", "nsubjpass", "attr")      # "agreed to hold a summit", not "... at a summit"
            cur = h
            continue
        if h.pos_ == "ADP" and lem in sw:
            return sw[lem], "word", False
        if h.pos_ in ("NOUN", "PROPN", "ADV", "ADJ") and lem in sw and not crossed and cur.dep_ != "poss" and \
                not (cur.pos_ == "ADP" and cur.lower_ in FRAME_PREPS):      # not "the session's agenda"
            return sw[lem], "word", False       # "preparations for the summit", not "... in a phone call"
        cur = h
    return None, "none", False


def phrase(ctx, tok, others: set[int]) -> tuple[int, int, str]:
    """The trigger's noun phrase: left modifiers, the trigger, its prepositional complements."""
    doc = ctx.doc
    idx = {tok.i}
    for c in tok.children:
        if c.i in others:
            continue
        if c.i < tok.i and c.dep_ in ("det", "amod", "compound", "nummod", "poss", "nmod"):
            sub = list(c.subtree)
            if len(sub) <= 5:
                idx.update(t.i for t in sub)
        elif c.i > tok.i and c.dep_ == "prep" and c.lower_ in NAME_PREPS:
            idx.update(t.i for t in c.subtree if not _inside_other(t, c, others))
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and _lem(tok.head.head) in ROUND_HEADS:
        idx.update(t.i for t in tok.head.head.subtree if t.i <= tok.i and not _inside_other(t, tok.head.head, others))
    lo = hi = tok.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx and hi - lo < MAX_NAME_TOKENS:
        hi += 1
    sent = ctx.sents[ctx.sent_index[tok.i]]
    hi = min(hi, sent.end - 1)
    while hi > tok.i and (doc[hi].is_punct and doc[hi].text not in ")”\"" or doc[hi].pos_ == "ADP" or doc[hi].is_space):
        hi -= 1             # "the OTS summit in [a phone call]": the inner call is not part of the name
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    frag = ctx.text[start:end]
    if frag.count("(") > frag.count(")"):
        j = ctx.text.find(")", end)
        if 0 <= j < end + 40:
            end = j + 1
    return start, end, ctx.text[start:end]


def _inside_other(t, root, others: set[int]) -> bool:
    cur = t
    while cur.i != root.i and cur.head.i != cur.i:
        if cur.i in others:
            return True
        cur = cur.head
    return False


def _governing_verb(tok):
    cur = tok
    for _ in range(4 if not (tok.head.pos_ == "ADP" and tok.head.lower_ in ("in", "during", "by", "over", "via")
                             and tok.head.head.pos_ == "NOUN") else 7):     # "discussed the agenda of X in a call"
        h = cur.head
        if h.i == cur.i:
            return None
        if h.pos_ in ("VERB", "AUX"):
            return h
        cur = h
    return None


CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj"})


def _undated_by(v, tok) -> bool:
    """The governing verb's date is not the trigger's: the verb reports it ("said on Wednesday after
    talks in Termez") or acts on something about it ("discussed preparations for the summit on Monday")."""
    if _lem(v) in speech_verbs():
        return True
    prev, cur = tok, tok.head
    while cur.i != v.i and cur.head.i != cur.i:
        if cur.pos_ == "NOUN" and triggers().get(_lem(cur)):
            return False        # the trigger is framed by another meeting the verb dates
        if cur.pos_ == "NOUN" and _lem(cur) in status_words() and prev.lower_ not in FRAME_PREPS:
            return True
        prev, cur = cur, cur.head
    return False


def _has_subject(v) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in v.children)


def _verb_args(ctx, v, inner, own_ids: set[int], others: set[int]) -> list:
    """The arguments of verb `v`, leaving out the one that leads to `inner` (the trigger or a lower verb)."""
    out: list = []
    for c in v.children:
        if c.dep_ == "advmod" and c.i not in own_ids and c.i in ctx.date_at:
            out.extend(c.subtree)           # "Later in the day, he will hold talks"
            continue
        if c.dep_ not in ARG_DEPS or c.i in own_ids or c.i in others or inner.i in {t.i for t in c.subtree}:
            continue            # "The forum follows the meeting held in Kabul": Kabul is that meeting's
        out.extend(t for t in c.subtree if not _inside_other(t, c, others) and t.i not in others)
    return out


def _region(ctx, tok, others: set[int]) -> tuple[list, list]:
    """Tokens of the trigger's own subtree, and the arguments of the verb that governs it.

    A governing verb with no subject of its own ("..., holding talks with X", "is expected to
    attend the forum", "met face to face at a meeting") borrows the arguments of the verb it
    hangs on: its subject, its date, its place.
    """
    own = [t for t in tok.subtree if not _inside_other(t, tok, others)]
    args: list = []
    v = _governing_verb(tok)
    if v is not None:
        own_ids = {t.i for t in own}
        args.extend(t for t in _verb_args(ctx, v, tok, own_ids, others) if not (t.i in ctx.date_at and _undated_by(v, tok)))
        for _ in range(2):
            if _has_subject(v) or v.dep_ not in CLIMB_DEPS or v.head.i == v.i or v.head.pos_ not in ("VERB", "AUX") \
                    or v.head.i in others:
                break
            if any(c.i in others for c in v.head.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")) \
                    and v.dep_ == "conj":
                break
            controllers = [c for c in v.head.children if c.dep_ in ("dobj", "dative") and
                           (v.dep_ == "xcomp" or ctx.people.name_at(c))]
            if controllers:     # "invited Putin to pay a visit": the object pays it, not the one who invites
                args.extend(t for c in controllers for t in c.subtree if t.i not in others)
                break
            args.extend(_verb_args(ctx, v.head, v, own_ids, others))
            v = v.head
    return own, args


def _outside_nested(tok, toks: list, others: set[int]) -> list:
    """`toks` without the clauses hung on the trigger that report another meeting ("a visit to
    China, where he held talks ... on Wednesday": Wednesday dates the talks, not the visit)."""
    drop: set[int] = set()
    for t in tok.subtree:
        if t.i != tok.i and t.pos_ in ("VERB", "AUX") and t.dep_ in ("relcl", "acl", "advcl", "ccomp") and \
                any(c.i in others for c in t.children if c.dep_ in ("dobj", "nsubj", "nsubjpass", "prep", "attr")):
            drop.update(x.i for x in t.subtree)
    return [t for t in toks if t.i not in drop] if drop else toks


PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


def _date_of(ctx, toks: list, future: bool | None) -> tuple[date, str] | None:
    """The most precise date expression among the tokens ("last year's forum, held in May 2024")."""
    best = None
    for t in toks:
        e = ctx.date_at.get(t.i)
        if e is not None and t.head.lower_ not in ("until", "till"):     # "runs until Friday": its end
            r = resolve(e, ctx.published, future=future)
            if r and (best is None or PRECISION_RANK[r[1]] > PRECISION_RANK[best[1]]):
                best = r
    return best


def _place_of(ctx, toks: list, visit: bool) -> Place | None:
    preps = VISIT_PREPS if visit else PLACE_PREPS
    for t in toks:
        if t.idx < ctx.dateline or t.dep_ != "pobj" or t.head.lower_ not in preps and not (
                t.head.lower_ == "for" and _lem(t.head.head) in ("plan", "schedule", "set")):   # "planned for Osh"
            continue
        p = place_at(ctx, t)
        if p is not None:
            return p
    for t in toks:      # "talks on Kyrgyzstan's territory", "on the territory of Tajikistan"
        if t.idx >= ctx.dateline and t.dep_ == "pobj" and t.head.lower_ == "on" and _lem(t) in place_nouns():
            p = place_at(ctx, t)
            if p is not None:
                return p
    return None


def _unnamed_place_of(ctx, tok, toks: list) -> Place | None:
    """A place the lexicons do not know, in the trigger's own phrase ("a meeting in Buston", "talks held
    in Buston", "met in Buston"): the object of "in" hung on the trigger or on its participle."""
    for t in toks:
        if t.idx < ctx.dateline or t.dep_ != "pobj" or t.head.lower_ != "in":
            continue
        h = t.head.head
        if h.i == tok.i or h.pos_ == "VERB" and h.head.i == tok.i and h.dep_ in ("acl", "relcl"):
            p = unnamed_place(ctx, t)
            if p is not None:
                return p
    return None


def _participants(ctx, toks: list, visit: bool, subjects_only: bool = False) -> list[ParticipantHit]:
    people = ctx.people
    found = ParticipantList(RULES.participant_key)
    add = found.add
    seen_ids: set[str] = set()

    for t in toks:
        if t.idx < ctx.dateline:
            continue
        if subjects_only and not _subject_like(t):
            continue
        body = _body_phrase(ctx, t)
        if body:
            add(body[0], ParticipantType.INSTITUTION)
            if t.lower_ in ("which", "that"):       # the parties a relative pronoun's body names
                for x in body[1]:
                    add(country_of_token(ctx, x), ParticipantType.COUNTRY)
        name = people.name_at(t)
        if name is None and t.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj", "conj") and t.pos_ in ("NOUN", "PRON"):
            name = people.agent(t) if t.dep_ in ("nsubj", "nsubjpass") or t.pos_ == "NOUN" else None
        if name and _bare_name(ctx, name, t):
            continue            # "the Conference on Mountain Water Security", "joined as an Associate Partner"
        if name:
            add(name, ParticipantType.PERSON)
            add(people.country.get(name), ParticipantType.COUNTRY)
            continue
        inst = ctx.inst_at.get(t.i)
        if inst is not None:
            if inst.kind in (InstitutionKind.STATE, InstitutionKind.MILITARY) and _in_post(ctx, inst):
                continue        # "Chairman of the Cabinet of Ministers X": X takes part (and X's country)
            if _source_credit(ctx, t):
                continue        # "the ministry's press service reports", "issued by the Government Press Office"
            if inst.kind != InstitutionKind.MEDIA and inst.institution_id not in seen_ids:
                seen_ids.add(inst.institution_id)
                add(_inst_name(ctx, inst), ParticipantType.INSTITUTION)
            continue
        country = country_of_token(ctx, t)
        if country:
            if t.dep_ == "pobj" and t.head.lower_ in (VISIT_PREPS if visit else PLACE_PREPS) and not visit:
                continue
            add(country, ParticipantType.COUNTRY)
    return found.items


@lru_cache(maxsize=1)
def source_words() -> frozenset[str]:
    return load_words("meeting_source_words", "en")


@lru_cache(maxsize=1)
def source_verbs() -> frozenset[str]:
    return load_words("meeting_source_verbs", "en")


@lru_cache(maxsize=1)
def topic_verbs() -> frozenset[str]:
    return load_words("meeting_topic_verbs", "en")


ABOUT_PREPS = frozenset({"about", "regarding", "concerning"})


def _topic_of(tok) -> bool:
    """The meeting is what the governing verb talks about ("discussed the upcoming summit", "talked about
    the forum", "touched upon preparations for the summit"), not where it happens."""
    cur = tok
    for _ in range(5):
        h = cur.head
        if h.i == cur.i:
            return False
        if h.pos_ == "ADP" and h.lower_ in ABOUT_PREPS:
            return True
        if h.pos_ == "ADP" and h.lower_ in FRAME_PREPS:
            return False        # "discussed preparations for the Kars meeting in a phone call": the call frames it
        if h.pos_ in ("VERB", "AUX"):
            return _lem(h) in topic_verbs() and (cur.i == tok.i and cur.dep_ == "dobj" or cur.dep_ == "prep" and
                                                  cur.lower_ in ABOUT_PREPS | {"on", "upon"})
        if h.pos_ == "NOUN" and _lem(h) in status_words():
            return False        # "discussed preparations for the meeting": those who prepare it take part
        cur = h
    return False


def _source_credit(ctx, t) -> bool:
    """The body at token `t` is only credited as a source: its phrase is a press service or office, or the
    subject or agent of a reporting verb ("the ministry's press service reports", "the ministry reported")."""
    inst = ctx.inst_at[t.i]
    if any(w.lower() in source_words() for w in inst.surface.split()):
        return True
    h = t
    for _ in range(4):
        if h.dep_ not in ("compound", "poss", "amod", "nmod", "flat") or h.head.i == h.i:
            break
        h = h.head
        if _lem(h) in source_words():
            return True
    v = h.head.head if h.dep_ == "pobj" and h.head.dep_ == "agent" else h.head if h.dep_ == "nsubj" else None
    return v is not None and v.pos_ == "VERB" and _lem(v) in source_verbs()


MEET_OBJECTS = frozenset({"delegation", "representative", "head", "leader", "leadership", "minister", "ambassador",
                          "counterpart", "president", "chairman", "chief", "executive", "envoy", "official", "member",
                          "management", "board", "team"})
def _bare_name(ctx, name: str, t) -> bool:
    """A capitalised run the text never gives a title or country, standing in a meeting's topic ("the
    Conference on Mountain Water Security") or as a role ("joined as an Associate Partner"): a fragment
    of a title, not a person."""
    people = ctx.people
    if people.country.get(name) or any(n == name for _, _, n in people.by_title):
        return False
    root = t
    while root.dep_ == "compound" and root.head.i != root.i:
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ == "as":
        return True
    cur = t
    for _ in range(6):
        h = cur.head
        if h.i == cur.i or cur.dep_ not in ("compound", "amod", "pobj", "prep", "nmod", "appos"):
            return False
        if cur.dep_ == "prep" and cur.lower_ == "on" and h.pos_ in ("NOUN", "PROPN") and _lem(h) in triggers():
            return True
        cur = h
    return False


def _signing_args(ctx, tok, others: set[int]) -> list:
    """"X and Y signed a roadmap on Wednesday in Baku. The signing ceremony was attended by ...": the
    ceremony's date and place are those of the signing the previous sentences report."""
    sent = ctx.sent_of(tok)
    first = ctx.sents[max(0, sent - 2)].start
    for v in reversed(ctx.doc[first:tok.i]):
        if v.pos_ == "VERB" and _lem(v) == "sign" and v.i not in others:
            return [t for c in v.children if c.dep_ in ("prep", "npadvmod") for t in c.subtree if t.i not in others]
    return []


def _in_post(ctx, inst) -> bool:
    """The body names a person's post: the person's name follows it, after at most three title words."""
    doc = ctx.doc
    span = doc.char_span(inst.start, inst.end, alignment_mode="expand")
    if span is None:
        return False
    k = span.end
    while k < len(doc) and k - span.end < 3 and doc[k].lower_ in titles():
        k += 1
    return k < len(doc) and ctx.people.name_at(doc[k]) is not None


ROUND_HEADS = frozenset({"round", "series", "cycle"})
FREQUENCY = frozenset({"regular", "annual", "periodic", "quarterly", "monthly", "weekly"})
ATTEND_VERBS = frozenset({"participate", "attend", "take", "join"})     # "arrived to take part in the forum"
FREQUENCY_ADVERBS = frozenset({"annually", "regularly", "yearly", "periodically", "biennially"})
GATHER_VERBS = frozenset({"bring", "gather", "involve", "include", "unite", "attract"})


def _gathered(tok, others: set[int]) -> list:
    """The object of the verb a meeting is the subject of, when that verb gathers people: "the talks brought
    together X and Y", "the forum gathered ministers of five countries"."""
    v = tok.head
    if tok.dep_ != "nsubj" or v.pos_ != "VERB" or _lem(v) not in GATHER_VERBS:
        return []
    return [t for c in v.children if c.dep_ == "dobj" for t in c.subtree if t.i not in others]


BODY_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})


def _body_phrase(ctx, t) -> tuple[str, list] | None:
    """A body named by description that holds the meeting ("instructed the Armenian-Georgian intergovernmental
    commission ... to hold its next meeting", "the commission, which will hold its next session"): its phrase."""
    if t.dep_ in BODY_ARG_DEPS and t.lower_ in ("which", "that") and t.head.dep_ == "relcl":
        t = t.head.head
        for _ in range(2):      # "the commission on economic cooperation, which ...": the relative clause
            if _lem(t) in SESSION_BODIES or t.dep_ != "pobj" or t.head.head.pos_ != "NOUN":  # hangs on the
                break                                                                        # complement
            t = t.head.head
    elif t.dep_ not in BODY_ARG_DEPS:
        return None
    if _lem(t) not in SESSION_BODIES or t.pos_ != "NOUN" or t.i in ctx.inst_at:
        return None
    kids = [c for c in t.children if c.dep_ in ("amod", "compound", "nmod") and c.i < t.i]
    if not kids:
        return None
    lo = min(x.i for c in kids for x in c.subtree)
    hi = t.i
    for c in t.children:
        if c.dep_ == "prep" and c.i > t.i and c.lower_ in ("on", "for"):
            hi = max(x.i for x in c.subtree if not x.is_punct and not any(
                a.dep_ in ("relcl", "acl", "appos") and a.i > c.i for a in [x, *x.ancestors] if a.i >= c.i))
    doc = ctx.doc
    return ctx.text[doc[lo].idx:doc[hi].idx + len(doc[hi])], list(doc[lo:hi + 1])


def _inst_name(ctx, inst) -> str:
    """An institution as the article names it: its surface, or the full name the text spells out for an
    acronym ("the EU" in an article that opened with "the European Union")."""
    surface = _SPACES.sub(" ", inst.surface)
    name = inst.name or ""
    if surface.isupper() and name and name.casefold() != surface.casefold() and \
            name.casefold() in ctx.text.casefold():
        return name
    return surface


INSIDE_DEPS = frozenset({"pobj", "prep", "conj", "cc", "appos", "compound", "amod", "nmod", "poss", "punct"})


def _subject_like(t) -> bool:
    """A subject, an agent ("attended by X"), a partner ("with X") or a word inside one ("the envoy for
    Afghanistan, Zamir Kabulov, told"; "attended by the heads of the railways of A, B and C")."""
    x = t
    for _ in range(7):
        if x.dep_ in ("nsubj", "nsubjpass") or x.dep_ == "pobj" and x.head.lower_ in ("by", "with") and \
                x.head.dep_ in ("agent", "prep"):
            return True
        if x.dep_ not in INSIDE_DEPS or x.head.i == x.i:
            return False
        x = x.head
    return False


def _content(ctx, tok, start: int, end: int) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Content lemmas of the mention's phrase, the institutions it names, and the lemmas that are not
    place names (empty for "a meeting in Osh", "their first summit": a generic reference)."""
    stems, insts, core = set(), set(), set()
    doc = ctx.doc
    k = tok.i + 1
    if k + 1 < len(doc) and doc[k].lower_ == "of" and doc[k].idx >= end:
        k += 2 if doc[k + 1].lower_ == "the" else 1
        if k < len(doc) and k in ctx.inst_at:
            insts.add(ctx.inst_at[k].institution_id)
    for t in ctx.doc.char_span(start, end, alignment_mode="expand") or []:
        if t.i == tok.i:
            continue
        if t.i in ctx.inst_at:
            insts.add(ctx.inst_at[t.i].institution_id)
        if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and _lem(t) not in status_words() and \
                _lem(t) not in DISTINCT_MARKERS and t.i not in ctx.date_at:
            stems.add(_lem(t))
            if t.i not in ctx.place_span:
                core.add(_lem(t))
    return frozenset(stems), frozenset(insts), frozenset(core)


def _is_anaphoric(ctx, tok) -> bool:
    has_det = False
    for c in tok.children:
        if c.dep_ == "det" and c.lower_ in ANAPHORIC_DETERMINERS:
            has_det = True
        elif c.dep_ in ("amod", "nummod") and (c.lower_ in DISTINCT_MARKERS or c.like_num or c.text[:1].isdigit()):
            return False
        elif c.dep_ == "poss":
            if c.i in ctx.date_at:
                has_det = True
            elif c.lower_ in DISTINCT_MARKERS:
                return False
            elif ctx.people.name_at(c) is None:
                return False
        elif c.dep_ in ("compound", "nmod", "amod") and c.lower_ not in status_words():
            return False
        elif c.dep_ == "prep" and c.lower_ in ("of", "on", "between", "with"):
            return False
    return has_det


def _is_distinct(tok) -> bool:
    return any((c.lower_ in DISTINCT_MARKERS or c.like_num or c.text[:1].isdigit())
               for c in tok.children if c.dep_ in ("amod", "nummod", "poss"))


def _refine_kind(ctx, tok, kind: str) -> str:
    if kind == "conference" and _of_body(ctx, tok):
        return "session"        # "a video conference of the CASA-1000 Inter-Governmental Council"
    if kind != "meeting":
        return kind
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            if obj.lower_ in SUMMIT_COMPLEMENTS:
                return "summit"
            if _sits(ctx.inst_at.get(obj.i)):
                return "session"
            if _lem(obj) in SESSION_BODIES and (obj.text[:1].isupper() or any(
                    c.dep_ in ("amod", "compound") for c in obj.children)):     # "the intergovernmental commission"
                return "session"
    if any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in tok.children) and _its_body(ctx, tok):
        return "session"        # "the commission will hold its next meeting", "the commissions ... their next"
    return kind


def _sits(inst) -> bool:
    """An institution that meets in session: its name ends in a council, commission, board ..."""
    return inst is not None and any(w.lower() in SESSION_BODIES for w in inst.name.split()[-3:])


def _of_body(ctx, tok) -> bool:
    """The trigger's "of" complement is a council, commission or board that sits."""
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            if _lem(obj) in SESSION_BODIES or _sits(ctx.inst_at.get(obj.i)):
                return True
    return False


def _its_body(ctx, tok) -> bool:
    """The body "its" refers to: the subject of the verb holding the meeting, or the object that
    controls it ("instructed the commission to hold its next meeting")."""
    v = tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
    if v is None or v.pos_ not in ("VERB", "AUX"):
        return False
    cands = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not cands and v.dep_ == "xcomp":
        cands = [c for c in v.head.children if c.dep_ in ("dobj", "nsubj")][:1]
        cands = [c for c in v.head.children if c.dep_ == "dobj"] or cands
    return any(_lem(c) in SESSION_BODIES or _sits(ctx.inst_at.get(c.i)) for c in cands)


def _destination_place(ctx, toks: list) -> Place | None:
    """"a visit to the institute": the place given where that institute was named ("... Institute ... in Khujand")."""
    doc = ctx.doc
    for t in toks:
        if t.dep_ != "pobj" or t.head.lower_ != "to" or t.pos_ != "NOUN":
            continue
        for h in ctx.inst_at.values():
            if h.start >= t.idx or t.lower_ not in h.name.lower().split():
                continue
            k = next((x.i for x in doc if x.idx >= h.end), None)
            if k is not None and k + 1 < len(doc) and doc[k].lower_ in ("in", "at"):
                p = place_at(ctx, doc[k + 1])
                if p is not None:
                    return p
    return None


def _trailing_participle(ctx, end: int, others: set[int]):
    """", set to take place in Mongolia" right after the trigger's phrase, whatever the parser hung it on."""
    doc = ctx.doc
    k = next((t.i for t in doc[ctx.doc[0].i:] if t.idx >= end), None) if end < len(ctx.text) else None
    if k is None or k + 1 >= len(doc) or doc[k].text != "," and doc[k].lower_ != "to":
        return None
    j = k + 1 if doc[k].text == "," else k
    if doc[j].lower_ == "to" and j + 2 < len(doc) and doc[j + 1].lower_ == "be":
        j += 2                  # ", to be held in Turkistan in April", "the next meeting to be held in Osh"
    elif j == k:
        return None
    v = doc[j]
    if v.pos_ == "VERB" and v.tag_ in ("VBN", "VBG") and v.dep_ in ("advcl", "acl", "relcl", "xcomp") and \
            v.i not in others:
        return v
    return None


def _verb_mention_ok(ctx, tok, kind: str) -> bool:
    kids = list(tok.children)
    if kind == "visit":         # "visited Armenia", "visited Samarkand": not "visited the plant"
        return any(c.dep_ == "dobj" and (p := place_at(ctx, c)) is not None and p.kind in ("city", "country")
                   for c in kids)
    if _lem(tok) == "receive":
        if any(c.dep_ == "auxpass" for c in kids):      # "X was received by Minister Y"
            return any(c.dep_ == "agent" and any(ctx.people.name_at(t) for t in c.subtree) for c in kids)
        return any(c.dep_ == "dobj" and (ctx.people.name_at(c) or _lem(c) in MEET_OBJECTS) for c in kids)
    sides = [c for c in kids if c.dep_ in ("nsubj", "dobj")] + [o for c in kids if c.dep_ == "prep" and
                                                               c.lower_ == "with" for o in c.children]
    if any(_lem(x) in sport_sides() for x in sides):
        return False            # "the national team of Oman will meet with the team of Iraq": a match
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in kids):
        return True
    objects = [c for c in kids if c.dep_ == "dobj"]
    if any(ctx.people.name_at(c) or _lem(c) in MEET_OBJECTS or c.i in ctx.inst_at for c in objects):
        return True             # "met Rashidov", "met a delegation from the AIIB", "met the CSTO"
    if objects:
        return False            # "met its targets", "meet demand"
    subj = [c for c in kids if c.dep_ == "nsubj"]
    if not subj and tok.dep_ in ("xcomp", "conj") and tok.head.pos_ in ("VERB", "AUX"):
        subj = [c for c in tok.head.children if c.dep_ == "nsubj"]      # "the ministers agreed to meet again"
    return any(s.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in s.children) or _body(ctx, s)
               for s in subj)


def _body(ctx, t) -> bool:
    """A body that meets in session: "the intergovernmental commission met", "the CSTO Council will meet"."""
    return _lem(t) in SESSION_BODIES and t.tag_ == "NN" or (t.i in ctx.inst_at and t.pos_ == "PROPN" and
                                                           ctx.inst_at[t.i].kind != InstitutionKind.COMPANY)


def _phone_verb(tok) -> bool:
    """"spoke by telephone", "talked over the phone": a call."""
    if tok.pos_ != "VERB" or _lem(tok) not in ("speak", "talk", "converse", "hold", "have"):
        return False
    for p in tok.children:
        if p.dep_ == "prep" and p.lower_ in ("by", "over", "on"):
            if any(o.lower_ in PHONE_WORDS for o in p.children if o.dep_ == "pobj"):
                return True
    return False


def _predicate_of_noun(verb, nouns: set[int]) -> bool:
    """"The ministers last met at a meeting of the council": the verb reports the noun's meeting."""
    for t in verb.subtree:
        if t.i in nouns:
            cur, steps = t, 0
            while cur.i != verb.i and steps < 4:
                cur, steps = cur.head, steps + 1
            if cur.i == verb.i:
                return True
    return False


def _host_place(ctx, tok) -> Place | None:
    """"Turkmenistan will host the next summit", "the forum was hosted by Kazan": the host's place."""
    v = tok.head
    if v.pos_ != "VERB" or _lem(v) != "host":
        return None
    if tok.dep_ == "dobj":
        hosts = [c for c in v.children if c.dep_ == "nsubj"]
    elif tok.dep_ == "nsubjpass":
        hosts = [o for a in v.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"]
    else:
        return None
    for h in hosts:
        p = place_at(ctx, h)
        if p is not None:
            return p
    return None


_DAYS = re.compile(r"\b(one|two|three|four|five|six|seven|\d)[- ]day\b", re.I)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _visit_days(name: str, tok) -> int:
    """How many days a visit runs: "a two-day visit" → 2; a visit someone arrived on today → at least today."""
    m = _DAYS.search(name)
    if m:
        w = m.group(1).lower()
        return _NUMBERS.get(w) or int(w)
    v = _governing_verb(tok)
    return 1 if v is not None and _lem(v) == "arrive" else 0


def _period_end(d: date, precision: str | None) -> date:
    if precision == "year":
        return date(d.year, 12, 31)
    if precision == "month":
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return d


EVENT_PREPS = frozenset({"during", "at"})


def _inst_head(ctx, i: int):
    """The syntactic head of the institution span token `i` is in, or None when `i` is not that head."""
    t = ctx.doc[i]
    inst = ctx.inst_at[i]
    return t if not (inst.start <= t.head.idx < inst.end) or t.head.i == t.i else None


def _institution_events(ctx, taken: set[int]) -> list[tuple[object, str, str]]:
    """A body named where a meeting is expected stands for its session: "met during the Council of
    Foreign Ministers of the CIS", "on the sidelines of the 78th UN General Assembly", "Baku will host the
    Organization of Turkic States on May 5-6"."""
    out = []
    for i, inst in ctx.inst_at.items():
        t = _inst_head(ctx, i)
        if t is None or t.i in taken or t.idx < ctx.dateline or inst.kind == InstitutionKind.MEDIA:
            continue
        kind = "summit" if "heads of state" in inst.name.lower() else "session"
        ordinal = any(c.dep_ in ("amod", "nummod") and (c.lower_ in ORDINALS or c.text[:1].isdigit())
                      for c in t.children)
        h = t.head
        nxt = ctx.doc[t.i + 1:t.i + 6]
        if any(triggers().get(_lem(x), ("", ""))[1] in ("noun", "plural") for x in
               nxt[:next((k for k, x in enumerate(nxt) if x.pos_ in ("VERB", "AUX", "PUNCT", "ADP")
                          and x.text not in "-–"), len(nxt))]):
            continue            # "at the first EU–Central Asia summit": the body names the summit, the parse erred
        if t.dep_ == "pobj" and (h.lower_ in EVENT_PREPS or h.lower_ == "of" and h.head.lower_ in FRAME_HEADS) \
                and (_sits(inst) or ordinal):
            out.append((t, kind, "noun"))
        elif t.dep_ == "dobj" and h.pos_ == "VERB" and _lem(h) == "host" and inst.kind == InstitutionKind.INTERNATIONAL \
                and any(x.i in ctx.date_at for c in h.children if c.dep_ in ("prep", "npadvmod") for x in c.subtree):
            out.append((t, "summit", "noun"))
    return out


def mentions(ctx) -> list[Mention]:
    doc = ctx.doc
    found: list[tuple[object, str | None, str]] = []
    for tok in doc:
        if tok.idx < ctx.dateline:
            continue
        if _phone_verb(tok):
            found.append((tok, "call", "verb"))
            continue
        trig = trigger_of(ctx, tok)
        if trig is None:
            continue
        kind, role = trig
        if role == "verb" and not _verb_mention_ok(ctx, tok, kind):
            continue
        found.append((tok, kind, role))
    found.extend(_institution_events(ctx, {t.i for t, _, _ in found}))
    found.sort(key=lambda f: f[0].i)
    nouns = {t.i for t, k, r in found if r != "verb" and k in ("meeting", "session", "talks")}
    found = [f for f in found if not (f[2] == "verb" and f[1] == "meeting" and _predicate_of_noun(f[0], nouns))]
    others_all = {t.i for t, _, _ in found}
    out: list[Mention] = []
    for tok, kind, role in found:
        others = others_all - {tok.i}
        if role == "verb":
            if _hypothetical(tok):
                continue
            status = verb_tense(tok)
            src = "tense" if status else "none"
            if status is None and tok.dep_ == "xcomp" and _lem(tok.head) in INFINITIVE_PLANNED:
                status, src = "planned", "word"         # "agreed to meet again in December"
            if status is None:
                status, src, hypo = mention_status(ctx, tok)
                if hypo:
                    continue
            own = [tok] + [t for c in tok.children if c.dep_ in ("prep", "dobj", "npadvmod", "nsubj", "dative",
                                                                 "nsubjpass", "agent") or
                           c.dep_ == "advmod" and any(x.i in ctx.date_at for x in c.subtree)   # "Earlier on Wednesday"
                           for t in c.subtree if not _inside_other(t, c, others)]
            args: list = []
            with_part = [c for c in tok.children if c.dep_ in ("prep", "dobj", "agent") and c.i > tok.i]
            end_tok = max([t.i for c in with_part for t in c.subtree if c.lower_ in ("with", "by", "over")
                           or c.dep_ in ("dobj", "agent")] or [tok.i])
            subj = [c for c in tok.children if c.dep_ == "nsubj" and c.tag_ in ("NNS", "NNPS") or
                    c.dep_ == "nsubjpass" and ctx.people.name_at(c)]        # "X was received by Y"
            bodies = [c for c in tok.children if c.dep_ == "nsubj" and _body(ctx, c)]
            if bodies and kind == "meeting":
                kind, subj = "session", bodies       # "the commission met in Baku on Monday"
            start_tok = min([t.i for t in subj[0].subtree] if subj else [tok.i])
            start, end = doc[start_tok].idx, doc[end_tok].idx + len(doc[end_tok])
            name = ctx.text[start:end]
            stems, insts, core = frozenset(), frozenset(), frozenset()
            anaphoric, distinct = True, False
            parts = _participants(ctx, own, kind == "visit")
        else:
            status, src, hypo = mention_status(ctx, tok)
            if hypo:
                continue
            start, end, name = phrase(ctx, tok, others)
            own, args = _region(ctx, tok, others)
            tail = _trailing_participle(ctx, end, others)
            if tail is not None:
                own = own + [t for t in tail.subtree if t.i not in others]
                if src != "word" and _lem(tail) in status_words():
                    status, src = status_words()[_lem(tail)], "word"
                elif src != "word" and any(c.lower_ == "to" and c.dep_ == "aux" for c in tail.children):
                    status, src = "planned", "word"     # ", to be held in April"
            stems, insts, core = _content(ctx, tok, start, end)
            anaphoric = role == "anaphor" or _is_anaphoric(ctx, tok)
            distinct = _is_distinct(tok)
            kind = _refine_kind(ctx, tok, kind) if kind else kind
            party_args = [] if _topic_of(tok) else args        # "Tokayev and Erdoğan talked about the summit"
            if anaphoric:
                parts = _participants(ctx, own + party_args, kind == "visit", subjects_only=True)
            else:
                parts = _participants(ctx, own + party_args, kind == "visit")
            gathered = _gathered(tok, others)
            if gathered:            # "The talks brought together X, Y and Z"
                parts += [x for x in _participants(ctx, gathered, False) if all(x.name != y.name for y in parts)]
        if role == "noun" and _lem(tok) == "ceremony" and any(c.dep_ == "det" and c.lower_ in ANAPHORIC_DETERMINERS
                                                               for c in tok.children):
            args = args + _signing_args(ctx, tok, others)
        visit = kind == "visit"
        future = True if status == "planned" else False if status in ("past", "ongoing") else None
        own_dated = _outside_nested(tok, own, others) if role != "verb" else own
        d = _date_of(ctx, own_dated, future)
        date_own = d is not None
        d = d or _date_of(ctx, args, future)
        if role == "noun" and kind in FRAME_KINDS and not _is_anaphoric(ctx, tok) and status in ("past", None) \
                and src in ("tense", "date", "none") and not date_own \
                and ctx.published is not None and _framed(tok) and \
                (d is None or d[1] == "day" and 0 <= (ctx.published - d[0]).days <= FRAME_DAYS):
            status, src, d = "ongoing", "frame", (ctx.published, "day")
        place = _place_of(ctx, own_dated, visit) or _place_of(ctx, args, visit)
        if place is None and role != "verb":
            place = _host_place(ctx, tok)
        if place is None and not visit:
            place = _unnamed_place_of(ctx, tok, own)
        if d is not None and status == "ongoing" and src == "tense" and ctx.published is not None \
                and _period_end(*d) < ctx.published:
            status = "past"         # "the Caspian summit in Aktau in 2018, which ... maintains"
        if visit and status == "past" and src == "tense" and d is not None and d[1] == "day" and \
                ctx.published is not None and 0 <= (ctx.published - d[0]).days < _visit_days(name, tok):
            status = "ongoing"      # "arrived in Tashkent on Wednesday on a two-day visit", published that Wednesday
        if visit and place is None:
            for c in tok.children:
                if c.dep_ == "dobj":
                    place = place_at(ctx, c)
            if place is None:
                place = _destination_place(ctx, own)
        if visit and place is not None and place.country and all(x.name != place.country for x in parts):
            parts = [*parts, ParticipantHit(place.country, ParticipantType.COUNTRY)]    # the host
        if status is None and d is not None and ctx.published is not None:
            if d[0] > ctx.published:
                status, src = "planned", "date"
            elif d[0] < ctx.published and (d[1] == "day" or _period_end(*d) <= ctx.published.replace(day=1)):
                status, src = "past", "date"        # "in May 2024", "in 2023": a period over before publication
        out.append(Mention(tok=tok, kind=kind, role=role, sent=ctx.sent_of(tok), start=start, end=end, name=name,
                           status=status, status_src=src, date=d[0] if d else None, precision=d[1] if d else None,
                           date_own=date_own,
                           place=place, participants=parts, anaphoric=anaphoric, distinct=distinct, stems=stems,
                           core=core,
                           insts=insts))
    _within_visits(out)
    return out


def _visit_framing(m: Mention, visits: dict[int, Mention]) -> Mention | None:
    """The visit a "where" clause hangs the meeting on: "a visit to Bishkek next week, where he will hold talks"."""
    v = _governing_verb(m.tok)
    if v is None or v.dep_ not in ("advcl", "relcl") or not any(c.dep_ == "advmod" and c.lower_ == "where"
                                                                for c in v.children):
        return None
    h = v.head
    for cand in (h, *h.children, h.head):
        if cand.i in visits:
            return visits[cand.i]
    return None


def _within_visits(ms: list[Mention]) -> None:
    """A meeting held during a visit takes the visit's place, and its date unless its own falls inside the visit's."""
    visits = {m.tok.i: m for m in ms if m.kind == "visit" and m.role == "noun"}
    for m in ms:
        frame = _visit_framing(m, visits) if visits and m.kind != "visit" else None
        if frame is None:
            continue
        if m.place is None:
            m.place = frame.place
        if frame.date is not None and not m.date_own and (m.date is None or not _inside(m.date, frame)):
            m.date, m.precision = frame.date, frame.precision


def _inside(d: date, frame: Mention) -> bool:
    """`d` falls in the frame's period (a day-dated visit runs a few days)."""
    if frame.date is None:
        return False
    if frame.precision == "day":
        return 0 <= (d - frame.date).days <= FRAME_DAYS
    return frame.date <= d < _period_end(frame.date, frame.precision)


# ------------------------------------------------------------------ merging

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
    participant_key=str.casefold,       # a later, measured switch: extraction.names.name_key
    # the delegation and visit passes compare exact spellings (their names come from one people lookup)
    added_participant_key=same_spelling,
)


def merge(ms: list[Mention]) -> list[Cluster]:
    """The mentions grouped by meeting (`extraction.engine.meetings.merge`), generic references
    then absorbed by the specific meeting they name (`_absorb_generic`)."""
    return _absorb_generic(merge_mentions(ms, RULES))


ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})
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


# ------------------------------------------------------------------ the exported rule

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
    if dated_by_publication(status, dated, ctx.published):
        d, prec = ctx.published, "day"
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
        if v.pos_ != "VERB" or _lem(v) not in LEAD_VERBS or v.idx < ctx.dateline:
            continue
        passive = any(c.dep_ == "auxpass" for c in v.children)
        sides = [c for c in v.children if c.dep_ == ("nsubjpass" if passive else "dobj") and _lem(c) in DELEGATION_NOUNS]
        if not sides:
            continue
        if passive:
            people = [t for c in v.children if c.dep_ == "agent" for t in c.subtree]
        else:
            people = [t for c in v.children if c.dep_ == "nsubj" for t in c.subtree]
        toks = people + [t for s in sides for t in s.subtree]
        parts = _participants(ctx, toks, False)
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
    v = m.tok if m.role == "verb" else _governing_verb(m.tok)
    return v is not None and o.tok.i != m.tok.i and any(u.i == o.tok.i for u in v.subtree) and _frames(o.tok, v)


def _framed_places(clusters: list[Cluster]) -> None:
    """"The meeting was held on the sidelines of the UN General Assembly in New York": a meeting with no
    place of its own is where the event that frames it is."""
    owner = {m.tok.i: c for c in clusters for m in c.mentions}
    for c in clusters:
        if any(m.place for m in c.mentions):
            continue
        for m in c.mentions:
            v = m.tok if m.role == "verb" else _governing_verb(m.tok)
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
