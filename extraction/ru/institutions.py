"""Named institutions in Russian text: gazetteer ∪ name grammar ∪ natasha NER ORG spans.

Order of trust, for overlapping candidates:
1. gazetteer aliases (any case form, acronyms; a national body takes the country after or
   before it: "МИД России", "российский МИД" → id ``mfa-ru``);
2. grammar phrases (`institution_grammar`): capitalised head phrase with its complements,
   named in the nominative; a phrase covered by a gazetteer match is dropped, a phrase
   longer than a generic gazetteer match at the same start wins;
3. NER ORG spans not overlapping 1–2 and not refused (countries, formats, datelines,
   `not_institutions.txt`).
"Name (ACR)" links the acronym to the name; the bare acronym later in the text resolves
to the same id. Unknown institutions get ``stable_id("institution", "ru", key)``.

A name made only of generic words ("Национальная компания", "Государственная инспекция":
adjectives from `institution_generic_adjectives.txt` and a head) names nothing. When its head
is an organ of an organisation (flag "o": "Исполнительный комитет", "Секретариат") it is that
organisation's organ, the nearest international organisation in the text completes it
("Исполнительный комитет СНГ"); otherwise it is refused, from every source. Facilities
(`institution_facilities.txt`: ГЭС, pipelines, corridors, ports, arenas) tagged ORG by the NER
are refused too; a facility run by a company is named by its company ("АО «...»").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from natasha import Doc

from extraction.gazetteer import Country, Entry, Gazetteer, gazetteer, is_acronym, token_keys
from extraction.hits import InstitutionHit, Sentence
from extraction.lexicons import load_words
from extraction.ru.institution_grammar import Phrase, find_phrases, heads
from extraction.ru.normalize import head_index, join_words, to_nominative
from extraction.ru.people import titles
from schemas import InstitutionKind, stable_id

_SPACES = re.compile(r"\s+")
_PAREN = re.compile(r"\s*[(/][^()/]{1,20}[)/]")
_FORMAT = re.compile(r"\S\s*[-–—+]\s*\S|\d\s*\+\s*\d")
_DATELINE = re.compile(r"\s*,\s*\d")


def institution_key(name: str) -> str:
    """The normalised key an unknown institution's id is derived from."""
    return _SPACES.sub(" ", name.casefold().replace("ё", "е")).strip(" «»\"'")


def unknown_id(name: str, lang: str = "ru") -> str:
    return stable_id("institution", lang, institution_key(name))


@dataclass
class _Cand:
    start: int                 # token indices (global), end exclusive
    end: int
    institution_id: str
    name: str
    kind: InstitutionKind
    source: str
    rule_id: str
    acronym: str | None = None
    confidence: float = 0.8
    entry: Entry | None = None
    country: Country | None = None


def _kind(value: str) -> InstitutionKind:
    try:
        return InstitutionKind(value)
    except ValueError:
        return InstitutionKind.OTHER


def _entry_cand(entry: Entry, country: Country | None, start: int, end: int, rule: str,
                country_gen: str | None = None) -> _Cand:
    """`country_gen`: the country's genitive as the text writes it ("Кыргызстана", not "Киргизии")."""
    if country is None:
        return _Cand(start, end, entry.id, entry.name_ru or entry.name_en, _kind(entry.kind), "gazetteer", rule,
                     entry.acronym_ru or None, 0.95, entry)
    gen = country_gen or country.gen_ru
    acronym = f"{entry.acronym_ru} {gen}" if entry.acronym_ru else None
    return _Cand(start, end, f"{entry.id}-{country.id}", f"{entry.name_ru} {gen}", _kind(entry.kind),
                 "gazetteer", rule, acronym, 0.95, entry, country)


def _gazetteer_cands(gaz: Gazetteer, toks, surfaces: list[str]) -> list[_Cand]:
    out = []
    i, n = 0, len(surfaces)
    while i < n:
        m = gaz.match(surfaces, i)
        if m is None or not isinstance(m.target, Entry) or not surfaces[i][:1].isupper():
            i += 1
            continue
        entry, start, end = m.target, i, m.end
        country, country_gen = None, None
        span = []                   # the words up to the head noun ("Советы" is often tagged ADJ)
        for t in toks[i:end]:
            span.append(t)
            if t.pos in ("NOUN", "PROPN") or t.lemma in heads().kinds:     # "Кабинете" tagged ADJ
                break
        if entry.national and any(t.feats.get("Number") == "Plur" for t in span) \
                and not any(t.lemma in heads().plural for t in span):  # "Советы безопасности стран", not "Вооруженные силы"
            i += 1
            continue
        if entry.national:
            j = end
            if j + 2 < n and surfaces[j] == "(" and is_acronym(surfaces[j + 1]) and surfaces[j + 2] == ")":
                j += 3
            cm = gaz.match_country(surfaces, j) if j < n else None
            if cm is not None and surfaces[j][:1].isupper() and (
                    _case_ok(toks[j]) or " ".join(surfaces[j:cm.end]) == cm.target.gen_ru):
                country, end = cm.target, cm.end
                if not any(is_acronym(x) for x in surfaces[j:end]) and toks[end - 1].feats.get("Case") == "Gen":
                    country_gen = " ".join(surfaces[j:end])
            elif i > 0 and toks[i - 1].pos == "ADJ":
                cm = gaz.match_country(surfaces, i - 1)
                if cm is not None and cm.end == i:
                    country, start = cm.target, i - 1
            if entry.country == "+" and country is None:
                i += 1
                continue
        out.append(_entry_cand(entry, country, start, end, "ru.institution.gazetteer", country_gen))
        i = end
    return out


def _case_ok(tok) -> bool:
    """A country after a body is its genitive complement (or an indeclinable acronym: РФ). The tagger's case
    for a form that is also dative or locative ("Киргизии") can flip with the analysis's floating point, so
    the caller also accepts the country's own genitive form."""
    return tok.feats.get("Case") in (None, "Gen") or is_acronym(tok.text)


def _text(doc: Doc, toks, start: int, end: int) -> str:
    return doc.text[toks[start].start:toks[end - 1].stop]


def _phrase_cand(doc: Doc, gaz: Gazetteer, toks, surfaces: list[str], p: Phrase) -> _Cand:
    acronym = surfaces[p.acronym[0]] if p.acronym else None
    if p.named:
        entry = gaz.resolve(_text(doc, toks, *p.named))
        if entry is not None:               # госкорпорация «Росатом», Государственная корпорация «Росатом»
            return _entry_cand(entry, None, p.start, p.end, "ru.institution.quoted")
    if p.acronym and p.acronym[1] + 1 == p.end:     # "Name (ACR)": the span is the name
        p = replace(p, end=p.acronym[0] - 1)
    if p.quoted:
        name = _text(doc, toks, *p.quoted)
        entry = gaz.resolve(name)
        if entry is not None:
            return _entry_cand(entry, None, p.start, p.end, "ru.institution.quoted")
        return _Cand(p.start, p.end, unknown_id(name), name, InstitutionKind.COMPANY, "grammar",
                     "ru.institution.quoted", None, 0.8)
    m = gaz.match(surfaces, p.start)
    if m is not None and m.end == p.end and isinstance(m.target, Entry) and not m.target.national:
        return _entry_cand(m.target, None, p.start, p.end, "ru.institution.grammar")
    if acronym:
        entry = gaz.resolve(acronym)
        acr_start = p.acronym[0] if p.acronym[0] < p.end else p.end
        if entry is not None and not entry.national:
            # "(ОДКБ)" after "Комитета ... Организации Договора о коллективной безопасности" names the complement
            inner = any((m := gaz.match(surfaces, k)) is not None and m.target is entry
                        for k in range(p.head + 1, acr_start))
            if not inner:
                return _entry_cand(entry, None, p.start, p.end, "ru.institution.grammar")
            acronym = None
    head = to_nominative(toks[p.start:p.head + 1], head=p.head - p.start)
    rest = _PAREN.sub("", _complement_text(doc, gaz, toks, surfaces, p.head + 1, p.end)) if p.end > p.head + 1 else ""
    name = join_words([head, rest]) if rest else head
    kind = _kind(heads().kinds.get(toks[p.head].lemma, "other"))
    return _Cand(p.start, p.end, unknown_id(name), name, kind, "grammar", "ru.institution.grammar", acronym, 0.8)


def _complement_text(doc: Doc, gaz: Gazetteer, toks, surfaces: list[str], start: int, end: int) -> str:
    """The complement as written, a known organisation in it by its acronym, so that "Совет министров
    иностранных дел Содружества Независимых Государств" and "... СНГ" get one name and one id."""
    parts, k, last = [], start, toks[start].start
    while k < end:
        m = gaz.match(surfaces, k)
        if m is not None and m.end <= end and isinstance(m.target, Entry) and not m.target.national \
                and m.target.acronym_ru and m.end - k > 1:
            parts.append(doc.text[last:toks[k].start] + m.target.acronym_ru)
            last = toks[m.end - 1].stop
            k = m.end
            continue
        k += 1
    parts.append(doc.text[last:toks[end - 1].stop])
    return "".join(parts)


def _generic(toks, start: int, end: int) -> bool:
    """Only generic adjectives and a head noun: "Национальная компания", "Исполнительного комитета"."""
    generic = load_words("institution_generic_adjectives", "ru")
    *mods, head = toks[start:end]
    if not mods and "o" not in heads().flags.get(head.lemma, ""):
        return False                        # "Сенат", "Парламент": a one-word name of its own
    return head.lemma in heads().kinds and all(t.lemma in generic for t in mods)


def _facility(toks, start: int, end: int) -> bool:
    """A facility or a route, not its operator: "Камбаратинская ГЭС-1", "Астана Арена"."""
    span = toks[start:end]
    h = head_index(span)
    words = load_words("institution_facilities", "ru")
    return any(t.lemma.split("-")[0] in words or t.text.split("-")[0].lower() in words
               for t in span[:len(span) if h is None else h + 1][-2:])


def _facility_acronyms(toks) -> set[str]:
    """Acronyms a text gives a facility: "газопровода ... Индия (ТАПИ)" — later "ТАПИ" is no institution."""
    words = load_words("institution_facilities", "ru")
    out = set()
    for i, t in enumerate(toks):
        # "(ТАПИ)", "(ТМТМ или Средний коридор)", "(КТЖ, ...)": the acronym opens the brackets
        if t.text == "(" and i + 2 < len(toks) and toks[i + 2].text in (")", ",", "или") \
                and is_acronym(toks[i + 1].text):
            for x in reversed(toks[max(0, i - 8):i]):
                if x.lemma in heads().kinds:
                    break
                if x.lemma.split("-")[0] in words:
                    out.add(toks[i + 1].text)
                    break
    return out


def _parent(gaz_cands: list[_Cand], sent_of: list[Sentence], start: int, end: int) -> _Cand | None:
    """The international organisation whose organ a bare "Исполнительный комитет" is: the nearest
    one named before it, else one right after it in its sentence."""
    orgs = [c for c in gaz_cands if c.entry is not None and not c.entry.national and c.entry.acronym_ru
            and c.entry.kind in ("international", "financial") and (c.end <= start or c.start >= end)]
    before = [c for c in orgs if c.end <= start and start - c.end <= 80]
    if before:
        return max(before, key=lambda c: c.end)
    after = [c for c in orgs if c.start >= end and c.start - end <= 8 and sent_of[c.start] == sent_of[start]]
    return min(after, key=lambda c: c.start) if after else None


def _refused(doc: Doc, gaz: Gazetteer, surfaces: list[str], start: int, end: int, name: str, text: str) -> bool:
    if _generic(doc.tokens, start, end) or _facility(doc.tokens, start, end):
        return True
    if institution_key(name) in load_words("not_institutions", "ru") or \
            institution_key(text) in load_words("not_institutions", "ru"):
        return True
    if _FORMAT.search(text):                    # "Центральная Азия – Россия", "С5+1"
        return True
    cm = gaz.match_country(surfaces, start)
    if cm is not None and cm.end >= end:        # a country named as an organisation
        return True
    if text.isupper() and _DATELINE.match(doc.text, doc.tokens[end - 1].stop):    # "БИШКЕК, 27 ноября"
        return True
    return not any(c.isalpha() for c in text)


_GLUED = re.compile(r"^[а-яё]+[А-ЯЁ]")


def _not_a_name(span) -> bool:
    """An NER organisation that is no name: two words glued where markup was lost
    ("фотобанкПрезидент"; company names in camel case start with a capital), or a post
    ("Национальный Лидер туркменского народа": its head is a title)."""
    if any(_GLUED.match(t.text) for t in span):
        return True
    h = head_index(span)
    return h is not None and span[h].lemma in titles()


def _overlaps(c: _Cand, others: list[_Cand]) -> bool:
    return any(c.start < o.end and o.start < c.end for o in others)


def _paren_acronym(surfaces: list[str], end: int) -> str | None:
    if end + 2 < len(surfaces) and surfaces[end] in {"(", "/"} and is_acronym(surfaces[end + 1]) \
            and surfaces[end + 2] in {")", "/"}:
        return surfaces[end + 1]
    return None


def find_institutions(doc: Doc) -> list[InstitutionHit]:
    gaz = gazetteer()
    toks = doc.tokens
    surfaces = [t.text for t in toks]
    sent_of: list[Sentence] = []
    phrases: list[Phrase] = []
    for sent in doc.sents:
        base = len(sent_of)
        sent_of.extend(Sentence(sent.start, sent.stop) for _ in sent.tokens)
        n_sent = len(sent.tokens)

        def known(j: int, base: int = base, n_sent: int = n_sent) -> int | None:
            m = gaz.match(surfaces, base + j)
            return m.end - base if m is not None and m.end - base <= n_sent and not m.target.national else None
        for p in find_phrases(sent.tokens, known):
            phrases.append(Phrase(p.start + base, p.head + base, p.end + base,
                                  (p.acronym[0] + base, p.acronym[1] + base) if p.acronym else None,
                                  (p.quoted[0] + base, p.quoted[1] + base) if p.quoted else None, p.rule,
                                  (p.named[0] + base, p.named[1] + base) if p.named else None))

    cands = _gazetteer_cands(gaz, toks, surfaces)
    grammar = []
    for p in phrases:
        cm = gaz.match_country(surfaces, p.start)
        if cm is not None and cm.end >= p.end:     # "Российская Федерация" is a country
            continue
        c = _phrase_cand(doc, gaz, toks, surfaces, p)
        if c.source == "grammar" and p.named is None and p.quoted is None and _generic(toks, p.start, p.end):
            parent = _parent(cands, sent_of, p.start, p.end) if "o" in heads().flags.get(toks[p.head].lemma, "") \
                else None
            if parent is None:
                continue
            c.name = f"{c.name} {parent.entry.acronym_ru}"
            c.institution_id, c.rule_id = unknown_id(c.name), "ru.institution.organ"
        grammar.append(c)
    # a generic gazetteer body ("Министерство экономики") loses to a longer name at the same start
    cands = [c for c in cands if not (c.entry is not None and c.entry.national and c.country is None and any(
        g.start == c.start and g.end > c.end and g.source == "grammar" for g in grammar))]
    known = list(cands)
    for g in grammar:
        # inside a known name, or starting inside one ("Совет [Федерации Федерального собрания]"): its complement
        if not any(c.start <= g.start < c.end and (g.end <= c.end or c.start < g.start) for c in known):
            cands.append(g)

    # "(ACR)" after a candidate names its acronym
    acronyms: dict[str, _Cand] = {}
    for c in cands:
        acr = c.acronym if c.source == "grammar" else _paren_acronym(surfaces, c.end)
        if acr is None:
            acr = _paren_acronym(surfaces, c.end)
        if acr and is_acronym(acr):
            known_entry = gaz.resolve(acr)
            if known_entry is not None and known_entry is not c.entry:
                continue        # "(ОДКБ)" after "Комитета ... ОДКБ" is the complement's acronym
            if c.acronym is None:
                c.acronym = acr
            acronyms.setdefault(acr, c)

    facility_acronyms = _facility_acronyms(toks)
    starts = [t.start for t in toks]            # in text order: the first token at or after a span is a bisection
    for span in doc.spans:
        if span.type != "ORG" or span.text in facility_acronyms:
            continue
        s = bisect_left(starts, span.start)
        if s == len(toks):
            continue
        e = s
        while e < len(toks) and toks[e].stop <= span.stop:
            e += 1
        if e <= s:
            continue
        name = span.normal or span.text
        h = head_index(toks[s:e])
        if name == span.text and h is not None and toks[s + h].feats.get("Case", "Nom") != "Nom":
            name = to_nominative(toks[s:e])         # natasha left "Кабинете министров" as written
        c = _Cand(s, e, unknown_id(name), name, InstitutionKind.OTHER, "ner", "ru.institution.ner", None, 0.7)
        if _overlaps(c, cands) or _refused(doc, gaz, surfaces, s, e, name, span.text) or _not_a_name(toks[s:e]):
            continue
        m = gaz.match(surfaces, s)
        if m is not None and m.end == e and isinstance(m.target, Entry) and not m.target.national:
            c = _entry_cand(m.target, None, s, e, "ru.institution.ner")
        elif e - s == 1 and surfaces[s] in acronyms:
            c.institution_id, c.name = acronyms[surfaces[s]].institution_id, acronyms[surfaces[s]].name
        acr = _paren_acronym(surfaces, e)
        if acr:
            c.acronym = acr
            acronyms.setdefault(acr, c)
        cands.append(c)

    # bare acronyms introduced earlier in the text
    if acronyms:
        for i, s in enumerate(surfaces):
            keys = [k[1:] for k in token_keys(s) if k.startswith("=")]
            hit = next((acronyms[k] for k in keys if k in acronyms), None)
            if hit is None:
                continue
            probe = _Cand(i, i + 1, hit.institution_id, hit.name, hit.kind, hit.source, "ru.institution.acronym")
            if not _overlaps(probe, cands):
                cands.append(replace(probe, acronym=hit.acronym, confidence=hit.confidence))

    cands.sort(key=lambda c: (c.start, c.end))
    hits = []
    for c in cands:
        start, end = toks[c.start].start, toks[c.end - 1].stop
        hits.append(InstitutionHit(
            start=start, end=end, surface=doc.text[start:end], institution_id=c.institution_id, name=c.name,
            acronym=c.acronym, kind=c.kind, language="ru", source=c.source, rule_id=c.rule_id,
            confidence=c.confidence, sentence=sent_of[c.start] if c.start < len(sent_of) else None))
    return hits
