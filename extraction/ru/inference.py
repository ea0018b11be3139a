"""natasha's slovnet models run with the same arithmetic and less Python around it.

slovnet's numpy inference spends much of its time moving numbers rather than computing:
each convolution lays out its windows by a strided copy about as slow as the matrix product
that follows, the navec embedding gathers codes through a two-array index, every model
encodes every word again (lower-casing, word shape, two vocabulary lookups), the NER
tokenizes the text a second time, and its Viterbi step builds an index grid to gather the
maxima it has just located. Here:

- a convolution builds the very same window matrix from K contiguous slices, and the
  embedding takes the same codes with one flat `take`;

- the three models share one vocabulary of words and one of shapes when theirs are equal
  (they are: one navec vocabulary of 250,000 words, held once instead of three times), and
  one cache of word encodings;
- the NER tags the segmenter's tokens (razdel's, the same that slovnet's NER would cut) and
  takes its spans' offsets from them, where slovnet finds every word in the text again;
- the CRF's Viterbi step takes `max` where slovnet gathers at `argmax`: the same floats;
- segmentation, tags, heads and relations go straight onto natasha's `DocToken`s: natasha and
  slovnet build two records per token on the way (razdel's token wrapped twice; a markup token
  from each model, wrapped again), and slovnet parses each token's tag string anew, where here
  each distinct tag string is parsed once.

Every number the networks compute is computed by the same numpy calls on the same arrays,
so tags, heads, relations and spans are those of natasha's own calls
(`tests/unit/test_ru_inference.py` compares them).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np
from natasha import Doc
from natasha.doc import DocSent, DocSpan, DocToken
from razdel import sentenize, tokenize
from slovnet.bio import bio_spans
from slovnet.chop import chop
from slovnet.conll import parse_conll_tag
from slovnet.exec.encoders import WordShapeEncoder
from slovnet.exec.model import CRF, Conv1d, NavecEmbedding
from slovnet.shape import word_shape
from slovnet.vocab import Vocab

# words kept in the encoding cache before it starts again (news vocabulary is Zipfian: the
# cache holds the frequent words after a few hundred articles; ≈200 bytes an entry)
CACHE_WORDS = 50_000


class CachedEncoder(WordShapeEncoder):
    """slovnet's word and shape encoder with a cache of word encodings, shared by encoders whose
    vocabularies are equal."""

    def __init__(self, encoder: WordShapeEncoder, cache: dict[str, tuple[int, int]]) -> None:
        super().__init__(encoder.words_vocab, encoder.shapes_vocab, encoder.batch_size)
        self.cache = cache

    def item(self, words: Iterable[str]) -> tuple[list[int], list[int]]:
        cache = self.cache
        word_ids, shape_ids = [], []
        for word in words:
            ids = cache.get(word)
            if ids is None:
                if len(cache) >= CACHE_WORDS:
                    cache.clear()
                ids = cache[word] = (self.words_vocab.encode(word.lower()),
                                     self.shapes_vocab.encode(word_shape(word)))
            word_ids.append(ids[0])
            shape_ids.append(ids[1])
        return word_ids, shape_ids


class SliceConv1d(Conv1d):
    """slovnet's `Conv1d` whose window matrix (batch × windows rows, channels × kernel columns) is
    filled from the kernel's K shifted slices of the sequence, not by a strided reshape: the same
    matrix, the same product."""

    def __call__(self, input: np.ndarray) -> np.ndarray:
        filters_count, in_dim, kernel_size = self.weight.shape
        if kernel_size == 1 or in_dim == 1:
            # slovnet's reshape makes a strided view here, not a copy, and the product of a strided
            # matrix may round otherwise: its own call keeps the bits (natasha's layers: 3 and ≥ 64)
            return super().__call__(input)
        seq = input.swapaxes(2, 1)          # batch x seq x channels (contiguous: the layers' layout)
        batch_size, seq_len, _ = seq.shape
        pad = self.padding
        windows_count = seq_len + 2 * pad - kernel_size + 1
        windows = np.empty((batch_size, windows_count, in_dim, kernel_size), dtype=seq.dtype)
        for j in range(kernel_size):
            lo = j - pad                    # the sequence position under window 0's j-th tap
            first = max(0, lo)
            n = max(0, min(seq_len, lo + windows_count) - first)
            at = first - lo
            windows[:, :at, :, j] = 0
            windows[:, at:at + n, :, j] = seq[:, first:first + n, :]
            windows[:, at + n:, :, j] = 0
        windows = windows.reshape(batch_size * windows_count, in_dim * kernel_size)
        weight = self.weight.array.reshape(filters_count, in_dim * kernel_size)
        output = np.matmul(windows, weight.T) + self.bias.array
        output = output.reshape(batch_size, windows_count, filters_count)
        return output.swapaxes(2, 1)  # batch x filters x windows


class TakeNavecEmbedding(NavecEmbedding):
    """slovnet's navec embedding taking each word's codes with one `take` from the flattened code
    book (a copy of the same floats) instead of a two-array fancy index."""

    def __init__(self, emb: NavecEmbedding) -> None:
        super().__init__(emb.id, emb.indexes, emb.codes)
        qdim, centroids, chunk = self.codes.array.shape
        self.flat = self.codes.array.reshape(qdim * centroids, chunk)
        self.offsets = np.arange(qdim) * centroids

    def __call__(self, input: np.ndarray) -> np.ndarray:
        rows = self.indexes.array[input.ravel()].astype(np.intp) + self.offsets
        return np.take(self.flat, rows, axis=0).reshape(*input.shape, self.dim)


class MaxCRF(CRF):
    """slovnet's CRF whose Viterbi step takes the maxima with `max` (the very values slovnet
    gathers at `argmax` through an index grid), sums each step into one buffer (the same sums in
    the same order: the step's scores plus the transitions, plus the emissions), skips the mask
    where no sequence is padded and walks the path back over Python lists."""

    def decode(self, emissions: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
        batch_size, seq_len, tags_num = emissions.shape
        mask = mask.swapaxes(1, 0)
        padded = not mask.all()
        transitions = self.transitions.array
        rows = emissions.swapaxes(1, 0)[:, :, None, :]     # seq x batch x 1 x tags: each step's emissions
        step = np.empty((batch_size, tags_num, tags_num), np.result_type(emissions, transitions))
        history = []
        score = emissions[:, 0]  # batch x tags
        for index in range(1, seq_len):
            np.add(score[:, :, None], transitions, out=step)   # batch x tags x tags
            step += rows[index]
            history.append(step.argmax(-2))
            best = step.max(-2)
            score = np.where(mask[index][:, None], best, score) if padded else best
        back = np.stack(history).tolist() if history else []  # step x batch x tags: the best previous tag
        sizes = (mask.sum(0) - 1).tolist()
        batch = []
        for index in range(batch_size):
            best = int(score[index].argmax())
            tags = [best]
            for indexes in reversed(back[:sizes[index]]):
                best = indexes[index][best]
                tags.append(best)
            tags.reverse()
            batch.append(np.array(tags))
        return batch


def speed_up(*apis: object) -> None:
    """Give slovnet APIs (natasha's morph tagger, syntax parser, NER tagger) one shared vocabulary
    where theirs are equal, cached encoders, slice-built convolution windows, the `take`
    embedding and, for a CRF head, the `max` Viterbi step."""
    shared: list[tuple[Vocab, Vocab, dict]] = []
    for api in apis:
        infer = api.infer
        encoder = infer.encoder
        same = next((s for s in shared if encoder.words_vocab.items == s[0].items
                     and encoder.shapes_vocab.items == s[1].items), None)
        if same is None:
            same = (encoder.words_vocab, encoder.shapes_vocab, {})
            shared.append(same)
        encoder.words_vocab, encoder.shapes_vocab, cache = same
        infer.encoder = CachedEncoder(encoder, cache)
        model = infer.model
        if type(model.emb.word) is NavecEmbedding:
            model.emb.word = TakeNavecEmbedding(model.emb.word)
        for layer in model.encoder.layers:
            if type(layer.conv) is Conv1d:
                layer.conv = SliceConv1d(layer.conv.weight, layer.conv.bias, layer.conv.padding)
        head = getattr(model, "head", None)
        crf = getattr(head, "crf", None)
        if type(crf) is CRF:
            head.crf = MaxCRF(crf.transitions)


def tag_ner(doc: Doc, tagger: object) -> None:
    """natasha's `Doc.tag_ner` on the segmenter's tokens: the spans natasha would give, without
    tokenizing the text again."""
    if not doc.text.strip():
        doc.spans = []
        return
    words = [t.text for t in doc.tokens]
    infer = tagger.infer
    tags = next(iter(infer.decoder(infer.process(infer.encoder([words])))))
    # slovnet would find each word in the text again, from where the last one stopped: that gives
    # razdel's own offsets, which the tokens hold already
    spans = bio_spans(doc.tokens, tags)
    doc.spans = [DocSpan(s.start, s.stop, s.type, doc.text[s.start:s.stop]) for s in spans]
    doc.envelop_span_tokens()
    doc.envelop_sent_spans()


def segment(doc: Doc) -> None:
    """natasha's `Doc.segment` (razdel's tokens and sentences), each token and sentence made once."""
    text = doc.text
    doc.tokens = [DocToken(t.start, t.stop, t.text) for t in tokenize(text)]
    doc.sents = [DocSent(s.start, s.stop, s.text) for s in sentenize(text)] if text else []
    doc.envelop_sent_tokens()


def _decoded(api: object, items: list[list[str]]) -> Iterator:
    """A slovnet API's decoded predictions for `items`, a prediction per item: the chunks of its
    `map` through its encoder, model and decoder, without the markup its `map` wraps them in."""
    infer = api.infer
    for chunk in chop(items, api.batch_size):
        yield from infer.decoder(infer.process(infer.encoder(chunk)))


@lru_cache(maxsize=4096)
def _tag(tag: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    pos, feats = parse_conll_tag(tag)
    return pos, tuple(feats.items())


def tag_morph(doc: Doc, tagger: object) -> None:
    """natasha's `Doc.tag_morph`: each token's part of speech and features (a dict of its own)."""
    sents = doc.sents
    for sent, tags in zip(sents, _decoded(tagger, [[t.text for t in s.tokens] for s in sents]), strict=True):
        for token, tag in zip(sent.tokens, tags, strict=True):
            pos, feats = _tag(tag)
            token.pos, token.feats = pos, dict(feats)


def parse_syntax(doc: Doc, parser: object) -> None:
    """natasha's `Doc.parse_syntax`: each token's id, head and relation, ids numbered by sentence
    ("3_5": the fifth token of the third sentence)."""
    sents = doc.sents
    parsed = _decoded(parser, [[t.text for t in s.tokens] for s in sents])
    for sent_id, (sent, (ids, head_ids, rels)) in enumerate(zip(sents, parsed, strict=True), 1):
        for token, token_id, head_id, rel in zip(sent.tokens, ids, head_ids, rels, strict=True):
            token.id, token.head_id, token.rel = f"{sent_id}_{token_id}", f"{sent_id}_{head_id}", rel
