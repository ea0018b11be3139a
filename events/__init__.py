"""Cross-article resolution: one event however many articles and languages report it.

Plain functions over language-neutral reports (`Report`: an article's meeting or mechanism
row with its names already normalised to ids, its dates turned into the days it may fall on)
and the events already stored (`Candidate`). Imports only `schemas` and the standard library:
the language knowledge (countries, places, persons, concept keys) comes from `extraction`,
the storage from `warehouse`, the wiring from `flows/resolution.py`.
"""
from events.codes import EventCodes, codes_of
from events.reports import Report, date_window
from events.resolve import Assignment, resolve
from events.summary import EventSummary, summarize

__all__ = ["Assignment", "EventCodes", "EventSummary", "Report", "codes_of", "date_window", "resolve", "summarize"]
