"""The status of a meeting mention (past, ongoing, planned): from status words around the trigger,
the tense, aspect and modals of the verb that governs it ("will hold" → planned, "is taking place"
→ ongoing, "held" → past), "runs until", and the action a meeting frames ("during the forum").
"""
from __future__ import annotations

from extraction.en.meeting_lexicon import (
    FRAME_HEADS,
    FRAME_PREPS,
    INFINITIVE_PLANNED,
    auxiliaries,
    hypothetical,
    lemma,
    reported_future,
    status_words,
    trigger_of,
)

FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
# "the forum runs until Saturday": a present-tense verb of duration with an end → the event is on
RUN_VERBS = frozenset({"run", "continue", "last", "go"})
RUN_PREPS = frozenset({"until", "till", "through", "to"})
ATTEND_VERBS = frozenset({"participate", "attend", "take", "join"})     # "arrived to take part in the forum"


def verb_tense(tok) -> str | None:
    """past | ongoing | planned from a verb's form and auxiliaries; None for a bare participle/infinitive."""
    aux = auxiliaries(tok)
    words = {a.lower_ for a in aux}
    if words & FUTURE_AUX or reported_future(tok):
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


def runs_until(v) -> bool:
    """"runs until Saturday", "continues through Friday", "is running until 22 November"."""
    if v.pos_ not in ("VERB", "AUX") or lemma(v) not in RUN_VERBS:
        return False
    if not (v.tag_ in ("VBZ", "VBP") or v.tag_ == "VBG" and any(a.lower_ in ("is", "are") for a in auxiliaries(v))):
        return False
    return any(c.dep_ == "prep" and c.lower_ in RUN_PREPS and (c.lower_ != "to" or lemma(v) == "last")
               for c in v.children)


def framed(tok) -> bool:
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
        if c.dep_ in ("amod", "det", "compound", "nummod", "advmod") and lemma(c) in sw:
            return sw[lemma(c)], "word", False
    doc = ctx.doc
    for t in doc[tok.left_edge.i:tok.i]:     # "the next C5+1 leaders' summit": a modifier hung elsewhere
        if t.pos_ == "ADJ" and lemma(t) in sw and t.dep_ in ("amod", "advmod"):
            return sw[lemma(t)], "word", False
    for c in tok.children:
        if c.dep_ in ("relcl", "acl") and any(runs_until(v) for v in (c, *(x for x in c.children if x.dep_ == "conj"))):
            return "ongoing", "run", False
    for c in tok.children:
        if c.dep_ in ("relcl", "acl"):
            if hypothetical(c):
                return None, "none", True
            if lemma(c) in sw:
                return sw[lemma(c)], "word", False
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
        lem = lemma(h)
        if h.pos_ in ("NOUN", "PROPN") and trigger_of(ctx, h) is not None:
            crossed = True      # "preparations for the summit in a phone call": the call hangs on the summit
        if h.pos_ in ("VERB", "AUX"):
            if hypothetical(h):
                return None, "none", True
            if h.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in h.children) and \
                    lemma(h) in ATTEND_VERBS:
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
            if h.tag_ == "VBN" and h.dep_ == "acl" and not auxiliaries(h) and cur.dep_ == "prep":
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
