"""Place phrases → the nominative name a meeting's `location` takes.

A gazetteer (`lexicons/ru/places.tsv`) maps lemmas of cities, venues and regions; venues
report their city ("в Кремле" → Москва), regions their country ("в Подмосковье" →
Россия). Countries, with their adjective and compound forms, come from `countries.tsv`.
Unknown places fall back to natasha's normalised LOC span.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extraction.lexicons import load_table, load_words
from extraction.ru.clauses import Tree, lemma

CITY_NOUNS = frozenset({"город", "г", "столица", "село", "поселок", "курорт"})   # "г": "в г. Бишкек"


@dataclass(frozen=True)
class Place:
    name: str            # as named ("Подмосковье", "Кремль", "Алматы")
    kind: str            # city | venue | region | country
    location: str        # what a meeting's location column gets: city, else country
    country: str | None


@lru_cache(maxsize=1)
def _places() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for r in load_table("places", "ru"):
        kind = r["type"]
        loc = r["city"] if kind in ("city", "venue") and r["city"] else r["country"]
        out[r["form"]] = Place(r["name"], kind, loc, r["country"] or None)
    return out


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    return {r["form"]: r["country"] for r in load_table("countries", "ru")}


@lru_cache(maxsize=1)
def _variants() -> dict[str, frozenset[str]]:
    """Each country name with every name of the same country (`same_as` in countries.tsv)."""
    groups: dict[str, set[str]] = {}
    for r in load_table("countries", "ru"):
        main = r["same_as"] or r["country"]
        groups.setdefault(main, {main}).add(r["country"])
    return {name: frozenset(g) for g in groups.values() for name in g}


def country_variants(name: str) -> frozenset[str]:
    """Every name of the country `name` names ("Киргизия" → {Киргизия, Кыргызстан}); itself alone
    for a name the table does not hold."""
    return _variants().get(name, frozenset({name}))


ADJ_ENDINGS = ("ого", "ому", "ими", "ыми", "их", "ых", "им", "ым", "ой", "ая", "ое", "ие", "ые", "ий", "ый", "ую",
               "ом", "ем")


@lru_cache(maxsize=1)
def _state_forms() -> frozenset[str]:
    return load_words("places_state_forms", "ru")


def norm_key(s: str) -> str:
    return " ".join(s.lower().replace("ё", "е").split())


def lookup(key: str) -> Place | None:
    """A place or country by its lower-case lemma (phrase)."""
    key = norm_key(key)
    p = _places().get(key)
    if p:
        return p
    c = _countries().get(key)
    if c:
        return Place(c, "country", c, c)
    return None


def country(key: str) -> str | None:
    """The country a lemma (or compound prefix like "российско") names, else None."""
    return _countries().get(norm_key(key))


def compound_countries(word: str) -> list[str]:
    """Countries of a compound adjective: "российско-киргизских" → [Россия, Киргизия]."""
    parts = word.lower().replace("ё", "е").split("-")
    if len(parts) < 2:
        return []
    out = []
    for i, part in enumerate(parts):
        c = country(part)
        if c is None and i == len(parts) - 1:
            # the last part is inflected: try the stem with an adjective ending
            stem = part
            for suf in ("ских", "ского", "скому", "ским", "ской", "ская", "ское", "ские", "ский", "скую"):
                if stem.endswith(suf):
                    stem = stem[: -len(suf)]
                    break
            c = country(stem + "ский") or country(stem + "о")
            if c is None:
                # "турецких" → "турецкий": any adjective ending
                suf = next((x for x in ADJ_ENDINGS if part.endswith(x)), None)
                if suf:
                    base = part[: -len(suf)]
                    c = country(base + "ий") or country(base + "ый") or country(base + "ой")
        if c is None:
            return []
        if c not in out:
            out.append(c)
    return out


def place_at(tree: Tree, tok, loc_spans: dict[str, object] | None = None) -> Place | None:
    """The place a noun token names, reading its adjective ("Московском регионе"), the name
    after a city noun ("в городе Калининграде") and the LOC span it belongs to."""
    lem = lemma(tok)
    for c in tree.kids(tok, "amod"):
        p = lookup(f"{lemma(c)} {lem}")
        if p:
            return p
    if lem in CITY_NOUNS:
        for c in tree.kids(tok, "appos", "flat", "flat:name", "nmod", "nsubj", "amod"):
            p = place_at(tree, c, loc_spans) if c.rel != "amod" else None
            cn = p.name if p is not None and p.kind == "country" else country(lemma(c))
            if cn and lem == "столица":
                # "в столице Грузии", "в казахстанской столице" → the capital (places.tsv "столица <country>")
                cap = lookup(f"столица {cn}")
                if cap:
                    return cap
            if p and c.rel != "amod":
                return p
        return None
    if lem == "республика":
        for c in tree.kids(tok, "amod"):
            cn = country(lemma(c))
            if cn:
                return Place(cn, "country", cn, cn)
    for c in tree.kids(tok, "flat", "flat:name", "appos", "nmod"):
        p = lookup(f"{lem} {lemma(c)}")  # "Дворце нации", "дворце Огузхан"
        if p:
            return p
    if lem in _state_forms():
        # "в Королевстве Бельгия", "Федеративной Республики Германия": the country named after the form
        i = tree.pos[tok.id] + 1
        nxt = [tree.tokens[i]] if i < len(tree.tokens) and tree.tokens[i].pos in ("PROPN", "NOUN") else []
        for c in [*tree.kids(tok, "flat", "flat:name", "appos", "nmod"), *nxt]:
            cn = country(lemma(c)) or country(c.text.lower())
            if cn:
                return Place(cn, "country", cn, cn)
    p = lookup(lem) or lookup(tok.text)
    if p:
        return p
    if loc_spans is not None and tok.id in loc_spans:
        span = loc_spans[tok.id]
        normal = getattr(span, "normal", None) or span.text
        p = lookup(normal)
        if p:
            return p
        words = normal.split()
        if len(words) == 2 and words[1].lower().startswith("республик"):
            c = country(lemma(tok)) or country(words[0].lower())
            if c:
                return Place(c, "country", c, c)
        if tok.pos == "PROPN" and normal[:1].isupper():
            return Place(normal, "city", normal, None)
    return None
