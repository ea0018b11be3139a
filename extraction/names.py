"""How two spellings of one person's or party's name compare, in any language.

`name_key` folds case, "ё" into "е" and diacritics ("António Costa" and "Antonio Costa",
"Erdoğan" and "Erdogan" are one person), and squeezes spaces. Used wherever names are
matched or participants de-duplicated, so every rule compares names the same way.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The comparison key of a name: case, diacritics, "ё" and spacing folded."""
    text = name
    for _ in range(2):  # compatibility forms fold to letters that fold again ("𝛢" → "Α" → "α")
        text = text.casefold().replace("ё", "е").replace("й", "\0")     # "й" is a letter, not "и" + a mark
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = text.replace("\0", "й")
    return " ".join(unicodedata.normalize("NFC", text).split())
