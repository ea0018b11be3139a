"""Russian extraction: natasha analysis, then institutions, meetings and mechanisms."""
from __future__ import annotations

from datetime import date

from extraction.hits import Hits
from extraction.ru.institutions import find_institutions
from extraction.ru.mechanisms import find_mechanisms
from extraction.ru.meetings import find_meetings
from extraction.ru.nlp import analyze


def extract_hits(text: str, published: date | None) -> Hits:
    """All hits of one Russian text; `published` anchors relative dates ("вчера", "в октябре")."""
    doc = analyze(text)
    institutions = find_institutions(doc)
    meetings = find_meetings(doc, institutions, published)
    mechanisms = find_mechanisms(doc, institutions, published)
    return Hits(institutions=institutions, meetings=meetings, mechanisms=mechanisms)
