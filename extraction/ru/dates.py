"""Date expressions in Russian text, resolved against the publication date.

`find_dates(text, offset)` returns every expression with its offsets; `resolve(expr,
published, future=...)` turns one into ``(date, precision)`` at the precision it carries:
"23 июня 2023 года" → day, "в октябре 2022 года" → month, "в 2022 году" → year; relative
ones ("вчера", "во вторник", "в октябре прошлого года", "на следующей неделе", "в следующем
году") need `published`, and yield None without it. Where an
agency dateline ("АСТАНА, 23 июн - Sputnik.") ends is `extraction.dateline`'s: dates inside it date
the report only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from extraction.lexicons import load_table


@dataclass(frozen=True)
class DateExpr:
    start: int
    end: int
    kind: str                 # day | days | range | month | year | relday | weekday | relyear | relmonth | nextmonth | week
    year: int | None = None
    month: int | None = None
    day: int | None = None
    shift: int = 0            # relative offset (days, years or weeks, by kind)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, int], dict[str, int]]:
    months = {r["form"]: int(r["month"]) for r in load_table("months", "ru")}
    weekdays = {r["form"]: int(r["weekday"]) for r in load_table("weekdays", "ru")}
    return months, weekdays


_REL_DAY = {"сегодня": 0, "вчера": -1, "позавчера": -2, "завтра": 1, "послезавтра": 2}
_REL_YEAR = {"прошлом": -1, "прошлого": -1, "минувшем": -1, "минувшего": -1, "этом": 0, "этого": 0,
             "текущем": 0, "текущего": 0, "нынешнем": 0, "нынешнего": 0, "следующем": 1, "следующего": 1,
             "будущем": 1, "будущего": 1, "предстоящем": 1}
_REL_MONTH = {"прошлого": -1, "минувшего": -1, "этого": 0, "текущего": 0, "следующего": 1, "будущего": 1}
_REL_WEEK = {"прошлой": -1, "этой": 0, "текущей": 0, "следующей": 1, "будущей": 1}


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    months, weekdays = _tables()
    m = "|".join(sorted(months, key=len, reverse=True))
    month_initials = "".join(sorted({form[0] for form in months}))
    w = "|".join(sorted(weekdays, key=len, reverse=True))
    ry = "|".join(_REL_YEAR)
    year = r"(?:\s+(\d{4})\s*(?:года|году|г\.|г\b)?)?"
    return {
        "numeric": re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"),
        "days": re.compile(rf"\b(\d{{1,2}})(?:\s*(?:и|-|–|—|,)\s*(\d{{1,2}}))?\s+({m})\b\.?{year}", re.I),
        "relmonth": re.compile(rf"\b(?:в|во|на)\s+(?:(?:начале|конце|середине)\s+)?({m})\s+({ry})\s+года\b", re.I),
        # the lookahead only spares trying the alternation at every letter: a match starts with a
        # preposition's (в, на, с, до, к), a part's (начале, конце, середине) or a month's letter
        "month": re.compile(rf"\b(?=[вндкс{month_initials}])(?:(?:в|во|на|с|до|к)\s+)?"
                            rf"(?:(?:начал[еоу]|кон[еуц]\w*|середин[еуы])\s+)?({m})\b{year}", re.I),
        "year": re.compile(r"\b(?:в|во)\s+(?:(?:начале|конце|середине)\s+)?(\d{4})\s*(?:году|года|г\.)", re.I),
        "relyear": re.compile(rf"\b(?:в|во)\s+({ry})\s+году\b", re.I),
        "yearadj": re.compile(r"\b(прошлогодн|позапрошлогодн)\w*", re.I),     # «на прошлогоднем саммите»
        "relday": re.compile(r"\b(сегодня|вчера|позавчера|завтра|послезавтра)\b", re.I),
        "daydj": re.compile(r"\b(сегодняшн|вчерашн|завтрашн)(?:ий|его|ему|им|ем|яя|ей|юю|ее|ие|их|ими)\b", re.I),
        "weekday": re.compile(rf"\b(?:в|во|с|со)\s+({w})\b", re.I),     # "во вторник", "с понедельника"
        "nextmonth": re.compile(r"\b(?:в|во)\s+(?:(?:начале|конце|середине)\s+)?(прошлого|минувшего|этого|текущего|"
                                r"следующего|будущего)\s+месяца\b", re.I),
        "week": re.compile(r"\bна\s+(прошлой|этой|текущей|следующей|будущей)\s+неделе\b", re.I),
        # "в первом квартале следующего года", "во второй половине 2025 года", "осенью этого года"
        "part": re.compile(rf"\b(?:(?:в|во)\s+(?:перв|втор|трет|четв[её]рт)\w*\s+(?:квартале|полугодии|половине)|"
                           rf"(?:весной|летом|осенью|зимой))(?:\s+(?:(\d{{4}})\s*(?:года|г\.)|({ry})\s+года))?", re.I),
        # "до конца 2022 года", "к концу этого года": some time in that year
        "yearend": re.compile(rf"\b(?:до|к)\s+конц[ау]\s+(?:(\d{{4}})\s*(?:года|г\.)|({ry})\s+года)", re.I),
        # "накануне" as an adverb (the day before), not "накануне визита"
        "eve": re.compile(r"\b(накануне)(?=\s*[,.;:–—-]|\s+(?:в|во|на|с|со|у|по|днем|вечером|утром)\s|"
                          r"\s+[а-яё]+(?:лся|лась|лось|лись|л|ла|ло|ли)\b)", re.I),
    }


def find_dates(text: str, offset: int = 0) -> list[DateExpr]:
    """Every date expression in `text` (offsets shifted by `offset`), longest match first wins."""
    months, weekdays = _tables()
    p = _patterns()
    out: list[DateExpr] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(mt: re.Match, expr: DateExpr) -> None:
        if free(mt.start(), mt.end()):
            taken.append((mt.start(), mt.end()))
            out.append(expr)

    for mt in p["numeric"].finditer(text):
        d, mo, y = int(mt.group(1)), int(mt.group(2)), int(mt.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "day", y, mo, d))
    for mt in p["days"].finditer(text):
        d1, d2, mon, y = mt.group(1), mt.group(2), mt.group(3).lower(), mt.group(4)
        if not 1 <= int(d1) <= 31:
            continue
        kind = ("range" if re.search(r"\d\s*[-–—]\s*\d", mt.group(0)) or int(d2) == int(d1) + 1 else "days") \
            if d2 else "day"  # "27 и 28 сентября": two running days are one event's span
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, kind, int(y) if y else None, months[mon],
                         int(d1)))
    for mt in p["relmonth"].finditer(text):
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "relmonth", None, months[mt.group(1).lower()],
                         shift=_REL_YEAR[mt.group(2).lower()]))
    for mt in p["month"].finditer(text):
        mon = mt.group(1).lower()
        if len(mon) <= 3 and mon not in ("май", "мая", "мае") and not mt.group(2):
            continue  # a bare abbreviation is too ambiguous without a year
        if not mt.group(2) and not re.match(r"(?:в|во|на|с|до|к)\s", mt.group(0), re.I):
            continue  # "октябрь" alone is not a date
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "month", int(mt.group(2)) if mt.group(2) else None,
                         months[mon]))
    for mt in p["relyear"].finditer(text):
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "relyear", shift=_REL_YEAR[mt.group(1).lower()]))
    for mt in p["yearadj"].finditer(text):
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "relyear",
                         shift=-2 if mt.group(1).lower().startswith("поза") else -1))
    for mt in p["year"].finditer(text):
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "year", int(mt.group(1))))
    for mt in p["relday"].finditer(text):
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "relday", shift=_REL_DAY[mt.group(1).lower()]))
    for mt in p["daydj"].finditer(text):  # «в ходе сегодняшнего заседания»
        shift = {"сегодняшн": 0, "вчерашн": -1, "завтрашн": 1}[mt.group(1).lower()]
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "relday", shift=shift))
    for mt in p["weekday"].finditer(text):
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "weekday", day=weekdays[mt.group(1).lower()]))
    for mt in p["nextmonth"].finditer(text):
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "nextmonth", shift=_REL_MONTH[mt.group(1).lower()]))
    for mt in p["part"].finditer(text):
        if mt.group(1):
            add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "year", int(mt.group(1))))
        else:
            shift = _REL_YEAR[mt.group(2).lower()] if mt.group(2) else 0
            add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "relyear", shift=shift))
    for mt in p["yearend"].finditer(text):
        if mt.group(1):
            add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "year", int(mt.group(1))))
        else:
            add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "relyear", shift=_REL_YEAR[mt.group(2).lower()]))
    for mt in p["eve"].finditer(text):
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "relday", shift=-1))
    for mt in p["week"].finditer(text):
        add(mt, DateExpr(mt.start() + offset, mt.end() + offset, "week", shift=_REL_WEEK[mt.group(1).lower()]))
    out.sort(key=lambda e: e.start)
    return out


def resolve(expr: DateExpr, published: date | None, *, future: bool | None = None) -> tuple[date, str] | None:
    """The expression as ``(date, precision)``; `future` says which way a yearless date leans
    (True: the event is ahead of `published`, False: behind it, None: nearest)."""
    pub = published
    if expr.kind in ("day", "days", "range", "month"):
        year = expr.year
        if year is None:
            if pub is None:
                return None
            year = pub.year
            probe = date(year, expr.month, 1)
            here = date(pub.year, pub.month, 1)
            if future is False and probe > here:
                year -= 1
            elif future is True and probe < here:
                year += 1
        if expr.kind in ("day", "range"):  # a multi-day event ("25–26 июня") takes its first day
            try:
                return date(year, expr.month, expr.day), "day"
            except ValueError:
                return None
        return date(year, expr.month, 1), "month"
    if expr.kind == "year":
        return date(expr.year, 1, 1), "year"
    if pub is None:
        return None
    if expr.kind == "relmonth":
        return date(pub.year + expr.shift, expr.month, 1), "month"
    if expr.kind == "nextmonth":
        m = pub.month - 1 + expr.shift
        return date(pub.year + m // 12, m % 12 + 1, 1), "month"
    if expr.kind == "relyear":
        return date(pub.year + expr.shift, 1, 1), "year"
    if expr.kind == "relday":
        return pub + timedelta(days=expr.shift), "day"
    if expr.kind == "weekday":
        wd = pub.isoweekday()
        if future:
            delta = (expr.day - wd) % 7
        else:
            delta = -((wd - expr.day) % 7)
        return pub + timedelta(days=delta), "day"
    if expr.kind == "week":
        monday = pub - timedelta(days=pub.isoweekday() - 1) + timedelta(weeks=expr.shift)
        return date(monday.year, monday.month, 1), "month"
    return None
