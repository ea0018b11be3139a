"""Whether a meeting mention may join a cluster of mentions: the checks both languages share.

Mentions of one real meeting never disagree on its date (at the precision both state), its
place (a city agrees with its own country or region) or a status a word or a date fixed
("the next session" is not the one held yesterday). Places are duck-typed: anything with
``kind`` (city | venue | region | country), ``location`` and ``country``.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

PRECISION_CHARS = {"day": 10, "month": 7, "year": 4}


class PlaceLike(Protocol):
    kind: str
    location: str
    country: str | None


def dates_conflict(a: date | None, a_precision: str | None, b: date | None, b_precision: str | None) -> bool:
    """Two dates disagree at the coarser of their precisions ("in May" agrees with "on May 5")."""
    if a is None or b is None:
        return False
    n = min(PRECISION_CHARS.get(a_precision or "day", 10), PRECISION_CHARS.get(b_precision or "day", 10))
    return a.isoformat()[:n] != b.isoformat()[:n]


def _wider(p: PlaceLike) -> bool:
    return p.kind in ("country", "region")


def places_conflict(places: Iterable[PlaceLike | None], p: PlaceLike | None) -> bool:
    """`p` names another place than one of `places`; a city agrees with its country or region."""
    if p is None:
        return False
    for o in places:
        if o is None or o.location == p.location:
            continue
        if _wider(p) and o.country == p.country or _wider(o) and p.country == o.country:
            continue
        return True
    return False


def statuses_conflict(statuses: Iterable[tuple[str | None, bool]], status: str | None, decisive: bool) -> bool:
    """Two decisive statuses differ (past and ongoing go together: "opened on Monday ... is under way").

    `statuses` holds (status, decisive) of the cluster's mentions; decisive means a word or a date
    fixed it rather than a guess.
    """
    if status is None or not decisive:
        return False
    return any(s and d and s != status and {s, status} != {"past", "ongoing"} for s, d in statuses)
