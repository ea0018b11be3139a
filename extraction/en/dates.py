"""Date expressions in English text, resolved against the publication date.

`find_dates(text)` returns every expression with its offsets: absolute ("April 14, 2017",
"Aug. 3", "in April 2026", "in 2017"), relative ("yesterday", "on Friday", "next month", "this
fall", "in November last year"). `resolve(expr, published, future=...)` turns one into
``(date, precision)`` — a weekday or a bare month goes forward for a planned event and back
otherwise. Where an opening dateline stops is `extraction.dateline`'s (one reading for every
language): dates before it date the report, not a meeting.
"""
from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from extraction.lexicons import load_table


@lru_cache(maxsize=1)
def months() -> dict[str, int]:
    return {r["form"]: int(r["month"]) for r in load_table("months", "en")}


@lru_cache(maxsize=1)
def weekdays() -> dict[str, int]:
    return {r["form"]: int(r["weekday"]) for r in load_table("weekdays", "en")}


MONTH_LEADS = frozenset({"in", "last", "next", "this", "early", "late", "mid", "since", "by", "until", "of", "from",
                         "before", "after", "during", "coming"})


@dataclass(frozen=True)
class DateExpr:
    start: int
    end: int
    kind: str                 # day | month | year | weekday | rel | season
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    shift: str | None = None  # rel: yesterday/today/tomorrow, next/last/this + month/year/season
    lead: str | None = None   # month: "last October" (the latest one before), "next October", "this October"
    season: str | None = None  # season: spring | summer | autumn | winter | half


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    mon = "|".join(sorted((m.capitalize() for m in months()), key=len, reverse=True))
    wd = "|".join(w.capitalize() for w in weekdays())
    rel_year = r"(?:,?\s+(?P<rely>last|next|this)\s+year)?"
    return [
        ("mdy", re.compile(rf"\b(?P<mon>{mon})\b\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?{rel_year}")),
        # "18-19 May", "from 16 to 17 June", "4 and 5 June": a range gives its first day
        ("dmy", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|—|to|and|until)\s*\d{{1,2}}(?:st|nd|rd|th)?)?"
                           rf"\s+(?:of\s+)?(?P<mon>{mon})\b\.?(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?{rel_year}")),
        ("my", re.compile(rf"\b(?:(?P<lead>[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming)\s+)?(?P<mon>{mon})\b\.?(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?{rel_year}(?!\s*\d)")),
        ("y", re.compile(r"\b(?:in|since|during|by)\s+(?:early\s+|late\s+|mid-)?(?P<year>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)")),
        ("wd", re.compile(rf"\b(?P<wd>{wd})\b")),
        # "in the autumn", "for the spring", "in the first half of the year": the season's year
        ("season", re.compile(r"\b(?:in|for|during|by|until)\s+the\s+(?:(?:early|late)\s+)?"
                              r"(?P<season>spring|summer|autumn|fall|winter|(?:first|second)\s+half\s+of\s+the\s+year)\b")),
        # "in the first half of 2027", "in the fourth quarter of 2026", "in spring 2026": that year
        ("y", re.compile(r"\b(?:in|for|during|by|until)\s+(?:the\s+)?(?:(?:first|second|third|fourth)\s+"
                         r"(?:half|quarter)\s+of|(?:early|late\s+)?(?:spring|summer|autumn|fall|winter))\s+"
                         r"(?P<year>(?:19|20)\d\d)\b")),
        # "later in the day", "this morning", "earlier today": the publication day
        ("rel", re.compile(r"\b(?:later|earlier)\s+(?:in\s+the\s+day|(?P<today>today))\b|"
                           r"\b(?P<part>this\s+(?:morning|afternoon|evening)|tonight)\b", re.I)),
        ("rel", re.compile(r"\b(?P<rel>yesterday|today|tomorrow|"
                           r"(?:(?:later|earlier)\s+)?(?:next|last|this|coming)\s+(?:week|month|year|spring|summer|fall|"
                           r"autumn|winter))\b", re.I)),
    ]


def find_dates(text: str) -> list[DateExpr]:
    """Every date expression of the text, in text order, without overlaps."""
    found: list[DateExpr] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _patterns():
        for m in pat.finditer(text):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            g = m.groupdict()
            year = int(g["year"]) if g.get("year") else None
            rely = g.get("rely")
            if kind in ("mdy", "dmy"):
                expr = DateExpr(s, e, "day", year, months()[g["mon"].lower()], int(g["day"]), shift=rely)
            elif kind == "my":
                before = text[max(0, s - 12):s].lower().split()
                if g["mon"] == "May" and not year and not rely and not g.get("lead") and not (before and before[-1] in MONTH_LEADS):
                    continue      # the modal verb
                lead = (g.get("lead") or "").lower() or None     # "Last October, ..."
                if lead and not year and not rely:
                    expr = DateExpr(s, e, "month", None, months()[g["mon"].lower()], lead=lead)
                else:
                    expr = DateExpr(m.start("mon"), e, "month", year, months()[g["mon"].lower()], shift=rely)
            elif kind == "y":
                expr = DateExpr(s, e, "year", year)
            elif kind == "season":
                word = g["season"].split()[0].lower()
                expr = DateExpr(s, e, "season", season={"fall": "autumn", "first": "half1", "second": "half2"}.get(word, word))
            elif kind == "wd":
                expr = DateExpr(s, e, "weekday", weekday=weekdays()[g["wd"].lower()])
            elif g.get("rel"):
                words = g["rel"].lower().split()
                expr = DateExpr(s, e, "rel", shift=" ".join(words[1:] if words[0] in ("later", "earlier") else words))
            else:
                expr = DateExpr(s, e, "rel", shift="today")
            if expr.kind == "day" and not 1 <= (expr.day or 0) <= 31:
                continue
            found.append(expr)
            taken.append((s, e))
    return sorted(found, key=lambda x: x.start)


SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 12), "half1": (1, 6),
                 "half2": (7, 12)}


def _month_end(y: int, m: int) -> date:
    return date(y, m, monthrange(y, m)[1])


def resolve(e: DateExpr, published: date | None, *, future: bool | None = None) -> tuple[date, str] | None:
    """(date, precision) of an expression; None when it needs `published` and there is none."""
    pub = published
    if e.kind in ("day", "month"):
        year = e.year
        if year is None and e.shift and pub:
            year = pub.year + {"last": -1, "next": 1, "this": 0}[e.shift]
        if year is None and e.lead and pub:
            year = pub.year
            if e.lead == "last" and e.month >= pub.month:
                year -= 1
            elif e.lead in ("next", "coming") and e.month <= pub.month:
                year += 1
        if year is None:
            if pub is None:
                return None
            year = pub.year
            if future is True and e.month < pub.month:
                year += 1
            elif future is False and e.month > pub.month:
                year -= 1
        if e.kind == "day":
            try:
                return date(year, e.month, e.day), "day"
            except ValueError:
                return None
        return date(year, e.month, 1), "month"
    if e.kind == "year":
        return date(e.year, 1, 1), "year"
    if pub is None:
        return None
    if e.kind == "season":
        first, last = SEASON_MONTHS[e.season or "half1"]
        year = pub.year
        if future is True and last < pub.month:
            year += 1
        elif future is False and first > pub.month:
            year -= 1
        return date(year, 1, 1), "year"
    if e.kind == "weekday":
        delta = (e.weekday - pub.isoweekday()) % 7
        if future:
            return pub + timedelta(days=delta or 7), "day"
        back = (pub.isoweekday() - e.weekday) % 7
        return pub - timedelta(days=back), "day"
    shift = e.shift or ""
    if shift in ("yesterday", "today", "tomorrow"):
        return pub + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[shift]), "day"
    which, _, unit = shift.partition(" ")
    step = {"next": 1, "coming": 1, "last": -1, "this": 0}[which]
    if unit == "week":          # the month of that week's Monday, as precise as "next week" allows
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
        return date(monday.year, monday.month, 1), "month"
    if unit == "month":
        m = pub.month + step
        y = pub.year + (m - 1) // 12
        m = (m - 1) % 12 + 1
        return date(y, m, 1), "month"
    return date(pub.year + step, 1, 1), "year"
