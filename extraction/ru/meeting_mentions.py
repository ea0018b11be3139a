"""Meeting mentions: one pass over the tokens finds every trigger (`meeting_triggers.tsv`)
that is not inside a series ("механизм встреч") or an organisation's name, and reads its
phrase, status, date, place and participants off the tree.
"""
from __future__ import annotations

from bisect import bisect_left

from extraction.hits import ParticipantHit
from extraction.ru.clauses import Tree, feat, lemma
from extraction.ru.context import Context
from extraction.ru.meeting_attributes import _adjacent, _date_of, _participants, _place_of, _region, phrase
from extraction.ru.meeting_lexicon import (
    ANAPHORIC_DETERMINERS,
    BILATERAL_WORDS,
    DISTINCT_MARKERS,
    FORWARD_MARKERS,
    FREQUENCY_WORDS,
    NAME_SKIP,
    PARTICIPATION_VERBS,
    PARTNER_PREP,
    PLACE_PREPS,
    ROUND_HEADS,
    SUMMIT_COMPLEMENTS,
    Mention,
    _blocking_heads,
    _status_words,
    trigger_of,
)
from extraction.ru.meeting_status import _verb_status, mention_status
from extraction.ru.places import place_at
from schemas import ParticipantType


def _content_stems(ctx: Context, seq: list, trigger) -> frozenset[str]:
    """The phrase's content lemmas (no status words, no place it is held in; an institution by
    its id): what names it."""
    out = set()
    for t in seq:
        if t.id == trigger.id or t.pos not in ("NOUN", "PROPN", "ADJ", "NUM"):
            continue
        if t.id in ctx.loc_spans and ctx.tree.has_case(t, *PLACE_PREPS):
            continue
        hit = ctx.inst_at.get(t.id)
        if hit is not None:
            out.add("@" + hit.institution_id)  # "СНГ" and "Содружества Независимых Государств" alike
            continue
        lem = lemma(t)
        if lem in ANAPHORIC_DETERMINERS or lem in _status_words():
            continue
        out.add(lem)
    return frozenset(out)


def _is_anaphoric(tree: Tree, tok, ctx: Context) -> bool:
    for c in tree.kids(tok):
        if c.rel in ("amod", "det") and lemma(c) in ANAPHORIC_DETERMINERS:
            return True
    sent_start = tree.sentence(tok).start
    if any(c.text[:1].isupper() and c.start > sent_start and tree.pos[c.id] < tree.pos[tok.id]
           for c in tree.kids(tok, "amod")):
        return False  # "Петербургский международный экономический форум" is named
    for c in tree.kids(tok, "nmod", "appos", "flat", "nummod"):
        if c.id in ctx.date_tokens:
            continue
        if tree.has_case(c, *PLACE_PREPS) and c.id in ctx.loc_spans:
            continue
        if c.id in ctx.people.tok_span:
            continue  # "встреча Путина": who takes part, not which meeting
        return False
    if any(c.rel == "amod" and (lemma(c) in DISTINCT_MARKERS or c.pos == "NUM" or c.text[:1].isdigit())
           for c in tree.kids(tok)):
        return False
    return True


def _is_distinct(tree: Tree, tok) -> bool:
    return any(lemma(c) in DISTINCT_MARKERS or c.text[:1].isdigit() for c in tree.kids(tok, "amod", "nummod"))


def _in_series(tree: Tree, tok) -> bool:
    h = tree.head(tok)
    return h is not None and tok.rel in ("nmod", "obl") and lemma(h) in _blocking_heads()


def _attendees(ctx: Context, tok) -> list[ParticipantHit]:
    """Subjects of a participation verb governing the mention ("в работе комиссии приняли участие
    руководители ведомств Казахстана и Кыргызстана", "участвуют главы правительств ...")."""
    tree = ctx.tree
    cur = tok
    for _ in range(3):
        h = tree.head(cur)
        if h is None:
            return []
        if lemma(h) in PARTICIPATION_VERBS or (lemma(h) == "участие" and tree.head(h) is not None
                                                and lemma(tree.head(h)) in ("принять", "принимать")):
            v = h if h.pos == "VERB" else tree.head(h)
            subj = [t for c in tree.kids(v, "nsubj") for t in tree.subtree(c, skip=("acl", "acl:relcl", "parataxis"))]
            return _participants(ctx, tok, subj, False)
        if h.pos in ("VERB", "AUX"):
            return []
        cur = h
    return []


def _relative_clause(ctx: Context, end: int) -> list:
    """The arguments of a relative clause right after the phrase ("переговоров с ..., которые
    прошли в среду в Ашхабаде"), wherever the parser hung the clause."""
    tree, text = ctx.tree, ctx.tree.doc.text
    j = end
    while j < len(text) and text[j] in " ,":
        j += 1
    if not text.startswith(("котор", "Котор"), j) or "," not in text[end:j]:
        return []
    i = bisect_left(ctx.tree_starts, j)
    if i >= len(tree.tokens) or lemma(tree.tokens[i]) != "который":
        return []
    v = tree.head(tree.tokens[i])
    if v is None or v.pos not in ("VERB", "AUX") or v.rel != "acl:relcl":
        return []
    return [t for c in tree.kids(v) if c.rel in ("obl", "advmod", "obl:tmod")
            for t in tree.subtree(c, skip=("acl", "acl:relcl", "parataxis"))]


def _pronoun_attendees(ctx: Context, out: list[Mention]) -> None:
    """"В нем участвуют главы правительств ...", "В ней приняли участие ...": the subjects
    join the meeting the pronoun stands for — the last meeting noun of its gender in this
    sentence or the one before."""
    tree = ctx.tree
    nouns = [m for m in out if m.role != "verb"]
    if not nouns:
        return
    for t in tree.tokens:
        if t.pos != "PRON" or lemma(t) not in ("он", "она", "оно") or not tree.has_case(t, "в", "во"):
            continue
        h = tree.head(t)
        if h is None:
            continue
        if lemma(h) == "участие":
            h = tree.head(h)
            if h is None:
                continue
        if not (lemma(h) in PARTICIPATION_VERBS or (lemma(h) in ("принять", "принимать") and
                                                     any(lemma(c) == "участие" for c in tree.kids(h)))):
            continue
        si, gender = tree.sent_index(t), feat(t, "Gender")
        target = None
        for m in nouns:
            if m.start >= t.start or m.sent < si - 1:
                continue
            g = feat(m.tok, "Gender")
            if gender and g and (g == "Fem") != (gender == "Fem"):
                continue
            target = m
        if target is None:
            continue
        subj = [x for c in tree.kids(h, "nsubj") for x in tree.subtree(c, skip=("acl", "acl:relcl", "parataxis"))]
        have = {p.name for p in target.participants}
        target.participants.extend(p for p in _participants(ctx, t, subj, False) if p.name not in have)


def _regular(tree: Tree, tok) -> bool:
    """A regular series ("проводит заседания раз в квартал", "ежегодно проводятся встречи"): a
    mechanism, not one meeting."""
    if feat(tok, "Number") != "Plur" and lemma(tok) not in ("переговоры",):
        return False
    h = tree.head(tok)
    scope = [tok] + ([h] if h is not None and h.pos in ("VERB", "ADJ") else [])
    for x in scope:
        for c in tree.kids(x):
            if lemma(c) in FREQUENCY_WORDS:
                return True
            if lemma(c) == "раз" and any(tree.has_case(g, "в") for g in tree.kids(c)):
                return True
            if c.rel == "obl" and tree.has_case(c, "в") and any(lemma(g) == "раз" for g in tree.kids(c)):
                return True
    return False


def _summit(tree: Tree, tok) -> bool:
    if any(lemma(t) in BILATERAL_WORDS for t in tree.subtree(tok, skip=NAME_SKIP)):
        return False
    if any(lemma(c) in SUMMIT_COMPLEMENTS and feat(c, "Number") == "Plur" for c in tree.kids(tok, "nmod")):
        return True
    i = tree.pos[tok.id] + 1
    nxt = tree.tokens[i] if i < len(tree.tokens) else None
    return nxt is not None and lemma(nxt) in SUMMIT_COMPLEMENTS and feat(nxt, "Number") == "Plur"


def _verb_mention_ok(tree: Tree, tok, kind: str) -> bool:
    if kind == "visit":
        return any(c.rel in ("obj", "obl") and feat(c, "Case") == "Acc" for c in tree.kids(tok))
    # "встретился с ..." needs a partner; "министры встретятся" a plural subject
    if any(tree.has_case(c, *PARTNER_PREP) for c in tree.kids(tok, "obl", "nmod", "obj")):
        return True
    return any(feat(c, "Number") == "Plur" or tree.kids(c, "conj") for c in tree.kids(tok, "nsubj"))


def mentions(ctx: Context) -> list[Mention]:
    tree = ctx.tree
    found: list[tuple[object, str | None, str]] = []
    for tok in tree.tokens:
        if tok.start < ctx.dateline:
            continue
        trig = trigger_of(tree, tok)
        if trig is None:
            # "обсудили по телефону" → a call
            if lemma(tok) == "телефон" and tree.has_case(tok, "по"):
                h = tree.head(tok)
                if h is not None and h.pos == "VERB":
                    found.append((h, "call", "verb"))
            continue
        kind, role = trig
        if _in_series(tree, tok) or _regular(tree, tok):
            continue
        h = tree.head(tok)
        if h is not None and tok.rel == "nmod" and lemma(h) in ROUND_HEADS and role == "noun":
            tok = h  # "следующий раунд переговоров": the round is the occurrence
        if tok.id in ctx.inst_at and tok.text[:1].isupper() and tree.pos[tok.id] > 0 and \
                tree.tokens[tree.pos[tok.id] - 1].stop > tree.sentence(tok).start:
            continue  # "Совещание по взаимодействию и мерам доверия в Азии" is an organisation
        if role == "verb" and not _verb_mention_ok(tree, tok, kind):
            continue
        found.append((tok, kind, role))
    others = {t.id for t, _, _ in found}
    out: list[Mention] = []
    for tok, kind, role in found:
        status, src, hypo = mention_status(tree, tok) if role != "verb" else _verb_status(tree, tok)
        if hypo:
            continue
        forward = False
        if role == "verb":
            via = False
            own, args = [tok], tree.subtree(tok, skip=("parataxis", "ccomp", "advcl", "acl:relcl"),
                                            stop=lambda t, o=others - {tok.id}, v=tok: t.id in o or (
                                                t.rel == "conj" and t.head_id == v.id))
            seq = [tok] + [c for c in args if c.rel in ("obl", "obj") or tree.head(c) and tree.head(c).rel in
                           ("obl", "obj")]
            start, end = tok.start, max(t.stop for t in [tok, *[x for x in args if tree.pos[x.id] > tree.pos[tok.id]]]
                                        ) if args else tok.stop
            end = min(end, tree.sentence(tok).stop)
            name = tree.doc.text[start:end].split(",")[0].rstrip(" .,;:!?")
            end = start + len(name)
            stems = frozenset()
            anaphoric, distinct = True, False
        else:
            start, end, name, seq = phrase(tree, tok, others - {tok.id})
            own, args, via = _region(tree, tok, others - {tok.id})
            stems = _content_stems(ctx, seq, tok)
            anaphoric = role == "anaphor" or _is_anaphoric(tree, tok, ctx)
            distinct = _is_distinct(tree, tok)
            marks = {lemma(c) for c in tree.kids(tok, "amod")} & DISTINCT_MARKERS
            if not anaphoric and not stems and marks and marks <= FORWARD_MARKERS:
                anaphoric = forward = True
            if kind == "meeting" and _summit(tree, tok):
                kind = "summit"
            if via and anaphoric:
                # "в рамках форума пройдет заседание": the verb speaks of the inner event
                args, status, src = [], None, "none"
        visit = kind == "visit"
        future = True if status == "planned" else False if status == "past" else None
        rel = _relative_clause(ctx, end) if role != "verb" else []
        d = _date_of(ctx, own, future) or _date_of(ctx, _adjacent(ctx, end), future) or \
            _date_of(ctx, rel, future) or _date_of(ctx, args, future)
        place = _place_of(ctx, own, visit) or _place_of(ctx, rel, visit) or _place_of(ctx, args, visit)
        if place is None and visit and role == "verb":
            place = next((p for c in tree.kids(tok, "obj") if (p := place_at(tree, c, ctx.loc_spans))), None)
        if status is None and d is not None and ctx.published is not None:
            if d[0] > ctx.published:
                status, src = "planned", "date"
            elif d[0] < ctx.published and d[1] == "day":
                status, src = "past", "date"
        if via:
            parts = _participants(ctx, tok, own, visit)
        elif anaphoric and role != "verb":
            subj = [t for t in args if t.rel in ("nsubj", "nsubj:pass") or
                    (tree.head(t) is not None and tree.head(t).rel == "nsubj")]
            parts = _participants(ctx, tok, subj + [t for t in own if t.id in ctx.people.tok_span], visit)
            if any(lemma(c) in ANAPHORIC_DETERMINERS for c in tree.kids(tok, "amod", "det")):
                who = ctx.people.speaker(tree.sent_index(tok))
                if who and who.casefold() not in {p.name.casefold() for p in parts}:
                    parts.append(ParticipantHit(who, ParticipantType.PERSON))
        else:
            parts = _participants(ctx, tok, own + args, visit)
        parts.extend(p for p in _attendees(ctx, tok) if p.name not in {q.name for q in parts})
        m = Mention(tok=tok, kind=kind, role=role, sent=tree.sent_index(tok), start=start, end=end, name=name,
                    status=status, status_src=src, date=d[0] if d else None, precision=d[1] if d else None,
                    place=place, location=place.location if place else None, participants=parts,
                    anaphoric=anaphoric, distinct=distinct, forward=forward, stems=stems)
        out.append(m)
    _pronoun_attendees(ctx, out)
    return out

