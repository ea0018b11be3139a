"""Proposed mechanisms in English text: head nouns with their defining complements.

A mention is a head noun from ``mechanism_heads.tsv`` ("mechanism", "platform", "working
group", "roadmap", "agreement" ...) with its phrase read off the tree (left modifiers, the
prepositional and infinitival complements: "a platform for dialogue on water", "programs to
combat terrorism"). Never a bare head ("the centre"). Status comes from the words that modify
or govern it (``mechanism_status_words.tsv``: proposed / agreed / established / existing; a
creation word by its form: "launched" → established, "agreed to create" → agreed, "need to
create" → proposed), else from the head's class. The proposer is the subject of a proposal
verb, the agent of "proposed by", a possessor ("Tokayev's initiative") or the speaker of the
quotation; titles resolve to names. Mentions of one mechanism merge into one row in the
language-neutral engine (`extraction.engine.mechanisms`), under the English `RULES`.
"""
from __future__ import annotations

import operator
from functools import lru_cache

from extraction.en.meeting_lexicon import triggers
from extraction.en.meeting_status import FUTURE_AUX
from extraction.en.people import titles
from extraction.en.places import capital_country, country_of_token, place_at
from extraction.engine.mechanisms import (
    MechanismRules,
    Mention,
    ProposerRule,
    Representative,
    build_hits,
    head_lexicon,
    inside,
    status_lexicon,
)
from extraction.gazetteer import gazetteer
from extraction.hits import MechanismHit, Sentence
from extraction.lexicons import load_table, load_words
from schemas import MechanismStatus

# ------------------------------------------------------------------ sub-rules (constants)

LEFT_DEPS = frozenset({"det", "amod", "compound", "nummod", "poss", "nmod", "quantmod", "npadvmod"})
DESC_PREPS = frozenset({"of", "on", "for", "between", "among", "to", "against", "until", "till", "in", "with",
                        "within", "from", "under", "at"})
MODAL_AUX = frozenset({"should", "must", "could", "can", "might", "may", "ought"})
PLAN_AUX = FUTURE_AUX | {"would"}      # "a secretariat would be set up": a plan reported as decided
IDIOM_HEADS = frozenset({"framework", "partnership"})   # "in the framework of", "in partnership with"
FRAME_PREPS = frozenset({"within", "under"})    # "talks within the Astana format": the format works
LINEAR_PREPS = frozenset({"for", "on", "of", "between", "among"})
SERIES_HEADS = frozenset({"format", "dialogue", "platform"})   # named only inside a meeting's name: not a mechanism
INTERGOVERNMENTAL = frozenset({"intergovernmental", "interstate", "joint", "bilateral", "trilateral", "coordination",
                              "interdepartmental", "interagency"})
NEVER_INSTITUTION = frozenset({"commission", "group"})         # guideline 7: a mechanism even when it is a named body
TITLE_LINKS = frozenset({"of", "for", "on", "and", "a", "the", "to", "in", ","})
STOP_WORDS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our"})
# Limits on how far the grammar reads (the Russian grammar has the same names, with values for natasha's trees):
MAX_DESCRIPTION_TOKENS = 30     # a description stops growing here: beyond, it is a clause, not a name
MAX_LEFT_MODIFIER_TOKENS = 8    # a left modifier with more tokens is left out of the description whole
MAX_GOVERNOR_STEPS = 8          # how far up the tree a status or proposal word may govern the mention
NOUN_CROSSINGS = 2              # other nouns a strong head's status word may stand above ("advance
#                                 discussions on the treaty"); weak heads (weak, organ, body) need their own governor
MAX_VERB_COMPLEMENTS = 2        # complements of the name the parser hung on the verb ("a joint working group
#                                 with X and Y to plan deliveries")
MAX_NUMBER_MARK_PUNCT = 2       # punctuation between a number mark and its number ("Protocol No. 44")
PROPOSAL_AGENT_REACH = 25       # characters after the description within which "proposed by X" names its proposer
MAX_CREATION_STEPS = 3          # "the establishment of a council", "creating a Business Council": the creation word
#                                 is at most this many steps up the tree


def heads() -> dict[str, tuple[str, str]]:
    """English mechanism heads: lemma -> (needs, class)."""
    return head_lexicon("en")


def status_words() -> dict[str, str]:
    """English status words: lemma -> status class."""
    return status_lexicon("en")


@lru_cache(maxsize=4)
def proposal_words(role: str) -> frozenset[str]:
    """Lemmas that make their subject or owner the proposer: role verb, noun, or carrier (of a proposal noun)."""
    return frozenset(r["lemma"] for r in load_table("mechanism_proposal_words", "en") if r["role"] == role)


@lru_cache(maxsize=1)
def _status_only() -> dict[str, str]:
    return {r["lemma"]: r["only"] for r in load_table("mechanism_status_words", "en") if r.get("only")}


def word_status(w) -> str | None:
    """The status a word states, if its form allows it ("functions" as a noun states nothing)."""
    sw = status_words()
    key = _lem(w) if _lem(w) in sw else w.lower_
    s = sw.get(key)
    only = _status_only().get(key)
    if s is None or not only:
        return s
    if w.pos_ not in ("VERB", "AUX"):
        return None
    if only == "finite" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in w.children):
        return None
    return s


def _lem(t) -> str:
    return t.lemma_.lower()


def head_of(ctx, tok) -> tuple[str, str] | None:
    """(needs, class) when `tok` heads a mechanism phrase."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound" and (
            tok.head.lemma_.lower() in heads() or tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in titles()):
        return None             # "the Commission President X": a post, not the commission
    h = heads().get(_lem(tok)) or heads().get(tok.lower_)
    if h is None:
        return None
    needs, cls = h
    if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return None             # "there are no such plans"
    if needs and not any(t.lower_ in needs.split("|") or _lem(t) in needs.split("|")
                         for c in tok.children if c.dep_ in ("amod", "compound") for t in c.subtree):
        return None
    if cls in ("weak", "organ", "body", "document") and tok.tag_ in ("NNS", "NNPS") and \
            not any(c.dep_ in ("det", "poss", "nummod") or cls == "document" and c.dep_ == "prep" for c in tok.children):
        return None             # "to finance energy projects", "trade facilitation programs": in general
    return h


def _trigger_noun(tok) -> bool:
    t = triggers().get(_lem(tok)) or triggers().get(tok.lower_)
    return t is not None and t[1] in ("noun", "plural") and tok.pos_ in ("NOUN", "PROPN")


PARTNER_HEADS = frozenset({"group", "commission", "venture", "company", "council", "consortium", "platform"})
DOCUMENT_OBJECTS = frozenset({"contract", "agreement", "treaty", "convention", "protocol", "memorandum", "charter"})


def _linear(prep, tok, cls: str) -> bool:
    """A complement the parser hung on the verb that still belongs to the mechanism's name."""
    if prep.lower_ in LINEAR_PREPS:
        return True
    if prep.lower_ == "at":                       # "joint working groups at deputy minister level"
        return any(o.dep_ == "pobj" and _lem(o) == "level" for o in prep.children)
    if prep.lower_ == "with":                     # "a joint working group with Transneft and PCK"
        return _lem(tok) in PARTNER_HEADS
    if prep.lower_ == "to":                       # "a supplementary agreement to the transit contract"
        return cls == "document" and any(_lem(o) in DOCUMENT_OBJECTS for o in prep.children if o.dep_ == "pobj")
    return False


def description(ctx, tok) -> tuple[int, int, str, bool] | None:
    """Offsets, text and whether the phrase has a defining part beyond the bare head."""
    doc = ctx.doc
    idx = {tok.i}
    places = []
    defining = tok.pos_ == "PROPN" or tok.text[:1].isupper() and tok.i > ctx.sents[ctx.sent_index[tok.i]].start
    for c in tok.children:
        if c.i < tok.i and c.dep_ in LEFT_DEPS:
            sub = list(c.subtree)
            if len(sub) <= MAX_LEFT_MODIFIER_TOKENS:
                idx.update(t.i for t in sub)
                if c.dep_ not in ("det", "nummod") and c.lower_ not in STOP_WORDS and \
                        c.lower_ not in vague_modifiers():
                    defining = True
        elif c.i > tok.i and c.dep_ == "prep" and c.lower_ in DESC_PREPS:
            if c.lower_ == "with" and heads().get(_lem(tok), ("", ""))[1] != "document":
                continue
            if c.lower_ == "in" and defining and heads().get(_lem(tok), ("", ""))[1] != "document" and any(
                    t.dep_ in ("pobj", "conj") and _lem(t) in scope_nouns() for t in c.subtree):
                continue            # "the six-lateral format in the trade and energy areas"
            if c.lower_ in FRAME_PREPS and any(o.dep_ == "pobj" and head_of(ctx, o) for o in c.children):
                continue            # "a package under the Global Gateway initiative": two mechanisms
            if c.lower_ in ("in", "at") and any(place_at(ctx, o) or _trigger_noun(o) for o in c.children
                                                if o.dep_ == "pobj"):
                places.append(c)    # "an agreement in Bucharest to ...": kept only inside the phrase
                continue
            idx.update(t.i for t in c.subtree)
            defining = True
        elif c.i > tok.i and (c.dep_ == "acl" and c.tag_ in ("VBG", "VBN") or c.dep_ in ("acl", "relcl") and any(
                a.lower_ == "to" and a.dep_ == "aux" for a in c.children)):
            idx.update(t.i for t in c.subtree)
            defining = True
        elif c.i > tok.i and c.dep_ == "appos" and c.i == tok.i + 1:
            idx.update(t.i for t in c.subtree)
        elif c.i > tok.i and c.dep_ == "relcl" and not tok.text[:1].isupper() and _aux(c) & (PLAN_AUX | MODAL_AUX) \
                and any(w.lower_ == "that" and w.i == c.left_edge.i for w in c.children):
            idx.update(t.i for t in c.subtree)      # "a joint venture that will build the line"
            defining = True
    for c in places:
        if max(idx) > c.right_edge.i:
            idx.update(t.i for t in c.subtree)
    for t in [t for t in doc[min(idx):max(idx) + 1] if t.i in idx and t.dep_ == "prep" and t.i > tok.i]:
        if t.lower_ in boundary_words() and t.i in idx:
            idx.difference_update(x.i for x in t.subtree)    # "... during a meeting held in Buston"
        if any(o.dep_ == "pobj" and o.i in ctx.date_at for o in t.children):
            idx.difference_update(x.i for x in t.subtree)    # "... for cargo clearance on Monday"
    for t in [t for t in doc[tok.i + 1:max(idx) + 1] if t.i in idx and t.dep_ == "conj"]:
        if t.i in idx and head_of(ctx, t) is not None:
            # "a hotline to report incidents and a joint monitoring group": the second is its own mechanism
            idx.difference_update(x.i for x in doc[t.left_edge.i - 1:max(idx) + 1])
    idx.update(t.i for t in doc[min(idx):max(idx) + 1] if t.text in "-–" and t.i - 1 in idx and t.i + 1 in idx)
    lo = hi = tok.i             # "the Kazakh-Uzbek Intergovernmental Commission": the hyphen joins
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx and hi - lo < MAX_DESCRIPTION_TOKENS:
        hi += 1
    sent = ctx.sents[ctx.sent_index[tok.i]]
    cls = (heads().get(_lem(tok)) or heads().get(tok.lower_) or ("", ""))[1]
    for _ in range(MAX_VERB_COMPLEMENTS):
        nxt = doc[hi + 1] if hi + 1 < sent.end else None
        if nxt is not None and nxt.text[:1].isupper() and tok.text[:1].isupper():
            break                                   # a title continues below
        if nxt is not None and nxt.i != tok.head.i and tok.head.pos_ in ("VERB", "AUX") and (
                nxt.dep_ == "prep" and _linear(nxt, tok, cls) and nxt.head.i == tok.head.i) and not any(
                o.dep_ == "pobj" and o.i in ctx.date_at for o in nxt.children):
            # "signed a roadmap for the construction of ...": the parser hung the complement on the verb
            hi = max(t.i for t in nxt.subtree)
            defining = True
        elif nxt is not None and nxt.lower_ == "to" and nxt.dep_ == "aux" and nxt.head.tag_ == "VB" and \
                not (tok.text[:1].isupper() and tok.i > sent.start) and \
                nxt.head.dep_ in ("advcl", "xcomp", "relcl", "acl") and nxt.head.head.i != tok.i:
            sub = [t for t in nxt.head.subtree]
            stop = next((t.left_edge.i for t in sub if t.dep_ == "conj" and t.i > nxt.i and
                         head_of(ctx, t) is not None), None)    # "... to report incidents and a joint monitoring group"
            hi = max(t.i for t in sub if stop is None or t.i < stop)    # "a working group to synchronise schedules"
            defining = True
            break
        else:
            break
    if tok.text[:1].isupper() and hi == tok.i:
        # a title the parser hung elsewhere: "the Initiative For Regional Trust, Good Neighbourhood and ..."
        j = hi + 1
        while j < sent.end and j - lo < MAX_DESCRIPTION_TOKENS:
            t = doc[j]
            if t.text[:1].isupper() and t.is_alpha and t.i not in ctx.date_at:
                hi = j
            elif t.text == "," and j + 1 < sent.end and (doc[j + 1].lower_ in titles() or ctx.people.name_at(doc[j + 1])):
                break           # "the Turkic Investment Fund, President of Türkiye X said": an apposition follows
            elif not (t.lower_ in TITLE_LINKS and j + 1 < sent.end and doc[j + 1].text[:1].isupper()
                      or t.lower_ in TITLE_LINKS and j + 2 < sent.end and doc[j + 1].lower_ in ("a", "the")
                      and doc[j + 2].text[:1].isupper()):
                break
            j += 1
        if hi > tok.i:
            defining = True
    hi = min(hi, sent.end - 1)
    if doc[hi].lower_ in number_marks() or doc[hi].i + 1 < sent.end and \
            (doc[hi].lower_ + doc[hi + 1].text) in number_marks():
        k = hi + 1      # "Protocol No. 44": the number belongs to the name
        while k < sent.end and k - hi <= MAX_NUMBER_MARK_PUNCT and not doc[k].like_num and doc[k].text in ".:":
            k += 1
        if k < sent.end and doc[k].like_num:
            hi = k
    while hi > tok.i and (doc[hi].is_punct or doc[hi].dep_ == "cc") and doc[hi].text not in ")":
        hi -= 1
    while lo < tok.i and doc[lo].is_punct:
        lo += 1
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    return start, end, ctx.text[start:end], defining


def _create_status(h, came_from_passive: bool = False) -> str | None:
    """A creation word by its form: past → established; future/infinitive → None (ask the governor)."""
    aux = {a.lower_ for a in h.children if a.dep_ in ("aux", "auxpass")}
    if aux & MODAL_AUX:
        return None
    if h.dep_ == "ccomp" and word_status(h.head) in ("proposed", "agreed"):
        return None             # "proposed that the two companies set up a centre": not done yet
    if aux & PLAN_AUX or "to" in aux or h.tag_ in ("VB", "VBG") and not aux & {"was", "were", "been"}:
        return None
    if h.pos_ == "NOUN":
        return None
    if h.tag_ in ("VBD", "VBN"):
        return "established"
    return None


def _agent(ctx, tok) -> str | None:
    if tok.lower_ in ("who", "which", "that") and tok.head.dep_ == "relcl" and tok.head.head.i != tok.head.i:
        return _agent(ctx, tok.head.head)       # "Sardor Yuldoshev, who suggested ...": the antecedent
    name = ctx.people.agent(tok)
    if name:
        return name
    if tok.lower_ in ("i", "we"):
        return ctx.people.speaker(ctx.sent_of(tok))   # "We have proposed ...," he said: the speaker
    inst = ctx.inst_at.get(tok.i)
    if inst is not None:
        return inst.name
    country = country_of_token(ctx, tok) or (capital_country(ctx, tok) if tok.dep_ == "nsubj" else None)
    if country:
        return country
    for c in tok.children:
        if c.dep_ in ("compound", "amod"):
            inst = ctx.inst_at.get(c.i)
            if inst is not None:
                return inst.name
    if tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children):
        for k in range(tok.i - 1, -1, -1):                 # "the bank" → the bank named before
            inst = ctx.inst_at.get(k)
            if inst is not None and _lem(tok) in inst.name.lower().split():
                return inst.name
    if _lem(tok) in side_nouns():
        for c in tok.children:
            if c.dep_ in ("compound", "amod", "poss") and country_of_token(ctx, c):
                return country_of_token(ctx, c)     # "the Kyrgyz side", "Kazakh diplomats"
    return None


def _subject(ctx, verb) -> str | None:
    for c in verb.children:
        if c.dep_ in ("nsubj",):
            return _agent(ctx, c)
        if c.dep_ == "agent":
            for o in c.children:
                if o.dep_ == "pobj":
                    return _agent(ctx, o)
    if (verb.dep_ in ("xcomp", "conj") or verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN", "VB")) and \
            verb.head.i != verb.i:
        return _subject(ctx, verb.head)         # "X met ..., initiating a new format": X
    return None


def mention_status(ctx, tok, crossings: int = NOUN_CROSSINGS) -> tuple[str | None, str, object]:
    """(status, source, the word that fixed it) from modifiers, then governors (crossing at most
    `crossings` other nouns on the way up: "advance discussions on the treaty")."""
    sw = status_words()
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "advmod", "acl", "nmod") and c.i < tok.i:
            words = [c, *[g for g in c.children if g.dep_ == "advmod"]]
            for w in words:
                s = word_status(w)
                if s == "create":
                    s = "established" if w.tag_ in ("VBN", "VBD") else None
                if s == "start":
                    s = "proposed"
                if s:
                    return s, "word", w
    for c in tok.children:
        if c.i > tok.i and c.dep_ in ("relcl", "acl") and word_status(c) == "existing" and not _aux(c) & (
                FUTURE_AUX | MODAL_AUX):
            return "existing", "word", c          # "the council, which operates since 2019"
    if tok.dep_ == "pobj" and tok.head.lower_ in FRAME_PREPS and \
            (heads().get(_lem(tok)) or heads().get(tok.lower_) or ("", ""))[1] != "document":
        return "existing", "word", tok.head     # "a meeting within the 3+3 platform": a vehicle that works
    cur = tok
    pending_create = future_create = False
    for _ in range(MAX_GOVERNOR_STEPS):
        h = cur.head
        if h.i == cur.i:
            break
        lem = _lem(h)
        s = word_status(h)
        if s in ("agreed", "proposed") and cur.dep_ == "nsubj" and h.pos_ in ("VERB", "AUX"):
            break                                 # "the Council adopted ...": the body acts, it is not adopted
        if s == "existing" and lem != "continue" and _aux(h) & (FUTURE_AUX | MODAL_AUX):
            s = None                              # "will operate": not yet ("will continue": it exists)
        if cur.lower_ == "of" and lem in body_of_words() and not pending_create:
            return "existing", "word", h          # "the next meeting of the commission": a body that meets
        if lem == "call" and not any(c.lower_ in ("for", "on") for c in h.children):
            s = None
        if lem == "put" and not any(c.lower_ == "forward" for c in h.children):
            s = None
        if s == "start":
            s = "established" if cur.i == tok.i and not pending_create and _past_act(h, cur) else "proposed"
        if s == "create":
            s = _create_status(h)
            if s is None:
                pending_create = True
                aux = _aux(h)
                future_create = future_create or bool(aux & PLAN_AUX and not aux & MODAL_AUX and not _conditional(h))
                cur = h
                continue
        if s == "agreed" and h.pos_ == "VERB" and _not_yet(h):
            s = "proposed"                        # "expected to sign", "would be signed during the visit"
        elif s == "agreed" and h.pos_ == "NOUN" and _noun_not_yet(h):
            s = "proposed"                        # "the adoption of the regulations is planned"
        if s:
            return s, "word", h
        if h.pos_ == "VERB" and h.dep_ in ("acl", "relcl") and not pending_create:
            break                                 # "a project supporting the plan was launched": the project was
        if h.pos_ in ("VERB", "AUX"):
            for c in h.children:
                if c.dep_ == "nsubj" and sw.get(_lem(c)) in ("agreed", "proposed"):
                    return sw[_lem(c)], "word", h
            aux = {a.lower_ for a in h.children if a.dep_ in ("aux", "auxpass")}
            if cur.dep_ == "nsubj" and lem in ("meet", "convene", "gather") and not pending_create:
                return "existing", "word", h      # "the Working Party will meet in Geneva": the body exists
            if aux & FUTURE_AUX and (pending_create or cur.dep_ in ("nsubj", "nsubjpass")):
                return ("proposed" if pending_create else "agreed"), "word", h
        elif h.pos_ in ("NOUN", "PROPN") and cur.dep_ not in ("conj", "appos"):
            crossings -= 1
            if crossings < 0:
                break
        cur = h
    if pending_create:
        # "the two companies will set up a working group": a plan stated as fact
        return ("agreed" if future_create else "proposed"), "word", None
    return None, "none", None


def _not_yet(v) -> bool:
    """The act is still to come: "will sign", "would be signed", "is expected to sign", "to be approved"."""
    aux = _aux(v)
    if aux & (FUTURE_AUX | MODAL_AUX | {"would"}):
        return True
    if "to" in aux or v.tag_ == "VB" and v.dep_ == "xcomp":
        return True
    return False


def _past_act(v, obj) -> bool:
    """`v` was done to its object `obj`: "initiated a format", "has initiated", or a participle of a
    past clause ("met on Saturday, initiating a new format")."""
    aux = _aux(v)
    if aux & (FUTURE_AUX | MODAL_AUX | {"would", "to"}):
        return False
    if obj.dep_ == "dobj" and v.tag_ == "VBD":
        return True
    if v.tag_ == "VBN" and obj.dep_ == "dobj" and aux & {"has", "have", "had"}:
        return True             # (a passive "was initiated by X in 2020" names who had the idea: proposed)
    return obj.dep_ == "dobj" and v.tag_ == "VBG" and v.dep_ == "advcl" and v.head.tag_ == "VBD"


@lru_cache(maxsize=1)
def not_yet_words() -> frozenset[str]:
    return load_words("mechanism_not_yet_words", "en")


def _noun_not_yet(n) -> bool:
    """An act named by a noun that is still ahead: "the planned signing", "the adoption of X is planned",
    "the result expected from the talks is the signing of X"."""
    ahead = not_yet_words()
    if any(c.dep_ in ("amod", "compound", "acl") and _lem(c) in ahead for c in n.children):
        return True
    h = n.head
    if n.dep_ in ("nsubj", "nsubjpass") and _lem(h) in ahead:
        return True
    if n.dep_ == "attr":
        return any(c.dep_ == "nsubj" and (_lem(c) in ahead or any(
            g.dep_ in ("amod", "acl") and _lem(g) in ahead for g in c.children)) for c in h.children)
    return False


def _conditional(v) -> bool:
    """"... would be created if funds allow": a condition makes a plan a proposal."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
               for c in v.children)


def _aux(h) -> set[str]:
    return {a.lower_ for a in h.children if a.dep_ in ("aux", "auxpass")}


def _by_agent(ctx, tok) -> str | None:
    """The agent of a passive ("proposed by X") or the owner of a noun ("the proposal of X", "X's idea")."""
    for c in tok.children:
        if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ == "by":
            for o in c.children:
                if o.dep_ == "pobj":
                    return _agent(ctx, o)
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ == "poss":
                who = _agent(ctx, c)
                if who:
                    return who
            if c.dep_ == "prep" and c.lower_ in ("of", "from") and c.i > tok.i:
                for o in c.children:
                    if o.dep_ == "pobj":
                        who = _agent(ctx, o)
                        if who:
                            return who
    return None


def _proposal_noun(ctx, noun) -> str | None:
    """Who a proposal noun belongs to: its owner, else the subject of the verb that carries it."""
    who = _by_agent(ctx, noun)
    if who:
        return who
    h = noun.head
    if noun.dep_ in ("dobj", "nsubjpass", "attr") and h.pos_ in ("VERB", "AUX") and _lem(h) in proposal_words("carrier"):
        return _subject(ctx, h)
    return None


def _initiative_of(ctx, verb) -> str | None:
    """"created at the initiative of X", "on the proposal of X"."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("at", "on", "upon", "following", "after"):
            for o in c.children:
                if o.dep_ == "pobj" and _lem(o) in proposal_words("noun"):
                    who = _by_agent(ctx, o)
                    if who:
                        return who
    return None


def _proposer(ctx, tok, status: str | None, word, end: int) -> str | None:
    doc = ctx.doc
    sent = ctx.sents[ctx.sent_index[tok.i]]
    for c in doc[tok.i:sent.end]:
        if c.idx > end + PROPOSAL_AGENT_REACH:
            break
        if c.dep_ == "acl" and _lem(c) in proposal_words("verb"):
            who = _by_agent(ctx, c)
            if who:
                return who
    if _lem(tok) in proposal_words("noun"):
        who = _by_agent(ctx, tok)
        if who:
            return who
    # the proposal nouns and verbs that govern the mention ("Tokayev's proposal to create ...",
    # "the idea of a hub was put forward by ...", "set up at the initiative of ...")
    cur = tok
    for _ in range(MAX_GOVERNOR_STEPS):
        h = cur.head
        if h.i == cur.i:
            break
        lem = _lem(h)
        if h.pos_ in ("NOUN", "PROPN") and lem in proposal_words("noun"):
            who = _proposal_noun(ctx, h)
            if who:
                return who
        elif h.pos_ in ("VERB", "AUX"):
            who = _initiative_of(ctx, h)
            if who:
                return who
            if lem in proposal_words("verb") and (lem not in ("call", "put") or any(
                    c.lower_ in ("for", "on", "forward") for c in h.children)) or \
                    lem in proposal_words("object") and cur.i == tok.i and cur.dep_ == "dobj":
                who = _subject(ctx, h)
                if who:
                    return who
        cur = h
    if status != "proposed":
        return None
    if word is not None and word.pos_ in ("VERB", "AUX"):
        who = _subject(ctx, word)
        if who:
            return who
    return ctx.people.speaker(ctx.sent_of(tok))


def _under_creation(tok) -> bool:
    """The mention is the thing created: "creating a Business Council", "the establishment of a council"."""
    cur = tok
    for _ in range(MAX_CREATION_STEPS):
        h = cur.head
        if h.i == cur.i or cur.dep_ not in ("dobj", "nsubjpass", "pobj", "prep", "attr", "oprd") or \
                cur.dep_ in ("pobj", "prep") and (cur.head if cur.dep_ == "pobj" else cur).lower_ != "of":
            return False        # "the creation of X", not "a centre at X"
        if status_words().get(_lem(h)) == "create":
            return True
        cur = h
    return False


def _of_members(tok) -> bool:
    """"the Council of Foreign Ministers", "the Council of Heads of State": an organ named by who sits in it."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for o in c.children:
                if o.dep_ == "pobj" and (o.tag_ in ("NNS", "NNPS") and _lem(o) in titles() or
                                         o.lower_.endswith("s") and o.lower_[:-1] in titles()):
                    return True
    return False


def _names_organisation(ctx, start: int, end: int, inst) -> bool:
    """The phrase names an international organisation besides the organ itself ("the Council of Foreign
    Ministers of the OIC", "the EU Foreign Affairs Council", "the CSTO Collective Security Council")."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    if any(o is not None and o is not inst and o.source == "gazetteer" for o in map(ctx.inst_at.get, (t.i for t in span))):
        return True
    words = [t.text for t in span]
    gaz = gazetteer()
    for k in range(len(words)):
        m = gaz.match(words, k)
        if m is not None and m.target.kind == "international" and (m.end - m.start) < len(words):
            return True
    return False


def _in_meeting_name(tok) -> bool:
    """"A meeting of the Moscow format": a format named only inside a meeting's name."""
    h = tok.head
    return _lem(tok) in SERIES_HEADS and tok.dep_ == "pobj" and h.lower_ == "of" and _trigger_noun(h.head)


def _idiom(tok) -> bool:
    h = tok.head
    if _lem(tok) in proposal_words("noun") and tok.dep_ == "pobj" and h.lower_ in ("at", "on", "upon"):
        return True                                   # "at the initiative of Kazakhstan"
    return _lem(tok) in IDIOM_HEADS and tok.dep_ == "pobj" and h.lower_ in ("in", "within", "under")


def mentions(ctx) -> list[Mention]:
    doc = ctx.doc
    out: list[Mention] = []
    for tok in doc:
        if tok.idx < ctx.dateline:
            continue
        h = head_of(ctx, tok)
        if h is None or _idiom(tok) or tok.dep_ == "attr" and any(
                c.dep_ == "nsubj" and head_of(ctx, c) for c in tok.head.children):
            continue            # "the C5+1 format has become the main platform for ...": a description of it
        _, cls = h
        d = description(ctx, tok)
        if d is None:
            continue
        start, end, text, defining = d
        if not defining:
            continue
        status, src, word = mention_status(ctx, tok, 0 if cls in ("weak", "organ", "body") else NOUN_CROSSINGS)
        inst = ctx.inst_at.get(tok.i)
        if inst is not None and inst.source == "gazetteer" and _lem(tok) == "commission" and \
                not INTERGOVERNMENTAL & set(inst.name.lower().split()):
            continue             # the European or the Eurasian Economic Commission: an organ, not a format
        created = _under_creation(tok)
        if inst is not None and _lem(tok) not in NEVER_INSTITUTION and not created and (
                src == "none" or status == "proposed" or inst.source == "gazetteer" and status != "established"):
            continue             # a named organisation, not a vehicle being set up
        if cls == "organ" and not created and (inst is not None and (
                inst.source == "gazetteer" or _names_organisation(ctx, start, end, inst)) or _of_members(tok)):
            continue             # an organ of an international organisation: an institution (guideline 13)
        if src == "none" and _lem(tok) in founding_documents() and _names_organisation(ctx, start, end, None):
            continue             # "the UN Charter": an organisation's founding law
        if cls == "body" and not created:
            continue             # a bank is a mechanism only while it is being set up
        if status is None:
            capital = tok.text[:1].isupper() or any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < tok.i
                                                    for c in tok.children)
            if cls in ("weak", "organ", "body") or (cls == "strong" and not capital and not any(
                    c.dep_ in ("prep", "acl") and c.i > tok.i for c in tok.children)):
                continue
            status, src = ("agreed" if cls == "document" else "existing"), "class"
        words = frozenset(t.lemma_.lower() for t in doc.char_span(start, end, alignment_mode="expand") or []
                          if t.is_alpha and t.lower_ not in STOP_WORDS and t.i != tok.i and not t.is_stop)
        sent = ctx.sents[ctx.sent_index[tok.i]]
        m = Mention(start, end, text, _lem(tok), cls, words, Sentence(sent.start_char, sent.end_char),
                    ctx.sent_index[tok.i], status=MechanismStatus(status) if src == "word" else None,
                    decider=word, token=tok, in_meeting=_in_meeting_name(tok), named=tok.text[:1].isupper(),
                    name=name_key(text), proposer=_proposer(ctx, tok, status, word, end))
        m.refers_back = _bare_reference(m)
        out.append(m)
    # a head inside another mention's phrase is part of it ("the Strategy's Action Plan")
    # ... unless the outer phrase is a proposal ("the initiative of X to establish a fund"): the fund is it
    out = [m for m in out if not (_lem(m.token) in proposal_words("noun") and any(
        inside(o, m) and o.decided for o in out))]
    out = [m for m in out if _amended(m) or not any(inside(m, o) and (o.end - o.start) > (m.end - m.start)
                                                   for o in out)]
    return out


def _amended(m: Mention) -> bool:
    """A named document that another document amends or supplements ("an additional protocol to the
    treaty on water sharing"): a mechanism of its own inside the outer phrase."""
    t = m.token
    return bool(m.words) and t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.i > 0 and \
        heads().get(_lem(t), ("", ""))[1] == "document" and \
        heads().get(_lem(t.doc[t.head.i - 1]), ("", ""))[1] == "document"


@lru_cache(maxsize=1)
def number_marks() -> frozenset[str]:
    return load_words("mechanism_number_marks", "en")


@lru_cache(maxsize=1)
def body_of_words() -> frozenset[str]:
    return load_words("mechanism_body_of_words", "en")


@lru_cache(maxsize=1)
def scope_nouns() -> frozenset[str]:
    return load_words("mechanism_scope_nouns", "en")


@lru_cache(maxsize=1)
def founding_documents() -> frozenset[str]:
    return load_words("mechanism_founding_documents", "en")


@lru_cache(maxsize=1)
def boundary_words() -> frozenset[str]:
    return load_words("mechanism_boundary_words", "en")


@lru_cache(maxsize=1)
def vague_modifiers() -> frozenset[str]:
    return load_words("mechanism_vague_modifiers", "en")


@lru_cache(maxsize=1)
def side_nouns() -> frozenset[str]:
    return load_words("mechanism_side_nouns", "en")


@lru_cache(maxsize=1)
def anaphoric_words() -> frozenset[str]:
    return load_words("mechanism_anaphoric_words", "en")


def _bare_reference(m: Mention) -> bool:
    """A head with only a definite or demonstrative determiner and words that point back: "the fund",
    "this platform", "the new mechanism"; or a predicate of "this"/"it": "This is a plan for 2025"."""
    t = m.token
    if t.dep_ == "attr" and any(c.dep_ == "nsubj" and c.lower_ in ("this", "it", "that") for c in t.head.children):
        return True
    needed = set((heads().get(_lem(t)) or heads().get(t.lower_) or ("", ""))[0].split("|"))
    return not (m.words - anaphoric_words() - needed) and any(
        c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children)    # "the working group"


def name_key(text: str) -> str:
    """A description as a name: lower case, without articles and determiners ("Protocol No. 44")."""
    return " ".join(w for w in text.lower().split() if w not in STOP_WORDS)


def rule_id(decided: bool, status: MechanismStatus) -> str:
    """English rule ids name where the status came from: the text's words, or the head's class."""
    return "en.mechanism.word" if decided else "en.mechanism.class"


# The English choices in the shared steps. Each field is one place where the Russian rules differ
# today (see `MechanismRules` and extraction/ru/mechanisms.py); both were tuned on their own dev
# articles, and unifying one is a behaviour change to measure, not a refactor.
RULES = MechanismRules(
    rule_id=rule_id,
    same_head=operator.eq,              # heads compare by lemma (Russian: also a prefixed compound)
    latest_cluster_first=False,         # the earliest matching mechanism (Russian: the latest)
    subset_min_shared=1,                # one word inside the other's words is enough (Russian: two)
    near_subset=True,                   # "an agreement on the border junction point" / "an agreement
    #                                     between A, B and C on the border junction point" (Russian: off)
    same_name_merges=True,              # "Protocol No. 44" twice, often with no other word (Russian: off)
    bare_refers_back=False,             # only `_bare_reference` mentions point back (Russian: any bare one)
    restatement_sentences=None,         # (Russian: an undecided restatement up to 2 sentences later)
    representative=Representative.FULLEST,      # (Russian: the first mention with words of its own)
    documents_never_established=False,  # (Russian: a document "established" is reported agreed)
    proposer_rule=ProposerRule.FIRST_IN_CLUSTER,    # read at every mention as it is found (Russian: at
    #                                     the deciding mention, lazily)
)


def find_mechanisms(ctx) -> list[MechanismHit]:
    """One `MechanismHit` per mechanism the text proposes, agrees, creates or refers to."""
    return build_hits(mentions(ctx), RULES)
