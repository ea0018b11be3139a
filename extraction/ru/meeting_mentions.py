"""Meeting mentions: one pass over the tokens finds every trigger (`meeting_triggers.tsv`)
that is not inside a series ("механизм встреч") or an organisation's name, and reads its
phrase, status, date, place and participants off the tree.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from extraction.engine.meetings import Mention, participant_union, same_spelling
from extraction.hits import ParticipantHit
from extraction.lexicons import load_words
from extraction.ru.clauses import Tree, feat, lemma
from extraction.ru.context import Context
from extraction.ru.dates import resolve
from extraction.ru.institution_grammar import heads
from extraction.ru.meeting_attributes import (
    adjacent_date,
    date_expr,
    participants_of,
    phrase,
    place_of,
    presence,
    region,
)
from extraction.ru.meeting_lexicon import (
    ANAPHORIC_DETERMINERS,
    BILATERAL_WORDS,
    CONNECTOR_NOUNS,
    DISTINCT_MARKERS,
    FORWARD_MARKERS,
    FREQUENCY_WORDS,
    NAME_SKIP,
    PARTICIPANT_KEY,
    PARTICIPATION_VERBS,
    PARTNER_PREP,
    PLACE_PREPS,
    ROUND_HEADS,
    SUMMIT_COMPLEMENTS,
    blocking_heads,
    status_words,
    trigger_of,
)
from extraction.ru.meeting_status import mention_status, status_of_word, verb_status
from extraction.ru.normalize import to_nominative
from extraction.ru.people import speech_verbs
from extraction.ru.places import country, place_at
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
        if lem in ANAPHORIC_DETERMINERS or lem in status_words():
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
        if c.id in ctx.date_tokens or lemma(c) in time_nouns():
            continue    # "визиты на осень": when, not which
        if tree.has_case(c, *PLACE_PREPS) and c.id in ctx.loc_spans:
            continue
        if c.id in ctx.people.tok_span:
            continue  # "встреча Путина": who takes part, not which meeting
        if lemma(c) in FORMAT_NOUNS and tree.has_case(c, "в", "во"):
            continue  # "заседание в узком составе": how it is held, not which one
        if lemma(c) in CONNECTOR_NOUNS and tree.has_case(c, "в", "во", "по", "на"):
            continue  # "встреча в рамках форума": the frame it is held in, not which one
        if tree.pos[c.id] - tree.pos[tok.id] > 3 and trigger_of(tree, c) is not None:
            continue  # the same, with "в рамках" hung on the verb: "форума" is another meeting
        return False
    if any(c.rel == "amod" and (lemma(c) in DISTINCT_MARKERS or c.pos == "NUM" or c.text[:1].isdigit())
           for c in tree.kids(tok)):
        return False
    return True


def _is_distinct(tree: Tree, tok) -> bool:
    return any(lemma(c) in DISTINCT_MARKERS or c.text[:1].isdigit() for c in tree.kids(tok, "amod", "nummod"))


def _in_series(tree: Tree, tok) -> bool:
    h = tree.head(tok)
    return h is not None and tok.rel in ("nmod", "obl") and lemma(h) in blocking_heads()


@lru_cache(maxsize=1)
def _body_heads() -> frozenset[str]:
    return frozenset(heads().kinds) | load_words("institution_facilities", "ru")


def _delegation_bodies(ctx: Context, toks: list) -> list[ParticipantHit]:
    """"переговоры делегаций морского порта Актау и агентства ...": the bodies the delegations
    come from take part, even those the institution grammar leaves out (a port)."""
    tree = ctx.tree
    out: list[ParticipantHit] = []
    for d in toks:
        if lemma(d) not in DELEGATION_NOUNS - {"часть", "сторона"}:
            continue
        cands = []
        for c in tree.kids(d, "nmod"):
            cands.append(c)
            cands.extend(tree.kids(c, "conj"))
        for c in cands:
            if lemma(c) not in _body_heads() or feat(c, "Case") != "Gen" or c.id in ctx.inst_at:
                continue
            sub = tree.subtree(c, skip=("acl", "acl:relcl", "parataxis", "conj", "cc", "punct"))
            if any(t.id in ctx.inst_at or t.id in ctx.people.tok_span for t in sub):
                continue
            if len(sub) < 2:
                continue  # a bare "порта" names no body
            name = to_nominative(sub, head=sub.index(c))
            out.append(ParticipantHit(name[:1].upper() + name[1:], ParticipantType.INSTITUTION))
    return out


def _members(ctx: Context, tok) -> list[ParticipantHit]:
    """"Участниками встречи стали X и Y", "X и Y стали участниками заседания": the rest of the
    clause around the participant noun."""
    tree = ctx.tree
    h = tree.head(tok)
    if h is None or tok.rel != "nmod" or lemma(h) != "участник":
        return []
    v = tree.head(h)
    if v is None or v.pos not in ("VERB", "AUX", "NOUN", "PROPN"):
        return []
    toks = [t for c in tree.kids(v, "nsubj", "obj", "xcomp", "nsubj:pass") if c.id != h.id
            for t in tree.subtree(c, skip=("acl", "acl:relcl", "parataxis"))]
    if v.pos in ("NOUN", "PROPN") and h.rel == "nsubj":  # "участниками встречи были X": X is the root
        toks = [t for t in tree.subtree(v, skip=("acl", "acl:relcl", "parataxis", "nsubj", "cop"))]
    return participants_of(ctx, tok, toks, False)


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
            return participants_of(ctx, tok, subj, False)
        if h.pos in ("VERB", "AUX"):
            return []
        cur = h
    return []


def _agrees(a, b) -> bool:
    if feat(a, "Case") != feat(b, "Case") or feat(a, "Number") != feat(b, "Number"):
        return False
    ga, gb = feat(a, "Gender"), feat(b, "Gender")
    return feat(a, "Number") == "Plur" or ga is None or gb is None or ga == gb


def _parents_in(ctx: Context, start: int, end: int) -> set[str]:
    """Names (casefolded) of organisations the phrase names only inside a sub-body's name
    ("заседание Совета глав правительств СНГ": СНГ is the council's parent, not a party)."""
    inside = [h for h in ctx.institutions if start <= h.start and h.end <= end]
    out = set()
    for h in inside:
        if any(o.institution_id != h.institution_id and o.start <= h.start and h.end <= o.end and
               o.end - o.start > h.end - h.start for o in inside):
            out.add(ctx.inst_name(h).casefold())
    return out


def _without_nested_clauses(tree: Tree, tok, own: list) -> list:
    """The trigger's subtree without the clauses that describe a noun inside it ("конференции ...
    в рамках процесса, инициированного Таджикистаном в 2018 году": 2018 dates the process)."""
    nested = [t for t in own if t.rel in ("acl", "acl:relcl") and t.head_id != tok.id]
    if not nested:
        return own
    drop = {x.id for t in nested for x in tree.subtree(t)}
    return [t for t in own if t.id not in drop]


def _place_right_after(ctx: Context, end: int):
    """"на сессии Совета ... ОДКБ в Астане": a "в"-place right after the phrase, wherever the
    parser hung it."""
    tree = ctx.tree
    i = bisect_left(ctx.tree_starts, end)
    if i + 1 >= len(tree.tokens):
        return None
    prep, t = tree.tokens[i], tree.tokens[i + 1]
    if prep.text.lower() not in ("в", "во") or prep.start - end > 1 or t.id not in ctx.loc_spans or \
            tree.head(prep) is not t:
        return None
    return place_at(tree, t, ctx.loc_spans)


def _where_antecedent(ctx: Context, tok):
    """"побывал с визитом в Москве, где принял участие в совещании": the place a "где"-clause
    governing the mention refers back to (the noun right before ", где")."""
    tree = ctx.tree
    cur = tok
    for _ in range(4):
        v = tree.head(cur)
        if v is None:
            return None
        if v.pos in ("VERB", "AUX"):
            break
        cur = v
    else:
        return None
    g = next((c for c in tree.kids(v) if c.text.lower() == "где" and tree.pos[c.id] < tree.pos[v.id]), None)
    if g is None:
        return None
    i = tree.pos[g.id]
    if i < 2 or tree.tokens[i - 1].text != "," or tree.tokens[i - 2].pos not in ("NOUN", "PROPN"):
        return None
    return place_at(tree, tree.tokens[i - 2], ctx.loc_spans)


def _outside_participles(tree: Tree, toks: list, subject: bool = True) -> list:
    """`toks` without the participle clauses inside them ("обсудили документы, регулирующие
    сотрудничество на Каспии": the Caspian is where the cooperation is, not the meeting) — but
    one on the subject says where the meeting is ("Находящийся в Бельгии президент встретился"),
    when the verb names no place of its own (`subject=False` drops that one too)."""
    drop = {x.id for t in toks if t.rel == "acl" and feat(t, "VerbForm") == "Part" and
            (not subject or tree.head(t) is None or tree.head(t).rel not in ("nsubj", "nsubj:pass"))
            for x in tree.subtree(t)}
    return [t for t in toks if t.id not in drop] if drop else toks


def _left_modifier(tree: Tree, tok) -> list:
    """"предстоящему в 2018 году в Казахстане саммиту", "состоявшемся 5 мая в Ташкенте заседании":
    the tokens between a status participle agreeing with the trigger and the trigger (the parser
    often hangs them elsewhere)."""
    i = tree.pos[tok.id] - 1
    start = tree.sentence(tok).start
    lo = max(0, i - 10)
    while i >= lo and tree.tokens[i].start >= start:
        t = tree.tokens[i]
        if t.pos in ("VERB", "AUX", "PUNCT", "CCONJ", "SCONJ") and feat(t, "VerbForm") != "Part":
            return []
        if t.pos != "ADP" and status_of_word(t) is not None and feat(t, "Case") == feat(tok, "Case") and \
                tree.pos[tok.id] - i > 2:
            return tree.tokens[i + 1:tree.pos[tok.id]]
        i -= 1
    return []


def _same_day(tree: Tree, toks: list) -> bool:
    """"в тот же день", "в этот же день": the day of the event told just before."""
    for t in toks:
        if lemma(t) == "день" and tree.has_case(t, "в", "во"):
            kids = {lemma(c) for c in tree.kids(t)}
            if kids & {"тот", "этот"} and "же" in kids | {x.text.lower() for x in tree.subtree(t)}:
                return True
    return False


@lru_cache(maxsize=1)
def frame_adverbs() -> frozenset[str]:
    return load_words("meeting_frame_adverbs", "ru")


def _here(tree: Tree, toks: list) -> bool:
    """"Здесь прошёл саммит": the meeting is where and when the sentence before says."""
    return any(t.rel == "advmod" and lemma(t) in frame_adverbs() for t in toks)


def _place_before(ctx: Context, tok):
    """The first place the sentence before the mention names."""
    tree = ctx.tree
    i = tree.sent_index(tok)
    if i == 0:
        return None
    return next((p for t in tree.sents[i - 1].tokens if t.id in ctx.loc_spans
                 and (p := place_at(tree, t, ctx.loc_spans))), None)


def _day_before(ctx: Context, tok, future: bool | None):
    """The last day-precise date written before the mention (in this or the two sentences before)."""
    lo = ctx.tree.sents[max(0, ctx.tree.sent_index(tok) - 2)].start
    best = None
    for e in ctx.dates:
        if e.start >= tok.start:
            break
        if e.start >= lo:
            best = e
    if best is None:
        return None
    r = resolve(best, ctx.published, future=future)
    return r if r and r[1] == "day" else None


def _event_participle(tree: Tree, part, tok, seq: list) -> bool:
    """A participle after the phrase describes the meeting: it agrees with the trigger, or it is a
    verb of the event taking place ("состоявшегося", "прошедшей") agreeing with a noun of the
    phrase ("заседании совета ..., состоявшегося в марте": the writer agreed it with the council)."""
    if _agrees(part, tok):
        return True
    return status_of_word(part) is not None and any(
        t.pos in ("NOUN", "PROPN") and t.id != tok.id and _agrees(part, t) for t in seq)


def _relative_verb(ctx: Context, tok, end: int, others: set[str], seq: list = ()):
    """The verb of a relative clause or participle right after the phrase ("переговоров с ...,
    которые прошли в среду в Ашхабаде", "переговоров, завершившихся в среду в Самарканде"),
    wherever the parser hung the clause."""
    tree, text = ctx.tree, ctx.tree.doc.text
    j = end
    while j < len(text) and text[j] in " ,":
        j += 1
    i = bisect_left(ctx.tree_starts, j)
    if i >= len(tree.tokens):
        return None
    first = tree.tokens[i]
    if feat(first, "VerbForm") == "Part" and first.pos in ("VERB", "AUX") and "," in text[end:j]:
        return first if _event_participle(tree, first, tok, seq) else None
    if lemma(first) == "который" and "," not in text[end:j]:
        return None
    if lemma(first) != "который":
        # "заседание Комитета ... (КМД) Союза в Минске, которое состоится ...": past the rest of the
        # name, a "который" agreeing with the trigger
        first = None
        stop = tree.sentence(tok).stop
        k = bisect_left(ctx.tree_starts, end)
        for t in tree.tokens[k:k + 12]:
            if t.start >= stop or t.pos in ("VERB", "AUX") or t.id in others:
                return None
            if lemma(t) == "который" and tree.tokens[tree.pos[t.id] - 1].text == ",":
                if feat(t, "Number") == feat(tok, "Number") and (
                        feat(t, "Number") == "Plur" or feat(t, "Gender") == feat(tok, "Gender")):
                    first = t
                break
        if first is None:
            return None
    v = tree.head(first)
    if v is None or v.pos not in ("VERB", "AUX") or v.rel != "acl:relcl":
        return None
    return v


def _relative_clause(ctx: Context, v, others: set[str]) -> list:
    """The arguments (dates, places) of that clause, not those of another meeting in it."""
    if v is None:
        return []
    return [t for c in ctx.tree.kids(v) if c.rel in ("obl", "advmod", "obl:tmod") and c.id not in others
            for t in ctx.tree.subtree(c, skip=("acl", "acl:relcl", "parataxis"), stop=lambda x: x.id in others)]


def _date_status(ctx: Context, d, yearless: bool, status: str | None, src: str) -> tuple[str | None, str]:
    """A date after publication makes the meeting planned, one before it past — unless a word
    of the text says otherwise (a yearless date already leans the way the status does)."""
    pub = ctx.published
    if d is None or pub is None or src == "word" or (yearless and status is not None):
        return status, src
    n = {"day": 10, "month": 7, "year": 4}.get(d[1], 10)
    a, b = d[0].isoformat()[:n], pub.isoformat()[:n]
    if a > b:
        return "planned", "date"
    if a < b and (d[1] == "day" or src == "tense"):
        return "past", "date"
    return status, src


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
        target.participants.extend(participant_union([participants_of(ctx, t, subj, False)], same_spelling, have))


def _subjects(tree: Tree, tok, args: list) -> list:
    """The subjects among the governing verb's arguments, whole ("Заседание провели
    сопредседатели оргкомитета – X и Y")."""
    roots = [t for t in args if t.rel in ("nsubj", "nsubj:pass")]
    out = []
    for r in roots:
        # the parser hangs the names after a dash as parataxis: they still belong to the subject
        out.extend(tree.subtree(r, skip=("acl", "acl:relcl", "advcl", "ccomp")))
    return out


MODE_HEADS = frozenset({"режим", "формат"})
FORMAT_NOUNS = frozenset({"состав", "режим"})


def _converb_subject(tree: Tree, tok) -> list:
    """"Открывая заседание, министр X предложил ...": the subject of the verb the converb
    hangs on opens (takes part in) the meeting."""
    h = tree.head(tok)
    if h is None or tok.rel not in ("obj", "obl") or feat(h, "VerbForm") != "Conv":
        return []
    v = tree.head(h)
    if v is None or v.pos not in ("VERB", "AUX"):
        return []
    subj = [t for c in tree.kids(v, "nsubj") for t in tree.subtree(c, skip=("acl", "acl:relcl", "parataxis"))]
    if subj or tree.pos[h.id] > tree.pos[v.id]:
        return subj
    # the parser lost the subject: what stands between the converb's clause and the verb
    last = max(tree.pos[t.id] for t in tree.subtree(h))
    return tree.tokens[last + 1:tree.pos[v.id]]


LEAD_VERBS = frozenset({"возглавить", "возглавлять", "представить", "представлять"})
DELEGATION_NOUNS = frozenset({"делегация", "часть", "сторона"})


def _delegation_heads(ctx: Context, out: list[Mention]) -> None:
    """"Делегации возглавили X и Y", "Армянскую делегацию возглавил X, азербайджанскую – Y":
    the heads (and the bodies the delegations come from) take part in the meeting named in
    this sentence before the verb, else the last one of the sentence before."""
    tree = ctx.tree
    if not out:
        return
    for v in tree.tokens:
        if lemma(v) not in LEAD_VERBS or v.pos != "VERB":
            continue
        dels = [c for c in tree.kids(v, "obj", "nsubj:pass", "nsubj") if lemma(c) in DELEGATION_NOUNS]
        if not dels:
            continue
        si = tree.sent_index(v)
        target = None
        for m in out:
            if m.sent == si and m.start < v.start or m.sent == si - 1:
                if m.role != "verb" or m.participants:
                    target = m
        if target is None:
            continue
        sent = tree.sentence(v)
        toks = [t for t in sent.tokens if t.start >= v.stop]
        toks += [t for d in dels for t in tree.subtree(d, skip=("acl", "acl:relcl", "parataxis"))
                 if t.id != d.id]
        found = participants_of(ctx, v, toks, False) + _delegation_bodies(ctx, dels)
        for t in [*toks, *(c for d in dels for c in tree.kids(d, "amod"))]:
            if t.pos == "ADJ" and (t.rel != "amod" or lemma(tree.head(t) or t) in DELEGATION_NOUNS):
                cn = country(lemma(t))
                if cn:
                    found.append(ParticipantHit(cn, ParticipantType.COUNTRY))
        have = {PARTICIPANT_KEY(p.name) for p in target.participants}
        target.participants.extend(participant_union([found], PARTICIPANT_KEY, have))


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


MATCH_NOUNS = frozenset({"встреча"})     # meeting nouns that a sports report uses for a match
SPORTS_EVIDENCE = 2                      # distinct sports words that make a text a sports report


def sports_report(tree: Tree) -> bool:
    """The text reports a game (`meeting_sport_words.txt`: "сборная", "матч", "гол", ...)."""
    words = sport_words()
    return len({lemma(t) for t in tree.tokens if lemma(t) in words}) >= SPORTS_EVIDENCE


@lru_cache(maxsize=1)
def sport_words() -> frozenset[str]:
    return load_words("meeting_sport_words", "ru")


@lru_cache(maxsize=1)
def time_nouns() -> frozenset[str]:
    return load_words("time_nouns", "ru")


@lru_cache(maxsize=1)
def site_nouns() -> frozenset[str]:
    return load_words("meeting_site_nouns", "ru")


def generic_plural(tree: Tree, tok) -> bool:
    """A plural meeting noun with a modifier that makes it a kind of event, not occurrences the text
    reports ("о зарубежных визитах руководства", "график ближайших визитов", "взаимных визитов на
    различных уровнях"): no meeting row. The modifiers are data (`meeting_generic_modifiers.txt`)."""
    if feat(tok, "Number") != "Plur" or lemma(tok) in ("переговоры",):
        return False
    return any(lemma(c) in generic_modifiers() for c in tree.kids(tok, "amod", "det"))


@lru_cache(maxsize=1)
def generic_modifiers() -> frozenset[str]:
    return load_words("meeting_generic_modifiers", "ru")


def _summit(tree: Tree, tok) -> bool:
    if any(lemma(t) in BILATERAL_WORDS for t in tree.subtree(tok, skip=NAME_SKIP)):
        return False
    if any(lemma(c) in SUMMIT_COMPLEMENTS and feat(c, "Number") == "Plur" for c in tree.kids(tok, "nmod")):
        return True
    i = tree.pos[tok.id] + 1
    nxt = tree.tokens[i] if i < len(tree.tokens) else None
    return nxt is not None and lemma(nxt) in SUMMIT_COMPLEMENTS and feat(nxt, "Number") == "Plur"


RECEIVED = frozenset({"делегация", "посол", "министр", "глава", "председатель", "президент", "премьер-министр",
                      "представитель", "руководитель", "замминистра", "заместитель", "губернатор", "генсек"})


def _verb_mention_ok(tree: Tree, tok, kind: str) -> bool:
    if lemma(tok) in ("принять", "принимать"):
        # «Шарипбаева принял министр»: receiving a person is a meeting; «принял решение/участие» is not
        objs = tree.kids(tok, "obj")
        if not objs:
            # «принял в Дворце нации президента Молдовы»: the parser hung the guest on the venue
            return any(lemma(t) in RECEIVED and feat(t, "Animacy") == "Anim" and feat(t, "Case") in ("Acc", "Gen")
                       and tree.pos[t.id] > tree.pos[tok.id]
                       for c in tree.kids(tok, "obl") for t in tree.subtree(c))
        return any(c.pos == "PROPN" and feat(c, "Animacy") != "Inan" or lemma(c) in RECEIVED for c in objs)
    if kind == "visit":
        # "посетил Армению": a visit; "посетил Аллею почетного захоронения / завод / выставку": a site, no party
        return any(c.rel in ("obj", "obl") and feat(c, "Case") == "Acc" and lemma(c) not in site_nouns()
                   for c in tree.kids(tok))
    # "встретился с ..." needs a partner; "министры встретятся" a plural subject
    if any(tree.has_case(c, *PARTNER_PREP) for c in tree.kids(tok, "obl", "nmod", "obj")):
        return True
    return any(feat(c, "Number") == "Plur" or tree.kids(c, "conj") for c in tree.kids(tok, "nsubj"))


def _add_new(parts: list[ParticipantHit], more: list[ParticipantHit]) -> None:
    """Add to `parts` those of `more` not yet named in exactly that spelling."""
    parts.extend(participant_union([more], same_spelling, {q.name for q in parts}))


def mentions(ctx: Context) -> list[Mention]:
    tree = ctx.tree
    found: list[tuple[object, str | None, str]] = []
    sports: bool | None = None      # the text reports a game: asked once, at its first "встреча"
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
        if _in_series(tree, tok) or _regular(tree, tok) or generic_plural(tree, tok):
            continue
        if lemma(tok) in MATCH_NOUNS:
            if sports is None:
                sports = sports_report(tree)
            if sports:
                continue    # "Встреча пройдет 3 февраля" in a football report is a match
        h = tree.head(tok)
        if h is not None and tok.rel == "nmod" and lemma(h) in ROUND_HEADS and role == "noun":
            tok = h  # "следующий раунд переговоров": the round is the occurrence
        if tok.id in ctx.inst_at and tok.text[:1].isupper() and tree.pos[tok.id] > 0 and \
                tree.tokens[tree.pos[tok.id] - 1].stop > tree.sentence(tok).start:
            continue  # "Совещание по сотрудничеству и развитию в Прикаспии" is an organisation
        if role == "verb" and not _verb_mention_ok(tree, tok, kind):
            continue
        if h is not None and tok.rel == "nmod" and lemma(h) in MODE_HEADS:
            continue  # "в режиме видеоконференции": how a meeting is held, not another one
        found.append((tok, kind, role))
    others = {t.id for t, _, _ in found}
    out: list[Mention] = []
    for tok, kind, role in found:
        status, src, hypo = mention_status(tree, tok) if role != "verb" else verb_status(tree, tok)
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
            stems = words = frozenset()
            anaphoric, distinct = True, False
        else:
            start, end, name, seq = phrase(tree, tok, others - {tok.id})
            own, args, via = region(tree, tok, others - {tok.id})
            stems = _content_stems(ctx, seq, tok)
            words = frozenset(lemma(t) for t in seq if t.id != tok.id and t.pos in ("NOUN", "PROPN", "ADJ", "NUM") and
                              not (t.id in ctx.loc_spans and tree.has_case(t, *PLACE_PREPS)) and
                              lemma(t) not in ANAPHORIC_DETERMINERS and lemma(t) not in status_words())
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
        rv = _relative_verb(ctx, tok, end, others - {tok.id}, seq) if role != "verb" else None
        if rv is not None and src != "word":
            s = status_of_word(rv)
            if s:
                status, src = s, "word"  # "форума, который пройдет в октябре"
        future = True if status == "planned" else False if status == "past" else None
        rel = _relative_clause(ctx, rv, others - {tok.id})
        near = _without_nested_clauses(tree, tok, own)
        left = _left_modifier(tree, tok) if role != "verb" else []
        expr = date_expr(ctx, near) or date_expr(ctx, left) or date_expr(ctx, adjacent_date(ctx, end)) or date_expr(ctx, rel) or \
            date_expr(ctx, args) or date_expr(ctx, own)
        d = resolve(expr, ctx.published, future=future) if expr is not None else None
        yearless = expr is not None and expr.year is None and expr.kind in ("day", "days", "range", "month")
        if yearless:
            ctx.yearless.add(tok.id)
        here = _here(tree, own + args)
        if d is None and (here or _same_day(tree, own + args)):
            d = _day_before(ctx, tok, future)
        place = place_of(ctx, own, visit) or place_of(ctx, left, visit) or _place_right_after(ctx, end) or place_of(ctx, rel, visit) or \
            place_of(ctx, _outside_participles(tree, args, subject=False), visit) or \
            place_of(ctx, _outside_participles(tree, args), visit)
        if place is None:
            place = _where_antecedent(ctx, tok)
        if place is None and here:
            place = _place_before(ctx, tok)
        if place is None and visit and role == "verb":
            place = next((p for c in tree.kids(tok, "obj") if (p := place_at(tree, c, ctx.loc_spans))), None)
        status, src = _date_status(ctx, d, yearless, status, src)
        if via:
            # "сообщил по итогам заседания его сопредседатель X": the speaker took part
            speakers = [x for t in args if t.rel == "nsubj" and lemma(tree.head(t) or t) in speech_verbs()
                        for x in tree.subtree(t, skip=("acl", "acl:relcl", "parataxis"))]
            parts = participants_of(ctx, tok, own + speakers, visit)
        elif anaphoric and role != "verb":
            subj = _subjects(tree, tok, args)
            parts = participants_of(ctx, tok, subj + [t for t in own if t.id in ctx.people.tok_span] +
                                  presence(tree, own + args), visit)
            if any(lemma(c) in ANAPHORIC_DETERMINERS for c in tree.kids(tok, "amod", "det")):
                who = ctx.people.speaker(tree.sent_index(tok))
                if who and PARTICIPANT_KEY(who) not in {PARTICIPANT_KEY(p.name) for p in parts}:
                    parts.append(ParticipantHit(who, ParticipantType.PERSON))
        else:
            parts = participants_of(ctx, tok, own + args, visit)
        _add_new(parts, _attendees(ctx, tok))
        _add_new(parts, _members(ctx, tok))
        if role != "verb":
            _add_new(parts, _delegation_bodies(ctx, own + args))
        parents = _parents_in(ctx, start, end)
        if parents:
            parts = [p for p in parts if p.participant_type != ParticipantType.INSTITUTION or
                     p.name.casefold() not in parents]
        if role != "verb":
            conv = participants_of(ctx, tok, _converb_subject(tree, tok), False)
            _add_new(parts, conv)
        m = Mention(tok=tok, kind=kind, role=role, sent=tree.sent_index(tok), start=start, end=end, name=name,
                    status=status, status_src=src, date=d[0] if d else None, precision=d[1] if d else None,
                    place=place, participants=parts,
                    anaphoric=anaphoric, distinct=distinct, forward=forward, stems=stems, words=words)
        out.append(m)
    _pronoun_attendees(ctx, out)
    _delegation_heads(ctx, out)
    return out

