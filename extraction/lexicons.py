"""Lexicons and gazetteers as versioned data files, loaded once and passed in.

Layout: ``extraction/lexicons/<lang>/<name>.txt`` (one normalised entry a line, ``#``
comments) and ``<name>.tsv`` (a header line, tab-separated columns). Shared tables
(e.g. the institution gazetteer with ru and en names) live at ``extraction/lexicons/``.
"""
from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from extraction.errors import LexiconError

_ROOT = Path(str(resources.files("extraction") / "lexicons"))


def lexicon_path(name: str, lang: str | None = None) -> Path:
    """Where a lexicon file lives (``name`` with its extension)."""
    return _ROOT / lang / name if lang else _ROOT / name


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise LexiconError(f"lexicon {path} does not exist")
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return out


@cache
def load_words(name: str, lang: str | None = None) -> frozenset[str]:
    """A word list (``name`` without ``.txt``) as a frozen set of its entries."""
    return frozenset(_lines(lexicon_path(f"{name}.txt", lang)))


@cache
def load_list(name: str, lang: str | None = None) -> tuple[str, ...]:
    """A word list in file order (for lists where order matters, e.g. longest-first phrases)."""
    return tuple(_lines(lexicon_path(f"{name}.txt", lang)))


@cache
def load_table(name: str, lang: str | None = None) -> tuple[dict[str, str], ...]:
    """A TSV table (``name`` without ``.tsv``): a header line, then one row a line; empty cells are ''."""
    path = lexicon_path(f"{name}.tsv", lang)
    rows = [line.split("\t") for line in _lines(path)]
    if not rows:
        raise LexiconError(f"lexicon {path} has no header line")
    header = [h.strip() for h in rows[0]]
    out = []
    for i, cells in enumerate(rows[1:], start=2):
        if len(cells) > len(header):
            raise LexiconError(f"lexicon {path}: row {i} has {len(cells)} cells, header has {len(header)}")
        out.append({h: (cells[j].strip() if j < len(cells) else "") for j, h in enumerate(header)})
    return tuple(out)


@lru_cache(maxsize=1)
def lexicon_digest() -> str:
    """A short hash of every lexicon file: part of the extractor version stamped on records."""
    h = hashlib.sha1()
    for path in sorted(_ROOT.rglob("*")):
        if path.suffix in {".txt", ".tsv"} and path.is_file():
            h.update(path.relative_to(_ROOT).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:8]
