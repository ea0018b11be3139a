"""Places in English text: cities, venues, regions and countries from the ruler's spans.

`place_at(ctx, tok)` is the place a token names: a PLACE/COUNTRY span ("Kazan", "Kazakhstan",
"Russian"), a generic place noun with its complement ("the city of Kazan", "the capital of
Kazakhstan" → Astana, "the Kazakh capital"). A venue reports its city, a region its country.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extraction.hits import Hits
from extraction.lexicons import load_table, load_words


@dataclass(frozen=True)
class Place:
    name: str
    kind: str            # city | venue | region | country
    location: str        # what a meeting's location reports: city, else country
    country: str | None


@lru_cache(maxsize=1)
def countries() -> dict[str, dict[str, str]]:
    return {r["form"]: r for r in load_table("countries", "en")}


@lru_cache(maxsize=1)
def places() -> dict[str, dict[str, str]]:
    return {r["form"]: r for r in load_table("places", "en")}


@lru_cache(maxsize=1)
def place_nouns() -> frozenset[str]:
    return load_words("place_nouns", "en")


def country_place(form: str) -> Place | None:
    r = countries().get(form.lower())
    return Place(r["country"], "country", r["country"], r["country"]) if r else None


def named_place(form: str) -> Place | None:
    r = places().get(form.lower())
    if r is None:
        return country_place(form)
    if r["type"] == "region":
        return Place(r["name"], "region", r["country"], r["country"])
    return Place(r["name"], r["type"], r["city"] or r["name"], r["country"])


def capital_of(country: str) -> Place | None:
    for r in countries().values():
        if r["country"] == country and r["capital"]:
            return Place(r["capital"], "city", r["capital"], country)
    return None


def place_at(ctx, tok) -> Place | None:
    """The place token `tok` names (see module doc), or None."""
    span = ctx.place_span.get(tok.i)
    if span is not None:
        if span.label_ == "COUNTRY":
            # "Russian" before a noun is an adjective, not a place ("Russian city of Kazan")
            return country_place(span.id_) if tok.tag_ != "JJ" else None
        p = named_place(span.id_)
        if p is not None and p.kind == "city" and span.text[:1].isupper() and span.text.lower() == span.id_.lower():
            text = " ".join(span.text.split())      # the article's spelling: "Turkistan", not the table's "Turkestan"
            return Place(text, "city", text, p.country)
        return p
    if tok.lemma_.lower() in place_nouns():
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                p = place_at(ctx, obj)
                if p is not None:
                    return capital_of(p.name) if tok.lower_ == "capital" and p.kind == "country" else p
        if tok.lower_ == "capital":
            for c in tok.children:
                if c.dep_ in ("amod", "poss", "compound"):
                    s = ctx.place_span.get(c.i)
                    if s is not None and s.label_ == "COUNTRY":
                        return capital_of(countries()[s.id_.lower()]["country"])
            return None
        for c in tok.children:
            if c.dep_ == "compound" and c.i in ctx.place_span and ctx.place_span[c.i].label_ == "PLACE":
                return place_at(ctx, c)     # "in Osh city"
            if c.dep_ == "poss":        # "on Kyrgyzstan's territory"
                s = ctx.place_span.get(c.i)
                if s is not None and s.label_ == "COUNTRY":
                    return country_place(s.id_)
    return None


_UNNAMED = re.compile(r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*")


def unnamed_place(ctx, tok) -> Place | None:
    """A settlement the lexicons do not know, read off "held in Buston": one capitalised proper noun
    (with a hyphenated part) that no ruler span, person or date claims, and no other word joins."""
    if tok.pos_ != "PROPN" or tok.tag_ != "NNP" or not _UNNAMED.fullmatch(tok.text) or tok.i in ctx.place_span \
            or tok.i in ctx.inst_span or tok.i in ctx.date_at or ctx.people.name_at(tok) is not None:
        return None
    if any(c.dep_ in ("compound", "amod", "poss", "nmod", "prep", "appos") or c.dep_ == "det" and c.lower_ != "the"
           for c in tok.children) or tok.head.dep_ == "compound":
        return None
    doc = ctx.doc
    for k in (tok.i - 1, tok.i + 1):
        if 0 <= k < len(doc) and doc[k].pos_ == "PROPN" and not doc[k].is_punct:
            return None         # a longer name: "in Central Asia", "in Buston Hall"
    return Place(tok.text, "city", tok.text, None)


def country_of_token(ctx, tok) -> str | None:
    """The country a token names, as a place or as an adjective ("Russian" → Russia)."""
    span = ctx.place_span.get(tok.i)
    if span is not None and span.label_ == "COUNTRY":
        return countries()[span.id_.lower()]["country"]
    return None


def capital_country(ctx, tok) -> str | None:
    """The country a capital stands for ("Ankara has proposed ..." → Turkey), else None."""
    span = ctx.place_span.get(tok.i)
    if span is None or span.label_ != "PLACE":
        return None
    p = named_place(span.id_)
    if p is None or p.kind != "city" or p.country is None:
        return None
    cap = capital_of(p.country)
    return p.country if cap is not None and cap.name == p.name else None


@lru_cache(maxsize=1)
def _spellings() -> list[tuple[str, str]]:
    return [(r["country"], r["spelling"]) for r in load_table("countries", "en") if r["spelling"]]


def _names(text: str, name: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text) is not None


def article_spellings(text: str, hits: Hits) -> Hits:
    """Country names as the article spells them: "Türkiye" in an article that never says "Turkey"."""
    swap = {c: s for c, s in _spellings() if _names(text, s) and not _names(text, c)}
    if not swap:
        return hits

    def fix(name: str | None) -> str | None:
        return swap.get(name, name) if name else name

    meetings = [replace(m, location=fix(m.location), participants=tuple(replace(p, name=fix(p.name))
                                                                         for p in m.participants))
                for m in hits.meetings]
    mechanisms = [replace(m, proposer=fix(m.proposer)) for m in hits.mechanisms]
    return replace(hits, meetings=meetings, mechanisms=mechanisms)


COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_MEMBER_NOUNS = r"(?:countries|states|nations|republics)"


@lru_cache(maxsize=1)
def _group_patterns() -> list[tuple[re.Pattern, re.Pattern, tuple[str, ...]]]:
    out = []
    for r in load_table("places_groups", "en"):
        noun, adj, size = re.escape(r["noun"]), re.escape(r["adjective"]), int(r["size"])
        count = "|".join([str(size)] + [w for w, n in COUNT_WORDS.items() if n == size])
        fmt = re.compile(rf"(?:(?<![\w-]){noun}\s*[-–]\s*[A-Z][\w.+]*|[\w.+)]\s*[-–]\s*{noun})(?![\w-])"
                         rf"(?P<next>(?:\s+[\w’'-]+){{1,3}})")       # "EU-Central Asia (leaders') summit"
        counted = re.compile(rf"\b(?:{count})\s+(?:{adj}\s+{_MEMBER_NOUNS}|{_MEMBER_NOUNS}\s+of\s+(?:the\s+)?{noun})\b")
        out.append((fmt, counted, tuple(m.strip() for m in r["members"].split(";") if m.strip())))
    return out


def group_members(text: str, head: str | None = None) -> list[str]:
    """The member countries of a group a meeting's phrase names as a side of the format its head noun
    names ("the EU-Central Asia summit", head "summit") or by their count ("the five Central Asian
    countries", "the three countries of the South Caucasus")."""
    out: list[str] = []
    for fmt, counted, members in _group_patterns():
        if counted.search(text) or head and any(head in m.group("next").split() for m in fmt.finditer(text)):
            out.extend(x for x in members if x not in out)
    return out
