"""Language of an article: ru, en or other — by script, then by function words.

Cheap and deterministic: Cyrillic text is Russian unless letters specific to Kazakh,
Ukrainian, Kyrgyz etc. or too few Russian function words say otherwise; Latin text is
English when English function words are frequent enough.
"""
from __future__ import annotations

import re

from extraction.lexicons import load_words
from schemas import Language

_CYR = re.compile(r"[а-яё]", re.IGNORECASE)
_LAT = re.compile(r"[a-z]", re.IGNORECASE)
_WORD = re.compile(r"[a-zа-яёәғқңөұүһіїєґўј]+", re.IGNORECASE)
# letters of other Cyrillic alphabets (Kazakh, Ukrainian, Belarusian, Uzbek Cyrillic, Serbian, ...)
_OTHER_CYR = re.compile(r"[әғқңөұүһіїєґўј]", re.IGNORECASE)
FOREIGN_LETTER_SHARE = 0.03


def detect_language(text: str, *, sample: int = 4000) -> Language:
    """ru / en / other for a text (title + body); short or empty text is ``other``."""
    head = text[:sample]
    cyr = len(_CYR.findall(head))
    lat = len(_LAT.findall(head))
    if cyr + lat < 20:
        return Language.OTHER
    words = [w.lower() for w in _WORD.findall(head)]
    if not words:
        return Language.OTHER
    if cyr >= lat:
        # Kazakh, Kyrgyz, Uzbek or Ukrainian text has its own letters in every few words; a Russian
        # text quoting a name in such spelling («Қазақстан темір жолы») has a handful
        foreign = len(_OTHER_CYR.findall(head))
        if foreign / max(cyr, 1) > FOREIGN_LETTER_SHARE:
            return Language.OTHER
        share = sum(w in load_words("function_words", "ru") for w in words) / len(words)
        return Language.RU if share >= 0.08 else Language.OTHER
    share = sum(w in load_words("function_words", "en") for w in words) / len(words)
    return Language.EN if share >= 0.10 else Language.OTHER
