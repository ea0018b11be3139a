"""CAMEO and PLOVER codes of an event, from the table in `data/codes.tsv` (documented there)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MULTILATERAL_COUNTRIES = 3


@dataclass(frozen=True)
class EventCodes:
    cameo: str
    cameo_label: str
    plover_type: str
    plover_mode: str


@dataclass(frozen=True)
class _Rule:
    event_type: str
    kind: str
    status: str
    scope: str
    codes: EventCodes


class CodesTableError(ValueError):
    """data/codes.tsv is malformed (names the line)."""


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    text = resources.files("events").joinpath("data/codes.tsv").read_text(encoding="utf-8")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip() and not line.startswith("#")]
    reader = csv.reader((line for _, line in lines), delimiter="\t")
    header = next(reader)
    rules = []
    for (number, _), row in zip(lines[1:], reader, strict=True):
        if len(row) != len(header):
            raise CodesTableError(f"events/data/codes.tsv line {number}: {len(row)} columns, expected {len(header)}")
        cell = dict(zip(header, row, strict=True))
        rules.append(_Rule(cell["event_type"], cell["kind"], cell["status"], cell["scope"], EventCodes(
            cell["cameo"], cell["cameo_label"], cell["plover_type"], cell["plover_mode"])))
    return tuple(rules)


def scope_of(countries: set[str] | frozenset[str], institutions: int, place_country: str | None) -> str:
    """multilateral | third | bilateral: who takes part, and where."""
    if len(countries) >= MULTILATERAL_COUNTRIES or institutions:
        return "multilateral"
    if place_country and countries and place_country not in countries:
        return "third"
    return "bilateral"


def codes_of(event_type: str, kind: str | None, status: str, scope: str = "bilateral") -> EventCodes:
    """The first rule of codes.tsv that fits."""
    for rule in _rules():
        if (rule.event_type == event_type and rule.kind in ("*", kind) and rule.status in ("*", status)
                and rule.scope in ("*", scope)):
            return rule.codes
    raise CodesTableError(f"events/data/codes.tsv has no row for {event_type} {kind} {status} {scope}")
