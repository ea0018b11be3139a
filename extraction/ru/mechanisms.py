"""Proposed mechanisms in Russian text: head nouns in proposal, agreement, creation and
existence contexts, read off natasha's dependency tree.

A head from `mechanism_heads.tsv` ("механизм", "хаб", "план", "дорожная карта") with its
defining complement is a candidate; its status comes from the words that govern it
(`mechanism_status_words.tsv`: "предложил", "важно выработать" → proposed; "подписали",
"принятый", "соглашение о создании" → agreed; "был создан", "одобрили создание" →
established; "в рамках", "будет содействовать" → existing); the proposer is the subject
of the proposal verb or the speaker of the sentence, with posts and pronouns resolved to
the named person. Mentions of one mechanism ("плана совместных действий" twice, "Хаб был
создан") merge into one row in the language-neutral engine (`extraction.engine.mechanisms`),
under the Russian `RULES`. The exported rule `find_mechanisms` is last.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

from natasha import Doc

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
from extraction.hits import InstitutionHit, MechanismHit, Sentence
from extraction.lexicons import load_table, load_words
from extraction.ru.clauses import Tree, feat, lemma, tense
from extraction.ru.context import Context, context
from extraction.ru.meetings import trigger_of
from extraction.ru.nlp import models
from extraction.ru.people import titles
from extraction.ru.places import country, place_at
from schemas import MechanismStatus

# ------------------------------------------------------------------ sub-rules (constants)

ANAPHORIC_DETERMINERS = frozenset({"данный", "этот", "указанный", "упомянутый", "соответствующий", "такой",
                                   "тот", "вышеупомянутый"})
COMPLEMENT_RELS = frozenset({"nmod", "appos", "flat", "flat:name", "nummod"})
DESCRIPTION_SKIP = frozenset({"acl", "acl:relcl", "parataxis", "advcl", "ccomp", "conj", "cc"})
HEAD_LEVEL_SKIP_PREPS = frozenset({"с", "со", "между", "кроме", "без", "при", "из", "от"})
# nouns that carry a proposal and name their author ("предложение Казахстана", "выступил с инициативой")
PROPOSAL_NOUNS = frozenset({"инициатива", "предложение", "призыв", "идея"})
# verbs whose subject owns the proposal noun they govern ("выступил с инициативой", "выдвинул идею")
OWNER_VERBS = frozenset({"выступить", "выступать", "выдвинуть", "выдвигать", "внести", "вносить", "озвучить",
                         "высказать", "представить", "сделать", "предложить", "предлагать", "продвигать"})
# "по словам X", "по мнению X": X says what the sentence says
ATTRIBUTION_NOUNS = frozenset({"слово", "мнение"})
# Limits on how far the grammar reads (the English grammar has the same names, with values for spaCy's trees):
MAX_DESCRIPTION_TOKENS = 22     # a description stops growing here: beyond, it is a clause, not a name
MAX_LEFT_MODIFIER_TOKENS = 4    # a left modifier with more tokens is left out of the description whole
MAX_GOVERNOR_STEPS = 7          # how far up the tree a status word may govern the mention
CONJUNCT_REACH = 2              # "соглашения о визах и соглашения о реадмиссии": the first conjunct within 2 steps
MAX_SUBJECT_STEPS = 3           # "выступил и предложил", "предложил рассмотреть": verbs passed to reach a subject
PROPOSAL_VERB_REACH = 4         # "инициировал подготовку соглашения": a proposal verb this many steps up
PROPOSAL_NOUN_REACH = 7         # "предложение ... о создании ...": a proposal noun this many steps up
QUOTED_NAME_WINDOW = 40         # characters either side searched for the quotes of a short quoted name
MAX_QUOTED_NAME_WORDS = 5       # a quoted name longer than this is a quotation, not a name ("Термез Карго Центр")
# "работа над договором", "работа по созданию": the governing noun is about making it, not about it working
WORK_ON_PREPS = ("над", "по")
# "по инициативе президента" names who initiated, not an initiative
IDIOM_PREPS = {"инициатива": ("по",)}
QUOTES_OPEN = "«\"“„"
QUOTES_CLOSE = "»\"”"


def heads() -> dict[str, tuple[str, str]]:
    """Russian mechanism heads: lemma -> (needs, class)."""
    return head_lexicon("ru")


@lru_cache(maxsize=1)
def proposal_verbs() -> frozenset[str]:
    return load_words("mechanism_proposal_verbs", "ru")


@lru_cache(maxsize=1)
def _generic_determiners() -> frozenset[str]:
    return load_words("mechanism_generic_determiners", "ru")


@lru_cache(maxsize=1)
def _named_documents() -> frozenset[str]:
    return load_words("mechanism_named_documents", "ru")


def status_words() -> dict[str, str]:
    """Russian status words: lemma -> status class."""
    return status_lexicon("ru")


@lru_cache(maxsize=1)
def _lemma_fixes() -> dict[str, str]:
    return {r["wrong"]: r["lemma"] for r in load_table("lemma_fixes", "ru")}


@lru_cache(maxsize=1)
def _head_prefixes() -> frozenset[str]:
    return frozenset(h[:3] for h in heads())


def head_lemma(tok) -> str | None:
    """The token's lemma as a mechanism head, asking pymorphy2 when natasha's lemma is off ("хаба")."""
    lem = lemma(tok)
    if lem in heads():
        return lem
    fixed = _lemma_fixes().get(lem) or _lemma_fixes().get(tok.text.lower())
    if fixed in heads():
        return fixed
    low = tok.text.lower()
    if low[:3] not in _head_prefixes():
        return None
    for p in models().morph_vocab.parse(low):
        nf = p.normal_form.replace("ё", "е")
        if nf in heads() and p.tag.POS == "NOUN":
            return nf
    return None


# ------------------------------------------------------------------ status from the context

def _verb_form(tok) -> str:
    """past | present-passive | future | infinitive | noun | other."""
    if tok.pos not in ("VERB", "AUX", "ADJ"):
        return "noun" if tok.pos in ("NOUN", "PROPN") else "other"
    vf = feat(tok, "VerbForm")
    if vf == "Inf":
        return "infinitive"
    t = tense(tok)
    if vf == "Part" and feat(tok, "Tense") == "Pres" and feat(tok, "Voice") == "Pass":
        return "present-passive"
    if t == "past":
        return "past"
    if t == "future":
        return "future"
    return "other"


SIGNING_VERBS = frozenset({"подписать", "подписывать", "заключить", "утвердить", "одобрить", "ратифицировать"})


@dataclass
class Status:
    status: str | None = None
    source: str = "none"        # word | default
    decider: object | None = None


def _negated(tree: Tree, verb) -> bool:
    return any(c.text.lower() in ("не", "ни") for c in tree.kids(verb, "advmod", "discourse", "aux"))


def context_status(tree: Tree, tok) -> Status:
    """The status the words governing `tok` give it; a negated agreement or creation ("не
    договорились о создании", "пока не создан") leaves the mechanism a proposal."""
    st = _context_status(tree, tok)
    d = st.decider
    if d is not None and st.status in ("agreed", "established") and d.pos in ("VERB", "AUX", "ADJ") and \
            _negated(tree, d):
        return Status("proposed", st.source, d)
    return st


def _context_status(tree: Tree, tok) -> Status:
    """The status the words governing `tok` give it (first decisive word up the tree)."""
    words = status_words()
    pending: str | None = None          # "create" (a creation noun/infinitive waiting for its governor)
    fallback = Status()                 # an "existing" modifier ("действующий") unless a governor decides
    for c in _modifiers(tree, tok):
        v = words.get(lemma(c))
        if v is None:
            continue
        form = _verb_form(c)
        if v in ("create", "draft"):
            if form == "present-passive":
                return Status("agreed", "word", c)
            if form == "past":
                return Status("established" if v == "create" else "agreed", "word", c)
            continue
        if v in ("proposed", "agreed", "established"):
            return Status(v, "word", c)
        if v == "approve" and c.pos == "VERB":    # "программа, которую лидеры одобрили"
            return Status("agreed", "word", c)
        if v == "existing":
            fallback = Status(v, "word", c)
    if feat(tok, "Case") == "Gen" and _after_meeting_noun(tree, tok):
        return Status("existing", "word", None)
    cur = tok
    for _ in range(MAX_GOVERNOR_STEPS):
        h = tree.head(cur)
        if h is None:
            break
        if cur.rel == "conj":
            first = next((a for a in [h, *tree.ancestors(h, CONJUNCT_REACH)] if head_lemma(a) is not None), None)
            if first is not None:
                cur = first     # "соглашения о визах и соглашения о реадмиссии": the first conjunct's governor decides
                continue
        v = words.get(lemma(h))
        if v is None and h.pos == "VERB" and any(words.get(lemma(c)) == "discuss" for c in tree.kids(h, "nsubj")):
            v = "discuss"       # "речь шла о создании совета"
        if v == "existing" and h.pos == "NOUN" and tree.has_case(cur, *WORK_ON_PREPS):
            v = None        # "работа над договором": a draft, not a working body
        form = _verb_form(h)
        if cur is tok and tok.rel == "nmod" and v is None and feat(tok, "Case") == "Gen" and \
                trigger_of(tree, h) is not None:
            return Status("existing", "word", h)     # "заседание комиссии": the body meets, so it exists
        if v == "established" and (form == "future" or _future_aux(tree, h)):
            v = "agreed"                             # "центр начнет работу в следующем году"
        if lemma(h) in SIGNING_VERBS and (v == "agreed" or v == "approve") and \
                (form in ("future", "infinitive") or _future_aux(tree, h) or _negated(tree, h)):
            return Status("proposed", "word", h)     # «будет подписан», «планируют подписать», «не подписан»
        if v is not None:
            if v in ("create", "draft"):
                if form == "present-passive" or form == "future" or (form == "past" and _future_aux(tree, h)):
                    return Status("agreed", "word", h)  # "будет создана", "создаваемый"
                if form == "past":
                    return Status("established" if v == "create" else "agreed", "word", h)
                pending = pending or ("create-" if v == "create" else "draft-") + form
            elif v == "sign":
                pending = pending or "sign"
            elif v == "modal":
                if pending:
                    return Status("proposed", "word", h)
            elif v == "approve":
                return Status("established" if pending == "create-noun" else "agreed", "word", h)
            elif v == "discuss":
                if pending:
                    return Status("proposed", "word", h)
                break
            elif v == "agreed" and pending and pending.startswith("draft-"):
                return Status("proposed", "word", h)   # "договорились подготовить меморандум": a draft
            elif v in ("proposed", "agreed") or not pending:
                return Status(v, "word", h)
            elif v == "existing" and pending:
                break
        elif h.pos in ("VERB", "AUX") and cur.rel != "conj" and feat(h, "VerbForm") != "Inf":
            break
        if h.rel in ("parataxis", "ccomp", "root") and h.pos in ("VERB", "AUX") and v is None:
            break
        cur = h
    if pending == "create-noun":
        return Status("proposed", "word", None)
    if pending in ("create-infinitive", "draft-infinitive"):
        return Status("proposed", "word", None)
    if pending == "sign":
        return Status("agreed", "word", None)
    return fallback


def _agrees(a, b) -> bool:
    """Number and case agree; gender too, Masc and Neut alike (the tagger guesses between "принятого" forms)."""
    ga, gb = (feat(a, "Gender") or "").replace("Neut", "Masc"), (feat(b, "Gender") or "").replace("Neut", "Masc")
    return all(feat(a, k) == feat(b, k) for k in ("Number", "Case") if feat(a, k) and feat(b, k)) and \
        (feat(a, "Number") == "Plur" or not ga or not gb or ga == gb)


def _modifiers(tree: Tree, tok) -> list:
    """The head's modifiers that may decide it: its amod/acl/relcl kids, a participle only when it
    agrees with the head, and an agreeing participle the parser hung elsewhere right after the
    head's phrase ("плана действий на 2025–2027 годы, принятого ...")."""
    out = []
    for c in tree.kids(tok, "amod", "acl", "acl:relcl"):
        if feat(c, "VerbForm") == "Part" and not _agrees(c, tok):
            continue
        out.append(c)
    if feat(tok, "Case"):
        end = max(tree.pos[t.id] for t in tree.subtree(tok, skip=DESCRIPTION_SKIP))
        if end + 2 < len(tree.tokens) and tree.tokens[end + 1].text == ",":
            nxt = tree.tokens[end + 2]
            if feat(nxt, "VerbForm") == "Part" and tree.head(nxt) is not tok and _agrees(nxt, tok) and \
                    tree.sentence(nxt) is tree.sentence(tok):
                out.append(nxt)
    return out


def _after_meeting_noun(tree: Tree, tok) -> bool:
    """A genitive right after a meeting noun the parser hung elsewhere: "заседание <комиссии> прошло"."""
    lo = tree.pos[tok.id]
    while lo > 0 and tree.tokens[lo - 1].pos == "ADJ" and tree.head(tree.tokens[lo - 1]) is tok:
        lo -= 1
    if lo == 0:
        return False
    prev = tree.tokens[lo - 1]
    return prev.pos == "NOUN" and tree.head(tok) is not prev and trigger_of(tree, prev) is not None and \
        tree.sentence(prev) is tree.sentence(tok)


def _future_aux(tree: Tree, verb) -> bool:
    return any(tense(a) == "future" or a.text.lower() in ("будет", "будут") for a in tree.kids(verb, "aux", "aux:pass"))


# ------------------------------------------------------------------ description

def description(tree: Tree, tok) -> tuple[int, int, str, list]:
    toks = [tok]
    for c in tree.kids(tok):
        left = tree.pos[c.id] < tree.pos[tok.id]
        if left and c.rel in ("amod", "nummod"):
            if lemma(c) in ANAPHORIC_DETERMINERS:
                continue
            sub = tree.subtree(c, skip=DESCRIPTION_SKIP)
            if len(sub) <= MAX_LEFT_MODIFIER_TOKENS:
                toks.extend(sub)
        elif not left and c.rel in COMPLEMENT_RELS:
            if tree.has_case(c, *HEAD_LEVEL_SKIP_PREPS):
                continue
            toks.extend(tree.subtree(c, skip=DESCRIPTION_SKIP))
    # a defining participle of the head or of its complement: "сеть хабов, связанных с сухими портами"
    for t in list(toks):
        if t.pos not in ("NOUN", "PROPN"):
            continue
        for c in tree.kids(t, "acl"):
            if feat(c, "VerbForm") == "Part" and tree.pos[c.id] > tree.pos[t.id]:
                toks.extend(tree.subtree(c, skip=DESCRIPTION_SKIP))
    present = {tree.pos[t.id] for t in toks}
    lo = hi = tree.pos[tok.id]
    while lo - 1 in present:
        lo -= 1
    while hi + 1 in present and hi - lo + 1 < MAX_DESCRIPTION_TOKENS:
        hi += 1
    # "Меморандумом <о взаимопонимании ...>": an "о" complement right after the head the parser hung on the verb
    if hi + 2 < len(tree.tokens) and tree.tokens[hi + 1].text.lower() in ("о", "об"):
        noun = tree.tokens[hi + 2]
        if noun.pos == "NOUN" and feat(noun, "Case") == "Loc" and tree.head(noun) is not tok and \
                tree.sentence(noun) is tree.sentence(tok):
            sub = {tree.pos[x.id] for x in tree.subtree(noun, skip=DESCRIPTION_SKIP)}
            present |= sub | {hi + 1}
            while hi + 1 in present and hi - lo + 1 < MAX_DESCRIPTION_TOKENS:
                hi += 1
    # a genitive complement the parser hung elsewhere, with its own complements
    sent_stop = tree.sentence(tok).stop
    j = hi + 1
    while j < len(tree.tokens) and tree.tokens[j].stop <= sent_stop and j - lo < MAX_DESCRIPTION_TOKENS:
        t = tree.tokens[j]
        if t.pos not in ("ADJ", "NOUN", "PROPN") or feat(t, "Case") != "Gen":
            break
        if t.pos != "ADJ":
            hi = j
            for c in tree.kids(t):
                if c.rel in COMPLEMENT_RELS and tree.pos[c.id] > j:
                    present.update(tree.pos[x.id] for x in tree.subtree(c, skip=DESCRIPTION_SKIP))
            while hi + 1 in present and hi - lo + 1 < MAX_DESCRIPTION_TOKENS:
                hi += 1
            j = hi
        j += 1
    seq = tree.tokens[lo:hi + 1]
    while len(seq) > 1 and seq[-1].pos in ("PUNCT", "ADP", "CCONJ"):
        seq = seq[:-1]
    while len(seq) > 1 and seq[0].pos in ("PUNCT", "ADP", "CCONJ", "SCONJ", "PART"):
        seq = seq[1:]
    seq = _balanced(tree, seq)
    start, end = seq[0].start, seq[-1].stop
    return start, end, tree.doc.text[start:end], seq


BRACKETS = (("(", ")"), ("«", "»"), ("[", "]"))


def _balanced(tree: Tree, seq: list) -> list:
    """Close a bracket or quote the description opens ("маршрута (ТМТМ" → "маршрута (ТМТМ)") when the
    closing one comes next, else cut the description before the unclosed opening."""
    for op, cl in BRACKETS:
        texts = [t.text for t in seq]
        if texts.count(op) <= texts.count(cl):
            continue
        nxt = tree.pos[seq[-1].id] + 1
        if nxt < len(tree.tokens) and tree.tokens[nxt].text == cl and texts.count(op) == texts.count(cl) + 1:
            seq = seq + [tree.tokens[nxt]]
            continue
        last = max(i for i, x in enumerate(texts) if x == op)
        if last > 0:
            seq = seq[:last]
            while len(seq) > 1 and seq[-1].pos in ("PUNCT", "ADP", "CCONJ"):
                seq = seq[:-1]
    return seq


def _has_complement(tree: Tree, tok, ctx: Context) -> bool:
    for c in tree.kids(tok):
        if c.rel in COMPLEMENT_RELS and not tree.has_case(c, *HEAD_LEVEL_SKIP_PREPS):
            if c.id in ctx.loc_spans and tree.has_case(c, "в", "во"):
                continue
            return True
        if c.rel == "amod" and lemma(c) not in ANAPHORIC_DETERMINERS and tree.pos[c.id] < tree.pos[tok.id]:
            return True
    return False


def _anaphoric(tree: Tree, tok) -> bool:
    return any(lemma(c) in ANAPHORIC_DETERMINERS for c in tree.kids(tok, "amod", "det"))


# ------------------------------------------------------------------ mentions

def _inside_name(ctx: Context, tok) -> bool:
    """The head is a word inside a proper name: a dependent inside an organisation's name
    ("Организации Договора о коллективной безопасности") or inside a short quoted name
    ("Термез Карго Центр")."""
    tree = ctx.tree
    inst = ctx.inst_at.get(tok.id)
    h = tree.head(tok)
    if inst is not None and h is not None and ctx.inst_at.get(h.id) is inst and inst.start < tok.start:
        return True
    sent = tree.sentence(tok)
    text = tree.doc.text
    left = text[max(sent.start, tok.start - QUOTED_NAME_WINDOW):tok.start]
    right = text[tok.stop:min(sent.stop, tok.stop + QUOTED_NAME_WINDOW)]
    lo = max(left.rfind(q) for q in QUOTES_OPEN)
    if lo >= 0 and not any(q in left[lo + 1:] for q in "»”") and tok.text[:1].isupper():
        close = min((right.find(q) for q in QUOTES_CLOSE if right.find(q) >= 0), default=-1)
        if close >= 0 and len((left[lo + 1:] + right[:close]).split()) <= MAX_QUOTED_NAME_WORDS:
            return True
    return False


LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-–—•*·])\s")
INTRO_STATUS = {"agreed": "agreed", "approve": "agreed", "sign": "agreed", "proposed": "proposed"}
MAX_LIST_LINES = 12             # lines a list item reads back to the line (ending in ":") that introduces it


def _list_intro_status(tree: Tree, tok) -> Status | None:
    """An item of a list ("1. Создание рабочей группы ...") under a line that ends with a colon
    takes its status from that line's verb ("Главы государств утвердили:" → agreed)."""
    text = tree.doc.text
    lo = text.rfind("\n", 0, tok.start) + 1
    if not LIST_ITEM.match(text[lo:tok.start + 1]):
        return None
    for _ in range(MAX_LIST_LINES):
        if lo == 0:
            return None
        prev = text.rfind("\n", 0, lo - 1) + 1
        line = text[prev:lo - 1]
        if line.rstrip().endswith(":"):
            words = status_words()
            for t in tree.tokens:
                if prev <= t.start < lo and t.pos in ("VERB", "NOUN", "ADJ"):
                    v = INTRO_STATUS.get(words.get(lemma(t), ""))
                    if v:
                        return Status(v, "word", t)
            return None
        if not LIST_ITEM.match(line) and line.strip():
            return None
        lo = prev
    return None


# "Совет глав государств", "Совет глав правительств": organs of an organisation (policy 13), not a council of regions
ORGAN_LEVELS = frozenset({"государство", "правительство"})


def _has_needed(tree: Tree, tok, needs: list[str]) -> bool:
    """The head carries a needed adjective ("рабочая группа"), or a needed genitive ("nmod:глава":
    "Совет глав регионов", "Совет глав приграничных областей"), not one of heads of state or government."""
    if any(lemma(c) in needs for c in tree.kids(tok, "amod")):
        return True
    for c in tree.kids(tok, "nmod"):
        if "nmod:" + lemma(c) in needs and feat(c, "Case") == "Gen" and not tree.has_case(c, *HEAD_LEVEL_SKIP_PREPS):
            i = tree.pos[c.id] + 1
            nxt = tree.tokens[i] if i < len(tree.tokens) else c
            return not any(lemma(g).split("-")[0] in ORGAN_LEVELS for g in [nxt, *tree.kids(c, "nmod")])
    return False


def _capitalised_inside(tree: Tree, tok) -> bool:
    """Written with a capital letter and not first in its sentence: a name."""
    return tok.text[:1].isupper() and tree.sentence(tok).start < tok.start


def _carries_creation(tree: Tree, tok) -> bool:
    """A proposal noun whose complement is a creation ("инициатива создать", "предложение о создании")."""
    return any(feat(c, "VerbForm") == "Inf" or status_words().get(lemma(c)) == "create"
               for c in tree.kids(tok, "nmod", "acl", "xcomp", "ccomp"))


def _in_meeting_name(tree: Tree, tok) -> bool:
    h = tree.head(tok)
    return h is not None and tok.rel in ("nmod", "conj") and trigger_of(tree, h) is not None


@lru_cache(maxsize=1)
def _predicate_verbs() -> frozenset[str]:
    return load_words("mechanism_predicate_verbs", "ru")


def _predicate_noun(tree: Tree, tok) -> bool:
    """The noun is the instrumental predicate of "являться", "стать", "служить"... ("является
    площадкой", "станет платформой"), not a mechanism someone proposes or creates."""
    h = tree.head(tok)
    return feat(tok, "Case") == "Ins" and h is not None and lemma(h) in _predicate_verbs() and \
        not tree.has_case(tok, "с", "со", "между", "над", "под", "перед", "за")


def mentions(ctx: Context) -> list[Mention]:
    tree = ctx.tree
    lexicon = heads()
    out: list[Mention] = []
    for tok in tree.tokens:
        if tok.start < ctx.dateline or tok.pos not in ("NOUN", "PROPN"):
            continue
        lem = head_lemma(tok)
        entry = lexicon.get(lem) if lem else None
        if entry is None:
            continue
        needs, cls = entry
        if cls == "never":
            continue
        if cls == "weak" and lem in _named_documents() and _capitalised_inside(tree, tok):
            cls = "document"
        if needs == "Заглавная" and not tok.text[:1].isupper():
            continue  # «Концепция сотрудничества ...» is a named document; «концепцию консорциума» is not
        if needs and needs != "Заглавная" and not _has_needed(tree, tok, needs.split("|")):
            continue
        in_meeting = _in_meeting_name(tree, tok)
        if in_meeting and (cls in ("weak", "document") or lem in ("группа", "подгруппа")):
            continue  # policy 6: a format used only inside a meeting's name («заседание Специальной рабочей группы»)
        if _inside_name(ctx, tok):
            continue
        if feat(tok, "Number") == "Plur" and any(lemma(c) in _generic_determiners()
                                                for c in tree.kids(tok, "amod", "det")):
            continue    # "других двусторонних механизмов": a generic reference
        if lem in IDIOM_PREPS and tree.has_case(tok, *IDIOM_PREPS[lem]):
            continue
        if _predicate_noun(tree, tok):
            continue    # "форум является хорошей площадкой для ...": what something else is
        if lem in PROPOSAL_NOUNS and _carries_creation(tree, tok):
            continue    # "выступила с инициативой создать фонд": the proposal of another mechanism
        st = context_status(tree, tok)
        if st.decider is None:
            st = _list_intro_status(tree, tok) or st
        weak = cls == "weak" or (tok.id in ctx.inst_at and cls != "document")
        latent = weak and st.source != "word"
        if tok.id in ctx.loc_spans and place_at(tree, tok, ctx.loc_spans):
            continue
        start, end, text, seq = description(tree, tok)
        stems = frozenset(lemma(t) for t in seq if t.id != tok.id and t.pos in ("NOUN", "PROPN", "ADJ", "NUM"))
        sent = tree.sentence(tok)
        # a weak head with no context is latent: a row only if another mention decides it
        out.append(Mention(start, end, text, lem, cls, stems, Sentence(sent.start, sent.stop), tree.sent_index(tok),
                           status=MechanismStatus(st.status) if st.source == "word" else None, decider=st.decider,
                           token=tok, refers_back=_anaphoric(tree, tok), latent=latent))
    _coordinated(tree, out)
    return out


CASE_PAIRS = ({"Nom", "Acc"},)


def _coordinated(tree: Tree, ms: list[Mention]) -> None:
    """A mention the parser cut from its governor takes the status of the mention it is
    coordinated with ("предложил создать торговые дома в Баку и деловой совет"): "и" or a comma
    right before it, the earlier mention in the same sentence, no verb in between, cases alike."""
    for prev, m in zip(ms, ms[1:], strict=False):
        if m.decided or not prev.decided or prev.end > m.start:
            continue
        if tree.sentence(prev.token) is not tree.sentence(m.token):
            continue
        lo, hi = tree.pos[prev.token.id], tree.pos[m.token.id]
        between = [t for t in tree.tokens[lo + 1:hi] if t.start >= prev.end and t.stop <= m.start]
        if not between or between[-1].text not in ("и", ",") or \
                any(t.pos in ("VERB", "AUX") or t.text in (";", ":", "—", "–") for t in between):
            continue
        ca, cb = feat(prev.token, "Case"), feat(m.token, "Case")
        if ca and cb and ca != cb and not any({ca, cb} <= p for p in CASE_PAIRS):
            continue
        m.status, m.decider = prev.status, prev.decider
        m.latent = False


def same_head(a: str, b: str) -> bool:
    """Russian heads compare by ending: a prefixed compound is its base ("подгруппа" / "группа",
    "мегахаб" / "хаб")."""
    return a == b or a.endswith(b) or b.endswith(a)


# ------------------------------------------------------------------ proposer

@lru_cache(maxsize=1)
def _seats() -> dict[str, str]:
    """Capitals and seats of government standing for their country ("Москва выступает", "Кремль предложил")."""
    out = {}
    for r in load_table("places", "ru"):
        if r["form"].startswith("столица ") or r["type"] == "venue":
            if r["country"]:
                out[r["name"]] = r["country"]
                out[r["form"]] = r["country"]
    return out


def _name_of(ctx: Context, tok, seats: bool = False) -> str | None:
    name = ctx.people.agent(tok, posts=True)
    if name:
        return name
    inst = ctx.inst_at.get(tok.id)
    if inst is not None:
        return inst.name
    if lemma(tok) in titles():      # a post nobody was named with: its body, else its country
        name = _post_owner(ctx, tok)
        if name:
            return name
    p = place_at(ctx.tree, tok, ctx.loc_spans)
    if p is not None and p.kind == "country":
        return p.name
    if p is not None and seats:
        cn = _seats().get(p.name) or _seats().get(lemma(tok))
        if cn:
            return cn
    if lemma(tok) == "сторона":
        for c in ctx.tree.kids(tok, "amod"):
            cn = country(lemma(c))
            if cn:
                return cn
    return None


def _post_owner(ctx: Context, tok) -> str | None:
    """The body or country of an unnamed post ("министр иностранных дел Казахстана" → Казахстан,
    "глава МИД России" → МИД России)."""
    tree = ctx.tree
    for c in tree.subtree(tok, skip=("acl", "acl:relcl", "conj", "parataxis", "appos")):
        if c is tok:
            continue
        inst = ctx.inst_at.get(c.id)
        if inst is not None:
            return ctx.inst_name(inst)
    for c in tree.subtree(tok, skip=("acl", "acl:relcl", "conj", "parataxis", "appos")):
        if c is not tok and c.pos in ("PROPN", "NOUN", "ADJ"):
            cn = country(lemma(c))
            if cn:
                return cn
    return None


def _subject(ctx: Context, verb) -> str | None:
    """The named subject of a proposal verb, looking through "выступил и предложил", "предложил рассмотреть"."""
    tree = ctx.tree
    cur = verb
    for _ in range(MAX_SUBJECT_STEPS):
        subj = tree.kids(cur, "nsubj")
        if subj and lemma(subj[0]) == "который" and cur.rel == "acl:relcl" and tree.head(cur) is not None:
            return _name_of(ctx, tree.head(cur), seats=True)   # «Юлдашевым, который предложил ...»: the antecedent
        if subj:
            return _name_of(ctx, subj[0], seats=True)
        h = tree.head(cur)
        if h is None or cur.rel not in ("conj", "xcomp") or h.pos not in ("VERB", "AUX"):
            return None
        cur = h
    return None


def _owner(ctx: Context, noun) -> str | None:
    """Who a proposal noun belongs to: "предложение Казахстана", "казахстанская инициатива",
    "по инициативе президента", "выступил с инициативой"."""
    tree = ctx.tree
    for c in tree.kids(noun, "nmod", "appos"):
        if tree.has_case(c, "о", "об", "по", "в", "на", "с", "со"):
            continue
        name = _name_of(ctx, c)
        if name:
            return name
    for c in tree.kids(noun, "amod"):
        cn = country(lemma(c))
        if cn:
            return cn
    h = tree.head(noun)
    if h is not None and h.pos == "VERB" and lemma(h) in OWNER_VERBS and noun.rel in ("obj", "obl"):
        return _subject(ctx, h)
    return None


def explicit_proposer(ctx: Context, m: Mention) -> str | None:
    """A proposer the text states outright: the subject of the proposal verb that decides the
    mention, the author of a proposal noun governing it, or "по инициативе X" in its sentence."""
    tree = ctx.tree
    d = m.decider
    if d is not None and d.pos == "VERB" and lemma(d) in proposal_verbs():
        name = _subject(ctx, d)
        if name:
            return name
    for a in tree.ancestors(m.token, PROPOSAL_VERB_REACH):     # "инициировал подготовку соглашения", "планирует создать совет"
        if a.pos in ("VERB", "AUX") and lemma(a) in proposal_verbs():
            name = _subject(ctx, a)
            if name:
                return name
            break
        if a.pos in ("VERB", "AUX") and feat(a, "VerbForm") != "Inf":
            break
    for a in [d] + list(tree.ancestors(m.token, PROPOSAL_NOUN_REACH)):
        if a is not None and a.pos == "NOUN" and lemma(a) in PROPOSAL_NOUNS and not tree.has_case(a, "по"):
            name = _owner(ctx, a)
            if name:
                return name
    for t in tree.sentence(m.token).tokens:
        if lemma(t) in PROPOSAL_NOUNS and tree.has_case(t, "по"):     # "по инициативе X", "по предложению X"
            name = _owner(ctx, t)
            if name:
                return name
    return None


def _unnamed_post_proposes(ctx: Context, m: Mention) -> bool:
    """The proposal verb's subject is a post nobody was named with ("Глава государства предложил"):
    the speaker lookup would read the post as whoever was named last."""
    d = m.decider
    if d is None or d.pos != "VERB" or lemma(d) not in proposal_verbs():
        return False
    return any(lemma(c) in titles() for c in ctx.tree.kids(d, "nsubj"))


def proposer(ctx: Context, m: Mention) -> str | None:
    name = explicit_proposer(ctx, m)
    if name:
        return name
    tree = ctx.tree
    si = tree.sent_index(m.token)
    if not _unnamed_post_proposes(ctx, m):
        name = ctx.people.speaker(si, posts=True)
        if name:
            return name
        tok = ctx.people.speaker_token(si)
        if tok is not None and lemma(tok) in titles():
            name = _post_owner(ctx, tok)     # "— сказал глава МИД Киргизии", nobody named: the body or country
            if name:
                return name
    for t in tree.sentence(m.token).tokens:
        if lemma(t) in ATTRIBUTION_NOUNS and tree.has_case(t, "по"):
            for c in tree.kids(t, "nmod"):
                name = _name_of(ctx, c)
                if name:
                    return name
    return None


# ------------------------------------------------------------------ the exported rule

def rule_id(decided: bool, status: MechanismStatus) -> str:
    """Russian rule ids name the status the words decided ("ru.mechanism.proposed"), else the head alone."""
    return f"ru.mechanism.{status}" if decided else "ru.mechanism.head"


# The Russian choices in the shared steps. Each field is one place where the English rules differ
# today (see `MechanismRules` and extraction/en/mechanisms.py); both were tuned on their own dev
# articles, and unifying one is a behaviour change to measure, not a refactor.
RULES = MechanismRules(
    rule_id=rule_id,
    same_head=same_head,                # "подгруппа" / "группа" (English: the same lemma only)
    latest_cluster_first=True,          # the latest matching mechanism (English: the earliest)
    subset_min_shared=2,                # a word inside the other's words needs a second shared one
    #                                     (the stems include adjectives and numbers; English: one)
    near_subset=False,                  # (English: 3 shared words, 2/3 of the shorter description)
    same_name_merges=False,             # (English: a capitalised title repeated verbatim)
    bare_refers_back=True,              # "группа" alone is always the group named before, dropped when
    #                                     none was (English: only "the/this/that" + head and words that point
    #                                     back; a bare capitalised "Protocol" is a mechanism of its own)
    restatement_sentences=2,            # "предложил запустить единую цифровую платформу ...
    #                                     «Единая платформа ... позволит»" (English: off)
    representative=Representative.FIRST_OWN_WORDS,  # (English: the fullest, a deciding one first)
    documents_never_established=True,   # "создан в соответствии с Меморандумом": the body is set up, not
    #                                     the document (English: no such correction)
    proposer_rule=ProposerRule.DECIDING_MENTION,    # asked lazily at assembly: the people lookup
    #                                     (`last_speaker_before`) answers by what it was asked before
)


def _nested(ms: list[Mention]) -> list[Mention]:
    """Drop a weak head inside another mechanism's description when what decides it lies outside
    that description ("дорожную карту по развитию коридора": the corridor is not signed)."""
    out = []
    for m in ms:
        outer = next((o for o in ms if inside(m, o) and not o.bare), None)
        if outer is not None and m.head_class == "weak":
            d = m.decider
            if d is None or not (outer.start <= d.start < outer.end):
                continue
        out.append(m)
    return out


def find_mechanisms(doc: Doc, institutions: list[InstitutionHit], published: date | None = None
                    ) -> list[MechanismHit]:
    """One `MechanismHit` per mechanism the text proposes, agrees on, creates or refers to."""
    ctx = context(doc, institutions, published)
    return build_hits(_nested(mentions(ctx)), RULES, proposer=partial(proposer, ctx),
                      stated_proposer=partial(explicit_proposer, ctx))
