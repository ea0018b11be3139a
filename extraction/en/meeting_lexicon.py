"""Meeting vocabulary: the trigger nouns and verbs, status words, source and topic words (data in
`lexicons/en/`), the word classes the meeting rules test, the modal auxiliaries that make a verb
hypothetical, and `trigger_of`, which tells a meeting trigger (the `Mention` record is
language-neutral: `extraction.engine.meetings`).
"""
from __future__ import annotations

from functools import lru_cache

from extraction.en.people import speech_verbs
from extraction.lexicons import load_table, load_words

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
# a verb reached through its "to"-infinitive that makes the meeting an announced one
INFINITIVE_PLANNED = frozenset({"agree", "decide", "plan", "intend", "expect", "invite", "propose", "hope", "aim",
                                "want", "set", "schedule", "prepare"})
PLACE_PREPS = frozenset({"in", "at"})
VISIT_PREPS = frozenset({"to", "in"})
ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "prep", "agent", "npadvmod", "obl", "attr"})
NAME_PREPS = frozenset({"of", "on", "with", "between", "among", "in", "at", "to", "for"})
MAX_NAME_TOKENS = 24
# participants whose names have equal keys are one (a later, measured switch: extraction.names.name_key)
PARTICIPANT_KEY = str.casefold
MECHANISM_SERIES = frozenset({"format", "mechanism", "series", "cycle", "platform"})
# multi-day events an action is framed by ("signed on Wednesday on the sidelines of the forum"):
# reported within days of the action, the event is still on
FRAME_KINDS = frozenset({"session", "conference", "forum"})
FRAME_HEADS = frozenset({"sidelines", "margins", "day", "opening", "framework"})
FRAME_DAYS = 3
FRAME_PREPS = frozenset({"in", "during", "at", "on", "by", "via", "over", "through"})
ROUND_HEADS = frozenset({"round", "series", "cycle"})
FREQUENCY = frozenset({"regular", "annual", "periodic", "quarterly", "monthly", "weekly"})
FREQUENCY_ADVERBS = frozenset({"annually", "regularly", "yearly", "periodically", "biennially"})
ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})


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


@lru_cache(maxsize=1)
def source_words() -> frozenset[str]:
    return load_words("meeting_source_words", "en")


@lru_cache(maxsize=1)
def source_verbs() -> frozenset[str]:
    return load_words("meeting_source_verbs", "en")


@lru_cache(maxsize=1)
def topic_verbs() -> frozenset[str]:
    return load_words("meeting_topic_verbs", "en")


def lemma(t) -> str:
    """The token's lemma, lower-cased: the form the word sets hold."""
    return t.lemma_.lower()


def auxiliaries(tok) -> list:
    """The auxiliaries of verb `tok` ("will", "has been", "would")."""
    return [c for c in tok.children if c.dep_ in ("aux", "auxpass")]


def hypothetical(tok) -> bool:
    """A modal makes the verb only possible ("could meet"), not the "would" of reported speech."""
    return any(a.lower_ in HYPOTHETICAL for a in auxiliaries(tok)) and not reported_future(tok)


def reported_future(tok) -> bool:
    """"said that the roadmap would be signed during the visit": "would" is the future of reported speech."""
    if not any(a.lower_ == "would" for a in auxiliaries(tok)) or any(a.lower_ in HYPOTHETICAL - {"would"} for a in auxiliaries(tok)):
        return False
    cur = tok
    for _ in range(3):
        if cur.dep_ == "conj":
            cur = cur.head
            continue
        return cur.dep_ == "ccomp" and lemma(cur.head) in speech_verbs() | REPORTING_VERBS
    return False


def _in_clause(t, root) -> bool:
    """Token `t` of `root`'s subtree hangs on it through a clause ("the summit, held annually since ...")."""
    cur = t
    while cur.i != root.i and cur.head.i != cur.i:
        if cur.dep_ in ("acl", "relcl", "advcl", "ccomp"):
            return True
        cur = cur.head
    return False


def trigger_of(ctx, tok) -> tuple[str, str] | None:
    """(kind, role) when `tok` is a meeting trigger, else None."""
    if tok.pos_ == "VERB" and lemma(tok) in verb_triggers():
        return verb_triggers()[lemma(tok)], "verb"
    hit = triggers().get(lemma(tok)) or triggers().get(tok.lower_)
    if hit is None:
        return None
    kind, role = hit
    if role == "verb":
        return (kind, role) if tok.pos_ == "VERB" else None
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound" or tok.i in ctx.inst_at:
        return None
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and lemma(tok.head.head) in MECHANISM_SERIES:
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
        defined = defined or tok.dep_ == "pobj" and tok.head.lower_ == "of" and lemma(tok.head.head) in ROUND_HEADS
        defined = defined or tok.dep_ == "dobj" and tok.head.pos_ == "VERB" and lemma(tok.head) in hold_verbs() \
            and not hypothetical(tok.head)         # "Kazakhstan and Uzbekistan held talks in Tashkent"
        return (kind, "noun") if defined else (kind, "anaphor")     # "the next round of consultations"
    if role == "phone":
        if phone:
            return kind, "noun"
        if lemma(tok) == "call":
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
