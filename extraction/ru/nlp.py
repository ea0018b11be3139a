"""natasha's Russian models (segmentation, morphology, syntax, NER), loaded once per process.

Everything ships inside PyPI packages (navec embeddings, slovnet models, pymorphy2
dictionaries): nothing is downloaded at run time.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from gzip import decompress

from natasha import (
    Doc,
    MorphVocab,
    NewsEmbedding,
    NewsMorphTagger,
    NewsNERTagger,
    NewsSyntaxParser,
)
from natasha.doc import DocSpan, DocToken
from natasha.morph.vocab import MorphForm
from natasha.norm import inflect_word, recover_shapes, recover_spaces, select_inflectable
from pymorphy2 import MorphAnalyzer
from pymorphy2_dicts_ru import get_path as russian_dictionary
from slovnet.exec import pack as slovnet_pack
from slovnet.vocab import Vocab

from extraction.ru.inference import parse_syntax, segment, speed_up, tag_morph, tag_ner

_LOCK = threading.Lock()
_LOADING = threading.Lock()


@dataclass(frozen=True)
class Models:
    morph_vocab: MorphVocab
    morph_tagger: NewsMorphTagger
    syntax_parser: NewsSyntaxParser
    ner_tagger: NewsNERTagger


class _PackagedVocab(MorphVocab):
    """natasha's `MorphVocab` on the dictionary of the `pymorphy2-dicts-ru` package, named by its
    path. Without a path pymorphy2 looks its dictionaries up among setuptools' entry points, and
    importing `pkg_resources` for that alone takes 0.3 s of every process that loads the models."""

    def __init__(self) -> None:
        MorphAnalyzer.__init__(self, path=russian_dictionary(), result_type=MorphForm)


@lru_cache(maxsize=1)
def vocabulary() -> MorphVocab:
    """pymorphy2's Russian dictionary (≈0.1 s, ≈15 MB), shared by the models and language detection."""
    return _PackagedVocab()


@contextmanager
def _each_vocabulary_built_once() -> Iterator[None]:
    """While slovnet loads models: a vocabulary whose text an earlier model's pack held is that
    model's `Vocab`, not a second one built again. The morphology, syntax and NER packs each
    hold navec's 250,000 words (their compressed bytes differ, their text does not), and
    building that word index three times took a quarter of the models' load. slovnet reads
    every vocabulary through `slovnet.exec.pack.bytes_vocab`, replaced here for the load."""
    built: dict[str, Vocab] = {}

    def once(data: bytes) -> Vocab:
        text = decompress(data).decode("utf8")
        if text not in built:
            built[text] = Vocab(text.splitlines())
        return built[text]

    with _LOADING:
        original, slovnet_pack.bytes_vocab = slovnet_pack.bytes_vocab, once
        try:
            yield
        finally:
            slovnet_pack.bytes_vocab = original


@lru_cache(maxsize=1)
def models() -> Models:
    """The models, built on first use (≈0.6 s, ≈230 MB) and shared by every call in the process."""
    emb = NewsEmbedding()
    with _each_vocabulary_built_once():
        loaded = Models(
            morph_vocab=vocabulary(),
            morph_tagger=NewsMorphTagger(emb),
            syntax_parser=NewsSyntaxParser(emb),
            ner_tagger=NewsNERTagger(emb),
        )
    speed_up(loaded.morph_tagger, loaded.syntax_parser, loaded.ner_tagger)
    return loaded


def _feats(token: DocToken) -> tuple[tuple[str, str], ...]:
    """A token's morphological features as a hashable key of the caches below."""
    return tuple(sorted(token.feats.items())) if token.feats else ()


@lru_cache(maxsize=200_000)
def _lemma(word: str, pos: str | None, feats: tuple[tuple[str, str], ...]) -> str:
    """pymorphy2's lemma of a tagged word: a pure function of word, tag and features, so one
    lookup serves every repetition (a tenth of the analysis time before the cache)."""
    return models().morph_vocab.lemmatize(word, pos, dict(feats))


def analyze(text: str) -> Doc:
    """Segment, tag morphology, parse syntax, tag NER; tokens lemmatised, spans normalised.

    Offsets of tokens, sentences and spans are offsets into `text`.
    """
    doc = Doc(text)
    # slovnet's taggers are not documented as thread-safe: one document at a time per process;
    # the first caller loads the models (once), the others wait for it
    with _LOCK:
        m = models()
        segment(doc)
        tag_morph(doc, m.morph_tagger)
        parse_syntax(doc, m.syntax_parser)
        tag_ner(doc, m.ner_tagger)
    for token in doc.tokens:
        token.lemma = _lemma(token.text, token.pos, _feats(token))
    for span in doc.spans:
        span.normal = _normal(span)
    return doc


@lru_cache(maxsize=200_000)
def _nominative(word: str, pos: str | None, feats: tuple[tuple[str, str], ...]) -> str:
    """natasha's nominative of a tagged word (`natasha.norm.inflect_word`, a pymorphy2 inflection):
    a pure function of word, tag and features, so one inflection serves every repetition."""
    return inflect_word(models().morph_vocab, DocToken(start=0, stop=len(word), text=word, pos=pos, feats=dict(feats)))


def _normal(span: DocSpan) -> str:
    """The span's normal form exactly as natasha's `DocSpan.normalize` makes it (organisations:
    only the head and its adjectives and verbs inflected; other spans: every word), with the
    words' inflections cached."""
    tokens = span.tokens
    ids = set(select_inflectable(tokens)) if span.type == "ORG" else None
    words = [_nominative(t.text, t.pos, _feats(t)) if not ids or t.id in ids else t.text for t in tokens]
    return recover_spaces(recover_shapes(words, tokens), tokens)
