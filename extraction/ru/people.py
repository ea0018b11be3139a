"""Persons: full names from natasha PER spans, surnames and posts resolved to named people,
and quotations attributed to their speakers.

`People(doc, tree)` is built once per document. `agent(tok)` names who a subject token is:
a PER span ("Токаев" → "Касым-Жомарт Токаев" when the full name came earlier), a post
("глава государства", "президент") or a pronoun ("он") → the named person it refers to
(a bare post with nobody named stays None). `speaker(sent_index)` is who says a sentence:
the subject of the speech verb after a quotation ("..., - сказал президент.") for every
sentence of the quote, or of a parenthetical "считает он".
"""
from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache

from natasha import Doc
from pymorphy2.analyzer import Parse as _PymorphyParse

from extraction.actors import full_name
from extraction.lexicons import load_table, load_words
from extraction.names import name_key
from extraction.ru.clauses import Tree, lemma
from extraction.ru.places import country

_OPEN_QUOTE = re.compile(r'^\s*[-–—]?\s*["«“„]')
_QUOTE_CLOSE = re.compile(r'["»”]\s*,?\s*[-–—]')
_PRONOUNS = frozenset({"он", "она"})
_PHRASE_STOPS = frozenset(",.;:!?—–")
MAX_POST_TOKENS = 8
MAX_TITLE_WINDOW = 20
_POST_SKIP = frozenset({"acl", "acl:relcl", "conj", "cc", "parataxis", "advcl", "ccomp", "appos", "punct"})


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    return load_words("titles", "ru")


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    return load_words("speech_verbs", "ru")


@lru_cache(maxsize=1)
def post_roles() -> tuple[tuple[frozenset[str], str], ...]:
    return tuple((frozenset(r["words"].split()), r["role"]) for r in load_table("people_post_roles", "ru"))


@lru_cache(maxsize=1)
def role_titles() -> dict[str, str]:
    return {r["role"]: r["title"] for r in load_table("people_post_roles", "ru")}


@lru_cache(maxsize=1)
def head_titles() -> frozenset[str]:
    return load_words("people_head_titles", "ru")


@lru_cache(maxsize=1)
def deputy_titles() -> frozenset[str]:
    return load_words("people_deputy_titles", "ru")


def _lower_lemma(tok) -> str:
    return tok.text.lower() if tok.text.isupper() else lemma(tok)


def post_role(words: list) -> tuple[str, str, frozenset[str], frozenset[str]] | None:
    """(title lemma, role, countries, other nouns) of a post's tokens: "министр иностранных дел
    Казахстана" → ("министр", "foreign_minister", {Казахстан}, ...); "глава Туркменистана" →
    ("глава", "head_of_state", {Туркменистан}, {}); "министр энергетики" → ("министр", "министр
    энергетика", {}, {энергетика}). None without a title."""
    title = next((lemma(t) for t in words if lemma(t) in titles()), None)
    if title is None:
        return None
    countries, rest = set(), set()
    for t in words:
        if t.pos not in ("NOUN", "PROPN", "ADJ"):
            continue
        cn = country(lemma(t)) if t.text[:1].isupper() or t.pos == "ADJ" else None
        if cn:
            countries.add(cn)
        elif t.pos != "ADJ" or lemma(t) in ("иностранный", "внешнеполитический"):
            rest.add(_lower_lemma(t))
    rest.discard(title)
    lems = rest | {title}
    for need, role in () if title in deputy_titles() else post_roles():
        if need <= lems and (len(need) > 1 or need != {title} or not rest or rest <= {"государство"}):
            return title, role, frozenset(countries), frozenset(rest)
    return title, " ".join([title, *sorted(rest)]), frozenset(countries), frozenset(rest)


def _surname_key(word: str) -> str:
    w = name_key(word)
    for suf in ("ым", "ом", "ой", "ого", "ому", "у", "а", "е"):
        if len(w) > 4 and w.endswith(suf):
            return w[: -len(suf)]
    return w


_INITIAL = re.compile(r"\b([А-ЯЁA-Z]) ?\. ?(?=[А-ЯЁA-Z])")   # "С . Лавров" (tokens joined) → "С.Лавров"
SAME_NAME_RATIO = 0.85     # spellings this close under one surname are one person misprinted, not two people
_NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
_GENDERS = {"Masc": "masc", "Fem": "femn"}


def _recase(word: str, like: str) -> str:
    parts, likes = word.split("-"), like.split("-")
    if len(parts) != len(likes):
        return word[:1].upper() + word[1:] if like[:1].isupper() else word
    return "-".join(p[:1].upper() + p[1:] if lk[:1].isupper() else p for p, lk in zip(parts, likes, strict=False))


def _g(p) -> str | None:
    gr = p.tag.grammemes
    return next((g for g in ("masc", "femn", "ms-f") if g in gr), None)


def _name_parses(word: str) -> list:
    from extraction.ru.nlp import models
    return [p for p in models().morph_vocab.parse(word.lower()) if _NAME_GRAMMEMES & p.tag.grammemes]


def _gender(parses: list[list], cases: list[str | None], tagged: str | None) -> str:
    """The person's gender: their first name's, else the surname's when it has one gender only."""
    for ps, case in zip(parses, cases, strict=True):
        names = [p for p in ps if "Name" in p.tag.grammemes and (case is None or case in p.tag.grammemes)]
        if names:
            best = max(names, key=lambda p: p.score)
            if _g(best) in ("masc", "femn"):
                return _g(best)
    # the tagged case fits no first-name reading ("Садыра" tagged nominative after a genitive title):
    # the first name's own gender when all its readings agree
    for ps in parses:
        genders = {_g(p) for p in ps if "Name" in p.tag.grammemes}
        if len(genders) == 1 and genders <= {"masc", "femn"}:
            return genders.pop()
    for ps, case in zip(parses, cases, strict=True):
        surn = {_g(p) for p in ps if "Surn" in p.tag.grammemes and "sing" in p.tag.grammemes
                and (case is None or case in p.tag.grammemes)}
        if surn == {"femn"}:
            return "femn"
        if surn == {"masc"}:
            return "masc"
    return tagged or "masc"


def person_nominative(span) -> str:
    """A PER span with every word in the nominative: the Name/Surn/Patr parse of each word in the
    case natasha tagged, inflected with the person's gender ("Данияром Сериковым" → "Данияр
    Сериков", "Айгерим Сапаровой" → "Айгерим Сапарова"); natasha's normal form where pymorphy
    knows no name reading."""
    toks = list(span.tokens)
    fallback = (span.normal or span.text).split()
    if len(fallback) != len(toks):
        fallback = [t.text for t in toks]
    cases = [_CASES.get((t.feats or {}).get("Case", "")) for t in toks]
    parses = [_name_parses(t.text) for t in toks]
    tagged = next((_GENDERS.get((t.feats or {}).get("Gender", "")) for t in toks), None)
    gender = _gender(parses, cases, tagged)
    out = []
    for tok, ps, case, fb in zip(toks, parses, cases, fallback, strict=True):
        word = fb
        cands = [p for p in ps if "sing" in p.tag.grammemes and _g(p) in (gender, "ms-f", None)]
        if tok.text.isupper() or (case in (None, "nomn") and (not cands or any(
                "nomn" in p.tag.grammemes for p in cands))):
            word = tok.text if cands or case == "nomn" else fb
        elif cands:
            best = max(cands, key=lambda p: (case is None or case in p.tag.grammemes, "nomn" not in p.tag.grammemes,
                                             p.score))
            want = {"nomn", "sing"} | ({gender} if _g(best) != "ms-f" and "Name" not in best.tag.grammemes
                                      else set())
            form = _PymorphyParse.inflect(best, want) or _PymorphyParse.inflect(best, {"nomn"})
            if form is not None:
                word = _recase(form.word, tok.text)
        elif case == "ablt" and len(word) > 5 and word.lower().endswith("ым") and gender == "masc":
            word = word[:-2]
        out.append(word)
    return _INITIAL.sub(r"\1.", " ".join(out))


class People:
    def __init__(self, doc: Doc, tree: Tree):
        self.tree = tree
        self.spans = [s for s in doc.spans if s.type == "PER"]
        self.tok_span: dict[str, object] = {}
        self.full: dict[str, str] = {}          # surname key → full name (its most frequent form)
        self._nominative: dict[tuple[int, int], str] = {}
        self._forms: dict[str, Counter] = {}    # surname key → full forms and how often each is written
        self.mentions: list[tuple[int, str]] = []  # (offset, resolved name)
        self.by_title: list[tuple[int, str, str]] = []  # (offset, title lemma, name)
        for s in self.spans:
            for t in s.tokens:
                self.tok_span[t.id] = s
            name = self._normal(s)
            words = name.split()
            if len(words) >= 2:
                self.full.setdefault(_surname_key(words[-1]), name)
                self._forms.setdefault(_surname_key(words[-1]), Counter())[name] += 1
        for key, forms in self._forms.items():
            self.full[key] = forms.most_common(1)[0][0]     # a misprint once is outvoted
        for s in self.spans:
            name = self.resolve_span(s)
            self.mentions.append((s.start, name))
            title = self._title_before(s)
            if title:
                self.by_title.append((s.start, title, name))
        self._speakers: dict[int, str | None] | None = None
        self._posts: list[tuple] | None = None
        self._speaker_toks: dict[int, object] = {}

    # ------------------------------------------------------------------ posts
    def _title_window(self, span) -> list:
        first = span.tokens[0]
        i = self.tree.pos.get(first.id)
        if i is None:
            return []
        out = []
        for t in reversed(self.tree.tokens[max(0, i - MAX_TITLE_WINDOW):i]):
            if t.text in _PHRASE_STOPS or t.id in self.tok_span or t.pos in ("VERB", "AUX"):
                break
            out.append(t)
        out = out[::-1]
        first = next((k for k, t in enumerate(out) if lemma(t) in titles()), len(out))
        return out[first:]      # "визит президента Туркменистана X": the post starts at its title

    def posts(self) -> list[tuple]:
        """(offset, name, title lemma, role, countries, other nouns) of every person named with a post."""
        if self._posts is None:
            self._posts = []
            for s in self.spans:
                got = post_role(self._title_window(s))
                if got:
                    self._posts.append((s.start, self.resolve_span(s), *got))
        return self._posts

    def post_of(self, tok) -> tuple[str, str, frozenset[str], frozenset[str]] | None:
        """`post_role` of the post a title token heads, read off its subtree."""
        words = [tok] + [t for t in self.tree.subtree(tok, skip=_POST_SKIP)
                         if t is not tok and t.text not in _PHRASE_STOPS and t.id not in self.tok_span
                         and abs(self.tree.pos[t.id] - self.tree.pos[tok.id]) <= MAX_POST_TOKENS]
        return post_role(words)

    def countries_of(self, name: str) -> frozenset[str]:
        """The countries the article's posts give a person ("министр иностранных дел России X": Россия)."""
        return frozenset(c for _, n, _, _, cns, _ in self.posts() if n == name for c in cns)

    def holder(self, tok) -> str | None:
        """The person a post names ("глава МИД Казахстана", "министр", "глава Туркменистана"): one
        the article named with the same role (and the same country, if the post gives one); the
        latest named before, else, for a post with a country, the first named after. None when
        nobody was named with that post: a post is never read as whoever was named last."""
        got = self.post_of(tok)
        if got is None:
            return None
        title, role, cns, rest = got
        bare = role == title
        before, after = None, None
        for off, name, t2, r2, c2, rest2 in self.posts():
            same = r2 == role or (bare and title in (t2, role_titles().get(r2))) or \
                (rest and role not in role_titles() and rest <= rest2 and
                 (t2 == title or {t2, title} <= head_titles()))     # "глава КТЖ" ~ "председатель правления ... (КТЖ)"
            if not same:
                continue
            if cns and not cns <= c2:
                continue
            if off < tok.start:
                before = name
            elif after is None and cns:
                after = name
        return before or after

    # ------------------------------------------------------------------ names
    def _normal(self, span) -> str:
        """`person_nominative` of a span, once per span (names are resolved many times over); a
        known actor's short form in full ("Тайип Эрдоган" → "Реджеп Тайип Эрдоган")."""
        key = (span.start, span.stop)
        name = self._nominative.get(key)
        if name is None:
            name = self._nominative[key] = full_name(person_nominative(span), "ru")
        return name

    def resolve_span(self, span) -> str:
        name = self._normal(span)
        words = name.split()
        canonical = self.full.get(_surname_key(words[-1])) if words else None
        if len(words) == 1:
            return canonical or name
        if canonical and canonical != name and len(canonical.split()) == len(words) and \
                SequenceMatcher(None, name, canonical).ratio() >= SAME_NAME_RATIO:
            return canonical    # "Грубангулы Бердымухамедов" once, "Гурбангулы ..." elsewhere: one person
        fuller = self._fuller(name)
        return fuller or name

    def _fuller(self, name: str) -> str | None:
        """The article's longer form of this name ("Реджеп Эрдоган" → "Реджеп Тайип Эрдоган"): one
        form of the same surname holding every word of it and more."""
        words = name.split()
        have = {name_key(w) for w in words}
        longer = [f for f in self._forms.get(_surname_key(words[-1]), ()) if len(f.split()) > len(words)
                  and have <= {name_key(w) for w in f.split()}]
        return max(longer, key=lambda f: (len(f.split()), self._forms[_surname_key(words[-1])][f]), default=None)

    def _title_before(self, span) -> str | None:
        first = span.tokens[0]
        i = self.tree.pos[first.id]
        for t in reversed(self.tree.tokens[max(0, i - 5):i]):
            if t.text in ",.;:!?\"«»()":
                return None
            lem = lemma(t)
            if lem in titles():
                return lem
        return None

    def person_at(self, tok) -> str | None:
        span = self.tok_span.get(tok.id)
        return self.resolve_span(span) if span else None

    def last_before(self, offset: int, title: str | None = None) -> str | None:
        best = None
        if title:
            for off, t, name in self.by_title:
                if off < offset and t == title:
                    best = name
            if best:
                return best
        for off, name in self.mentions:
            if off < offset:
                best = name
        return best

    def agent(self, tok, posts: bool = False) -> str | None:
        """The named person a subject token stands for, else None. With `posts`, a post resolves
        only to a person named with the same post (`holder`), never to the last person named."""
        name = self.person_at(tok)
        if name:
            return name
        for c in self.tree.kids(tok, "appos", "flat:name", "flat", "nmod"):
            name = self.person_at(c)
            if name:
                return name
        if tok.text[:1].isupper() and tok.pos in ("PROPN", "NOUN") and tok.id not in self.tok_span:
            name = self.full.get(_surname_key(tok.text))
            if name:
                return name     # "– сказал Кипиани": a surname named in full before, missed by the NER here
        lem = lemma(tok)
        if lem in titles():
            if posts:
                return self.holder(tok)
            # the last person named with this title, unless the post names another country than theirs
            # ("министр иностранных дел Казахстана" after a sentence about the Russian president)
            name = self.last_before(tok.start, lem)
            got = self.post_of(tok) if name else None
            if got and got[2] and (known := self.countries_of(name)) and not got[2] & known:
                return self.holder(tok)
            return name
        if lem in _PRONOUNS and tok.pos == "PRON":
            return self.last_speaker_before(tok) or self.last_before(tok.start)
        return None

    # ------------------------------------------------------------------ quotations
    def _speech_subject(self, sent) -> tuple[bool, str | None]:
        tok = self._speech_token(sent)
        return (True, self.agent(tok)) if tok is not None else (False, None)

    def _speech_token(self, sent):
        for t in sent.tokens:
            if lemma(t) in speech_verbs() and t.pos == "VERB":
                for c in self.tree.kids(t, "nsubj"):
                    if lemma(c) in ("мы", "я"):
                        break           # «Мы предложили ...», – сказал X: the speaker is X
                    return c
        return None

    def speakers(self) -> dict[int, str | None]:
        if self._speakers is not None:
            return self._speakers
        out: dict[int, str | None] = {}
        sents = self.tree.sents
        for i, sent in enumerate(sents):
            if _QUOTE_CLOSE.search(sent.text):
                tok = self._speech_token(sent)
                if tok is None:
                    continue
                j = i
                while j > 0 and j > i - 8 and not _OPEN_QUOTE.match(sents[j].text):
                    j -= 1
                for k in range(j, i + 1):
                    if k not in out:
                        out[k] = self.agent(tok)
                        self._speaker_toks[k] = tok
        for i, sent in enumerate(sents):
            if i not in out:
                tok = self._speech_token(sent)
                if tok is not None:
                    out[i] = self.agent(tok)
                    self._speaker_toks[i] = tok
        self._speakers = out
        return out

    def speaker_token(self, sent_index: int):
        """The subject token of the speech verb that attributes the sentence, else None."""
        self.speakers()
        return self._speaker_toks.get(sent_index)

    def speaker(self, sent_index: int, posts: bool = False) -> str | None:
        """Who says the sentence; with `posts`, a post resolves only through `holder`."""
        name = self.speakers().get(sent_index)
        tok = self._speaker_toks.get(sent_index)
        if posts and tok is not None and self.person_at(tok) is None and lemma(tok) in titles():
            return self.agent(tok, posts=True)
        return name

    def last_speaker_before(self, tok) -> str | None:
        si = self.tree.sent_index(tok)
        sp = self.speakers() if self._speakers is not None else {}
        for k in range(si - 1, max(-1, si - 6), -1):
            if sp.get(k):
                return sp[k]
        return None
