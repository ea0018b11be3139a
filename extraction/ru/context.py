"""Per-document indexes shared by the meeting and mechanism rules, built once per `Doc`.

Holds the dependency `Tree`, the `People` resolver, LOC spans by token, institution hits by
token, the dateline end and the date expressions (with their tokens), so both grammars
read the same analysis without rebuilding it.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from natasha import Doc

from extraction.actors import actor
from extraction.dateline import parse_dateline
from extraction.hits import InstitutionHit, ParticipantHit
from extraction.ru.clauses import Tree, feat, lemma
from extraction.ru.dates import DateExpr, find_dates
from extraction.ru.normalize import to_nominative
from extraction.ru.people import People, titles
from extraction.ru.places import country, country_variants, place_at
from schemas import ParticipantType

# tokens that end the title before a person's name
TITLE_STOPS = frozenset({",", ".", ";", ":", "—", "–", "-", "(", ")"})
MAX_TITLE_TOKENS = 10


@dataclass
class Context:
    doc: Doc
    tree: Tree
    people: People
    published: date | None
    institutions: list[InstitutionHit]
    loc_spans: dict[str, object] = field(default_factory=dict)
    inst_at: dict[str, InstitutionHit] = field(default_factory=dict)
    dateline: int = 0                                               # where the story proper starts
    reported: date | None = None                                    # the day the report speaks from
    dates: list[DateExpr] = field(default_factory=list)
    date_tokens: dict[str, DateExpr] = field(default_factory=dict)
    hit_tokens: dict[int, list] = field(default_factory=dict)       # id(institution hit) → its tokens
    inst_names: dict[str, str] = field(default_factory=dict)        # institution id → full name as written
    affiliations: dict[str, list[ParticipantHit]] = field(default_factory=dict)  # person → title's bodies
    tree_starts: list[int] = field(default_factory=list)            # token start offsets, in order
    countries_by_sent: list[list[str]] | None = None                # countries each sentence names (lazy)
    yearless: set[str] = field(default_factory=set)                 # mention tokens dated without a year
    outer_at: dict[str, InstitutionHit] = field(default_factory=dict)  # token → the longest hit over it

    def inst_name(self, hit: InstitutionHit) -> str:
        return self.inst_names.get(hit.institution_id, hit.name)


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
    starts = [t.start for t in tree.tokens]
    ctx.tree_starts = starts
    for h in institutions:
        toks = tree.tokens[bisect_left(starts, h.start):bisect_left(starts, h.end)]
        ctx.hit_tokens[id(h)] = toks
        for t in toks:
            ctx.inst_at.setdefault(t.id, h)
            o = ctx.outer_at.get(t.id)
            if o is None or h.end - h.start > o.end - o.start:
                ctx.outer_at[t.id] = h
    line = parse_dateline(doc.text, "ru")
    ctx.dateline, ctx.reported = line.end, line.reported(published)
    _dateline_subject(tree, ctx.dateline)
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
    _full_names(ctx)
    _affiliations(ctx)
    try:
        doc._eventwire_ctx = ctx
    except AttributeError:
        pass
    return ctx


def _dateline_subject(tree: Tree, dateline: int) -> None:
    """"ИНТЕРФАКС-КАЗАХСТАН – Премьер-министр ... предложил": the parser makes the agency of the
    dateline the subject and the real subject its apposition; the apposition takes its place."""
    if not dateline:
        return
    for t in tree.tokens:
        if t.start >= dateline:
            break
        if t.rel not in ("nsubj", "nsubj:pass"):
            continue
        head = tree.head(t)
        real = next((a for a in tree.kids(t, "appos") if a.start >= dateline), None)
        if head is None or real is None:
            continue
        rel = t.rel
        tree.reattach(real, head, rel)
        tree.reattach(t, real, "dep")


def _hit_tokens(ctx: Context, h: InstitutionHit) -> list:
    """The hit's tokens, with a capitalised genitive complement the hit stopped short of
    ("комиссии Центральной Азии")."""
    tree = ctx.tree
    toks = list(ctx.hit_tokens.get(id(h), ()))
    if not toks:
        return toks
    ids = {t.id for t in toks}
    i = tree.pos[toks[-1].id] + 1
    while i < len(tree.tokens):
        t = tree.tokens[i]
        hd = tree.head(t)
        if not (t.text[:1].isupper() and t.pos in ("PROPN", "ADJ", "NOUN") and feat(t, "Case") == "Gen"
                and t.id not in ctx.inst_at and hd is not None and (hd.id in ids or
                                                                    (t.pos == "ADJ" and tree.head(hd) and tree.head(hd).id in ids))):
            break
        if ctx.loc_spans.get(t.id) is None and t.pos != "ADJ":
            break
        toks.append(t)
        ids.add(t.id)
        i += 1
    return toks


def _full_names(ctx: Context) -> None:
    """Each institution's name as the article gives it in full: the longest written form of
    its mentions, in the nominative (acronyms and coordinated spans left out)."""
    best: dict[str, tuple[int, str]] = {}
    for h in ctx.institutions:
        surf = h.surface
        if h.start < ctx.dateline or (surf.isupper() and " " not in surf) or " и " in surf:
            continue
        toks = _hit_tokens(ctx, h)
        if not toks:
            continue
        name = to_nominative(toks)
        n = len(name.split())
        if n > best.get(h.institution_id, (0, ""))[0]:
            best[h.institution_id] = (n, name)
    for h in ctx.institutions:
        full = best.get(h.institution_id)
        if full and full[0] >= len(h.name.split()):
            ctx.inst_names[h.institution_id] = full[1]


def _affiliations(ctx: Context) -> None:
    """The countries and bodies in the title before each named person ("министр энергетики
    Узбекистана Бахтиёр Юлдашев" → Узбекистан; "глава «Росатома»" → Росатом)."""
    tree, people = ctx.tree, ctx.people
    for span in people.spans:
        first = span.tokens[0]
        i = tree.pos.get(first.id)
        if i is None:
            continue
        window = []
        for t in reversed(tree.tokens[max(0, i - MAX_TITLE_TOKENS):i]):
            if t.text in TITLE_STOPS or t.id in people.tok_span or tree.sent_index(t) != tree.sent_index(first):
                break
            window.append(t)
        if not any(lemma(t) in titles() for t in window):
            continue
        name = people.resolve_span(span)
        out = ctx.affiliations.setdefault(name, [])
        have = {p.name for p in out}
        for t in reversed(window):
            hit = ctx.inst_at.get(t.id)
            got = None
            if hit is not None:
                got = ParticipantHit(ctx.inst_name(hit), ParticipantType.INSTITUTION)
            elif t.pos == "ADJ" and country(lemma(t)):
                got = ParticipantHit(country(lemma(t)), ParticipantType.COUNTRY)
            elif t.pos in ("PROPN", "NOUN") and feat(t, "Case") == "Gen":
                p = place_at(tree, t, ctx.loc_spans)
                if p is not None and p.kind == "country":
                    got = ParticipantHit(p.name, ParticipantType.COUNTRY)
            if got is not None and got.name not in have:
                have.add(got.name)
                out.append(got)
    _actor_countries(ctx)


def _actor_countries(ctx: Context) -> None:
    """A known actor's country when the article gives the person no title with a country or body
    ("Шавкат Мирзиёев" → Узбекистан), under the name the article gives that country
    ("Кыргызстан" or "Киргизия")."""
    written = {c for s in ctx.doc.spans if s.type == "LOC" for c in [country(s.normal or s.text)] if c}
    for span in ctx.people.spans:
        name = ctx.people.resolve_span(span)
        known = actor(name)
        if known is None or not known.country_ru:
            continue
        if ctx.affiliations.get(name):
            continue    # the article's own title wins ("Председатель Европейского совета Дональд Туск")
        variants = country_variants(known.country_ru)
        ctx.affiliations[name] = [ParticipantHit(next((v for v in sorted(variants) if v in written), known.country_ru),
                                                 ParticipantType.COUNTRY)]
