"""Whether two reports can be one event, and how strongly they say so.

`conflict(a, b)` names the first thing that keeps two reports apart (different kinds of
meeting, dates that cannot meet at their precisions, two places, two ordinals, the same
article); `evidence(a, b)` adds up what they share, each shared key discounted by how many
events of the time share it (`weights`, from events.resolve). A report joins an event when it
conflicts with none of the event's reports, its evidence with one of them reaches the join
threshold (`JOIN_MEETING`, `JOIN_MECHANISM`) and it shares who or what with at least half of
them (complete link for conflicts: one contradiction is enough to keep it out).

Weights are named here and explained; they were set on the annotated dev set's clusters of
Russian and English articles (bench/dev_events.py) and hold as round numbers.
"""
from __future__ import annotations

from collections.abc import Mapping

from events.reports import Report

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


def windows_meet(a: Report, b: Report) -> bool:
    lo = max((d for d in (a.date_lo, b.date_lo) if d is not None), default=None)
    hi = min((d for d in (a.date_hi, b.date_hi) if d is not None), default=None)
    return lo is None or hi is None or lo <= hi


def numbered_alike(a: Report, b: Report) -> bool:
    """The same ordinal of the same named series ("the 2nd session of the Council of Heads of
    Border Regions"): one event whatever dates the reports inferred (an undated report dates its
    event from its article, and an article's date can be wrong or missing)."""
    return a.kind == b.kind and bool(a.ordinals & b.ordinals) and len(a.content & b.content) >= NUMBERED_SERIES_TOKENS


def places_meet(a: Report, b: Report) -> bool:
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
        if not windows_meet(a, b) and not numbered_alike(a, b):
            return "date"
        if not places_meet(a, b):
            return "place"
    if _countries_clash(a, b):
        return "countries"
    oa, ob = a.ordinals, b.ordinals
    if oa and ob and not oa & ob:
        return "ordinal"
    na, nb = a.named_countries, b.named_countries
    if na and nb and not na & nb:
        return "named parties"    # "the India–Central Asia summit" is not "the Russia–Central Asia summit"
    pa, pb = a.party_counts, b.party_counts
    if pa and pb and not pa & pb:
        return "party count"      # "a five-sided council" is not "the Turkmen-Azerbaijani council"
    return None


def _weight(weights: Mapping[str, float] | None, key: str) -> float:
    return weights.get(key, 1.0) if weights else 1.0


def who(a: Report, b: Report, weights: Mapping[str, float] | None = None) -> float:
    shared = a.named & b.named
    if not shared:
        score = 0.0
    elif len(shared) == 1:
        score = WHO_NAMED * _weight(weights, next(iter(shared)))
    else:
        named = sorted((_weight(weights, e) for e in shared), reverse=True)
        score = WHO_NAMED * named[0] + WHO_MORE_NAMED * named[1]
    if a.context and a.context & b.context:
        score += SAME_OCCASION
    if len(a.countries) >= 2 and a.countries == b.countries:
        score = max(score, WHO_SAME_COUNTRIES * _weight(weights, with_key(a.countries)))
    return score


def with_key(countries: frozenset[str]) -> str:
    """The key of a set of two or more participating countries (`with:KZ+UZ`)."""
    return "with:" + "+".join(sorted(c.removeprefix("country:") for c in countries))


def where(a: Report, b: Report, weights: Mapping[str, float] | None = None) -> float:
    if a.place_key is None or b.place_key is None:
        return 0.0
    if a.place_key == b.place_key and a.place_feature == "city":
        return max(WHERE_CITY * _weight(weights, a.place_key), WHERE_COUNTRY)
    return WHERE_COUNTRY if a.place_country == b.place_country else 0.0


def when(a: Report, b: Report) -> float:
    if a.event_type != "meeting":
        return 0.0
    if a.dated and b.dated:
        return WHEN_DAY if a.day and b.day else WHEN_COARSE
    da, db = a.anchor, b.anchor
    if da is not None and db is not None and abs((da - db).days) <= WEEK_DAYS:
        return WHEN_NEAR
    return 0.0


def what(a: Report, b: Report, weights: Mapping[str, float] | None = None) -> float:
    shared = a.content & b.content
    ordinal = bool(a.ordinals) and not a.ordinals.isdisjoint(b.ordinals)
    if not shared:
        return WHAT_ORDINAL if ordinal and a.kind == b.kind else 0.0
    score = min(MAX_WHAT, WHAT_TOKEN * sum(_weight(weights, t) for t in shared)) + WHAT_ORDINAL * ordinal
    if a.years & b.years:
        score += WHAT_YEAR
    return score


def evidence(a: Report, b: Report, weights: Mapping[str, float] | None = None) -> float:
    """What two compatible reports share, weighted (see the constants above); 0 without identity.

    `weights` (key -> factor ≤ 1) discounts what many events share: sharing a head of state, a
    capital or the word "council" with one of fifty events of the same week says little
    (`events.resolve` counts them; a key it does not list weighs 1)."""
    identity = who(a, b, weights) + what(a, b, weights)
    if identity < MIN_IDENTITY:
        return 0.0
    if a.event_type == "mechanism" and (what(a, b) < JOIN_MECHANISM or not _mechanism_identity(a, b)):
        return 0.0       # the same parties agree on many things: the names must agree too
    return identity + where(a, b, weights) + when(a, b)


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

