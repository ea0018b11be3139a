"""Whether a new version of a stored article may replace it: readable text never turns into garbage.

A feed that is decoded wrongly once (one bad byte made a whole UTF-8 feed decode as
koi8-u) would otherwise replace every stored article with mojibake: language "other", the
records deleted. A revision is refused, and the stored article kept, when it would

- turn a Russian or English article into language "other";
- move its letters out of the script they were in (Cyrillic → Latin-1 mojibake, "Ð¡Ð°Ð¼...");
- replace letters by symbols (koi8 mojibake, "п═п╟п╨я│"): the share of letters in the text
  drops below `LETTER_SHARE_KEPT` of what it was;
- bring replacement characters (U+FFFD, undecodable bytes) that the stored text did not have;
- be UTF-8 read in a one-byte encoding: its characters, written back in cp1251, koi8 or
  Latin-1, are valid UTF-8 ("РЎР°РјРјРёС‚" is «Саммит»), which real text in those encodings
  practically never is.
"""
from __future__ import annotations

import unicodedata

from schemas import Article, Language

LETTER_SHARE_KEPT = 0.75     # of the stored text's share of letters among visible characters
SCRIPT_SHARE_KEPT = 0.5      # of the stored text's share of letters in its main script
REPLACEMENT = "\ufffd"
MISREAD_ENCODINGS = ("cp1251", "koi8-r", "koi8-u", "mac-cyrillic", "cp1252", "latin-1")


def _plausible(text: str) -> bool:
    """Most non-ASCII characters are Cyrillic or accented Latin letters, typographic punctuation or NBSP."""
    wide = [c for c in text if not c.isascii()]
    good = sum("\u0400" <= c <= "\u04ff" or "\u00c0" <= c <= "\u024f" or "\u2010" <= c <= "\u203a"
               or c in "\u00a0\u00ab\u00bb\u2116" for c in wide)
    return bool(wide) and good >= 0.8 * len(wide)


def misread_as(text: str) -> str | None:
    """The one-byte encoding that UTF-8 `text` was wrongly decoded with, when it looks like that.

    It is when the characters, written back in that encoding, are valid UTF-8 that reads as
    plausible text (Cyrillic, accented Latin, typographic punctuation).
    """
    if text.isascii():
        return None
    for encoding in MISREAD_ENCODINGS:
        try:
            recovered = text.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if recovered != text and _plausible(recovered):
            return encoding
    return None


def _profile(text: str) -> tuple[float, float, float]:
    """(letters / visible characters, Cyrillic / letters, Latin / letters), visible = not space, digit, punctuation."""
    letters = cyrillic = latin = visible = 0
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] in "ZNP" or category == "Cc":
            continue
        visible += 1
        if category[0] == "L":
            letters += 1
            if "\u0400" <= ch <= "\u04ff":
                cyrillic += 1
            elif ch.isascii():
                latin += 1
    return letters / max(visible, 1), cyrillic / max(letters, 1), latin / max(letters, 1)


def degraded(stored_language: str, stored_body: str, new: Article) -> str | None:
    """Why `new` must not replace the stored version (language, body), or None when it may."""
    stored_language = str(stored_language)
    new_language = str(new.language)
    if stored_language in (Language.RU, Language.EN) and new_language == Language.OTHER:
        return f"the new version's language is {new_language}, the stored one is {stored_language}"
    if new.body.count(REPLACEMENT) > stored_body.count(REPLACEMENT):
        return (f"the new version has {new.body.count(REPLACEMENT)} replacement characters (undecodable bytes), "
                f"the stored one {stored_body.count(REPLACEMENT)}")
    encoding = misread_as(new.body)
    if encoding and not misread_as(stored_body):
        return f"the new version is UTF-8 text decoded as {encoding} (mojibake)"
    old_letters, old_cyr, old_lat = _profile(stored_body)
    new_letters, new_cyr, new_lat = _profile(new.body)
    if new_letters < old_letters * LETTER_SHARE_KEPT:
        return f"letters make {new_letters:.0%} of the new version, {old_letters:.0%} of the stored one"
    for script, old_share, new_share in (("Cyrillic", old_cyr, new_cyr), ("Latin", old_lat, new_lat)):
        if old_share >= 0.6 and new_share < old_share * SCRIPT_SHARE_KEPT:
            return f"{script} letters make {new_share:.0%} of the new version's letters, {old_share:.0%} of the stored one's"
    return None
