"""Russian noun phrases to the nominative: "Центральноазиатского регионального центра по борьбе
с ..." → "Центральноазиатский региональный центр по борьбе с ...".

Only the head phrase (leading adjectives and the head noun) is inflected; genitive and
prepositional complements stay as written. pymorphy2 (natasha's `MorphVocab`) does the
inflection, guided by the morphology natasha's tagger gave each token; a word pymorphy
cannot inflect is kept as written. Capitalisation of each word is preserved.

Public helpers (used by institutions, and by meetings/places for names and locations):

    to_nominative(tokens) -> str
    word_to_nominative(word, pos=None, feats=None, gender=None, number=None) -> str
    phrase_to_nominative(text) -> str
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Protocol

from pymorphy2.analyzer import Parse as _PymorphyParse

from extraction.ru.nlp import models

_ADJ_POS = {"ADJ", "DET", "NUM"}
_NOUN_POS = {"NOUN", "PROPN"}
_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
_GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
_NUMBERS = {"Sing": "sing", "Plur": "plur"}


class TokenLike(Protocol):
    text: str
    pos: str
    feats: Mapping[str, str]


def _recase(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _pick(word: str, pos: str | None, feats: Mapping[str, str] | None):
    """The pymorphy parse of `word` agreeing best with natasha's tag."""
    parses = models().morph_vocab.parse(word)
    if not parses:
        return None
    feats = feats or {}
    want_pos = {"ADJ": {"ADJF", "PRTF"}, "DET": {"ADJF", "NPRO"}, "NUM": {"ADJF", "NUMR"},
                "NOUN": {"NOUN"}, "PROPN": {"NOUN"}, "VERB": {"PRTF"}}.get(pos or "", set())
    case = _CASES.get(feats.get("Case", ""))
    number = _NUMBERS.get(feats.get("Number", ""))

    def score(p) -> tuple[int, int, int, float]:
        tag = p.tag
        return (int(not want_pos or tag.POS in want_pos), int(case is None or case in tag),
                int(number is None or number in tag), p.score)
    return max(parses, key=score)


@lru_cache(maxsize=16384)
def _inflect(word: str, pos: str | None, feats: tuple[tuple[str, str], ...], gender: str | None,
             number: str | None) -> str:
    low = word.lower()
    best = _pick(low, pos, dict(feats))
    if best is None:
        return word
    # every parse of the same part of speech and case is tried; the form sharing the longest
    # prefix with the word wins ("Высшему" → "Высший", not the superlative "высочайший")
    options = []
    for p in models().morph_vocab.parse(low):
        if p.tag.POS != best.tag.POS or p.tag.case != best.tag.case:
            continue
        want = {"nomn"}
        if p.tag.POS in {"ADJF", "PRTF", "NUMR", "NPRO"}:
            num = number or ("plur" if "plur" in p.tag else "sing")
            want.add(num)
            if num == "sing" and gender:
                want.add(gender)
        elif p.tag.POS == "NOUN":
            want.add(number or ("plur" if "plur" in p.tag else "sing"))
        # natasha's MorphForm.inflect takes UD grammemes; call pymorphy2's own with OpenCorpora ones
        outs = [f for f in p.lexeme if want <= f.tag.grammemes and ("Supr" in f.tag) == ("Supr" in p.tag)]
        if not outs:
            out = _PymorphyParse.inflect(p, want) or _PymorphyParse.inflect(p, {"nomn"})
            outs = [out] if out is not None else []
        for out in outs:
            form = out.word if "ё" in low else out.word.replace("ё", "е")
            options.append((_common_prefix(form, low), p is best, p.score, form))
    if not options:
        return word
    return _recase(max(options)[3], word)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def word_to_nominative(word: str, pos: str | None = None, feats: Mapping[str, str] | None = None,
                       gender: str | None = None, number: str | None = None) -> str:
    """One word in the nominative. `gender` ("masc"/"femn"/"neut") and `number` ("sing"/"plur")
    make an adjective agree with its head; the word is returned unchanged when pymorphy fails
    or it is an acronym."""
    if not word or (word.isupper() and len(word) > 1) or not any(c.isalpha() for c in word):
        return word
    return _inflect(word, pos, tuple(sorted((feats or {}).items())), gender, number)


def head_index(tokens: Sequence[TokenLike]) -> int | None:
    """Index of the head noun: the first noun after the leading adjectives (None if none)."""
    for i, t in enumerate(tokens):
        if t.pos in _NOUN_POS:
            return i
        if t.pos not in _ADJ_POS and not (t.pos == "VERB" and t.feats.get("VerbForm") == "Part"):
            return None
    return None


def to_nominative(tokens: Sequence[TokenLike], head: int | None = None) -> str:
    """A noun phrase given as natasha tokens, in the nominative; complements after the head kept
    as written. Words are joined by single spaces (punctuation attached as usual). `head`: the
    head's index when the caller knows it (a head noun the tagger took for an adjective)."""
    tokens = list(tokens)
    if not tokens:
        return ""
    h = head_index(tokens) if head is None else head
    words = [t.text for t in tokens]
    if h is not None and tokens[h].feats.get("Case", "Nom") != "Nom":
        head_tok = tokens[h]
        pos = "NOUN" if head_tok.pos not in _NOUN_POS else head_tok.pos
        number = _NUMBERS.get(head_tok.feats.get("Number", ""))
        words[h] = word_to_nominative(head_tok.text, pos, head_tok.feats, number=number)
        head = head_tok
        gender = _GENDERS.get(head.feats.get("Gender", ""))
        if gender is None:
            p = _pick(head.text.lower(), pos, head.feats)
            gender = p.tag.gender if p is not None else None
        for i in range(h):
            t = tokens[i]
            words[i] = word_to_nominative(t.text, t.pos, t.feats, gender=gender, number=number)
    return join_words(words)


def join_words(words: Sequence[str]) -> str:
    """Words joined by spaces, with no space inside brackets/quotes or before punctuation."""
    out = ""
    for w in words:
        if out and not (w in {",", ".", ")", "»", ":", ";"} or out[-1] in "(«"):
            out += " "
        out += w
    return out


def phrase_to_nominative(text: str) -> str:
    """A plain-string noun phrase in the nominative (tags it with natasha first; slower)."""
    from extraction.ru.nlp import analyze
    doc = analyze(text)
    return to_nominative(doc.tokens)
