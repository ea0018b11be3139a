"""English extraction: spaCy analysis, then institutions, meetings and mechanisms."""
from __future__ import annotations

from datetime import date

from extraction.en.context import add_institutions, build_context
from extraction.en.institutions import find_institutions
from extraction.en.nlp import analyze
from extraction.en.places import article_spellings
from extraction.hits import Hits


def extract_hits(text: str, published: date | None) -> Hits:
    """All hits of one English text; `published` anchors relative dates ("on Friday", "next month")."""
    from extraction.en.mechanisms import find_mechanisms
    from extraction.en.meetings import find_meetings

    ctx = build_context(analyze(text), published)
    institutions = find_institutions(ctx)
    add_institutions(ctx, institutions)
    meetings = find_meetings(ctx)
    mechanisms = find_mechanisms(ctx)
    return article_spellings(text, Hits(institutions=institutions, meetings=meetings, mechanisms=mechanisms))
