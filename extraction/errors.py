"""Errors of the extraction package.

    ExtractionError                 base; carries the article id when there is one
    ├── LexiconError                a lexicon/gazetteer file is missing or malformed (terminal)
    └── ExtractionTimeout           an article took longer than its time budget (terminal for that article)

"No match" is never an error: extractors return empty lists.
"""
from __future__ import annotations


class ExtractionError(Exception):
    def __init__(self, message: str, *, article_id: str | None = None) -> None:
        super().__init__(f"article {article_id}: {message}" if article_id else message)
        self.article_id = article_id


class LexiconError(ExtractionError):
    pass


class ExtractionTimeout(ExtractionError):
    pass
