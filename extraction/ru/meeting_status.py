"""Status of a meeting mention (past | ongoing | planned) from its modifiers ("предстоящий"),
the words right before it ("накануне визита"), and the tense of the verbs governing it; a
conditional ("провели бы") makes the mention hypothetical.
"""
from __future__ import annotations

from extraction.ru.clauses import Tree, feat, lemma, tense
from extraction.ru.meeting_lexicon import status_words
from extraction.ru.people import speech_verbs

# the tense of the verb that tells a meeting dates it: held, under way, planned
STATUS_OF_TENSE = {"past": "past", "present": "ongoing", "future": "planned"}
# ... but one who has arrived ("прибыл с визитом") is there now: the visit is under way
ARRIVAL_STATUS_OF_TENSE = {"past": "ongoing", "present": "ongoing", "future": "planned"}


def status_of_word(tok) -> str | None:
    """The status a status word gives (`meeting_status_words.tsv`); a verb's by its tense."""
    val = status_words().get(lemma(tok))
    if val is None:
        return None
    if val in ("past", "ongoing", "planned"):
        return val
    t = tense(tok)
    if val == "arrive":
        return ARRIVAL_STATUS_OF_TENSE.get(t or "")
    return STATUS_OF_TENSE.get(t or "")


FUTURE_AUX = frozenset({"буду", "будешь", "будет", "будем", "будете", "будут"})


def _future_aux(tree: Tree, verb) -> bool:
    """"будут рассмотрены", "будет проводиться": the auxiliary makes the form future."""
    return any(a.text.lower() in FUTURE_AUX for a in tree.kids(verb, "aux", "aux:pass"))


def _hypothetical(tree: Tree, tok) -> bool:
    return any(c.text.lower() == "бы" for c in tree.kids(tok))


def _left_context(tree: Tree, tok) -> str | None:
    """A status word right before the trigger's phrase ("в преддверии визита", "накануне саммита")."""
    i = tree.pos[tok.id] - 1
    while i >= 0 and tree.tokens[i].pos in ("ADJ", "DET", "NUM") and i > tree.pos[tok.id] - 5:
        i -= 1
    if i < 0:
        return None
    t = tree.tokens[i]
    if t.pos in ("NOUN", "ADV", "ADP") and status_words().get(lemma(t)) in ("past", "ongoing", "planned"):
        return status_words()[lemma(t)]
    return None


def _speech_after_quote(tree: Tree, tok, verb) -> bool:
    """`verb` is the speech verb after a quotation that holds `tok` (its tense dates the quote, not the event)."""
    if lemma(verb) not in speech_verbs() or tree.pos[verb.id] < tree.pos[tok.id]:
        return False
    between = tree.doc.text[tok.stop:verb.start]
    return any(q in between for q in "»\"”")


def _root_tense(tree: Tree, tok) -> str | None:
    for t in tree.sentence(tok).tokens:
        if t.rel == "root":
            tt = tense(t)
            if tt is None:
                aux = [a for a in tree.kids(t, "aux", "aux:pass", "cop") if tense(a)]
                tt = tense(aux[0]) if aux else None
            return tt
    return None


def mention_status(tree: Tree, tok) -> tuple[str | None, str, bool]:
    """(status, source, hypothetical) from the trigger's modifiers and its governors."""
    for c in tree.kids(tok, "amod", "acl", "acl:relcl", "det"):
        s = status_of_word(c)
        if s:
            return s, "word", False
    s = _left_context(tree, tok)
    if s:
        return s, "word", False
    for t in tree.subtree(tok, skip=("parataxis",)):
        if t.rel == "acl:relcl" and t.id != tok.id and any(lemma(c) in ("который",) for c in tree.kids(t)):
            s = status_of_word(t)
            if s:
                return s, "word", False
    cur = tok
    for _ in range(6):
        h = tree.governor(cur)
        if h is None:
            break
        if _hypothetical(tree, h):
            return None, "none", True
        s = status_of_word(h)
        if s:
            return s, "word", False
        if h.pos in ("VERB", "AUX") and _speech_after_quote(tree, tok, h):
            t = _root_tense(tree, tok)
            if t:
                return STATUS_OF_TENSE[t], "tense", False
            break
        if h.pos in ("VERB", "AUX"):
            t = "future" if _future_aux(tree, h) else tense(h)
            if t is None and feat(h, "VerbForm") == "Inf":
                cur = h
                continue
            if t is None and h.pos == "VERB":
                aux = [a for a in tree.kids(h, "aux", "aux:pass") if tense(a)]
                t = tense(aux[0]) if aux else None
            if t:
                return STATUS_OF_TENSE[t], "tense", False
        if h.rel in ("root", "parataxis", "ccomp") and h.pos in ("VERB", "AUX"):
            break
        cur = h
    return None, "none", False


def verb_status(tree: Tree, tok) -> tuple[str | None, str, bool]:
    """(status, source, hypothetical) of a trigger verb: its own tense, else as for a noun."""
    if _hypothetical(tree, tok):
        return None, "none", True
    t = tense(tok)
    if t:
        return STATUS_OF_TENSE[t], "tense", False
    return mention_status(tree, tok)

