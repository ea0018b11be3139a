"""Per-document indexes shared by the meeting and mechanism rules, built once per `Doc`.

Holds the dependency `Tree`, the `People` resolver, LOC spans by token, institution hits by
token, the dateline end and the date expressions (with their tokens), so both grammars
read the same analysis without rebuilding it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from natasha import Doc

from extraction.hits import InstitutionHit
from extraction.ru.clauses import Tree
from extraction.ru.dates import DateExpr, dateline_end, find_dates
from extraction.ru.people import People


@dataclass
class Context:
    doc: Doc
    tree: Tree
    people: People
    published: date | None
    institutions: list[InstitutionHit]
    loc_spans: dict[str, object] = field(default_factory=dict)
    inst_at: dict[str, InstitutionHit] = field(default_factory=dict)
    dateline: int = 0
    dates: list[DateExpr] = field(default_factory=list)
    date_tokens: dict[str, DateExpr] = field(default_factory=dict)


def context(doc: Doc, institutions: list[InstitutionHit], published: date | None) -> Context:
    """The document's context, cached on the `Doc` (one analysis, two grammars)."""
    cached = getattr(doc, "_eventwire_ctx", None)
    if cached is not None and cached.published == published and cached.institutions is institutions:
        return cached
    tree = Tree(doc)
    ctx = Context(doc=doc, tree=tree, people=People(doc, tree), published=published, institutions=institutions)
    for s in doc.spans:
        if s.type == "LOC":
            for t in s.tokens:
                ctx.loc_spans[t.id] = s
    by_start = {t.start: t for t in tree.tokens}
    for h in institutions:
        for t in tree.tokens:
            if h.start <= t.start < h.end:
                ctx.inst_at.setdefault(t.id, h)
    ctx.dateline = dateline_end(doc.text)
    ctx.dates = [e for e in find_dates(doc.text) if e.start >= ctx.dateline]
    i = 0
    toks = tree.tokens
    for e in ctx.dates:
        while i < len(toks) and toks[i].stop <= e.start:
            i += 1
        j = i
        while j < len(toks) and toks[j].start < e.end:
            ctx.date_tokens[toks[j].id] = e
            j += 1
    del by_start
    try:
        doc._eventwire_ctx = ctx
    except AttributeError:
        pass
    return ctx
