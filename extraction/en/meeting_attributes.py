"""What a meeting mention says about its meeting, read off spaCy's dependency tree: its phrase, the
tokens of its own subtree and of the governing verb's arguments (`region`), and from those its date,
place and participants (persons, institutions, countries; not a body only credited as a source).
"""
from __future__ import annotations

import re
from datetime import date

from extraction.en.dates import resolve
from extraction.en.meeting_lexicon import (
    ARG_DEPS,
    FRAME_PREPS,
    MAX_NAME_TOKENS,
    NAME_PREPS,
    PARTICIPANT_KEY,
    PLACE_PREPS,
    ROUND_HEADS,
    SESSION_BODIES,
    VISIT_PREPS,
    lemma,
    source_verbs,
    source_words,
    status_words,
    topic_verbs,
    triggers,
)
from extraction.en.people import speech_verbs, titles
from extraction.en.places import Place, country_of_token, place_at, place_nouns, unnamed_place
from extraction.engine.meetings import ParticipantList
from extraction.hits import ParticipantHit
from schemas import InstitutionKind, ParticipantType

_SPACES = re.compile(r"\s+")


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
            idx.update(t.i for t in c.subtree if not inside_other(t, c, others))
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and lemma(tok.head.head) in ROUND_HEADS:
        idx.update(t.i for t in tok.head.head.subtree if t.i <= tok.i and not inside_other(t, tok.head.head, others))
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


def inside_other(t, root, others: set[int]) -> bool:
    """Token `t` of `root`'s subtree hangs on another trigger (`others`) on its way up."""
    cur = t
    while cur.i != root.i and cur.head.i != cur.i:
        if cur.i in others:
            return True
        cur = cur.head
    return False


def governing_verb(tok):
    """The verb the trigger hangs on, a few heads up (further across "in a call"), or None."""
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
    if lemma(v) in speech_verbs():
        return True
    prev, cur = tok, tok.head
    while cur.i != v.i and cur.head.i != cur.i:
        if cur.pos_ == "NOUN" and triggers().get(lemma(cur)):
            return False        # the trigger is framed by another meeting the verb dates
        if cur.pos_ == "NOUN" and lemma(cur) in status_words() and prev.lower_ not in FRAME_PREPS:
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
        out.extend(t for t in c.subtree if not inside_other(t, c, others) and t.i not in others)
    return out


def region(ctx, tok, others: set[int]) -> tuple[list, list]:
    """Tokens of the trigger's own subtree, and the arguments of the verb that governs it.

    A governing verb with no subject of its own ("..., holding talks with X", "is expected to
    attend the forum", "met face to face at a meeting") borrows the arguments of the verb it
    hangs on: its subject, its date, its place.
    """
    own = [t for t in tok.subtree if not inside_other(t, tok, others)]
    args: list = []
    v = governing_verb(tok)
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


def outside_nested(tok, toks: list, others: set[int]) -> list:
    """`toks` without the clauses hung on the trigger that report another meeting ("a visit to
    China, where he held talks ... on Wednesday": Wednesday dates the talks, not the visit)."""
    drop: set[int] = set()
    for t in tok.subtree:
        if t.i != tok.i and t.pos_ in ("VERB", "AUX") and t.dep_ in ("relcl", "acl", "advcl", "ccomp") and \
                any(c.i in others for c in t.children if c.dep_ in ("dobj", "nsubj", "nsubjpass", "prep", "attr")):
            drop.update(x.i for x in t.subtree)
    return [t for t in toks if t.i not in drop] if drop else toks


PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


def date_of(ctx, toks: list, future: bool | None) -> tuple[date, str] | None:
    """The most precise date expression among the tokens ("last year's forum, held in May 2024")."""
    best = None
    for t in toks:
        e = ctx.date_at.get(t.i)
        if e is not None and t.head.lower_ not in ("until", "till"):     # "runs until Friday": its end
            r = resolve(e, ctx.published, future=future)
            if r and (best is None or PRECISION_RANK[r[1]] > PRECISION_RANK[best[1]]):
                best = r
    return best


def place_of(ctx, toks: list, visit: bool) -> Place | None:
    """The place a preposition among the tokens names ("in Osh"; a visit "to Armenia")."""
    preps = VISIT_PREPS if visit else PLACE_PREPS
    for t in toks:
        if t.idx < ctx.dateline or t.dep_ != "pobj" or t.head.lower_ not in preps and not (
                t.head.lower_ == "for" and lemma(t.head.head) in ("plan", "schedule", "set")):   # "planned for Osh"
            continue
        p = place_at(ctx, t)
        if p is not None:
            return p
    for t in toks:      # "talks on Kyrgyzstan's territory", "on the territory of Tajikistan"
        if t.idx >= ctx.dateline and t.dep_ == "pobj" and t.head.lower_ == "on" and lemma(t) in place_nouns():
            p = place_at(ctx, t)
            if p is not None:
                return p
    return None


def unnamed_place_of(ctx, tok, toks: list) -> Place | None:
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


def participants_of(ctx, toks: list, visit: bool, subjects_only: bool = False) -> list[ParticipantHit]:
    """Persons (with their countries), institutions and countries among the tokens, once each by PARTICIPANT_KEY."""
    people = ctx.people
    found = ParticipantList(PARTICIPANT_KEY)
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


ABOUT_PREPS = frozenset({"about", "regarding", "concerning"})


def topic_of(tok) -> bool:
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
            return lemma(h) in topic_verbs() and (cur.i == tok.i and cur.dep_ == "dobj" or cur.dep_ == "prep" and
                                                  cur.lower_ in ABOUT_PREPS | {"on", "upon"})
        if h.pos_ == "NOUN" and lemma(h) in status_words():
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
        if lemma(h) in source_words():
            return True
    v = h.head.head if h.dep_ == "pobj" and h.head.dep_ == "agent" else h.head if h.dep_ == "nsubj" else None
    return v is not None and v.pos_ == "VERB" and lemma(v) in source_verbs()
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
        if cur.dep_ == "prep" and cur.lower_ == "on" and h.pos_ in ("NOUN", "PROPN") and lemma(h) in triggers():
            return True
        cur = h
    return False


def signing_args(ctx, tok, others: set[int]) -> list:
    """"X and Y signed a roadmap on Wednesday in Baku. The signing ceremony was attended by ...": the
    ceremony's date and place are those of the signing the previous sentences report."""
    sent = ctx.sent_of(tok)
    first = ctx.sents[max(0, sent - 2)].start
    for v in reversed(ctx.doc[first:tok.i]):
        if v.pos_ == "VERB" and lemma(v) == "sign" and v.i not in others:
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


BODY_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})


def _body_phrase(ctx, t) -> tuple[str, list] | None:
    """A body named by description that holds the meeting ("instructed the Armenian-Georgian intergovernmental
    commission ... to hold its next meeting", "the commission, which will hold its next session"): its phrase."""
    if t.dep_ in BODY_ARG_DEPS and t.lower_ in ("which", "that") and t.head.dep_ == "relcl":
        t = t.head.head
        for _ in range(2):      # "the commission on economic cooperation, which ...": the relative clause
            if lemma(t) in SESSION_BODIES or t.dep_ != "pobj" or t.head.head.pos_ != "NOUN":  # hangs on the
                break                                                                        # complement
            t = t.head.head
    elif t.dep_ not in BODY_ARG_DEPS:
        return None
    if lemma(t) not in SESSION_BODIES or t.pos_ != "NOUN" or t.i in ctx.inst_at:
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


def destination_place(ctx, toks: list) -> Place | None:
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


def host_place(ctx, tok) -> Place | None:
    """"Turkmenistan will host the next summit", "the forum was hosted by Kazan": the host's place."""
    v = tok.head
    if v.pos_ != "VERB" or lemma(v) != "host":
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
