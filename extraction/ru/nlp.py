"""natasha's Russian models (segmentation, morphology, syntax, NER), loaded once per process.

Everything ships inside PyPI packages (navec embeddings, slovnet models, pymorphy2
dictionaries): nothing is downloaded at run time.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from natasha import (
    Doc,
    MorphVocab,
    NewsEmbedding,
    NewsMorphTagger,
    NewsNERTagger,
    NewsSyntaxParser,
    Segmenter,
)

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Models:
    segmenter: Segmenter
    morph_vocab: MorphVocab
    morph_tagger: NewsMorphTagger
    syntax_parser: NewsSyntaxParser
    ner_tagger: NewsNERTagger


@lru_cache(maxsize=1)
def vocabulary() -> MorphVocab:
    """pymorphy2's Russian dictionary (≈0.3 s, ≈15 MB), shared by the models and language detection."""
    return MorphVocab()


@lru_cache(maxsize=1)
def models() -> Models:
    """The models, built on first use (≈1 s, ≈230 MB) and shared by every call in the process."""
    emb = NewsEmbedding()
    return Models(
        segmenter=Segmenter(),
        morph_vocab=vocabulary(),
        morph_tagger=NewsMorphTagger(emb),
        syntax_parser=NewsSyntaxParser(emb),
        ner_tagger=NewsNERTagger(emb),
    )


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
        doc.segment(m.segmenter)
        doc.tag_morph(m.morph_tagger)
        doc.parse_syntax(m.syntax_parser)
        doc.tag_ner(m.ner_tagger)
    for token in doc.tokens:
        token.lemma = _lemma(token.text, token.pos, tuple(sorted(token.feats.items())) if token.feats else ())
    for span in doc.spans:
        span.normalize(m.morph_vocab)
    return doc
