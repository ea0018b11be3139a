"""Stable identifiers and content hashes (stdlib only)."""
from __future__ import annotations

import hashlib
import re

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
VOLATILE_LINE_WORDS = 6   # a line of at most this many words is page furniture when only its numbers change


def stable_id(*parts: object) -> str:
    """A 16-hex-digit id that depends only on `parts` (same input, same id, any process)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """SHA-256 of an article body; equal bodies are never re-extracted."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_fingerprint(text: str) -> str:
    """What decides whether a body has changed: white space folded, numbers of short lines masked.

    A page's view counter, "updated 12:45" stamp or comment count stands on a short line of
    its own; its numbers change on every fetch and would make a new revision (and a
    re-extraction) each run. Numbers inside sentences (dates, figures) still count.
    """
    lines = []
    for line in text.splitlines():
        line = _SPACE.sub(" ", line).strip()
        if line and len(line.split(" ")) <= VOLATILE_LINE_WORDS:
            line = _DIGITS.sub("#", line)
        if line:
            lines.append(line)
    return content_hash("\n".join(lines))
