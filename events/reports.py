"""A report: one article's meeting or mechanism row, as resolution compares it.

Everything language-specific is already a key here: places as `geonames:<id>` (or
`country:<code>` when only the country is known), participants and proposers as entity ids
(`country:KZ`, `person:…`, `institution:…`), and the name as tokens that mean the same in
Russian and English (`ord:2`, `year:2025`, `concept:action-plan`, institution ids). Dates
become the window of days the event can fall on.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# A dated report says the day; a two-day summit announced for its first day and reported on its
# second is one event: a day of slack either side.
DAY_SLACK = timedelta(days=1)
# An undated report dates its event from the article: an ongoing meeting within these days of
# publication, a planned one within a year after it, a past one any time before it.
ONGOING_SLACK = timedelta(days=3)
PLANNED_HORIZON = timedelta(days=366)


@dataclass(frozen=True)
class Report:
    report_id: str
    event_type: str                      # meeting | mechanism
    article_id: str
    kind: str | None                     # meeting kind; None for mechanisms
    status: str
    date_lo: date | None                 # the event falls on a day in [date_lo, date_hi]
    date_hi: date | None                 # (None: unbounded on that side)
    dated: bool                          # the report states the date itself
    place_key: str | None                # geonames:<id> | country:<code>
    place_country: str | None            # ISO code of the place's country
    place_feature: str | None            # city | region | country
    entities: frozenset[str] = field(default_factory=frozenset)
    tokens: frozenset[str] = field(default_factory=frozenset)
    language: str | None = None
    published: datetime | None = None
    previous_event: str | None = None    # the event this report joined before it was re-extracted
    context: frozenset[str] = field(default_factory=frozenset)   # mechanisms: the meeting events their article reports

    # derived once, at construction, for events.match and events.resolve (a report meets hundreds
    # of candidates; functools.cached_property takes a lock on every access before Python 3.12)
    countries: frozenset[str] = field(init=False, repr=False, compare=False)
    named: frozenset[str] = field(init=False, repr=False, compare=False)       # persons and institutions
    # the name's concepts and bodies; its ordinals and years weigh on their own, its named countries
    # and party counts only keep apart (events.match)
    content: frozenset[str] = field(init=False, repr=False, compare=False)
    ordinals: frozenset[str] = field(init=False, repr=False, compare=False)
    years: frozenset[str] = field(init=False, repr=False, compare=False)
    named_countries: frozenset[str] = field(init=False, repr=False, compare=False)   # `named:XX` of the name
    party_counts: frozenset[int] = field(init=False, repr=False, compare=False)
    day: bool = field(init=False, repr=False, compare=False)
    anchor: date | None = field(init=False, repr=False, compare=False)
    keys: dict = field(init=False, repr=False, compare=False)   # events.resolve's blocking keys, by grain
    # all that `events.match.evidence` reads of a report it is compared with: reports alike in it
    # score alike (wire copies of one story), so events.resolve scores each kind of report once
    alike: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        countries, named = [], []
        for e in self.entities:
            (countries if e.startswith("country:") else named).append(e)
        content, ordinals, years, named_countries, stated = [], [], [], [], []
        for t in self.tokens:
            if t.startswith("ord:"):
                ordinals.append(t)
            elif t.startswith("year:"):
                years.append(t)
            elif t.startswith("named:"):
                named_countries.append(t)
            elif t.startswith("parties:"):
                stated.append(int(t.removeprefix("parties:")))
            else:
                content.append(t)
        counts = frozenset(stated) or (frozenset({len(named_countries)}) if len(named_countries) >= 2 else frozenset())
        set_ = object.__setattr__
        set_(self, "countries", frozenset(countries))
        set_(self, "named", frozenset(named))
        set_(self, "content", frozenset(content))
        set_(self, "ordinals", frozenset(ordinals))
        set_(self, "years", frozenset(years))
        set_(self, "named_countries", frozenset(named_countries))
        set_(self, "party_counts", counts)
        set_(self, "day", self.date_lo is not None and self.date_hi is not None
             and (self.date_hi - self.date_lo).days <= 2 * DAY_SLACK.days)
        set_(self, "anchor", self._anchor())
        set_(self, "keys", {})
        set_(self, "alike", (frozenset(self.entities), frozenset(self.tokens), frozenset(self.context), self.kind,
                             self.event_type, self.place_key, self.place_feature, self.place_country, self.dated,
                             self.day, self.anchor))

    def _anchor(self) -> date | None:
        """The day the report's event is near: its own day, else its article's publication."""
        if self.dated and self.date_lo is not None and self.date_hi is not None:
            return self.date_lo + (self.date_hi - self.date_lo) / 2
        return self.published.date() if self.published else None


def date_window(start: date | None, precision: str | None, status: str,
                published: datetime | None) -> tuple[date | None, date | None, bool]:
    """(lo, hi, dated): the days the event can fall on, from the report's date at its precision
    or, when it gives none, from its status and the article's publication day."""
    if start is not None and precision == "day":
        return start - DAY_SLACK, start + DAY_SLACK, True
    if start is not None and precision == "month":
        last = calendar.monthrange(start.year, start.month)[1]
        return start.replace(day=1), start.replace(day=last), True
    if start is not None and precision == "year":
        return date(start.year, 1, 1), date(start.year, 12, 31), True
    if published is None:
        return None, None, False
    day = published.date()
    if status == "ongoing":
        return day - ONGOING_SLACK, day + ONGOING_SLACK, False
    if status == "planned":
        return day - ONGOING_SLACK, day + PLANNED_HORIZON, False
    if status == "past":
        return None, day + timedelta(days=1), False
    return None, None, False
