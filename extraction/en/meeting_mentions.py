"""Finding meeting mentions: trigger nouns and verbs (and bodies named where a meeting is expected)
that pass the meeting tests, each made a `Mention` with its kind, status, date, place and
participants; a meeting held during a visit takes the visit's place and date.
"""
from __future__ import annotations

import re
from datetime import date

from extraction.en.meeting_attributes import (
    date_of,
    destination_place,
    governing_verb,
    host_place,
    inside_other,
    outside_nested,
    participants_of,
    phrase,
    place_of,
    region,
    signing_args,
    topic_of,
    unnamed_place_of,
)
from extraction.en.meeting_lexicon import (
    ANAPHORIC_DETERMINERS,
    DISTINCT_MARKERS,
    FRAME_DAYS,
    FRAME_HEADS,
    FRAME_KINDS,
    INFINITIVE_PLANNED,
    ORDINALS,
    PHONE_WORDS,
    SESSION_BODIES,
    SUMMIT_COMPLEMENTS,
    hypothetical,
    lemma,
    sport_sides,
    status_words,
    trigger_of,
    triggers,
)
from extraction.en.meeting_status import framed, mention_status, verb_tense
from extraction.en.places import place_at
from extraction.engine.meetings import Mention
from extraction.hits import ParticipantHit
from schemas import InstitutionKind, ParticipantType

MEET_OBJECTS = frozenset({"delegation", "representative", "head", "leader", "leadership", "minister", "ambassador",
                          "counterpart", "president", "chairman", "chief", "executive", "envoy", "official", "member",
                          "management", "board", "team"})
GATHER_VERBS = frozenset({"bring", "gather", "involve", "include", "unite", "attract"})


def _gathered(tok, others: set[int]) -> list:
    """The object of the verb a meeting is the subject of, when that verb gathers people: "the talks brought
    together X and Y", "the forum gathered ministers of five countries"."""
    v = tok.head
    if tok.dep_ != "nsubj" or v.pos_ != "VERB" or lemma(v) not in GATHER_VERBS:
        return []
    return [t for c in v.children if c.dep_ == "dobj" for t in c.subtree if t.i not in others]


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
        if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and lemma(t) not in status_words() and \
                lemma(t) not in DISTINCT_MARKERS and t.i not in ctx.date_at:
            stems.add(lemma(t))
            if t.i not in ctx.place_span:
                core.add(lemma(t))
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
            if lemma(obj) in SESSION_BODIES and (obj.text[:1].isupper() or any(
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
            if lemma(obj) in SESSION_BODIES or _sits(ctx.inst_at.get(obj.i)):
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
    return any(lemma(c) in SESSION_BODIES or _sits(ctx.inst_at.get(c.i)) for c in cands)


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
    if lemma(tok) == "receive":
        if any(c.dep_ == "auxpass" for c in kids):      # "X was received by Minister Y"
            return any(c.dep_ == "agent" and any(ctx.people.name_at(t) for t in c.subtree) for c in kids)
        return any(c.dep_ == "dobj" and (ctx.people.name_at(c) or lemma(c) in MEET_OBJECTS) for c in kids)
    sides = [c for c in kids if c.dep_ in ("nsubj", "dobj")] + [o for c in kids if c.dep_ == "prep" and
                                                               c.lower_ == "with" for o in c.children]
    if any(lemma(x) in sport_sides() for x in sides):
        return False            # "the national team of Oman will meet with the team of Iraq": a match
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in kids):
        return True
    objects = [c for c in kids if c.dep_ == "dobj"]
    if any(ctx.people.name_at(c) or lemma(c) in MEET_OBJECTS or c.i in ctx.inst_at for c in objects):
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
    return lemma(t) in SESSION_BODIES and t.tag_ == "NN" or (t.i in ctx.inst_at and t.pos_ == "PROPN" and
                                                           ctx.inst_at[t.i].kind != InstitutionKind.COMPANY)


def _phone_verb(tok) -> bool:
    """"spoke by telephone", "talked over the phone": a call."""
    if tok.pos_ != "VERB" or lemma(tok) not in ("speak", "talk", "converse", "hold", "have"):
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


_DAYS = re.compile(r"\b(one|two|three|four|five|six|seven|\d)[- ]day\b", re.I)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _visit_days(name: str, tok) -> int:
    """How many days a visit runs: "a two-day visit" → 2; a visit someone arrived on today → at least today."""
    m = _DAYS.search(name)
    if m:
        w = m.group(1).lower()
        return _NUMBERS.get(w) or int(w)
    v = governing_verb(tok)
    return 1 if v is not None and lemma(v) == "arrive" else 0


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
        if any(triggers().get(lemma(x), ("", ""))[1] in ("noun", "plural") for x in
               nxt[:next((k for k, x in enumerate(nxt) if x.pos_ in ("VERB", "AUX", "PUNCT", "ADP")
                          and x.text not in "-–"), len(nxt))]):
            continue            # "at the first EU–Central Asia summit": the body names the summit, the parse erred
        if t.dep_ == "pobj" and (h.lower_ in EVENT_PREPS or h.lower_ == "of" and h.head.lower_ in FRAME_HEADS) \
                and (_sits(inst) or ordinal):
            out.append((t, kind, "noun"))
        elif t.dep_ == "dobj" and h.pos_ == "VERB" and lemma(h) == "host" and inst.kind == InstitutionKind.INTERNATIONAL \
                and any(x.i in ctx.date_at for c in h.children if c.dep_ in ("prep", "npadvmod") for x in c.subtree):
            out.append((t, "summit", "noun"))
    return out


def _visit_framing(m: Mention, visits: dict[int, Mention]) -> Mention | None:
    """The visit a "where" clause hangs the meeting on: "a visit to Bishkek next week, where he will hold talks"."""
    v = governing_verb(m.tok)
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


def mentions(ctx) -> list[Mention]:
    """Every meeting mention after the dateline, in text order, visits lending their place and date."""
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
            if hypothetical(tok):
                continue
            status = verb_tense(tok)
            src = "tense" if status else "none"
            if status is None and tok.dep_ == "xcomp" and lemma(tok.head) in INFINITIVE_PLANNED:
                status, src = "planned", "word"         # "agreed to meet again in December"
            if status is None:
                status, src, hypo = mention_status(ctx, tok)
                if hypo:
                    continue
            own = [tok] + [t for c in tok.children if c.dep_ in ("prep", "dobj", "npadvmod", "nsubj", "dative",
                                                                 "nsubjpass", "agent") or
                           c.dep_ == "advmod" and any(x.i in ctx.date_at for x in c.subtree)   # "Earlier on Wednesday"
                           for t in c.subtree if not inside_other(t, c, others)]
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
            parts = participants_of(ctx, own, kind == "visit")
        else:
            status, src, hypo = mention_status(ctx, tok)
            if hypo:
                continue
            start, end, name = phrase(ctx, tok, others)
            own, args = region(ctx, tok, others)
            tail = _trailing_participle(ctx, end, others)
            if tail is not None:
                own = own + [t for t in tail.subtree if t.i not in others]
                if src != "word" and lemma(tail) in status_words():
                    status, src = status_words()[lemma(tail)], "word"
                elif src != "word" and any(c.lower_ == "to" and c.dep_ == "aux" for c in tail.children):
                    status, src = "planned", "word"     # ", to be held in April"
            stems, insts, core = _content(ctx, tok, start, end)
            anaphoric = role == "anaphor" or _is_anaphoric(ctx, tok)
            distinct = _is_distinct(tok)
            kind = _refine_kind(ctx, tok, kind) if kind else kind
            party_args = [] if topic_of(tok) else args        # "Tokayev and Erdoğan talked about the summit"
            if anaphoric:
                parts = participants_of(ctx, own + party_args, kind == "visit", subjects_only=True)
            else:
                parts = participants_of(ctx, own + party_args, kind == "visit")
            gathered = _gathered(tok, others)
            if gathered:            # "The talks brought together X, Y and Z"
                parts += [x for x in participants_of(ctx, gathered, False) if all(x.name != y.name for y in parts)]
        if role == "noun" and lemma(tok) == "ceremony" and any(c.dep_ == "det" and c.lower_ in ANAPHORIC_DETERMINERS
                                                               for c in tok.children):
            args = args + signing_args(ctx, tok, others)
        visit = kind == "visit"
        future = True if status == "planned" else False if status in ("past", "ongoing") else None
        own_dated = outside_nested(tok, own, others) if role != "verb" else own
        d = date_of(ctx, own_dated, future)
        date_own = d is not None
        d = d or date_of(ctx, args, future)
        if role == "noun" and kind in FRAME_KINDS and not _is_anaphoric(ctx, tok) and status in ("past", None) \
                and src in ("tense", "date", "none") and not date_own \
                and ctx.published is not None and framed(tok) and \
                (d is None or d[1] == "day" and 0 <= (ctx.published - d[0]).days <= FRAME_DAYS):
            status, src, d = "ongoing", "frame", (ctx.published, "day")
        place = place_of(ctx, own_dated, visit) or place_of(ctx, args, visit)
        if place is None and role != "verb":
            place = host_place(ctx, tok)
        if place is None and not visit:
            place = unnamed_place_of(ctx, tok, own)
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
                place = destination_place(ctx, own)
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
