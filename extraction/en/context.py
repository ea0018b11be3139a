"""Per-document indexes shared by the English rules, built once per `Doc`.

Ruler spans by token (institutions from the gazetteer, places, countries), institution hits by
token, the `People` resolver, the dateline end and date expressions by token, so the meeting and
mechanism grammars read one analysis.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span

from extraction.dateline import parse_dateline
from extraction.en.dates import DateExpr, find_dates
from extraction.en.nlp import SPANS_KEY
from extraction.hits import InstitutionHit


@dataclass
class Context:
    doc: Doc
    published: date | None
    text: str = ""
    place_span: dict[int, Span] = field(default_factory=dict)
    inst_span: dict[int, Span] = field(default_factory=dict)
    inst_at: dict[int, InstitutionHit] = field(default_factory=dict)
    dateline: int = 0                       # where the story proper starts
    reported: date | None = None            # the day the report speaks from (dateline, else publication)
    dates: list[DateExpr] = field(default_factory=list)
    date_at: dict[int, DateExpr] = field(default_factory=dict)
    people: object = None
    sent_index: dict[int, int] = field(default_factory=dict)
    sents: list[Span] = field(default_factory=list)

    def sent_of(self, tok) -> int:
        return self.sent_index[tok.i]


def build_context(doc: Doc, published: date | None) -> Context:
    from extraction.en.people import People

    ctx = Context(doc=doc, published=published, text=doc.text)
    for s in sorted(doc.spans[SPANS_KEY], key=lambda s: (s.start, -(s.end - s.start))):
        target = ctx.place_span if s.label_ in ("PLACE", "COUNTRY") else ctx.inst_span
        if any(i in target for i in range(s.start, s.end)):
            continue
        for i in range(s.start, s.end):
            target[i] = s
    ctx.sents = list(doc.sents)
    for si, s in enumerate(ctx.sents):
        for i in range(s.start, s.end):
            ctx.sent_index[i] = si
    line = parse_dateline(ctx.text, "en")
    ctx.dateline, ctx.reported = line.end, line.reported(published)
    ctx.dates = [e for e in find_dates(ctx.text) if e.start >= ctx.dateline]
    k = 0
    for e in ctx.dates:
        while k < len(doc) and doc[k].idx + len(doc[k]) <= e.start:
            k += 1
        j = k
        while j < len(doc) and doc[j].idx < e.end:
            ctx.date_at[j] = e
            j += 1
    ctx.people = People(ctx)
    return ctx


def add_institutions(ctx: Context, hits: list[InstitutionHit]) -> None:
    doc = ctx.doc
    starts = {t.idx: t.i for t in doc}
    for h in hits:
        i = starts.get(h.start)
        if i is None:
            continue
        while i < len(doc) and doc[i].idx < h.end:
            ctx.inst_at.setdefault(i, h)
            i += 1
