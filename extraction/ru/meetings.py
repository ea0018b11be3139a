"""Meetings in Russian text: trigger nouns and verbs over natasha's dependency tree.

`meeting_mentions` finds the mentions (a trigger from `meeting_triggers.tsv` with its
phrase, status, date, place and participants read off the tree); this module merges the
mentions of one real meeting (the noun and its anaphors: "данная встреча", "в ходе
беседы", "на заседаниях"), keeps distinct events apart (a planned session and the past
one, a visit and the talks during it) and makes one `MeetingHit` per cluster. Word sets
are data (`lexicons/ru/`); the exported rule `find_meetings` is last.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from natasha import Doc

from extraction.hits import InstitutionHit, MeetingHit, ParticipantHit, Sentence
from extraction.ru.clauses import Tree, lemma
from extraction.ru.context import Context, context
from extraction.ru.meeting_lexicon import ANAPHORIC_DETERMINERS, Mention, trigger_of
from extraction.ru.meeting_mentions import mentions
from schemas import DatePrecision, MeetingKind, MeetingStatus

__all__ = ["find_meetings", "trigger_of"]


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
        for c in clusters:
            if not _compatible(c, m):
                continue
            if m.role == "verb" and not any(abs(o.sent - m.sent) <= 1 for o in c.mentions):
                continue
            if m.forward and c.head.status != "planned":
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
    status = head.status
    for m in sorted(c.mentions, key=lambda x: x.start):
        if m.status and m.status_src == "word" and not (m.anaphoric and m.role != "verb" and
                                                        lemma_det(tree, m)):
            status = m.status
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
