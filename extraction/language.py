"""Language of an article: ru, en or other — by script, then by function words.

Cheap and deterministic: Cyrillic text is Russian unless letters specific to Kazakh,
Ukrainian, Kyrgyz etc. or too few Russian function words say otherwise; Latin text is
English when English function words are frequent enough. A short Cyrillic text (a headline,
one sentence) may have no function word at all, or a few shared with Bulgarian or Ukrainian:
there pymorphy2's Russian dictionary decides — Russian when most of its lower-case words are
Russian words, another language when many are not.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extraction.lexicons import load_words
from schemas import Language

_CYR = re.compile(r"[а-яё]+", re.IGNORECASE)      # runs: their lengths sum to the letters' count
_LAT = re.compile(r"[a-z]+", re.IGNORECASE)
_WORD = re.compile(r"[a-zа-яёәғқңөұүһіїєґўј]+", re.IGNORECASE)
# letters of other Cyrillic alphabets (Kazakh, Ukrainian, Belarusian, Uzbek Cyrillic, Serbian, ...)
_OTHER_CYR = re.compile(r"[әғқңөұүһіїєґўј]", re.IGNORECASE)
FOREIGN_LETTER_SHARE = 0.03
RU_FUNCTION_SHARE = 0.08
SHORT_WORDS = 60          # up to this many words, function words alone are too few to decide ...
KNOWN_WORD_SHARE = 0.8    # ... the dictionary does: this share of lower-case words known is Russian,
FOREIGN_WORD_SHARE = 0.6  # below this share it is another language written in Russian letters
MIN_DICTIONARY_WORDS = 3  # fewer lower-case words than this: the dictionary is not asked
MIN_VETO_WORDS = 6        # and to overrule the function words it needs this many
# a lower-case word, hyphenated compounds whole ("торгово-экономического": its last part is looked up)
_DICT_WORD = re.compile(r"(?<![\w-])[а-яёәғқңөұүһіїєґўј]+(?:-[а-яёәғқңөұүһіїєґўј]+)*(?![\w-])")


def letters(runs: re.Pattern[str], text: str) -> int:
    """How many characters of `text` the one-character class `runs` matches, counted by its runs
    (`[а-яё]+`): a list of words, not of every letter."""
    return sum(map(len, runs.findall(text)))


def _known_word_share(text: str) -> tuple[float, int]:
    """Share of lower-case words in pymorphy2's Russian dictionary, and how many were looked up.

    Capitalised words are left out: names are the same in any language.
    """
    common = [w.rsplit("-", 1)[-1] for w in _DICT_WORD.findall(text)]
    if not common:
        return 0.0, 0
    return sum(_known(w) for w in common) / len(common), len(common)


@lru_cache(maxsize=200_000)
def _known(word: str) -> bool:
    """pymorphy2 knows the word: its dictionary is loaded on first use, and walked once per
    distinct word (every paragraph of every article asks again)."""
    from extraction.ru.nlp import vocabulary

    return vocabulary().word_is_known(word)


def detect_language(text: str, *, sample: int = 4000) -> Language:
    """ru / en / other for a text (title + body); short or empty text is ``other``."""
    head = text[:sample]
    cyr = letters(_CYR, head)
    lat = letters(_LAT, head)
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
        function_words = load_words("function_words", "ru")
        share = sum(w in function_words for w in words) / len(words)
        if len(words) > SHORT_WORDS:
            return Language.RU if share >= RU_FUNCTION_SHARE else Language.OTHER
        known, looked_up = _known_word_share(head)
        if share >= RU_FUNCTION_SHARE:
            vetoed = looked_up >= MIN_VETO_WORDS and known < FOREIGN_WORD_SHARE
            return Language.OTHER if vetoed else Language.RU
        enough = looked_up >= MIN_DICTIONARY_WORDS and known >= KNOWN_WORD_SHARE
        return Language.RU if enough else Language.OTHER
    function_words = load_words("function_words", "en")
    share = sum(w in function_words for w in words) / len(words)
    return Language.EN if share >= 0.10 else Language.OTHER
