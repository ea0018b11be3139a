"""Named institutions in English text: gazetteer spans ∪ name grammar, one id across languages.

1. Gazetteer: the `SpanRuler` spans built from ``institutions.tsv`` (English names, aliases and
   acronyms; an acronym only in capitals, a name only capitalised). A national body takes the
   country after or before it ("Ministry of Foreign Affairs of Kazakhstan", "Kazakh Foreign
   Ministry", "Kazakhstan's Foreign Ministry" → ``mfa-kz``, the id the Russian "МИД Казахстана"
   gets); a body that needs its country ("Government") is skipped without one.
2. Grammar: a capitalised phrase around an institution head (``institution_heads.tsv``):
   capitalised modifiers before it ("Crisis Response", a known acronym "CSTO"), complements
   after it joined by of/for/on/and ("Council of Heads of State of the SCO"); titles, persons
   and a following name end it.
"Name (ACR)" links the acronym to the name; the bare acronym later resolves to the same id.
Unknown institutions get ``stable_id("institution", "en", key)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extraction.gazetteer import Country, Entry, gazetteer, is_acronym
from extraction.hits import InstitutionHit, Sentence
from extraction.lexicons import load_table, load_words
from extraction.names import name_key
from schemas import InstitutionKind, stable_id

_SPACES = re.compile(r"\s+")
CONNECTORS = frozenset({"of", "for", "on", "and", "the", "&"})
MAX_TOKENS = 16
NAMED_AFTER = frozenset({"university", "institute", "academy", "foundation", "fund", "center", "centre", "museum",
                         "library", "school", "hospital", "college"})
LEGAL_FORMS = frozenset({"holding", "inc", "inc.", "jsc", "cjsc", "ojsc", "pjsc", "llc", "llp", "ltd", "ltd.", "plc"})
COMPANY_KINDS = frozenset({"company", "financial"})


@lru_cache(maxsize=1)
def heads() -> dict[str, str]:
    return {r["head"]: r["kind"] for r in load_table("institution_heads", "en")}


@lru_cache(maxsize=1)
def refused() -> frozenset[str]:
    return load_words("not_institutions", "en")


@lru_cache(maxsize=1)
def _country_ids() -> dict[str, Country]:
    gaz = gazetteer()
    return {r["form"]: gaz.countries[r["id"]] for r in load_table("countries", "en") if r["id"] in gaz.countries}


def institution_key(name: str) -> str:
    """The normalised key an unknown institution's id is derived from."""
    return _SPACES.sub(" ", name.casefold()).strip(" \"'“”")


def unknown_id(name: str) -> str:
    return stable_id("institution", "en", institution_key(name))


def _kind(value: str) -> InstitutionKind:
    try:
        return InstitutionKind(value)
    except ValueError:
        return InstitutionKind.OTHER


@dataclass
class _Cand:
    start: int                  # token indices, end exclusive
    end: int
    institution_id: str
    name: str
    kind: InstitutionKind
    source: str
    rule_id: str
    acronym: str | None = None
    confidence: float = 0.8
    entry: Entry | None = None
    aliases: list[str] = field(default_factory=list)


def _entry_cand(entry: Entry, country: Country | None, start: int, end: int, rule: str) -> _Cand:
    if country is None:
        return _Cand(start, end, entry.id, entry.name_en or entry.name_ru, _kind(entry.kind), "gazetteer", rule,
                     entry.acronym_en or None, 0.95, entry)
    return _Cand(start, end, f"{entry.id}-{country.id}", f"{entry.name_en} of {country.name_en}", _kind(entry.kind),
                 "gazetteer", rule, None, 0.95, entry)


def _country_at(ctx, i: int) -> tuple[Country | None, int]:
    """A country named by the ruler span at token i: (country, end token) or (None, i)."""
    span = ctx.place_span.get(i)
    if span is None or span.label_ != "COUNTRY" or span.start != i:
        return None, i
    return _country_ids().get(span.id_.lower()), span.end


def _gazetteer_cands(ctx) -> list[_Cand]:
    doc, gaz = ctx.doc, gazetteer()
    out: list[_Cand] = []
    seen: set[int] = set()
    for i in sorted(ctx.inst_span):
        span = ctx.inst_span[i]
        if span.start in seen:
            continue
        seen.add(span.start)
        eid, _, how = span.id_.partition("|")
        entry = gaz.entries.get(eid)
        text = span.text
        if entry is None or (how == "acr" and text != text.upper()) or (how == "name" and not text[:1].isupper()):
            continue
        start, end, country = span.start, span.end, None
        if entry.national:
            j = end
            if j + 1 < len(doc) and doc[j].lower_ == "of":
                k = j + 1
                if doc[k].lower_ == "the":
                    k += 1
                if k + 1 < len(doc) and doc[k].lower_ == "republic" and doc[k + 1].lower_ == "of":
                    k += 2
                c, e = _country_at(ctx, k)
                if c is not None:
                    country, end = c, e
            if country is None and start > 0:
                k = start - 1
                if doc[k].tag_ == "POS" and k > 0:
                    k -= 1
                span_c = ctx.place_span.get(k)
                if span_c is not None and span_c.label_ == "COUNTRY":
                    c = _country_ids().get(span_c.id_.lower())
                    if c is not None:
                        country, start = c, span_c.start
            if entry.country == "+" and country is None:
                continue
        out.append(_entry_cand(entry, country, start, end, "en.institution.gazetteer"))
    return out


def _cap(t) -> bool:
    return t.text[:1].isupper() and t.is_alpha or is_acronym(t.text)


DASHES = frozenset({"-", "–", "—"})
PARENTS = frozenset({"president", "government", "cabinet", "ministry", "prime"})


def _parent_ministry(doc, k: int) -> bool:
    """A ministry's name starts at k ("Ministry of ...", "Interior Ministry")."""
    j = k
    while j < len(doc) and j - k < 3 and doc[j].text[:1].isupper():
        if doc[j].lower_ == "ministry":
            return True
        j += 1
    return False


def _countries_pair(ctx, a: int, b: int) -> bool:
    """Tokens a and b both name countries ("Uzbek-Kyrgyz", "Kazakhstan–China")."""
    return all(k in ctx.place_span and ctx.place_span[k].label_ == "COUNTRY" for k in (a, b))


ORGAN_HEADS = frozenset({"council", "committee", "commission", "secretariat", "assembly", "board", "conference"})


def _international(span) -> bool:
    """A known international organisation (guideline 13: its organs are named with it)."""
    entry = gazetteer().resolve(span.text)
    return entry is not None and entry.kind == "international" and not entry.national


INDEFINITE = frozenset({"a", "an"})
MAX_PREMODIFIERS = 3


def _indefinite(doc, s: int) -> bool:
    """The phrase at `s` is introduced by "a"/"an", past up to three lower-case modifiers
    ("a new regional Water Council"): a kind of body, not a named one."""
    k = s - 1
    while k >= 0 and s - k <= MAX_PREMODIFIERS + 2 and doc[k].lower_ not in INDEFINITE and \
            (doc[k].text.islower() and doc[k].pos_ in ("ADJ", "NUM", "ADV", "NOUN", "VERB")
             or doc[k].text in DASHES and not doc[k].whitespace_):
        k -= 1
    return k >= 0 and doc[k].lower_ in INDEFINITE


def _grammar_cands(ctx, people) -> list[_Cand]:
    doc = ctx.doc
    from extraction.en.people import titles
    out: list[_Cand] = []
    n = len(doc)
    last_end = 0
    for h in doc:
        if h.i < last_end or h.lower_ not in heads() or not h.text[:1].isupper() or h.idx < ctx.dateline:
            continue
        sent = ctx.sents[ctx.sent_index[h.i]]
        # left: capitalised modifiers
        s = h.i
        while s - 1 >= sent.start:
            t = doc[s - 1]
            if t.tag_ == "POS" and s - 2 >= sent.start and _cap(doc[s - 2]) and s - 2 not in people.tok_name \
                    and s - 2 not in ctx.place_span and s - 2 not in ctx.inst_span:
                s -= 1          # "Prosecutor's Office"
                continue
            if t.text in DASHES and not t.whitespace_ and s - 2 >= sent.start and not doc[s - 2].whitespace_ and \
                    _cap(doc[s - 2]) and (s - 2 not in people.tok_name or h.lower_ in NAMED_AFTER) and \
                    (s - 2 not in ctx.place_span or _countries_pair(ctx, s - 2, s)):
                s -= 2          # "Samruk-Kazyna JSC", "Kazakhstan–China Business Council"
                continue
            if t.i in people.tok_name and h.lower_ in NAMED_AFTER and _cap(t) and t.lower_ not in titles() and \
                    (s == h.i or s - 1 >= sent.start and doc[s - 1].i in people.tok_name or doc[s].i not in people.tok_name):
                s -= 1          # "Al-Farabi Kazakh National University", "Heydar Aliyev Foundation"
                continue
            if t.lower_ == "and" and s < h.i and s - 2 >= sent.start and _cap(doc[s - 2]) and \
                    doc[s - 2].lower_ not in heads() and s - 2 not in ctx.place_span and s - 2 not in people.tok_name \
                    and s - 2 not in ctx.inst_span:
                s -= 1          # "Road Maintenance and Transportation Organization"
                continue
            if not _cap(t) or t.lower_ in titles() or t.i in people.tok_name or t.lower_ in ("the", "a", "an") or \
                    t.i in ctx.date_at or ("\n" in t.whitespace_):
                break
            s -= 1
        while s < h.i and doc[s].lower_ == "and":
            s += 1
        # right: complements joined by connectors
        e = h.i + 1
        while e < min(n, sent.end) and e - s < MAX_TOKENS:
            t = doc[e]
            if _cap(t) and t.i not in people.tok_name and t.lower_ not in titles() and t.i not in ctx.date_at and \
                    (doc[e - 1].lower_ in CONNECTORS or doc[e - 1].lower_ in heads() or _cap(doc[e - 1])) and \
                    not (doc[e - 1].i == h.i and t.i not in ctx.inst_span and t.lower_ not in heads()):
                e += 1
                continue
            if t.lower_ in CONNECTORS and e + 1 < n and (_cap(doc[e + 1]) or (doc[e + 1].lower_ == "the" and e + 2 < n
                                                                             and _cap(doc[e + 2]))):
                nxt = e + 1 if doc[e + 1].lower_ != "the" else e + 2
                if t.lower_ == "of" and doc[e + 1].lower_ == "the" and e - s >= 3 and \
                        (_parent_ministry(doc, nxt) or nxt in ctx.inst_span and ctx.inst_span[nxt].start == nxt
                         and not (h.lower_ in ORGAN_HEADS and _international(ctx.inst_span[nxt]))):
                    break       # "National Hydrometeorology Service of the Ministry of Ecology": two bodies
                    #             ("Council of Heads of Government of the CIS" is the organisation's organ: one)
                if doc[nxt].i in people.tok_name or doc[nxt].lower_ in titles() or nxt in ctx.date_at:
                    break
                if t.lower_ == "and" and nxt + 1 < n and doc[nxt + 1].tag_ == "POS":
                    break               # "Agency for Atomic Energy and Russia's ...": the name ends
                if t.lower_ == "and" and nxt in ctx.inst_span and ctx.inst_span[nxt].start == nxt:
                    break               # "... Agency for Atomic Energy and Rosatom": a known name starts
                if t.lower_ == "and":
                    # "Ministry of Internal Affairs and Prosecutor's Office": two institutions
                    k = nxt
                    while k < n and (_cap(doc[k]) or doc[k].tag_ == "POS"):
                        if doc[k].lower_ in heads():
                            break
                        k += 1
                    if k < n and doc[k].lower_ in heads():
                        break
                e = nxt
                continue
            if t.text in DASHES and not t.whitespace_ and e + 1 < n and _cap(doc[e + 1]) and \
                    doc[e + 1].lower_ in titles() | {"general"}:
                e += 2          # "Directorate-General for Trade"
                continue
            if t.lower_ == "under" and e + 2 < n and doc[e + 1].lower_ == "the" and doc[e + 2].lower_ in PARENTS:
                e += 3          # "Security Council under the President of Uzbekistan"
                continue
            if t.text == "(" and e + 2 < n and doc[e + 2].text == ")" and e + 3 < n and doc[e + 3].lower_ in CONNECTORS \
                    and e + 4 < n and _cap(doc[e + 4]):
                e += 3
                continue
            if t.tag_ == "POS" and e + 1 < n and doc[e + 1].lower_ in heads():   # "Prosecutor's Office"
                e += 1
                continue
            if t.lower_ in CONNECTORS:
                q = _quoted_name_end(doc, e + 2 if e + 1 < n and doc[e + 1].lower_ == "the" else e + 1, sent.end)
                if q is not None:
                    e = q       # "Union of Legal Entities of the “Trans-Caspian ... Route” association"
                    continue
            break
        while e > h.i + 1 and (doc[e - 1].lower_ in CONNECTORS or doc[e - 1].text in "(-"):
            e -= 1
        if e - 3 > h.i and doc[e - 1].text == ")" and doc[e - 3].text == "(":
            e -= 3              # "Name (ACR)": the acronym is paired, not part of the name
        if doc[s].tag_ == "POS" or (s < h.i and doc[h.i - 1].tag_ == "POS" and s == h.i - 1):
            s = h.i
        after = doc[e] if e < n else None
        if after is not None and after.text[:1].isupper() and after.is_alpha and not after.is_sent_start and \
                after.i not in people.tok_name and after.lower_ not in titles() and after.i not in ctx.place_span \
                and after.i not in ctx.inst_span and after.i not in ctx.date_at:
            continue            # inside a longer name: "the China–Central Asia Railway Cooperation Forum"
        if s >= 2 and doc[s - 1].lower_ == "of" and doc[s - 2].lower_ in titles() and e < n and \
                e in people.tok_name and heads().get(h.lower_) not in COMPANY_KINDS:
            continue            # "Minister of Territorial Administration and Infrastructure Gevorg Abrahamyan": a post
            #                     ("President of Kazakh Railways Askar Name" heads a company: a name)
        if _indefinite(doc, s) and not (e < n and doc[e].text.islower() and doc[e].pos_ == "NOUN"):
            continue            # "a five-sided Business Council": a body being proposed, not a name (guideline 7)
            #                     ("a Turkish Airlines flight": the article is the flight's)
        if e - s < 2 or (h.lower_ == "group" and any(t.lower_ in ("working", "task", "contact") for t in doc[s:h.i])):
            continue            # a working group is a mechanism (guideline 7)
        if h.lower_ in LEGAL_FORMS and h.i - 1 in ctx.inst_span:
            continue            # "Samruk-Kazyna JSC": the known name with its legal form
        text = doc[s:e].text
        name = _SPACES.sub(" ", text)
        place = ctx.place_span.get(s)
        if place is not None and place.end >= e:
            continue            # "Russian Federation" is a country
        if institution_key(name) in refused() or all(t.i in ctx.place_span for t in doc[s:h.i]) and s < h.i and \
                e == h.i + 1 and h.lower_ not in ("parliament", "government"):
            # "Kazakh Council" alone is too generic to be a name; "Central Asia" refused
            if institution_key(name) in refused():
                continue
        if any(t.i in ctx.inst_span for t in doc[s:e]):
            # a known name covering the whole phrase wins
            span = ctx.inst_span.get(s)
            if span is not None and span.start == s and span.end >= e:
                continue
        out.append(_Cand(s, e, unknown_id(name), name, _kind(heads().get(h.lower_, "other")), "grammar",
                         "en.institution.grammar", None, 0.8))
        last_end = e
    return out


@lru_cache(maxsize=1)
def descriptors() -> frozenset[str]:
    return load_words("company_descriptors", "en")


@lru_cache(maxsize=1)
def _event_words() -> frozenset[str]:
    """Heads of mechanisms and meetings: a phrase ending in one is not a company ("Middle Corridor")."""
    return frozenset({r["head"] for r in load_table("mechanism_heads", "en")} |
                     {r["lemma"] for r in load_table("meeting_triggers", "en")} | {"field", "deposit", "project"})


BASED = frozenset({"based", "headquartered"})
SURNAME_ENDINGS = ("ov", "ova", "ev", "eva", "yev", "enko", "yan", "ian", "shvili", "dze", "uly", "kyzy", "vich")


def _name_run(ctx, people, i: int, limit: int = 4, persons: bool = False) -> int:
    """End of a run of capitalised name tokens starting at i (i when there is none)."""
    from extraction.en.people import titles
    doc, n = ctx.doc, len(ctx.doc)
    j = i
    while j < n and j - i < limit:
        t = doc[j]
        if t.text == "-" and j > i and not t.whitespace_ and not doc[j - 1].whitespace_ and j + 1 < n:
            j += 1
            continue
        if not (_cap(t) and (t.is_alpha or is_acronym(t.text))) or t.is_stop or t.i in people.tok_name and \
                not persons or name_key(t.text) in people.full and not persons or \
                t.i in ctx.place_span or t.lower_ in titles() or t.i in ctx.date_at or t.lower_ in heads() or \
                t.lower_ in _event_words() or t.idx < ctx.dateline:
            break
        j += 1
    while j > i and doc[j - 1].text == "-":
        j -= 1
    return j


def _company(ctx, people, s: int, e: int, rule: str) -> _Cand | None:
    doc = ctx.doc
    if e <= s or any(t.i in ctx.inst_span for t in doc[s:e]) or all(t.i in ctx.place_span for t in doc[s:e]):
        return None
    if e - s == 1 and doc[s].lower_.endswith(SURNAME_ENDINGS) and not is_acronym(doc[s].text):
        return None             # "Azerbaijan's Aliyev": a person
    name = _SPACES.sub(" ", doc[s:e].text)
    if institution_key(name) in refused():
        return None
    return _Cand(s, e, unknown_id(name), name, InstitutionKind.COMPANY, "grammar", rule, None, 0.7)


@lru_cache(maxsize=1)
def _name_endings() -> tuple[str, ...]:
    return tuple(load_words("company_name_endings", "en"))


def _company_like(ctx, span) -> bool:
    """An acronym, an inner capital ("KfW"), a company ending ("Gazprom") or a company word in the sentence."""
    last = span[-1].text
    if any(is_acronym(t.text) or any(ch.isupper() for ch in t.text[1:]) for t in span) or \
            last.lower().endswith(_name_endings()):
        return True
    sent = ctx.sents[ctx.sent_index[span[0].i]]
    return any(t.lemma_.lower() in descriptors() and t.text.islower() for t in sent)


def _company_cands(ctx, people) -> list[_Cand]:
    """Companies the gazetteer does not know, named next to a word that says what they are:
    "fuel company TVEL", "grid operators Azerenerji, KEGOC and ...", "Romania's Transelectrica",
    "KfW development bank", "Georgian State Electrosystem (GSE)"."""
    doc, n = ctx.doc, len(ctx.doc)
    out: list[_Cand] = []
    for d in doc:
        if d.i < ctx.dateline:
            continue
        # a descriptor before the name, a list after a plural one
        if d.text.islower() and d.lemma_.lower() in descriptors() and d.pos_ == "NOUN":
            i = d.i + 1
            while True:
                e = _name_run(ctx, people, i, persons=True)      # "firm Kalyon Enerji" is no person
                if e == i or e < n and (doc[e].text[:1].isupper() and doc[e].is_alpha):
                    break
                c = _company(ctx, people, i, e, "en.institution.descriptor")
                if c is None:
                    break
                out.append(c)
                if d.tag_ != "NNS":
                    break
                k = e
                if k < n and doc[k].text == ",":
                    k += 1
                if k < n and doc[k].lower_ == "and":
                    k += 1
                if k == e:
                    break
                i = k
        # "Country's Name": a possessive of a country before a name that is not a person's
        if d.tag_ == "POS" and d.i > 0 and (doc[d.i - 1].i in ctx.place_span and
                                            ctx.place_span[d.i - 1].label_ == "COUNTRY"):
            i = d.i + 1
            e = _name_run(ctx, people, i, 3)
            if e > i and not (e < n and (doc[e].text[:1].isupper() and doc[e].is_alpha)):
                nxt = doc[e] if e < n else None
                if nxt is None or not (nxt.pos_ == "NOUN" and nxt.text.islower() and nxt.lemma_.lower()
                                       not in descriptors() and not (e + 1 < n and doc[e + 1].lemma_.lower()
                                                                     in descriptors())):
                    c = _company(ctx, people, i, e, "en.institution.possessive")
                    if c is not None and _company_like(ctx, doc[i:e]):
                        out.append(c)
        # a name right before a descriptor ("KfW development bank")
        if d.text.islower() and d.lemma_.lower() in descriptors() and d.pos_ == "NOUN":
            k = d.i - 1
            while k > 0 and doc[k].text.islower() and doc[k].pos_ in ("NOUN", "ADJ") and d.i - k <= 2:
                k -= 1
            e = k + 1
            s = e
            while s - 1 >= 0 and e - s < 3 and _name_run(ctx, people, s - 1, e - s + 1) == e:
                s -= 1
            if s < e and (s == 0 or doc[s - 1].text[:1].islower() or doc[s - 1].tag_ in ("POS", "DT") or
                          doc[s - 1].is_punct) and (e - s > 1 or not doc[s].is_sent_start):
                c = _company(ctx, people, s, e, "en.institution.descriptor")
                if c is not None and (is_acronym(doc[s].text) or any(ch.isupper() for ch in doc[s].text[1:]) or
                                      doc[s - 1].tag_ == "POS"):
                    out.append(c)
    # "Abu Dhabi-based Masdar", "London-headquartered Wood": a place-based name is an organisation
    for t in doc:
        if t.lower_ not in BASED or t.i < 2 or doc[t.i - 1].text not in "-–" or doc[t.i - 1].whitespace_ or \
                doc[t.i - 2].i not in ctx.place_span or t.idx < ctx.dateline:
            continue
        i = t.i + 1
        if i < n and doc[i].lower_ in descriptors():
            continue            # "Baku-based company Caspian Marine": the descriptor rule names it
        e = _name_run(ctx, people, i, persons=True)
        if e > i and not (e < n and doc[e].text[:1].isupper() and doc[e].is_alpha):
            c = _company(ctx, people, i, e, "en.institution.based")
            if c is not None:
                out.append(c)
    # "Air Astana", "Air Manas": an airline
    for t in doc:
        if t.text == "Air" and t.i + 1 < n and t.idx >= ctx.dateline and not t.whitespace_ == "":
            e = _name_run(ctx, people, t.i + 1, 2, persons=True)
            if e == t.i + 1 and t.i + 1 in ctx.place_span:
                e = ctx.place_span[t.i + 1].end         # "Air Astana": the city names the airline
            if e > t.i + 1:
                c = _company(ctx, people, t.i, e, "en.institution.airline")
                if c is not None:
                    out.append(c)
    # "Georgian State Electrosystem (GSE)": initials that spell the acronym
    for t in doc:
        if t.text != "(" or t.i + 2 >= n or doc[t.i + 2].text != ")" or not is_acronym(doc[t.i + 1].text):
            continue
        acr = doc[t.i + 1].text
        e = t.i
        s = e
        while s - 1 >= 0 and e - s < 6 and (_cap(doc[s - 1]) and doc[s - 1].is_alpha or
                                             doc[s - 1].lower_ in ("of", "and", "for")) and \
                not doc[s - 1].is_sent_start:
            s -= 1
        while s < e and doc[s].lower_ in ("of", "and", "for"):
            s += 1
        words = [w for w in doc[s:e] if w.text[:1].isupper()]
        if len(words) < 2 or "".join(w.text[0] for w in words).upper() != acr.upper():
            continue
        if any(w.lower_ in _event_words() or w.lemma_.lower() in _event_words() for w in doc[s:e]) or \
                all(w.i in ctx.place_span for w in words):
            continue
        c = _company(ctx, people, s, e, "en.institution.acronym_name")
        if c is not None:
            out.append(c)
    return out


def _paren_acronym(doc, end: int) -> str | None:
    if end + 2 < len(doc) and doc[end].text == "(" and is_acronym(doc[end + 1].text) and doc[end + 2].text == ")":
        return doc[end + 1].text
    return None


COORDINATORS = frozenset({"and", "or", ",", "the", "&"})
MIN_ACRONYM = 3


def _coordinated_acronyms(ctx, cands: list[_Cand]) -> list[_Cand]:
    """An unknown acronym coordinated with a known institution's acronym is a body of the same
    sort ("the UNRCCA and the UNCCT", "OSCE, ODIHR and ..."): listed together, named alike."""
    doc = ctx.doc
    taken = {i for c in cands for i in range(c.start, c.end)}
    lone = {c.start: c for c in cands if c.end - c.start == 1 and is_acronym(doc[c.start].text)}
    out: list[_Cand] = []
    if not lone:
        return []
    for t in doc:
        if len(t.text) < MIN_ACRONYM or not t.text[:2].isupper() or t.i in taken or t.i in ctx.place_span or \
                not is_acronym(t.text) or t.idx < ctx.dateline or institution_key(t.text) in refused():
            continue
        sent = ctx.sents[ctx.sent_index[t.i]]
        neighbours = []
        for step in (-1, 1):
            k = t.i + step
            joined = False
            while sent.start <= k < sent.end and doc[k].lower_ in COORDINATORS:
                joined = joined or doc[k].lower_ != "the"
                k += step
            if joined and sent.start <= k < sent.end:
                neighbours.append(k)
        if any(k in lone for k in neighbours):
            out.append(_Cand(t.i, t.i + 1, unknown_id(t.text), t.text, InstitutionKind.OTHER, "grammar",
                             "en.institution.coordinated", t.text, 0.6))
    return out


OPEN_QUOTES = frozenset({"“", '"', "«", "„"})
CLOSE_QUOTES = frozenset({"”", '"', "»", "“"})
MAX_QUOTED = 10     # tokens of a quoted name


def _quoted_name_end(doc, i: int, stop: int) -> int | None:
    """Where a quoted name opening at token `i` ends, past its closing quote and the head noun
    that follows it ("the “Trans-Caspian International Transport Route” association"), else None:
    capitalised words (and connectors) inside, a closing quote within MAX_QUOTED tokens."""
    if i >= stop or doc[i].text not in OPEN_QUOTES or i + 1 >= stop or not _cap(doc[i + 1]):
        return None
    for k in range(i + 1, min(stop, i + 1 + MAX_QUOTED)):
        t = doc[k]
        if t.text in CLOSE_QUOTES:
            return k + 2 if k + 1 < stop and doc[k + 1].lower_ in heads() else k + 1
        if not (_cap(t) or t.lower_ in CONNECTORS or t.text in DASHES):
            return None
    return None


def find_institutions(ctx) -> list[InstitutionHit]:
    doc, gaz = ctx.doc, gazetteer()
    people = ctx.people
    cands = _gazetteer_cands(ctx)
    grammar = _grammar_cands(ctx, people)
    known = list(cands)
    taken = [(g.start, g.end) for g in grammar]
    for c in _company_cands(ctx, people):
        if not any(a < c.end and c.start < b for a, b in taken):
            grammar.append(c)
            taken.append((c.start, c.end))
    for g in grammar:
        covered = any(c.start <= g.start and g.end <= c.end for c in known)
        if covered:
            continue
        # "Security Council under the President of Uzbekistan": the longer name wins over a known prefix
        cands = [c for c in cands if not (c.start == g.start and c.end < g.end and c.entry is not None and
                                          doc[c.end].lower_ in ("under", "of", "for") and
                                          c.institution_id == c.entry.id)]
        # the grammar phrase equal to a gazetteer name gets the gazetteer id
        entry = gaz.resolve(g.name)
        if entry is not None and not entry.national:
            g = _entry_cand(entry, None, g.start, g.end, "en.institution.grammar")
        cands.append(g)

    # "China State Railway Group (China Railway)": a short name in brackets is the same body
    by_start = {c.start: c for c in cands}
    for c in cands:
        if c.end + 1 >= len(doc) or doc[c.end].text != "(":
            continue
        short = by_start.get(c.end + 1)
        if short is None or short is c or short.end >= len(doc) or doc[short.end].text != ")" or \
                short.institution_id == c.institution_id:
            continue
        if {w.lower() for w in short.name.split()} <= {w.lower() for w in c.name.split()}:
            c.aliases.append(short.name)
            cands[cands.index(short)] = _Cand(short.start, short.end, c.institution_id, c.name, c.kind, c.source,
                                              short.rule_id, c.acronym, c.confidence, c.entry, [short.name])

    # "Name (ACR)": the acronym is the name's
    acronyms: dict[str, _Cand] = {}
    for c in cands:
        acr = _paren_acronym(doc, c.end)
        if not acr:
            continue
        known_entry = gaz.resolve(acr)
        if known_entry is not None and known_entry is not c.entry:
            continue
        if c.acronym is None:
            c.acronym = acr
        c.aliases.append(acr)
        acronyms.setdefault(acr, c)
    if acronyms:
        taken = {i for c in cands for i in range(c.start, c.end)}
        for t in doc:
            hit = acronyms.get(t.text)
            if hit is None or t.i in taken:
                continue
            cands.append(_Cand(t.i, t.i + 1, hit.institution_id, hit.name, hit.kind, hit.source,
                               "en.institution.acronym", hit.acronym, hit.confidence, hit.entry, [hit.name]))

    cands += _coordinated_acronyms(ctx, cands)
    cands.sort(key=lambda c: (c.start, c.end))
    hits = []
    for c in cands:
        start, end = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1])
        sent = ctx.sents[ctx.sent_index[c.start]]
        aliases = tuple(a for a in c.aliases if a)
        if c.entry is not None:
            aliases += tuple(x for x in (c.entry.name_ru, c.entry.acronym_ru) if x and c.institution_id == c.entry.id)
        hits.append(InstitutionHit(
            start=start, end=end, surface=ctx.text[start:end], institution_id=c.institution_id, name=c.name,
            acronym=c.acronym, kind=c.kind, language="en", aliases=aliases, source=c.source, rule_id=c.rule_id,
            confidence=c.confidence, sentence=Sentence(sent.start_char, sent.end_char)))
    return hits
