"""Whether two reports can be one event, and how strongly they say so.

`conflict(a, b)` names the first thing that keeps two reports apart (different kinds of
meeting, dates that cannot meet at their precisions, two places, two ordinals, the same
article); `evidence(a, b)` adds up what they share. A report joins an event when it
conflicts with none of the event's reports and its evidence with one of them reaches
`JOIN_EVIDENCE` (single link for evidence, complete link for conflicts: one contradiction
is enough to keep it out).

Weights are named here and explained; they were set on the annotated dev set's clusters of
Russian and English articles (bench/dev_events.py) and hold as round numbers.
"""
from __future__ import annotations

from datetime import date

from events.reports import DAY_SLACK, Report

# Meeting kinds that news uses for one event: a summit is also "the meeting of the heads of
# state" and "the session of the council"; talks are a meeting; a forum is a conference.
KIND_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"summit", "meeting", "session"}),
    frozenset({"meeting", "talks"}),
    frozenset({"conference", "forum"}),
    frozenset({"visit"}),
    frozenset({"call"}),
)

# Evidence comes in four dimensions, each worth about one point when two reports agree on it:
# WHO takes part, WHERE, WHEN and WHAT the name says. A meeting report joins an event when it
# agrees with one of its reports on two dimensions' worth (JOIN_MEETING); a mechanism, which has
# no place or date, on one (JOIN_MECHANISM). Part of it must be WHO or WHAT (MIN_IDENTITY): a
# city and a day do not tell a summit from the side meetings held there that day.
JOIN_MEETING = 2.0
JOIN_MECHANISM = 1.0
MIN_IDENTITY = 0.5
MECHANISM_TOKENS = 3
# name keys that say which, not what: ordinals and years weigh on their own; named countries only keep apart
NOT_NAME_CONTENT = ("ord:", "year:", "named:", "parties:")
NUMBERED_SERIES_TOKENS = 2  # concepts or bodies a numbered series' name must share to outweigh the dates
# kinds whose two countries are the parties (a summit's two named countries may be two of many)
BILATERAL_KINDS = frozenset({"talks", "call", "visit", "meeting"})

WHO_NAMED = 1.0            # a person or an institution both name
WHO_MORE_NAMED = 0.5       # ... and a second one
WHO_SAME_COUNTRIES = 1.0   # the very same set of two or more countries
SAME_OCCASION = 1.0        # mechanisms: their articles report one meeting (the summit that agreed them)
WHERE_CITY = 1.0           # one city (GeoNames id)
WHERE_COUNTRY = 0.5        # a city and its country, or one country
WHEN_DAY = 1.0             # both state the day (within the slack)
WHEN_COARSE = 0.5          # dates that agree at month or year precision
WHEN_NEAR = 0.5            # an undated report published within a week of the other's date (or publication)
WEEK_DAYS = 7
WHAT_TOKEN = 0.5           # per concept or body both names hold (not ordinals, not years)
MAX_WHAT = 1.5
WHAT_ORDINAL = 0.5         # "the 2nd summit" in both (a shared ordinal alone counts when the kinds are equal)
WHAT_YEAR = 0.5            # a year both names hold ("Action Plan 2025–2027"), on top of a shared concept


def kinds_fit(a: str | None, b: str | None) -> bool:
    if a == b:
        return True
    return any(a in family and b in family for family in KIND_FAMILIES)


def _windows_meet(a: Report, b: Report) -> bool:
    lo = max((d for d in (a.date_lo, b.date_lo) if d is not None), default=None)
    hi = min((d for d in (a.date_hi, b.date_hi) if d is not None), default=None)
    return lo is None or hi is None or lo <= hi


def _numbered_alike(a: Report, b: Report) -> bool:
    """The same ordinal of the same named series ("the 2nd session of the Council of Heads of
    Border Regions"): one event whatever dates the reports inferred (an undated report dates its
    event from its article, and an article's date can be wrong or missing)."""
    shared = {t for t in a.tokens & b.tokens if not t.startswith(NOT_NAME_CONTENT)}
    return bool(_ordinals(a) & _ordinals(b)) and len(shared) >= NUMBERED_SERIES_TOKENS and a.kind == b.kind


def _ordinals(r: Report) -> frozenset[str]:
    return frozenset(t for t in r.tokens if t.startswith("ord:"))


def _places_meet(a: Report, b: Report) -> bool:
    if a.place_key is None or b.place_key is None or a.place_key == b.place_key:
        return True
    if "city" in (a.place_feature, b.place_feature) and a.place_feature == b.place_feature:
        return False    # two cities
    return a.place_country == b.place_country  # a city or region and its country


def _countries_clash(a: Report, b: Report) -> bool:
    """Different parties: two mechanisms of different sets of countries ("Uzbek-Kyrgyz" and
    "Uzbek-Kazakh" funds), two bilateral meetings of different pairs (Putin with X, then with Y)."""
    ca, cb = a.countries, b.countries
    if a.event_type == "meeting":
        bilateral = a.kind in BILATERAL_KINDS and b.kind in BILATERAL_KINDS
        return bilateral and len(ca) == 2 and len(cb) == 2 and ca != cb
    return len(ca) >= 2 and len(cb) >= 2 and ca != cb


def conflict(a: Report, b: Report) -> str | None:
    """Why `a` and `b` cannot report one event, or None when nothing keeps them apart."""
    if a.event_type != b.event_type:
        return "type"
    if a.article_id == b.article_id:
        return "same article"     # the extractor already told an article's events apart
    if a.event_type == "meeting":
        if not kinds_fit(a.kind, b.kind):
            return "kind"
        if not _windows_meet(a, b) and not _numbered_alike(a, b):
            return "date"
        if not _places_meet(a, b):
            return "place"
    if _countries_clash(a, b):
        return "countries"
    oa, ob = _ordinals(a), _ordinals(b)
    if oa and ob and not oa & ob:
        return "ordinal"
    na, nb = _named_countries(a), _named_countries(b)
    if na and nb and not na & nb:
        return "named parties"    # "the India–Central Asia summit" is not "the Russia–Central Asia summit"
    if _party_counts_clash(a, b):
        return "party count"      # "a five-sided council" is not "the Turkmen-Azerbaijani council"
    return None


def _party_counts(r: Report) -> frozenset[int]:
    """How many parties the name says (its party word, else its two or more named countries)."""
    stated = frozenset(int(t.removeprefix("parties:")) for t in r.tokens if t.startswith("parties:"))
    named = len(_named_countries(r))
    return stated or (frozenset({named}) if named >= 2 else frozenset())


def _party_counts_clash(a: Report, b: Report) -> bool:
    pa, pb = _party_counts(a), _party_counts(b)
    return bool(pa and pb and not pa & pb)


def _named_countries(r: Report) -> frozenset[str]:
    return frozenset(t for t in r.tokens if t.startswith("named:"))


def who(a: Report, b: Report) -> float:
    named = len(a.named & b.named)
    score = WHO_NAMED + WHO_MORE_NAMED * (named > 1) if named else 0.0
    if a.context & b.context:
        score += SAME_OCCASION
    if len(a.countries) >= 2 and a.countries == b.countries:
        score = max(score, WHO_SAME_COUNTRIES)
    return score


def where(a: Report, b: Report) -> float:
    if a.place_key is None or b.place_key is None:
        return 0.0
    if a.place_key == b.place_key and a.place_feature == "city":
        return WHERE_CITY
    return WHERE_COUNTRY if a.place_country == b.place_country else 0.0


def _anchor(r: Report) -> date | None:
    """The day a report's event is near: its own day, else its article's publication."""
    if r.dated and r.date_lo is not None and r.date_hi is not None:
        return r.date_lo + (r.date_hi - r.date_lo) / 2
    return r.published.date() if r.published else None


def when(a: Report, b: Report) -> float:
    if a.event_type != "meeting":
        return 0.0
    if a.dated and b.dated:
        return WHEN_DAY if _day(a) and _day(b) else WHEN_COARSE
    da, db = _anchor(a), _anchor(b)
    if da is not None and db is not None and abs((da - db).days) <= WEEK_DAYS:
        return WHEN_NEAR
    return 0.0


def what(a: Report, b: Report) -> float:
    shared = {t for t in a.tokens & b.tokens if not t.startswith(NOT_NAME_CONTENT)}
    ordinal = bool(_ordinals(a) & _ordinals(b))
    if not shared:
        return WHAT_ORDINAL if ordinal and a.kind == b.kind else 0.0
    score = min(MAX_WHAT, WHAT_TOKEN * len(shared)) + WHAT_ORDINAL * ordinal
    if any(t.startswith("year:") for t in a.tokens & b.tokens):
        score += WHAT_YEAR
    return score


def evidence(a: Report, b: Report) -> float:
    """What two compatible reports share, weighted (see the constants above); 0 without identity."""
    identity = who(a, b) + what(a, b)
    if identity < MIN_IDENTITY:
        return 0.0
    if a.event_type == "mechanism" and (what(a, b) < JOIN_MECHANISM or not _mechanism_identity(a, b)):
        return 0.0       # the same parties agree on many things: the names must agree too
    return identity + where(a, b) + when(a, b)


def _mechanism_identity(a: Report, b: Report) -> bool:
    """A mechanism's name is mostly its kind ("border agreement", "working group"): two names
    single one mechanism out when they also share a party (a country, a proposer) or at least
    MECHANISM_TOKENS concepts, bodies and years, or their articles report one meeting (the
    agreements of a summit are named differently by each article that reports the summit)."""
    shared = {t for t in a.tokens & b.tokens if not t.startswith(("ord:", "named:"))}
    return bool(a.countries & b.countries or a.named & b.named or a.context & b.context) \
        or len(shared) >= MECHANISM_TOKENS


def join_threshold(r: Report) -> float:
    return JOIN_MEETING if r.event_type == "meeting" else JOIN_MECHANISM


def _day(r: Report) -> bool:
    """The report states the day (its window is the day with its slack)."""
    return r.date_lo is not None and r.date_hi is not None and (r.date_hi - r.date_lo).days <= 2 * DAY_SLACK.days
