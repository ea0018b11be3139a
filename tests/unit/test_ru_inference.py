"""extraction/ru/inference.py: slovnet's models with less Python around them give natasha's very
numbers, tags, heads, relations and spans."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter
from slovnet.exec.encoders import WordShapeEncoder
from slovnet.exec.model import CRF, Conv1d, NavecEmbedding, Weight
from slovnet.vocab import Vocab

from extraction.ru import inference
from extraction.ru.inference import CachedEncoder, MaxCRF, SliceConv1d, TakeNavecEmbedding
from extraction.ru.nlp import analyze


def _weight(array: np.ndarray) -> Weight:
    return Weight(array.shape, str(array.dtype), array)


@st.composite
def convolutions(draw: st.DrawFn) -> tuple[Conv1d, np.ndarray]:
    batch, seq, channels = draw(st.integers(1, 4)), draw(st.integers(1, 12)), draw(st.integers(1, 6))
    filters, kernel = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    pad = draw(st.integers(0, 3))
    assume(seq + 2 * pad - kernel + 1 >= 1)     # a window fits: slovnet's convolution is defined
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    conv = Conv1d(_weight(rng.standard_normal((filters, channels, kernel), dtype=np.float32)),
                  _weight(rng.standard_normal(filters, dtype=np.float32)), pad)
    data = rng.standard_normal((batch, seq, channels), dtype=np.float32)
    # the layers' layout: batch x channels x seq over batch x seq x channels memory; or plain
    return conv, data.swapaxes(2, 1) if draw(st.booleans()) else np.ascontiguousarray(data.swapaxes(2, 1))


@settings(max_examples=300, deadline=None)
@given(convolutions())
def test_slice_built_windows_give_slovnets_convolution_bit_for_bit(case: tuple[Conv1d, np.ndarray]) -> None:
    conv, data = case
    fast = SliceConv1d(conv.weight, conv.bias, conv.padding)
    assert np.array_equal(fast(data), conv(data))


def test_take_embedding_copies_slovnets_codes() -> None:
    rng = np.random.default_rng(7)
    qdim, centroids, chunk, words = 6, 16, 3, 40
    emb = NavecEmbedding("test", _weight(rng.integers(0, centroids, (words, qdim), dtype=np.uint8)),
                         _weight(rng.standard_normal((qdim, centroids, chunk), dtype=np.float32)))
    ids = rng.integers(0, words, (3, 9))
    assert np.array_equal(TakeNavecEmbedding(emb)(ids), emb(ids))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 15), min_size=1, max_size=4), st.integers(2, 8), st.integers(0, 2**32 - 1))
def test_max_viterbi_decodes_slovnets_paths(lengths: list[int], tags: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    crf = CRF(_weight(rng.standard_normal((tags, tags), dtype=np.float32)))
    emissions = rng.standard_normal((len(lengths), max(lengths), tags), dtype=np.float32)
    mask = np.arange(max(lengths))[None, :] < np.array(lengths)[:, None]
    ours, theirs = MaxCRF(crf.transitions).decode(emissions, mask), crf.decode(emissions, mask)
    assert [p.tolist() for p in ours] == [p.tolist() for p in theirs]
    assert [len(p) for p in ours] == lengths


def test_cached_encoder_encodes_as_slovnet_and_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    words = Vocab(["<pad>", "<unk>", "москва", "саммит"])
    shapes = Vocab(["<pad>", "<unk>", "X", "x", "Xx", "PUNCT"])
    plain = WordShapeEncoder(words, shapes, batch_size=2)
    monkeypatch.setattr(inference, "CACHE_WORDS", 3)
    cache: dict = {}
    cached = CachedEncoder(plain, cache)
    items = [["Москва", "САММИТ", "саммит", "Москва"], ["Ташкент", ",", "саммит"], ["МОСКВА", "москва"]]
    for item in items:
        assert cached.item(item) == plain.item(item)
        assert len(cache) <= 3
    assert [i.word_id.tolist() for i in cached(items)] == [i.word_id.tolist() for i in plain(items)]


# sentences written for this test: quotes, initials, numbers, abbreviations, nested organisations
TEXTS = [
    "АСТАНА, 3 марта. Министр иностранных дел Республики Казахстан Ерлан Карин провёл переговоры с "
    "генеральным секретарём ОДКБ в Москве. Стороны договорились создать рабочую группу по "
    "информационной безопасности и «дорожную карту» на 2026–2028 годы.",
    "В.В. Петров, глава Евразийской экономической комиссии, 12.04.2025 предложил учредить "
    "Центр компетенций при ШОС; ранее эту идею обсуждали на саммите в Душанбе.",
    "Встреча не состоялась.",
    "ЕАЭС",
    "Президенты России, Узбекистана и Киргизии — Путин, Мирзиёев и Жапаров — провели видеоконференцию; "
    "по её итогам подписан меморандум о создании Международного центра по энергетике (МЦЭ) в г. Ташкенте.",
]


@pytest.fixture(scope="module")
def natasha_plain() -> tuple:
    emb = NewsEmbedding()
    return Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb)


def _analysis(doc: Doc) -> tuple:
    return ([(t.start, t.stop, t.text, t.id, t.head_id, t.rel, t.pos, tuple(sorted((t.feats or {}).items())))
             for t in doc.tokens],
            [(s.start, s.stop, s.type, s.text, [t.id for t in s.tokens]) for s in doc.spans],
            [(s.start, s.stop, [t.id for t in s.tokens], [x.start for x in s.spans]) for s in doc.sents])


def _natashas_own(natasha_plain: tuple, text: str) -> Doc:
    """`text` through natasha's own calls and models: what `analyze` must equal."""
    segmenter, morph, syntax, ner = natasha_plain
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_morph(morph)
    doc.parse_syntax(syntax)
    doc.tag_ner(ner)
    return doc


def test_analysis_equals_natashas_own_calls(natasha_plain: tuple) -> None:
    for text in TEXTS * 2:              # the second time from the warm encoding cache
        assert _analysis(analyze(text)) == _analysis(_natashas_own(natasha_plain, text))
    assert {s.type for t in TEXTS for s in analyze(t).spans} == {"PER", "LOC", "ORG"}


def test_empty_text_has_no_spans() -> None:
    doc = analyze("")
    assert doc.tokens == [] and doc.spans == []


_WORDS = ["Президент", "России", "встретился", "с", "министром", "в", "Москве", "Астане", "ООН", "т.", "е.",
          "1-2", "«Газпром»", "г.", "Нью-Йорк", "—", ",", ".", "!?", "(", ")", "2024", "года", "а", "Б.", "Иванов"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", " ", "  ", "\n", "\n\n", ""])),
                max_size=60))
def test_any_text_gets_natashas_own_tokens_sentences_tags_heads_and_spans(natasha_plain: tuple,
                                                                          words: list[tuple[str, str]]) -> None:
    text = "".join(w + gap for w, gap in words)
    assert _analysis(analyze(text)) == _analysis(_natashas_own(natasha_plain, text))
