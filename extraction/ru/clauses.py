"""Dependency-tree helpers over one natasha `Doc`: built once per document, linear in its tokens.

`Tree(doc)` indexes every token by its id, keeps each token's children, its sentence and
its position, so the rule modules can walk heads and subtrees without re-parsing.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from natasha import Doc

CLAUSAL = frozenset({"ccomp", "advcl", "parataxis", "csubj", "acl:relcl", "root"})


class Tree:
    """Heads, children, sentences and positions of every token in a document."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.tokens = list(doc.tokens)
        self.by_id = {t.id: t for t in self.tokens}
        self.pos = {t.id: i for i, t in enumerate(self.tokens)}
        self.children: dict[str, list] = {t.id: [] for t in self.tokens}
        self.sent_of: dict[str, int] = {}
        for si, sent in enumerate(doc.sents):
            for t in sent.tokens:
                self.sent_of[t.id] = si
        for t in self.tokens:
            if t.head_id in self.children and t.head_id != t.id:
                self.children[t.head_id].append(t)
        self.sents = list(doc.sents)
        self._nouns_read_as_adjectives()

    def _nouns_read_as_adjectives(self) -> None:
        """"прошел бизнес-форум предпринимателей": the parser may read a (compound) noun before a
        genitive as that genitive's adjective; the noun heads, the genitive is its complement."""
        for t in self.tokens:
            h = self.head(t)
            if getattr(t, "pos", None) != "NOUN" or t.rel != "amod" or h is None or self.pos[h.id] != self.pos[t.id] + 1 or \
                    h.pos not in ("NOUN", "PROPN") or feat(h, "Case") != "Gen" or feat(t, "Case") in (None, "Gen"):
                continue
            g = self.head(h)
            if g is None:       # the genitive was the root: the noun is
                self.children[h.id].remove(t)
                t.head_id, t.rel = h.head_id, h.rel
            else:
                self.reattach(t, g, h.rel)
            self.reattach(h, t, "nmod")

    def reattach(self, tok, head, rel: str) -> None:
        """Hang `tok` on `head` with relation `rel` (a repair of the parse)."""
        old = self.by_id.get(tok.head_id)
        if old is not None and tok in self.children.get(old.id, []):
            self.children[old.id].remove(tok)
        tok.head_id, tok.rel = head.id, rel
        self.children[head.id].append(tok)
        self.children[head.id].sort(key=lambda t: self.pos[t.id])

    # ------------------------------------------------------------------ navigation
    def head(self, tok):
        return self.by_id.get(tok.head_id) if tok.head_id != tok.id else None

    def governor(self, tok):
        """The head, or for a noun the parser left as a second root of its sentence ("Заседание
        [root] ... прошло [root] в среду"), the root verb after it."""
        h = self.head(tok)
        if h is not None or tok.rel != "root" or tok.pos not in ("NOUN", "PROPN"):
            return h
        sent = self.sentence(tok)
        for t in self.tokens[self.pos[tok.id] + 1:]:
            if t.start >= sent.stop:
                break
            if t.rel == "root" and t.pos in ("VERB", "AUX"):
                return t
        return None

    def kids(self, tok, *rels: str) -> list:
        out = self.children.get(tok.id, [])
        return [c for c in out if c.rel in rels] if rels else list(out)

    def subtree(self, tok, skip: Iterable[str] = (), stop=None) -> list:
        """Tokens of `tok`'s subtree in text order; children with a rel in `skip` are pruned,
        and so is any token for which `stop(token)` is true (except `tok` itself).

        The parser can emit head cycles (A → B → A): each token is visited once."""
        skip = frozenset(skip)
        out, stack, seen = [], [tok], {tok.id}
        while stack:
            t = stack.pop()
            out.append(t)
            for c in self.children.get(t.id, []):
                if c.id in seen or c.rel in skip or (stop is not None and stop(c)):
                    continue
                seen.add(c.id)
                stack.append(c)
        out.sort(key=lambda t: self.pos[t.id])
        return out

    def ancestors(self, tok, limit: int = 8) -> Iterator:
        seen = 0
        t = self.head(tok)
        while t is not None and seen < limit:
            yield t
            t = self.head(t)
            seen += 1

    def has_case(self, tok, *preps: str) -> str | None:
        """The preposition (lower-case) attached to `tok` as `case`, if it is one of `preps` (any when empty)."""
        for c in self.children.get(tok.id, []):
            if c.rel == "case":
                w = c.text.lower()
                if not preps or w in preps:
                    return w
        return None

    def sentence(self, tok):
        return self.sents[self.sent_of[tok.id]]

    def sent_index(self, tok) -> int:
        return self.sent_of[tok.id]

    def span_text(self, toks: list) -> tuple[int, int, str]:
        """Offsets and text of the contiguous stretch from the first to the last of `toks`."""
        start = min(t.start for t in toks)
        stop = max(t.stop for t in toks)
        return start, stop, self.doc.text[start:stop]


def feat(tok, name: str) -> str | None:
    return (tok.feats or {}).get(name)


def lemma(tok) -> str:
    return (tok.lemma or tok.text).lower().replace("ё", "е")


def tense(tok) -> str | None:
    """past | present | future of a verb form (finite or participle), None for infinitives."""
    t = feat(tok, "Tense")
    if t == "Past":
        return "past"
    if t == "Fut":
        return "future"
    if t == "Pres" and tok.text.lower() in ("буду", "будешь", "будет", "будем", "будете", "будут"):
        return "future"  # the tagger reads "будет" as a present of "быть"
    if t == "Pres":
        # a perfective present form is a future in Russian
        return "future" if feat(tok, "Aspect") == "Perf" and feat(tok, "VerbForm") == "Fin" else "present"
    return None
