"""Meetings in Russian text: trigger nouns and verbs over natasha's dependency tree.

One pass over the tokens finds mentions (a trigger from `meeting_triggers.tsv` with its
phrase, status, date, place and participants read off the tree); a second pass merges
the mentions of one real meeting (the noun and its anaphors: "данная встреча", "в ходе
беседы", "на заседаниях") and keeps distinct events apart (a planned session and the past
one, a visit and the talks during it). Word sets are data (`lexicons/ru/`); the rules
are the UPPER_CASE constants and functions below, the exported rule `find_meetings` last.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from natasha import Doc

from extraction.hits import InstitutionHit, MeetingHit, ParticipantHit, Sentence
from extraction.lexicons import load_table, load_words
from extraction.ru.clauses import Tree, feat, lemma, tense
from extraction.ru.context import Context, context
from extraction.ru.dates import resolve
from extraction.ru.people import speech_verbs
from extraction.ru.places import Place, compound_countries, place_at
from schemas import DatePrecision, MeetingKind, MeetingStatus, ParticipantType

# ------------------------------------------------------------------ sub-rules (constants)

# words that make a trigger refer back to a meeting already named
ANAPHORIC_DETERMINERS = frozenset({"данный", "этот", "указанный", "упомянутый", "нынешний", "тот", "такой",
                                   "вышеупомянутый", "сам", "текущий"})
# words that make a trigger a different occurrence from the ones before
DISTINCT_MARKERS = frozenset({"предыдущий", "прошлый", "следующий", "очередной", "первый", "второй", "третий",
                              "новый", "последний", "предстоящий", "будущий"})
# a "встреча" of heads of state is a summit
SUMMIT_COMPLEMENTS = frozenset({"глава", "лидер", "президент"})
# compound prefixes that keep a trigger ("онлайн-заседание"); other compounds do not ("пресс-конференция")
TRIGGER_PREFIXES = frozenset({"онлайн", "видео", "интернет", "веб"})
# dependents that carry a meeting's place, date and participants
ARGUMENT_RELS = frozenset({"nsubj", "nsubj:pass", "obj", "iobj", "obl", "advmod", "obl:agent", "nmod", "nummod",
                           "obl:tmod"})
FIRST_PERSON = frozenset({"мы", "я"})
NAME_RELS = frozenset({"nmod", "appos", "flat", "flat:name", "nummod", "compound"})
NAME_SKIP = frozenset({"acl", "acl:relcl", "parataxis", "advcl", "ccomp", "punct:skip"})
PLACE_PREPS = ("в", "во", "на")
PARTNER_PREP = ("с", "со")
MAX_NAME_TOKENS = 24


@lru_cache(maxsize=1)
def _triggers() -> dict[str, tuple[str, str]]:
    return {r["lemma"]: (r["kind"], r["role"]) for r in load_table("meeting_triggers", "ru")}


@lru_cache(maxsize=1)
def _status_words() -> dict[str, str]:
    return {r["lemma"]: r["status"] for r in load_table("meeting_status_words", "ru")}


@lru_cache(maxsize=1)
def _blocking_heads() -> frozenset[str]:
    return load_words("meeting_blocking_heads", "ru")


# ------------------------------------------------------------------ mentions

@dataclass
class Mention:
    tok: object
    kind: str | None            # None: generic ("мероприятие") — takes its antecedent's kind
    role: str                   # noun | anaphor | verb
    sent: int
    start: int
    end: int
    name: str
    status: str | None = None
    status_src: str = "none"    # word | tense | date | default
    date: date | None = None
    precision: str | None = None
    location: str | None = None
    place: Place | None = None
    participants: list[ParticipantHit] = field(default_factory=list)
    anaphoric: bool = False
    distinct: bool = False
    stems: frozenset[str] = frozenset()


def trigger_of(tree: Tree, tok) -> tuple[str, str] | None:
    """(kind, role) when `tok` is a meeting trigger, else None."""
    lem = lemma(tok)
    hit = _triggers().get(lem)
    if hit is None and "-" in lem:
        prefix, _, rest = lem.partition("-")
        if prefix in TRIGGER_PREFIXES:
            hit = _triggers().get(rest)
            if hit and prefix in ("онлайн", "видео", "веб", "интернет") and hit[0] == "meeting":
                hit = hit
    if hit is None:
        return None
    kind, role = hit
    if role == "verb":
        return (kind, role) if tok.pos == "VERB" else None
    if tok.pos not in ("NOUN", "PROPN"):
        return None
    if lem == "консультация" and feat(tok, "Number") != "Plur":
        return None
    if role == "phone":
        phone = any(lemma(c) in ("телефонный", "телефон") for c in tree.kids(tok))
        return (kind, "noun") if phone else (kind, "anaphor")
    if lem == "мероприятие":
        return (None, "anaphor")
    return kind, role


def _status_of_word(tok) -> str | None:
    val = _status_words().get(lemma(tok))
    if val is None:
        return None
    if val in ("past", "ongoing", "planned"):
        return val
    t = tense(tok)
    if val == "arrive":
        return {"past": "ongoing", "present": "ongoing", "future": "planned"}.get(t or "")
    return {"past": "past", "present": "ongoing", "future": "planned"}.get(t or "")


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
    if t.pos in ("NOUN", "ADV", "ADP") and _status_words().get(lemma(t)) in ("past", "ongoing", "planned"):
        return _status_words()[lemma(t)]
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
        s = _status_of_word(c)
        if s:
            return s, "word", False
    s = _left_context(tree, tok)
    if s:
        return s, "word", False
    for t in tree.subtree(tok, skip=("parataxis",)):
        if t.rel == "acl:relcl" and t.id != tok.id and any(lemma(c) in ("который",) for c in tree.kids(t)):
            s = _status_of_word(t)
            if s:
                return s, "word", False
    cur = tok
    for _ in range(6):
        h = tree.head(cur)
        if h is None:
            break
        if _hypothetical(tree, h):
            return None, "none", True
        s = _status_of_word(h)
        if s:
            return s, "word", False
        if h.pos in ("VERB", "AUX") and _speech_after_quote(tree, tok, h):
            t = _root_tense(tree, tok)
            if t:
                return {"past": "past", "present": "ongoing", "future": "planned"}[t], "tense", False
            break
        if h.pos in ("VERB", "AUX"):
            t = tense(h)
            if t is None and feat(h, "VerbForm") == "Inf":
                cur = h
                continue
            if t is None and h.pos == "VERB":
                aux = [a for a in tree.kids(h, "aux", "aux:pass") if tense(a)]
                t = tense(aux[0]) if aux else None
            if t:
                return {"past": "past", "present": "ongoing", "future": "planned"}[t], "tense", False
        if h.rel in ("root", "parataxis", "ccomp") and h.pos in ("VERB", "AUX"):
            break
        cur = h
    return None, "none", False


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
        if t.id in others or t.pos not in ("ADJ", "NOUN", "PROPN") or feat(t, "Case") not in ("Gen", None):
            break
        if t.pos == "ADJ":
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


def _region(tree: Tree, tok, others: set[str]) -> tuple[list, list]:
    """Tokens of the trigger's own subtree, and the arguments of the verb that governs it."""
    stop = _stop_at(others)
    own = tree.subtree(tok, skip=("parataxis",), stop=stop)
    verb_args: list = []
    cur = tok
    for _ in range(3):
        h = tree.head(cur)
        if h is None:
            break
        if cur.rel == "conj" and h.pos in ("NOUN", "PROPN"):
            cur = h
            continue
        if h.pos in ("VERB", "AUX") or (h.pos == "ADJ" and feat(h, "Variant") == "Short"):
            for c in tree.kids(h):
                if c.id == cur.id or c.rel not in ARGUMENT_RELS or stop(c):
                    continue
                sub = tree.subtree(c, skip=("parataxis", "acl:relcl", "advcl", "ccomp"), stop=stop)
                if any(t.id in others for t in sub):
                    continue
                verb_args.extend(sub)
            break
        break
    return own, verb_args


def _date_of(ctx: Context, toks: list, future: bool | None) -> tuple[date, str] | None:
    for t in toks:
        e = ctx.date_tokens.get(t.id)
        if e is not None:
            r = resolve(e, ctx.published, future=future)
            if r:
                return r
    return None


def _adjacent(ctx: Context, end: int) -> list:
    """Tokens of a date expression that follows the trigger phrase directly ("... в Самарканде в ноябре")."""
    for e in ctx.dates:
        if 0 <= e.start - end <= 2:
            return [t for t in ctx.tree.tokens if e.start <= t.start < e.end]
        if e.start > end + 2:
            break
    return []


def _place_of(ctx: Context, toks: list, visit: bool) -> Place | None:
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
        p = place_at(tree, t, ctx.loc_spans)
        if p:
            return p
    return None


def _participants(ctx: Context, tok, toks: list, visit: bool) -> list[ParticipantHit]:
    tree, people = ctx.tree, ctx.people
    out: list[ParticipantHit] = []
    seen: set[str] = set()

    def add(name: str | None, ptype: ParticipantType) -> None:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(ParticipantHit(name, ptype))

    for c in tree.kids(tok, "amod"):
        for cn in compound_countries(c.text):
            add(cn, ParticipantType.COUNTRY)
    for t in toks:
        if t.start < ctx.dateline:
            continue
        if lemma(t) in FIRST_PERSON and t.rel == "nsubj":
            add(people.speaker(tree.sent_index(t)), ParticipantType.PERSON)
            continue
        name = people.person_at(t)
        if name:
            add(name, ParticipantType.PERSON)
            continue
        if t.rel == "nsubj" and t.pos in ("NOUN", "PRON"):
            add(people.agent(t), ParticipantType.PERSON)
        inst = ctx.inst_at.get(t.id)
        if inst is not None and not tree.has_case(t, *PLACE_PREPS):
            add(inst.name, ParticipantType.INSTITUTION)
            continue
        if t.pos in ("PROPN", "NOUN"):
            prep = tree.has_case(t, *PLACE_PREPS)
            if prep and not visit:
                continue
            p = place_at(tree, t, ctx.loc_spans)
            if p and p.kind == "country":
                add(p.name, ParticipantType.COUNTRY)
    return out


def _content_stems(seq: list, trigger) -> frozenset[str]:
    out = set()
    for t in seq:
        if t.id == trigger.id or t.pos not in ("NOUN", "PROPN", "ADJ", "NUM"):
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


def _summit(tree: Tree, tok) -> bool:
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
        if _in_series(tree, tok):
            continue
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
        if role == "verb":
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
            own, args = _region(tree, tok, others - {tok.id})
            stems = _content_stems(seq, tok)
            anaphoric = role == "anaphor" or _is_anaphoric(tree, tok, ctx)
            distinct = _is_distinct(tree, tok)
            if kind == "meeting" and _summit(tree, tok):
                kind = "summit"
        visit = kind == "visit"
        future = True if status == "planned" else False if status == "past" else None
        d = _date_of(ctx, own, future) or _date_of(ctx, _adjacent(ctx, end), future) or \
            _date_of(ctx, args, future)
        place = _place_of(ctx, own, visit) or _place_of(ctx, args, visit)
        if place is None and visit and role == "verb":
            place = next((p for c in tree.kids(tok, "obj") if (p := place_at(tree, c, ctx.loc_spans))), None)
        if status is None and d is not None and ctx.published is not None:
            if d[0] > ctx.published:
                status, src = "planned", "date"
            elif d[0] < ctx.published and d[1] == "day":
                status, src = "past", "date"
        if anaphoric and role != "verb":
            parts = _participants(ctx, tok, [t for t in args if t.rel in ("nsubj", "nsubj:pass")] +
                                  [t for t in args if tree.head(t) is not None and tree.head(t).rel == "nsubj"],
                                  visit)
            if any(lemma(c) in ANAPHORIC_DETERMINERS for c in tree.kids(tok, "amod", "det")):
                who = ctx.people.speaker(tree.sent_index(tok))
                if who and who.casefold() not in {p.name.casefold() for p in parts}:
                    parts.append(ParticipantHit(who, ParticipantType.PERSON))
        else:
            parts = _participants(ctx, tok, own + args, visit)
        m = Mention(tok=tok, kind=kind, role=role, sent=tree.sent_index(tok), start=start, end=end, name=name,
                    status=status, status_src=src, date=d[0] if d else None, precision=d[1] if d else None,
                    place=place, location=place.location if place else None, participants=parts,
                    anaphoric=anaphoric, distinct=distinct, stems=stems)
        out.append(m)
    return out


def _verb_status(tree: Tree, tok) -> tuple[str | None, str, bool]:
    if _hypothetical(tree, tok):
        return None, "none", True
    t = tense(tok)
    if t:
        return {"past": "past", "present": "ongoing", "future": "planned"}[t], "tense", False
    return mention_status(tree, tok)


# ------------------------------------------------------------------ merging

@dataclass
class Cluster:
    mentions: list[Mention]

    @property
    def head(self) -> Mention:
        named = [m for m in self.mentions if not m.anaphoric]
        pool = named or self.mentions
        return max(pool, key=lambda m: (len(m.name), -m.start))


def _dates_conflict(a: Mention | Cluster, b: Mention) -> bool:
    da = a.date if isinstance(a, Mention) else next((m.date for m in a.mentions if m.date), None)
    if da is None or b.date is None:
        return False
    sa, sb = da.isoformat(), b.date.isoformat()
    pa = {"day": 10, "month": 7, "year": 4}
    la = next((pa[m.precision] for m in ([a] if isinstance(a, Mention) else a.mentions) if m.date), 10)
    lb = pa.get(b.precision or "day", 10)
    n = min(la, lb)
    return sa[:n] != sb[:n]


def _places_conflict(c: Cluster, m: Mention) -> bool:
    if m.place is None:
        return False
    for o in c.mentions:
        if o.place is None:
            continue
        if o.place.location == m.place.location:
            continue
        if m.place.kind == "country" and o.place.country == m.place.location:
            continue
        if o.place.kind == "country" and m.place.country == o.place.location:
            continue
        return True
    return False


def _status_conflict(c: Cluster, m: Mention) -> bool:
    if m.status is None or m.status_src not in ("word", "date"):
        return False
    for o in c.mentions:
        if o.status and o.status_src in ("word", "date") and o.status != m.status:
            if {o.status, m.status} == {"past", "ongoing"}:
                continue
            return True
    return False


def _compatible(c: Cluster, m: Mention) -> bool:
    return not (_dates_conflict(c, m) or _places_conflict(c, m))


def _similar(c: Cluster, m: Mention) -> bool:
    for o in c.mentions:
        if o.anaphoric or not o.stems or not m.stems:
            continue
        inter = len(o.stems & m.stems)
        union = len(o.stems | m.stems)
        if inter / union >= 0.5 or (inter >= 3 and o.date and m.date and o.date == m.date):
            return True
    return False


def _kind_of(c: Cluster) -> str | None:
    for m in sorted(c.mentions, key=lambda x: (x.anaphoric, x.start)):
        if m.kind:
            return m.kind
    return None


def merge(ms: list[Mention]) -> list[Cluster]:
    clusters: list[Cluster] = []
    for m in ms:
        if not m.anaphoric:
            target = None
            if not m.distinct or True:
                for c in reversed(clusters):
                    if _kind_of(c) == m.kind and _similar(c, m) and _compatible(c, m) and not _status_conflict(c, m):
                        target = c
                        break
            if target:
                target.mentions.append(m)
            else:
                clusters.append(Cluster([m]))
            continue
        # an anaphor: the best compatible antecedent
        best, best_score = None, None
        for i, c in enumerate(clusters):
            if not _compatible(c, m):
                continue
            if m.role == "verb" and not any(abs(o.sent - m.sent) <= 1 for o in c.mentions):
                continue
            ck = _kind_of(c)
            if m.kind and m.kind not in ("meeting",) and ck != m.kind and m.role != "verb":
                continue
            score = 0
            if m.kind and ck == m.kind:
                score += 2
            hs = c.head.status
            if m.status and hs == m.status:
                score += 1
            elif m.status and hs and m.status_src != "none" and {hs, m.status} != {"past", "ongoing"}:
                score -= 1
            key = (score, max(o.start for o in c.mentions))
            if best_score is None or key > best_score:
                best, best_score = c, key
        if best is not None:
            best.mentions.append(m)
        elif m.role == "noun" or (m.role == "verb" and (m.participants or m.kind in ("call", "visit"))):
            clusters.append(Cluster([m]))
    return clusters


# ------------------------------------------------------------------ the exported rule

def _hit(ctx: Context, c: Cluster) -> MeetingHit:
    tree = ctx.tree
    head = c.head
    kind = _kind_of(c) or "meeting"
    status, src = head.status, head.status_src
    for m in sorted(c.mentions, key=lambda x: x.start):
        if m.status and m.status_src == "word" and not (m.anaphoric and m.role != "verb" and
                                                        lemma_det(tree, m)):
            status, src = m.status, "word"
            break
    if status is None:
        for m in c.mentions:
            if m.status:
                status = m.status
                break
    d, prec = head.date, head.precision
    if d is None:
        for m in c.mentions:
            if m.date:
                d, prec = m.date, m.precision
                break
    status = status or "past"
    if d is None and status == "ongoing" and ctx.published is not None:
        d, prec = ctx.published, "day"
    loc = head.location or next((m.location for m in c.mentions if m.location), None)
    parts: list[ParticipantHit] = []
    seen: set[str] = set()
    for m in [head, *c.mentions]:
        for p in m.participants:
            if p.name.casefold() not in seen:
                seen.add(p.name.casefold())
                parts.append(p)
    sent = tree.sentence(head.tok)
    rule = {"noun": "ru.meeting.noun", "anaphor": "ru.meeting.anaphor", "verb": "ru.meeting.verb"}[head.role]
    conf = 0.8 if head.role == "noun" and not head.anaphoric else 0.6
    return MeetingHit(
        start=head.start, end=head.end, sentence=Sentence(sent.start, sent.stop), kind=MeetingKind(kind),
        status=MeetingStatus(status), name=head.name, start_date=d,
        date_precision=DatePrecision(prec) if prec else None, location=loc, participants=tuple(parts),
        rule_id=rule, confidence=conf, mentions=tuple((m.start, m.end) for m in c.mentions))


def lemma_det(tree: Tree, m: Mention) -> bool:
    """The mention's status word is only a determiner ("данная"), weaker than a verb's."""
    return any(c.rel in ("amod", "det") and lemma(c) in ANAPHORIC_DETERMINERS for c in tree.kids(m.tok))


def find_meetings(doc: Doc, institutions: list[InstitutionHit], published: date | None) -> list[MeetingHit]:
    """One `MeetingHit` per real meeting the text reports, announces or recalls."""
    ctx = context(doc, institutions, published)
    return [_hit(ctx, c) for c in merge(mentions(ctx))]
