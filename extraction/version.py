"""The extractor version stamped on every record: code version + digest of the lexicon data."""
from __future__ import annotations

from extraction.lexicons import lexicon_digest

CODE_VERSION = "0.1.0"


def extractor_version() -> str:
    return f"{CODE_VERSION}+lex.{lexicon_digest()}"
