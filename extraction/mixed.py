"""Language routing per paragraph, for articles that mix languages.

`routed(extractor, language, extractors)` is what the router calls: an extractor for the whole
body that, when the body's paragraphs are in more than one language (a Russian report quoting
an English statement, an English article with a Russian original appended), runs each
stretch of same-language paragraphs through that language's extractor and shifts every offset
back into the whole body. Paragraphs in a language without an extractor (Kazakh, Uzbek...)
are skipped; a short paragraph (a dateline, a caption) takes its neighbours' language. A body
in one language goes to `extractor` unchanged.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date

from extraction.hits import Hits, Sentence
from extraction.language import detect_language, letters
from schemas import Language

Extractor = Callable[[str, date | None], Hits]

_PARAGRAPH = re.compile(r"[^\n]+")
_LETTERS = re.compile(r"[^\W\d_]+")
MIN_LETTERS = 60        # shorter paragraphs take their neighbours' language
MIN_OTHER_LETTERS = 250  # "other" needs a long paragraph: short ones have too few function words to tell


def segments(text: str, default: Language) -> list[tuple[int, int, Language]]:
    """Stretches of same-language paragraphs: (start, end, language), offsets into `text`."""
    paras: list[tuple[int, int, Language | None]] = []
    for m in _PARAGRAPH.finditer(text):
        chunk = m.group()
        count = letters(_LETTERS, chunk)
        lang = detect_language(chunk) if count >= MIN_LETTERS else None
        if lang == Language.OTHER and count < MIN_OTHER_LETTERS:
            lang = None
        paras.append((m.start(), m.end(), lang))
    # short paragraphs: the language of the next long one, else of the previous one, else the article's
    langs: list[Language] = []
    for i, (_, _, lang) in enumerate(paras):
        if lang is None:
            lang = next((p[2] for p in paras[i + 1:] if p[2] is not None), None) or \
                (langs[-1] if langs else default)
        langs.append(lang)
    out: list[tuple[int, int, Language]] = []
    for (start, end, _), lang in zip(paras, langs, strict=True):
        if out and out[-1][2] == lang:
            out[-1] = (out[-1][0], end, lang)
        else:
            out.append((start, end, lang))
    return out


def _shift_sentence(s: Sentence | None, d: int) -> Sentence | None:
    return Sentence(s.start + d, s.end + d) if s is not None else None


def shift(hits: Hits, d: int) -> Hits:
    """The same hits with every offset moved by `d` characters."""
    if d == 0:
        return hits
    return Hits(
        institutions=[replace(h, start=h.start + d, end=h.end + d, sentence=_shift_sentence(h.sentence, d))
                      for h in hits.institutions],
        meetings=[replace(h, start=h.start + d, end=h.end + d, sentence=_shift_sentence(h.sentence, d),
                          mentions=tuple((a + d, b + d) for a, b in h.mentions)) for h in hits.meetings],
        mechanisms=[replace(h, start=h.start + d, end=h.end + d, sentence=_shift_sentence(h.sentence, d))
                    for h in hits.mechanisms],
    )


def extract_mixed(text: str, published: date | None, language: Language,
                  extractors: Mapping[Language, Extractor]) -> Hits:
    """Hits of every same-language stretch of `text`, offsets into the whole `text`."""
    parts = segments(text, language)
    if len({lang for _, _, lang in parts}) <= 1:
        extractor = extractors.get(parts[0][2] if parts else language) or extractors.get(language)
        return extractor(text, published) if extractor else Hits()
    out = Hits()
    for start, end, lang in parts:
        extractor = extractors.get(lang)
        if extractor is None:
            continue
        got = shift(extractor(text[start:end], published), start)
        out.institutions.extend(got.institutions)
        out.meetings.extend(got.meetings)
        out.mechanisms.extend(got.mechanisms)
    return out


def routed(extractor: Extractor, language: Language, extractors: Mapping[Language, Extractor]) -> Extractor:
    """The article's extractor, routing per paragraph when the body mixes languages."""
    def run(text: str, published: date | None) -> Hits:
        if "\n" not in text.strip():
            return extractor(text, published)
        return extract_mixed(text, published, language, extractors)
    return run
