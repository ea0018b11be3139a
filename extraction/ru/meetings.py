"""Meetings in Russian text: trigger nouns and verbs over natasha's dependency tree.

`meeting_mentions` finds the mentions (a trigger from `meeting_triggers.tsv` with its
phrase, status, date, place and participants read off the tree); this module says how the
language-neutral engine (`extraction.engine.meetings`) merges the mentions of one real meeting
(the noun and its anaphors: "данная встреча", "в ходе беседы", "на заседаниях") and keeps
distinct events apart (a planned session and the past one, a visit and the talks during it) —
the Russian `RULES` — then adds what only Russian text needs (a lead's bare mention, parties
named earlier, speakers after the lead meeting) and has the engine make one `MeetingHit` per
cluster. Word sets are data (`lexicons/ru/`); the exported rule `find_meetings` is last.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from natasha import Doc

from extraction.engine.meetings import (
    DEFAULT_STATUS,
    PAST_AND_ONGOING,
    SAME_STEMS_SHARE,
    Cluster,
    HeadChoice,
    KindChoice,
    MeetingRules,
    Mention,
    ParticipantList,
    assemble,
    compatible,
    dated_by_publication,
    dates_conflict,
    dating_mention,
    first_status,
    first_word_status,
    participant_union,
)
from extraction.engine.meetings import merge as merge_mentions
from extraction.hits import InstitutionHit, MeetingHit, ParticipantHit, Sentence
from extraction.ru.clauses import Tree, feat, lemma, tense
from extraction.ru.context import Context, context
from extraction.ru.meeting_attributes import participants_of
from extraction.ru.meeting_lexicon import (
    ANAPHORIC_DETERMINERS,
    COUNT_WORDS,
    NAME_SKIP,
    PARTICIPANT_KEY,
    PARTY_NOUNS,
    ROLE_NOUNS,
    trigger_of,
)
from extraction.ru.meeting_mentions import mentions
from extraction.ru.people import speech_verbs
from extraction.ru.places import country_variants, place_at
from schemas import ParticipantType

__all__ = ["find_meetings", "trigger_of"]


def _decisive(m: Mention) -> bool:
    """A word or a date fixed the mention's status (a verb's tense is only a guess here: "встреча
    состоится" may report the planned one in a story about the held one)."""
    return m.status_src in ("word", "date")


# Two phrases of the same day name one meeting when they share this many stems, however long they
# are ("заседание Совета министров ... 5 мая" / "заседание Совета министров обороны ... 5 мая").
SAME_DAY_MIN_SHARED = 3
# A phrase whose every content word (at least this many) recurs in another is its short form.
SHORT_FORM_MIN_WORDS = 2


def _similar(c: Cluster, m: Mention) -> bool:
    """A named mention's words match a named mention of the cluster: SAME_STEMS_SHARE of their stems,
    SAME_DAY_MIN_SHARED stems on the same day, or one phrase a short form of the other."""
    for o in c.mentions:
        if o.anaphoric or not o.stems or not m.stems:
            continue
        inter = len(o.stems & m.stems)
        union = len(o.stems | m.stems)
        if inter / union >= SAME_STEMS_SHARE or (inter >= SAME_DAY_MIN_SHARED and o.date and m.date and o.date == m.date):
            return True
        short = min(len(o.words), len(m.words))
        if short >= SHORT_FORM_MIN_WORDS and len(o.words & m.words) == short:
            return True  # "третьего заседания Комиссии" shortens "третьего заседания Комиссии по ... сотрудничеству"
    return False


def _bare_visit(c: Cluster, m: Mention) -> bool:
    """"X находится с рабочим визитом ... Визит главы «Y»": an article's bare visit and the named
    one after it are one visit."""
    return m.kind == "visit" and all(o.anaphoric and o.role == "noun" for o in c.mentions)


TALK_KINDS = frozenset({"meeting", "talks"})
# kinds a bare mention may name one another by: talks are a meeting are a session; a forum is a conference
LOOSE_KINDS = (frozenset({"meeting", "talks", "session"}), frozenset({"forum", "conference"}))
# sentences after a bare meeting within which named talks are that meeting (a story's next paragraph)
BARE_TALKS_REACH = 5
# sentences after talks within which a bare session of another loose kind names them, and the score
# it costs (any antecedent of its own kind wins)
LOOSE_KIND_REACH = 2
LOOSE_KIND_PENALTY = 3
# a bare mention in the article's first sentences (0 and 1: a headline line and the lead) may
# announce the meeting named within LEAD_REACH sentences after it
LEAD_SENTENCES = 2
LEAD_REACH = 3


def _bare_talks(c: Cluster, m: Mention) -> bool:
    """"во время встречи в Ташкенте ... Переговоры министров продолжились в расширенном составе": a bare
    meeting and the named talks (or meeting) a few sentences on are one; a ceremony (a meeting)
    after bare talks is not."""
    return m.kind in TALK_KINDS and all(o.anaphoric and o.role == "noun" and o.kind in TALK_KINDS and
                                        (o.kind == m.kind or m.kind == "talks") and
                                        0 <= m.sent - o.sent <= BARE_TALKS_REACH and (o.status or m.status) == (m.status or o.status)
                                        for o in c.mentions)


def _alike(c: Cluster, m: Mention) -> bool:
    """A named mention may be the cluster's meeting: of its kind and alike in words (or a bare visit
    named later), or named talks right after bare ones."""
    return c.kind == m.kind and (_similar(c, m) or _bare_visit(c, m)) or _bare_talks(c, m)


def _antecedent_score(c: Cluster, m: Mention) -> int | None:
    """An anaphor's score for a compatible cluster; None when the cluster cannot be its antecedent."""
    if m.forward and c.head.status != "planned":
        return None
    ck = c.kind
    score = 0
    if m.kind and m.kind not in ("meeting",) and ck != m.kind and m.role != "verb":
        # "Переговоры состоялись ... Заседание проходило в закрытом режиме ...": a bare session
        # right after talks names them, when no session of its own is told
        # (held and under way agree when a verb's tense alone says which: "форум прошел ... на конференции выступают")
        a, b = c.head.status or m.status, m.status or c.head.status
        if not (any(m.kind in f and ck in f for f in LOOSE_KINDS) and
                (a == b or {a, b} == PAST_AND_ONGOING and m.status_src == "tense") and
                any(0 <= m.sent - o.sent <= LOOSE_KIND_REACH for o in c.mentions)):
            return None
        score -= LOOSE_KIND_PENALTY
    return score


def _starts_meeting(m: Mention) -> bool:
    """An anaphor with no antecedent makes a meeting of its own when it is a noun, or a verb that
    names the parties or tells a call or visit."""
    return m.role == "noun" or (m.role == "verb" and (bool(m.participants) or m.kind in ("call", "visit")))


RULES = MeetingRules(
    language="ru",
    # a bare anaphor's name is a case form of the noun ("переговорах"): count words, not letters
    head=HeadChoice.LONGEST_NAME,
    # a bare anaphor names its meeting's kind more exactly than the generic "встреча" of a named one
    kind=KindChoice.NAMED_THEN_SPECIFIC,
    # only a word or a date is decisive: a verb's tense is often the reporting clause's
    decisive=_decisive,
    alike=_alike,
    continues=None,
    antecedent_score=_antecedent_score,
    # a clashing status only lowers an anaphor's score a little: Russian status words are sparse
    status_clash_penalty=1,
    # "встретился с ..." reports the meeting of the same or the next sentence
    verb_reach=1,
    starts_meeting=_starts_meeting,
    participant_key=PARTICIPANT_KEY,
    added_participant_key=PARTICIPANT_KEY,
)


def _lead_status_ok(c: Cluster, m: Mention) -> bool:
    """A lead may announce what the body reports under way ("Саммит пройдет ... начался саммит"),
    never a held meeting as a planned one."""
    if not _decisive(m) or m.status is None:
        return True
    return all(not (o.status and _decisive(o)) or o.status == m.status or "ongoing" in (o.status, m.status)
               for o in c.mentions)


def _leading_anaphors(clusters: list[Cluster]) -> list[Cluster]:
    """A bare mention in the article's first two sentences, before its meeting is named ("Саммит
    впервые пройдет ... В Астане начался саммит ШОС"; a headline line), joins the first named
    meeting of its kind that follows within three sentences, when nothing of that kind came
    before it (date and place must agree; see `_lead_status_ok` for the status)."""
    out: list[Cluster] = []
    for c in clusters:
        if not all(m.anaphoric and m.role == "noun" for m in c.mentions):
            out.append(c)
            continue
        kind, first = c.kind, min(m.sent for m in c.mentions)
        if first >= LEAD_SENTENCES or any(o.kind == kind and o.head.start < c.head.start for o in out):
            out.append(c)
            continue
        later = [o for o in clusters if o is not c and o.head.start > c.head.start and o.kind == kind and
                 not o.head.anaphoric]
        target = min(later, key=lambda o: o.head.start, default=None)
        if target is None or target.head.sent - first > LEAD_REACH or \
                not all(compatible(target, m) and _lead_status_ok(target, m) for m in c.mentions):
            out.append(c)
            continue
        for m in c.mentions:
            m.status_src = "lead"  # the named meeting's own words fix its status
        target.mentions.extend(c.mentions)
    return out


# ------------------------------------------------------------------ parties named earlier

def _count(ctx: Context, m: Mention) -> tuple[int | None, bool, bool]:
    """How many parties the mention's phrase counts ("глав двух государств" → 2), whether
    they are countries ("стран", "государств", "сторон") and whether a role noun says
    persons take part ("лидеров", "глав")."""
    tree = ctx.tree
    n, countries, persons = None, False, False
    for t in tree.subtree(m.tok, skip=NAME_SKIP):
        if not m.start <= t.start < m.end:
            continue
        lem = lemma(t)
        if lem in COUNT_WORDS and n is None:
            n = COUNT_WORDS[lem]
            h = tree.head(t)
            if t.rel == "amod":
                countries = True  # "трехсторонняя встреча"
            elif h is not None and lemma(h) in PARTY_NOUNS:
                countries = True
        elif lem in PARTY_NOUNS and t.rel != "nmod" or lem in ("страна", "государство"):
            countries = True
        if lem in ROLE_NOUNS and t.id != m.tok.id:
            persons = True
    return n, countries, persons


def _countries_by_sentence(ctx: Context) -> list[list[str]]:
    if ctx.countries_by_sent is not None:
        return ctx.countries_by_sent
    tree = ctx.tree
    out: list[list[str]] = [[] for _ in tree.sents]
    for t in tree.tokens:
        if t.start < ctx.dateline or t.pos not in ("PROPN", "NOUN"):
            continue
        p = place_at(tree, t, ctx.loc_spans)
        if p is not None and p.kind == "country":
            row = out[tree.sent_index(t)]
            if p.name not in row:
                row.append(p.name)
    ctx.countries_by_sent = out
    return out


def _earlier_countries(by_sent: list[list[str]], sent: int, n: int | None) -> list[str]:
    """The parties a count refers back to: the nearest sentence (this one or before) naming
    exactly `n` countries, else the countries in the order the article first names them."""
    if n is not None:
        for i in range(sent, -1, -1):
            if len(by_sent[i]) == n:
                return list(by_sent[i])
    seen: list[str] = []
    for i in range(0, sent + 1):
        for c in by_sent[i]:
            if c not in seen:
                seen.append(c)
    return seen[:n] if n is not None else seen


def _inherit(ctx: Context, clusters: list[Cluster]) -> dict[int, list[ParticipantHit]]:
    """Participants for clusters that name none ("встреча глав двух государств", "следующее
    заседание комиссий"): the parties the article named earlier — countries for a count of
    countries, else the participants of the nearest earlier meeting that has some."""
    out: dict[int, list[ParticipantHit]] = {}
    by_sent = None
    order = sorted(range(len(clusters)), key=lambda i: clusters[i].head.start)
    named = {i: [p for m in clusters[i].mentions for p in m.participants] for i in order}
    for k, i in enumerate(order):
        if named[i]:
            continue
        head = clusters[i].head
        n, countries, persons = _count(ctx, head)
        before = [j for j in order[:k] if named[j]]
        if countries or (n is not None and not before):
            if by_sent is None:
                by_sent = _countries_by_sentence(ctx)
            got = _earlier_countries(by_sent, head.sent, n)
            if got:
                out[i] = [ParticipantHit(c, ParticipantType.COUNTRY) for c in got]
                continue
        if not before:
            continue
        if n is not None:
            # "руководителей трех железных дорог": the nearest earlier meeting with as many bodies
            for j in reversed(before):
                insts = [p for p in named[j] if p.participant_type == ParticipantType.INSTITUTION]
                if len(insts) == n:
                    out[i] = insts
                    break
            if i in out:
                continue
        kind = clusters[i].kind
        same = [j for j in before if clusters[j].kind == kind]
        src = named[(same or before)[-1]]
        keep = [p for p in src if persons or p.participant_type != ParticipantType.PERSON]
        if keep:
            out[i] = keep
    return out


def _as_written(ctx: Context, name: str | None) -> str | None:
    """A country under the name the article uses ("Кыргызстан", not the gazetteer's "Киргизия")."""
    variants = country_variants(name) if name else None
    if not variants or len(variants) < 2:
        return name
    used = {n for row in _countries_by_sentence(ctx) for n in row}
    return next((v for v in sorted(variants) if v in used and v != name), name) if name not in used else name


def _host_country(ctx: Context, c: Cluster) -> str | None:
    """The country a visit goes to (its place's country), under the name the article uses."""
    place = next((m.place for m in [c.head, *c.mentions] if m.place is not None), None)
    if place is None or not place.country:
        return None
    name = place.country
    variants = country_variants(name)
    if len(variants) > 1:
        used = {n for row in _countries_by_sentence(ctx) for n in row}
        name = next((v for v in sorted(variants) if v in used), name)
    return name


# ------------------------------------------------------------------ the exported rule

def _hit(ctx: Context, c: Cluster, inherited: list[ParticipantHit] = ()) -> MeetingHit:
    tree = ctx.tree
    head = c.head
    kind = c.kind or "meeting"
    # a bare anaphor's status word is only its determiner ("данная встреча"): no evidence
    status = first_word_status(c, lambda m: m.anaphoric and m.role != "verb" and lemma_det(tree, m)) or head.status
    if status is None:
        status = first_status(c)
    src = dating_mention(c)
    d, prec = (src.date, src.precision) if src is not None else (None, None)
    status = status or DEFAULT_STATUS
    if d is not None and src.tok.id in ctx.yearless:
        d = _lean(d, prec, status, ctx.published)
    if dated_by_publication(status, d is not None, ctx.reported):
        d, prec = ctx.reported, "day"
    loc = _as_written(ctx, head.location or next((m.location for m in c.mentions if m.location), None))
    parts = participant_union((m.participants for m in [head, *c.mentions]), RULES.participant_key)
    if not parts:
        parts = list(inherited) or _sentence_persons(ctx, head)
    if kind == "visit":
        host = _host_country(ctx, c)
        if host and RULES.participant_key(host) not in {RULES.participant_key(p.name) for p in parts}:
            parts.append(ParticipantHit(host, ParticipantType.COUNTRY))
    sent = tree.sentence(head.tok)
    return assemble(c, sentence=Sentence(sent.start, sent.stop), kind=kind, status=status, start_date=d,
                    precision=prec, location=loc, participants=parts)


def _sentence_persons(ctx: Context, m: Mention) -> list[ParticipantHit]:
    """The persons the mention's own sentence names (and their countries), for a meeting that
    found none in its phrase or clause: "По итогам переговоров президенты X и Y подписали ..."
    when the parse hangs the names where no rule reads them."""
    tree, people = ctx.tree, ctx.people
    found = ParticipantList(RULES.participant_key)
    for span in people.spans:
        if tree.sent_index(span.tokens[0]) != m.sent or span.start < ctx.dateline:
            continue
        name = people.resolve_span(span)
        found.add(name, ParticipantType.PERSON)
        for a in ctx.affiliations.get(name, ()):
            found.add(a.name, a.participant_type)
    return found.items


def _lean(d: date, prec: str | None, status: str, pub: date | None) -> date:
    """A date written without a year, moved to the nearest year consistent with the meeting's
    status: a planned meeting in a month already gone → next year, a past one in a month
    still ahead → last year."""
    if pub is None:
        return d
    n = {"day": 10, "month": 7}.get(prec or "day", 10)
    a, b = d.isoformat()[:n], pub.isoformat()[:n]
    shift = 1 if status == "planned" and a < b else -1 if status == "past" and a > b else 0
    if shift:
        try:
            return d.replace(year=d.year + shift)
        except ValueError:
            return d
    return d


def lemma_det(tree: Tree, m: Mention) -> bool:
    """The mention's status word is only a determiner ("данная"), weaker than a verb's."""
    return any(c.rel in ("amod", "det") and lemma(c) in ANAPHORIC_DETERMINERS for c in tree.kids(m.tok))


def _title_fits(ctx: Context, got: list[ParticipantHit]) -> bool:
    """A bare title resolved to a person ("министр заявил" → the minister named before) speaks
    only when the title names no other country than that person's ("Министр иностранных дел
    Казахстана" is not the Russian president named before)."""
    persons = [p.name for p in got if p.participant_type == ParticipantType.PERSON]
    if not persons:
        return False
    own = {a.name for n in persons for a in ctx.affiliations.get(n, ())}
    return all(p.name in own for p in got if p.participant_type == ParticipantType.COUNTRY)


BACKGROUND_OPENERS = ("ранее", "напомним", "как сообщалось", "как известно", "в прошлом году")


def _speakers_at_lead(ctx: Context, clusters: list[Cluster]) -> dict[int, list[ParticipantHit]]:
    """The article's lead meeting (reported in its first sentences, held or under way): the named
    persons who speak or propose in the sentences that follow it, up to the next other meeting,
    speak there ("Министр X, открывая совещание, ...", "X предложил ...")."""
    tree = ctx.tree
    if not clusters:
        return {}
    lead = min(range(len(clusters)), key=lambda i: clusters[i].head.start)
    c = clusters[lead]
    first = min(m.sent for m in c.mentions)
    if first >= LEAD_SENTENCES or (c.head.status or DEFAULT_STATUS) not in ("past", "ongoing") or c.kind == "call":
        return {}  # a call has only its two ends: who speaks after it did not join it
    other_sents = {m.sent for i, k in enumerate(clusters) if i != lead for m in k.mentions}
    out: list[ParticipantHit] = []
    verbs = speech_verbs()
    for si in range(first + 1, len(tree.sents)):
        if tree.sents[si].text.lstrip().lower().startswith(BACKGROUND_OPENERS):
            break  # "Ранее ...", "Напомним, ...": the story moves away from the meeting
        if si in other_sents:
            continue
        for v in tree.sents[si].tokens:
            v = tree.by_id.get(v.id, v)
            if v.pos != "VERB" or lemma(v) not in verbs or tense(v) != "past":
                continue
            subj = [t for k in tree.kids(v, "nsubj") for t in tree.subtree(k, skip=("acl", "acl:relcl"))]
            got = participants_of(ctx, v, subj, False)
            if any(ctx.people.person_at(t) or t.pos == "PROPN" and feat(t, "Animacy") == "Anim" for t in subj) or \
                    _title_fits(ctx, got):
                out.extend(got)
    return {lead: out} if out else {}


HOSTED_KINDS = frozenset({"meeting", "talks"})


def _visit_place(clusters: list[Cluster]) -> dict[int, str]:
    """Talks and meetings held during a visit the article reports ("X, прибывший в Бишкек с
    визитом, провел переговоры ...") take the visit's place when they state none: the one place
    of the article's visits under way or held (none when visits go to different places)."""
    visits = [c for c in clusters if c.kind == "visit" and (c.head.status or DEFAULT_STATUS) != "planned"]
    places = {m.location for c in visits for m in c.mentions if m.location}
    if len(places) != 1:
        return {}
    loc = places.pop()
    vdates = [m for c in visits for m in c.mentions if m.date]
    out: dict[int, str] = {}
    for i, c in enumerate(clusters):
        if c.kind not in HOSTED_KINDS or (c.head.status or DEFAULT_STATUS) == "planned":
            continue
        if any(m.location for m in c.mentions):
            continue
        if vdates and any(m.date and dates_conflict(vdates[0].date, "month", m.date, "month") for m in c.mentions):
            continue
        out[i] = loc
    return out


def find_meetings(doc: Doc, institutions: list[InstitutionHit], published: date | None) -> list[MeetingHit]:
    """One `MeetingHit` per real meeting the text reports, announces or recalls."""
    ctx = context(doc, institutions, published)
    clusters = _leading_anaphors(merge_mentions(mentions(ctx), RULES))
    inherited = _inherit(ctx, clusters)
    for i, extra in _speakers_at_lead(ctx, clusters).items():
        have = {RULES.added_participant_key(p.name) for m in clusters[i].mentions for p in m.participants}
        clusters[i].head.participants.extend(participant_union([extra], RULES.added_participant_key, have))
    hits = [_hit(ctx, c, inherited.get(i, ())) for i, c in enumerate(clusters)]
    for i, loc in _visit_place(clusters).items():
        hits[i] = replace(hits[i], location=loc)
    return hits
