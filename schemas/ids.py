"""Stable identifiers and content hashes (stdlib only)."""
from __future__ import annotations

import hashlib


def stable_id(*parts: object) -> str:
    """A 16-hex-digit id that depends only on `parts` (same input, same id, any process)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """SHA-256 of an article body; equal bodies are never re-extracted."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
