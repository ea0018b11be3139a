"""Attributes of a meeting mention read off the tree: the trigger phrase (its name), the
region of the tree that speaks about it, and the date, place and participants found there.
"""
from __future__ import annotations

from functools import lru_cache

from extraction.engine.meetings import ParticipantList
from extraction.hits import ParticipantHit
from extraction.lexicons import load_words
from extraction.ru.clauses import Tree, feat, lemma
from extraction.ru.context import Context
from extraction.ru.dates import resolve
from extraction.ru.meeting_lexicon import (
    ARGUMENT_RELS,
    CONNECTOR_NOUNS,
    FIRST_PERSON,
    MAX_NAME_TOKENS,
    NAME_RELS,
    NAME_SKIP,
    PARTICIPANT_KEY,
    PLACE_PREPS,
    trigger_of,
)
from extraction.ru.people import speech_verbs, titles
from extraction.ru.places import Place, compound_countries, country, place_at
from schemas import InstitutionKind, ParticipantType

PRESENCE_NOUNS = frozenset({"председательство", "участие", "присутствие"})


@lru_cache(maxsize=1)
def _person_nouns() -> frozenset[str]:
    """Posts and counterpart nouns a nationality adjective can stand on."""
    return titles() | load_words("meeting_counterpart_nouns", "ru")


def presence(tree: Tree, toks: list) -> list:
    """Who is named after "под председательством", "с участием", "при участии", "в присутствии"
    among `toks`."""
    out = []
    for t in toks:
        if lemma(t) in PRESENCE_NOUNS and tree.has_case(t, "под", "с", "со", "при", "в"):
            out.extend(x for x in tree.subtree(t, skip=("acl", "acl:relcl", "parataxis")) if x.id != t.id)
    return out


def _stop_at(others: set[str]):
    return lambda t: t.id in others


def phrase(tree: Tree, tok, others: set[str]) -> tuple[int, int, str, list]:
    """The trigger noun phrase: left modifiers, the trigger, right complements (no clauses)."""
    stop = _stop_at(others)
    toks = [tok]
    for c in tree.kids(tok):
        left = tree.pos[c.id] < tree.pos[tok.id]
        if left and c.rel in ("amod", "det", "nummod"):
            sub = tree.subtree(c, skip=NAME_SKIP)
            if len(sub) <= 3:
                toks.extend(sub)
        elif not left and c.rel in NAME_RELS and not stop(c):
            toks.extend(tree.subtree(c, skip=NAME_SKIP, stop=stop))
    toks.sort(key=lambda t: tree.pos[t.id])
    # keep the contiguous stretch around the trigger
    idx = [tree.pos[t.id] for t in toks]
    tpos = tree.pos[tok.id]
    lo = hi = tpos
    present = set(idx)
    while lo - 1 in present:
        lo -= 1
    while hi + 1 in present and hi - lo < MAX_NAME_TOKENS:
        hi += 1
    # a genitive complement the parser hung elsewhere still belongs to the name
    n = len(tree.tokens)
    sent_stop = tree.sentence(tok).stop
    j = hi + 1
    while j < n and tree.tokens[j].stop <= sent_stop and j - lo < MAX_NAME_TOKENS:
        t = tree.tokens[j]
        ordinal = t.pos == "VERB" and feat(t, "VerbForm") == "Part" and feat(t, "Case") == "Gen"
        if t.id in others or (t.pos not in ("ADJ", "NOUN", "PROPN") and not ordinal) or \
                feat(t, "Case") not in ("Gen", None):
            break
        if t.pos == "ADJ" or ordinal:  # "одиннадцатой" is at times tagged a participle
            j += 1
            continue
        hi = j
        j += 1
    seq = tree.tokens[lo:hi + 1]
    # close an opened bracket or quote, drop dangling punctuation
    text = tree.doc.text
    while seq and seq[-1].pos == "PUNCT" and seq[-1].text not in ")»\"":
        seq = seq[:-1]
    start, end = seq[0].start, seq[-1].stop
    frag = text[start:end]
    if frag.count("(") > frag.count(")"):
        j = text.find(")", end)
        if 0 <= j < end + 40:
            end = j + 1
    if frag.count("«") > frag.count("»"):
        j = text.find("»", end)
        if 0 <= j < end + 60:
            end = j + 1
    return start, end, text[start:end], seq


def region(tree: Tree, tok, others: set[str]) -> tuple[list, list, bool]:
    """Tokens of the trigger's own subtree, the arguments of the verb that governs it (and of
    that verb's infinitive complement), and whether a connector noun stands between them
    ("подписали в среду в Баку по итогам встречи": only the arguments before the connector
    count, and none when the verb governs another meeting)."""
    stop = _stop_at(others)
    own = tree.subtree(tok, skip=("parataxis",), stop=stop)
    verb_args: list = []
    cur = tok
    connector = None
    for _ in range(4):
        h = tree.governor(cur)
        if h is None:
            break
        if cur.rel == "conj" and h.pos in ("NOUN", "PROPN"):
            cur = h
            continue
        if lemma(h) in CONNECTOR_NOUNS and cur.rel == "nmod":
            # "примет участие в работе заседания": through the chain to the verb; the first one counts
            connector = connector or h
            cur = h
            continue
        if h.pos in ("VERB", "AUX") or (h.pos == "ADJ" and (feat(h, "Variant") == "Short" or h.rel == "root")):
            preds = [h, *(x for x in tree.kids(h, "xcomp", "csubj", "csubj:pass") if x.id != cur.id)]
            for v in preds:
                for c in tree.kids(v):
                    if c.id == cur.id or c.rel not in ARGUMENT_RELS or stop(c):
                        continue
                    sub = tree.subtree(c, skip=("parataxis", "acl:relcl", "advcl", "ccomp"), stop=stop)
                    if any(t.id in others for t in sub):
                        if connector is not None:
                            return own, [], True
                        continue
                    if connector is not None and tree.pos[c.id] > tree.pos[connector.id] and not (
                            c.rel == "nsubj" and lemma(v) in speech_verbs()):
                        continue  # "сообщил по итогам заседания X": X speaks of it, took part
                    verb_args.extend(sub)
            n = tree.head(h)
            if feat(h, "VerbForm") == "Part" and h.rel == "acl" and n is not None and n.pos in ("NOUN", "PROPN") \
                    and not stop(n) and feat(h, "Number") == feat(n, "Number") and feat(h, "Case") == feat(n, "Case"):
                # "X, прибывший в Баку с рабочим визитом": the noun the participle describes acts
                sub = tree.subtree(n, skip=("parataxis", "acl", "acl:relcl", "advcl", "ccomp"), stop=stop)
                if not any(t.id in others for t in sub):
                    verb_args.extend(sub)
            break
        break
    return own, verb_args, connector is not None


def date_expr(ctx: Context, toks: list):
    """The first date expression among `toks` that resolves."""
    text = ctx.tree.doc.text
    for t in toks:
        e = ctx.date_tokens.get(t.id)
        if e is None or text[max(0, e.start - 3):e.start].lower() == "от ":
            continue  # "Договор ... от 18 октября 2011 года": a document's date
        if resolve(e, ctx.published, future=None):
            return e
    return None


def adjacent_date(ctx: Context, end: int) -> list:
    """Tokens of a date expression that follows the trigger phrase directly ("... в Самарканде в ноябре")."""
    text = ctx.tree.doc.text
    for e in ctx.dates:
        if 0 <= e.start - end <= 2 and not text[end:e.start].strip():
            return [t for t in ctx.tree.tokens if e.start <= t.start < e.end]
        if e.start > end + 2:
            break
    return []


def place_of(ctx: Context, toks: list, visit: bool) -> Place | None:
    """The first place among `toks` named after "в"/"на" (an accusative one only for a visit: "визит в Баку")."""
    tree = ctx.tree
    for t in toks:
        if t.pos not in ("NOUN", "PROPN") or t.start < ctx.dateline:
            continue
        prep = tree.has_case(t, *PLACE_PREPS)
        if not prep:
            continue
        case = feat(t, "Case")
        if case == "Acc" and not visit:
            continue
        if trigger_of(tree, t) is not None:
            continue  # "в Саммите примут участие": the meeting itself, not a place
        p = place_at(tree, t, ctx.loc_spans)
        if p:
            return p
    return None


@lru_cache(maxsize=1)
def bilateral_words() -> frozenset[str]:
    return load_words("meeting_bilateral_body_words", "ru")


def bilateral_body(ctx: Context, inst) -> bool:
    """A body of two or a few states that meets as its parties: "межправительственная комиссия",
    "Высший межгосударственный совет", "казахстанско-узбекский деловой совет", "Совет глав
    приграничных областей" (`meeting_bilateral_body_words.txt`, or a compound of countries)."""
    toks = ctx.hit_tokens.get(id(inst), [])
    return any(lemma(t) in bilateral_words() or len(compound_countries(t.text)) >= 2 for t in toks)


def body_countries(ctx: Context, inst) -> list[str]:
    """The countries a body's name names ("узбекско-индийской", "Кыргызской Республики и Республики Узбекистан")."""
    out: list[str] = []
    for t in ctx.hit_tokens.get(id(inst), []):
        found = compound_countries(t.text) or ([c] if t.text[:1].isupper() and (c := country(lemma(t))) else [])
        out += [c for c in found if c not in out]
    return out


def participants_of(ctx: Context, tok, toks: list, visit: bool) -> list[ParticipantHit]:
    """Who takes part, as named among `toks` around the trigger `tok`: persons (and the countries and
    bodies they stand for), institutions, countries by name or adjective; once each by PARTICIPANT_KEY."""
    tree, people = ctx.tree, ctx.people
    found = ParticipantList(PARTICIPANT_KEY)
    add = found.add

    def person(name: str | None) -> None:
        if name:
            add(name, ParticipantType.PERSON)
            for a in ctx.affiliations.get(name, ()):
                add(a.name, a.participant_type)

    # "российско-казахстанские переговоры", "заседание казахстанско-туркменской комиссии": the parties
    # a compound names, on the meeting, among its words or on its body (the parser hangs it on either)
    compounds = [*tree.kids(tok, "amod"), *(t for t in toks if t.rel == "amod")]
    for body in [tok, *tree.kids(tok, "nmod")]:
        compounds += tree.kids(body, "amod", "nmod")
    for c in compounds:
        for cn in compound_countries(c.text):
            add(cn, ParticipantType.COUNTRY)
    for t in toks:
        if t.start < ctx.dateline:
            continue
        if t.pos == "ADJ" and t.rel == "amod" and "-" not in t.text:
            h = tree.head(t)
            if h is not None and (lemma(h) in _person_nouns()):
                add(country(lemma(t)), ParticipantType.COUNTRY)  # "с российским коллегой Сергеем Лавровым"
        if lemma(t) in FIRST_PERSON and t.rel == "nsubj":
            person(people.speaker(tree.sent_index(t)))
            continue
        name = people.person_at(t)
        if name:
            person(name)
            continue
        if t.rel == "nsubj" and t.pos in ("NOUN", "PRON"):
            person(people.agent(t))
        inst = ctx.outer_at.get(t.id)  # "Совет глав правительств СНГ": the council, not the CIS
        if inst is not None and inst.kind == InstitutionKind.MEDIA:
            continue            # "передает Trend": the agency reports the meeting, it does not attend
        if inst is not None and not tree.has_case(t, *PLACE_PREPS):
            if bilateral_body(ctx, inst) and any(x.rel == "nmod" and tree.head(x) is tok
                                                 for x in ctx.hit_tokens.get(id(inst), [])):
                # "заседание казахстанско-монгольской межправкомиссии": the session of a bilateral body
                # is its parties meeting; the body itself is no party (guideline 13)
                for cn in body_countries(ctx, inst):
                    add(cn, ParticipantType.COUNTRY)
                continue
            add(ctx.inst_name(inst), ParticipantType.INSTITUTION)
            continue
        if t.pos in ("PROPN", "NOUN"):
            prep = tree.has_case(t, *PLACE_PREPS)
            if prep and not visit:
                continue
            p = place_at(tree, t, ctx.loc_spans)
            if p and p.kind == "country":
                add(p.name, ParticipantType.COUNTRY)
    return found.items
