"""Persons in English text: proper-noun runs, titles resolved to names, quotations to speakers.

`People(ctx)` is built once per document (no statistical NER: the small pipeline's tagger
and the lexicons suffice). A name is a run of capitalised proper nouns that is not a place, an
institution, a title, a month or a name of a meeting or mechanism ("Kassym-Jomart Tokayev");
a lone surname resolves to the full name given earlier ("Tokayev"). Each name keeps the title
and country that stand before it ("Russian President Vladimir Putin": president, Russia), so
"the president", "the head of state" and "he" resolve to the named person. `speaker(i)` is who
says sentence i: a quotation's attribution ("..., Tokayev said.", "said the president"),
"According to Tokayev, ..." or the subject of the speech verb that governs the sentence.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import takewhile

from extraction.actors import actor, full_name
from extraction.en.places import countries, named_place
from extraction.lexicons import load_table, load_words
from extraction.names import name_key

_QUOTE = re.compile(r"[“\"«]([^“”\"«»]{3,}?)[”\"»]")
_PRONOUNS = frozenset({"he", "she", "him"})
_PLURAL_ENDINGS = ("ies", "ions", "ments", "ships", "ers", "ates", "ants", "ents", "ords")
_NOT_NAMES = frozenset({"the", "his", "her", "god", "islam", "muslim"})


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    return load_words("titles", "en")


@lru_cache(maxsize=1)
def name_particles() -> frozenset[str]:
    return load_words("people_name_particles", "en")


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    """Forms of address before a name ("Mr", "Shri", "H.E."): never part of the name."""
    return load_words("people_honorifics", "en")


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    return load_words("speech_verbs", "en")


@lru_cache(maxsize=1)
def _blocked_words() -> frozenset[str]:
    """Capitalised words that end a person name: heads of institutions, meetings, mechanisms; dates."""
    words = set(titles()) | _NOT_NAMES | honorifics()
    words |= {r["head"] for r in load_table("institution_heads", "en")}
    words |= {r["head"] for r in load_table("mechanism_heads", "en")}
    words |= {r["lemma"] for r in load_table("meeting_triggers", "en")}
    words |= {r["form"] for r in load_table("months", "en")} | {r["form"] for r in load_table("weekdays", "en")}
    words |= {w + "s" for w in titles()}        # "Deputy Foreign Ministers A and B"
    words |= {"summit", "summits", "talks", "meetings", "declaration", "river", "lake", "sea", "mountains", "valley",
              "basin", "republic", "federation", "kingdom", "state", "states", "asia", "europe", "africa", "america",
              "east", "west", "north", "south", "central", "new", "year", "day", "prime", "foreign", "general",
              "affairs", "goals", "global", "national", "international", "regional", "world", "united", "nations",
              "secretary-general", "acting", "special", "deputy", "first", "vice", "chief", "caucasus", "caspian",
              "eurasia", "balkans", "middle"}
    return frozenset(words)


@lru_cache(maxsize=1)
def _institution_heads() -> frozenset[str]:
    """Heads whose capitalised complement is part of a name: bodies and documents ("Plan of Collective Measures")."""
    return frozenset(r["head"] for r in load_table("institution_heads", "en")) | \
        frozenset(r["head"] for r in load_table("mechanism_heads", "en") if r["class"] in ("document", "strong"))


NAME_LINKS = frozenset({"to", "into", "for", "of", "on", "against"})


def _before_and_head(doc, j: int) -> bool:
    """"Road Maintenance and Transportation Organization": the run and what follows "and" make one name."""
    if j >= len(doc) or doc[j].lower_ != "and":
        return False
    k = j + 1
    while k < len(doc) and k - j <= 3 and doc[k].text[:1].isupper():
        if doc[k].lower_ in _institution_heads():
            return True
        k += 1
    return False


def _complement_of_head(doc, i: int) -> bool:
    """"Agency for Atomic Energy", "Committee on Financial Monitoring", "Service for Combating Drug
    Trafficking": the run completes a body's name (a capitalised gerund may stand between)."""
    k = i - 1
    while k >= 0 and i - k <= 2 and doc[k].text[:1].isupper() and (doc[k].tag_ == "VBG" or doc[k].lower_.endswith("ing")):
        k -= 1          # "for Combating Drug Trafficking", not "of Ministers Nurbek Sadyrov"
    return k >= 1 and doc[k].lower_ in ("for", "on", "of") and doc[k - 1].text[:1].isupper() and \
        doc[k - 1].lower_ in _institution_heads()


HOME_TITLES = frozenset({"minister", "premier"})     # national posts: without a country, the dateline's


@lru_cache(maxsize=1)
def portfolio_words() -> frozenset[str]:
    return load_words("portfolio_words", "en")


OPENING_QUOTES = frozenset({"“", "«", '"', "„"})
CLOSING_QUOTES = frozenset({"”", "»", '"', "“"})
MAX_QUOTED_TITLE = 8        # tokens: a longer quotation is speech, which may name people


def _quoted_titles(doc) -> set[int]:
    """Tokens of short quoted names (the “Trans-Caspian Transport Route” association, the “Towards
    Peace” conference): capitalised words there name a body, a route or an event, not a person.
    A quotation with a verb in it is speech and is left alone."""
    out: set[int] = set()
    i, n = 0, len(doc)
    while i < n:
        if doc[i].text not in OPENING_QUOTES:
            i += 1
            continue
        j = i + 1
        while j < n and j - i <= MAX_QUOTED_TITLE + 1 and doc[j].text not in CLOSING_QUOTES:
            j += 1
        inner = doc[i + 1:j]
        if j < n and doc[j].text in CLOSING_QUOTES and 0 < len(inner) <= MAX_QUOTED_TITLE and \
                inner[0].text[:1].isupper() and not any(t.pos_ in ("VERB", "AUX") for t in inner):
            out.update(range(i + 1, j))
            i = j + 1
        else:
            i += 1
    return out


class People:
    def __init__(self, ctx):
        self.ctx = ctx
        doc = ctx.doc
        self.tok_name: dict[int, str] = {}           # token index → resolved full name
        self.full: dict[str, str] = {}               # surname key → full name
        self.country: dict[str, str] = {}            # name → country from its title
        self.by_title: list[tuple[int, str, str]] = []   # (token index, title, name)
        self.mentions: list[tuple[int, str]] = []    # (token index, name)
        self.subjects: list[tuple[int, str]] = []    # (token index, name) of names that are clause subjects
        runs = self._runs(doc)
        for start, end in runs:
            words = [t for t in doc[start:end] if t.text != "-"]
            if len(words) >= 2:
                name = doc[start:end].text
                self.full.setdefault(name_key(words[-1].text), full_name(name, "en"))
        for start, end in runs:
            words = [t for t in doc[start:end] if t.text != "-"]
            name = doc[start:end].text if len(words) >= 2 else self.full.get(name_key(words[0].text))
            longer = self.full.get(name_key(words[-1].text))
            if len(words) >= 2 and longer and longer.casefold().endswith(" " + name.casefold()):
                name = longer       # "Von der Leyen" after "Ursula von der Leyen"
            title, country = self._title_before(start)
            if country is None:
                country = self._country_after(end)
            if name is None and title:
                name = doc[start:end].text          # "President Tokayev" with no full name given
            if name is None:
                continue
            known = actor(name)
            if known is not None:
                name = full_name(name, "en")    # "Tayyip Erdogan" is "Recep Tayyip Erdogan" (actors.tsv)
                if country is None and not self._body_in_post(start):
                    country = known.country_en  # unless the title is a body's ("President of the European Council")
            for i in range(start, end):
                self.tok_name[i] = name
            self.mentions.append((start, name))
            root = max(doc[start:end], key=lambda t: t.head.i < start or t.head.i >= end)
            if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ == "appos" and root.head.dep_ == "nsubj"):
                self.subjects.append((start, name))
            if country is None and title in HOME_TITLES and not self._body_in_post(start):
                country = self._home_country()      # "TASHKENT – ... Energy Minister Jamshid Tursunov": Uzbek
            if country:
                self.country.setdefault(name, country)
            if title:
                self.by_title.append((start, title, name))
        # a surname given in full earlier, whatever the tagger made of it ("Mirziyoyev put forward ...")
        for t in doc:
            if t.i in self.tok_name or not t.text[:1].isupper() or t.i in ctx.inst_span or t.i in ctx.place_span:
                continue
            name = self.full.get(name_key(t.text))
            if name is None or t.idx < ctx.dateline or name == t.text:
                continue
            self.tok_name[t.i] = name
            self.mentions.append((t.i, name))
            if t.dep_ in ("nsubj", "nsubjpass"):
                self.subjects.append((t.i, name))
        self.mentions.sort()
        self.subjects.sort()
        self._speakers: dict[int, str] | None = None

    # ------------------------------------------------------------------ names
    def _runs(self, doc) -> list[tuple[int, int]]:
        ctx, blocked = self.ctx, _blocked_words()
        titled = _quoted_titles(doc)
        out, i, n = [], 0, len(doc)
        rejected_end = -1          # end of the last capitalised run that is part of a title, not a person
        complement_end = -1        # ... of the last one that completed a body's or a document's name

        def ok(t) -> bool:
            return ((t.tag_ == "NNP" or t.tag_ == "NNPS" and not t.lower_.endswith(_PLURAL_ENDINGS)) and t.text[:1].isupper() and not t.text.isupper()
                    and t.text.isalpha() is not False and t.i not in ctx.place_span and t.i not in ctx.inst_span
                    and t.lower_ not in blocked and t.lemma_.lower() not in blocked and t.idx >= ctx.dateline
                    and t.i not in titled)
        while i < n:
            if not ok(doc[i]):
                i += 1
                continue
            j = i + 1
            while j < n:
                if ok(doc[j]) and doc[j - 1].whitespace_ in (" ", "") and "\n" not in doc[j - 1].whitespace_:
                    j += 1
                elif (k := self._after_particles(doc, j)) > j and k < n and ok(doc[k]):
                    j = k + 1   # "Ursula von der Leyen": the particles are part of the name
                elif doc[j].text == "-" and not doc[j - 1].whitespace_ and j + 1 < n and ok(doc[j + 1]) \
                        and not doc[j].whitespace_:
                    j += 2
                else:
                    break
            prev = doc[i - 1] if i > 0 else None
            nxt = doc[j] if j < n else None
            complement = _complement_of_head(doc, i) or \
                (i >= 2 and (prev.lower_ in NAME_LINKS or prev.lower_ == "and" and complement_end == i - 1) and
                 rejected_end == i - 1)     # "Measures to Counter Recruitment", "on Delimitation and Border Security"
            part_of_name = (nxt is not None and nxt.text[:1].isupper() and nxt.lower_ in blocked
                            and nxt.lower_ not in titles()) or (prev is not None and prev.lower_ == "the") or \
                _before_and_head(doc, j) or \
                complement or \
                all(t.lower_ in portfolio_words() for t in doc[i:j] if t.text != "-")   # "Minister of Water Resources"
            if not part_of_name and not any(c.isdigit() for c in doc[i:j].text):
                k = self._after_portfolio(doc, i, j)
                while k < j - 2 and doc[k].lower_ in portfolio_words():
                    k += 1          # "[National] Economy Aigerim Seitkaliyeva": the portfolio is no part of the name
                out.append((k, j))
            else:
                rejected_end = j
                if complement:
                    complement_end = j
            i = j
        return out

    @staticmethod
    def _after_particles(doc, j: int) -> int:
        """The index after lower-case name particles starting at `j` ("von der"), else `j`."""
        k = j
        while k < len(doc) and k - j < 3 and doc[k].text.islower() and doc[k].lower_ in name_particles() and \
                doc[k].whitespace_ == " " and doc[k - 1].whitespace_ == " ":
            k += 1
        return k

    def _after_portfolio(self, doc, i: int, j: int) -> int:
        """"Minister of Water Resources and Irrigation Serik Zhaksybekov": a run of three or more words
        after "of"/"and" in a post's title starts with the portfolio; the name is its last two words."""
        if i == 0 or doc[i - 1].lower_ not in ("of", "and", ","):
            return i
        units = [k for k in range(i, j) if doc[k].text != "-" and (k == i or doc[k - 1].text != "-")]
        if len(units) < 3:
            return i
        k = i - 1
        while k >= 0 and i - k <= 10 and not (doc[k].pos_ in ("VERB", "AUX") or doc[k].is_punct and doc[k].text != ","):
            if doc[k].lower_ in titles():
                last = max((u for u in units if doc[u].lower_ in portfolio_words()), default=None)
                if last is not None and units.index(last) + 1 < len(units):
                    return units[units.index(last) + 1]     # "Public Works Mohammad Hashim Rahmani"
                return units[-2]
            k -= 1
        return i

    def _home_country(self) -> str | None:
        """The country of the dateline's city ("BISHKEK (AKIpress) –" → Kyrgyzstan), else None."""
        doc, ctx = self.ctx.doc, self.ctx
        span = next((ctx.place_span[t.i] for t in takewhile(lambda t: t.idx < ctx.dateline, doc)
                     if t.i in ctx.place_span), None)
        p = named_place(span.id_) if span is not None else None
        return p.country if p is not None else None

    def _country_after(self, end: int) -> str | None:
        """The country of a post given after the name: "Hamid Rezaeipour, Iran's Minister of Roads",
        "Nuruddin Haqyar, acting Minister of Industry in Afghanistan's interim government"."""
        doc, ctx = self.ctx.doc, self.ctx
        if end >= len(doc) or doc[end].text != ",":
            return None
        titled = False
        for k in range(end + 1, min(len(doc), end + 14)):
            t = doc[k]
            if t.is_punct and t.text not in ("-", "–", "'s") or t.pos_ in ("VERB", "AUX"):
                break
            titled = titled or t.lower_ in titles()
            span = ctx.place_span.get(k)
            if titled and span is not None and span.label_ == "COUNTRY":
                return countries()[span.id_.lower()]["country"]
        return None

    def _body_in_post(self, start: int) -> bool:
        """A body's name stands in the post before the name ("SOCAR president X", "Minister of the EEC X")."""
        doc = self.ctx.doc
        k = start - 1
        while k >= 0 and start - k <= 8 and not (doc[k].is_punct and doc[k].text not in ("-", "–")) and \
                doc[k].pos_ not in ("VERB", "AUX", "CCONJ"):
            if k in self.ctx.inst_span:
                return True
            k -= 1
        return False

    def _title_before(self, start: int) -> tuple[str | None, str | None]:
        """The title and country standing before a name ("President of Kazakhstan", "Russian President")."""
        doc, ctx = self.ctx.doc, self.ctx
        title = country = None
        k = start - 1
        steps = 0
        while k >= 0 and steps < 9:
            t = doc[k]
            inside = t.text in (",", "and") and k > 0 and doc[k - 1].lower_ in portfolio_words() and \
                doc[k - 1].text[:1].isupper()         # "Minister of Investment, Industry and Trade X"
            if not inside and (t.is_punct and t.text not in ("-", "–") or t.pos_ in ("VERB", "AUX", "CCONJ") or
                               t.lower_ in ("with", "by", "and", "to", "from")):
                break
            if t.lower_ in titles() and title is None:
                title = "president" if t.lower_ == "leader" else t.lower_
            span = ctx.place_span.get(k)
            if span is not None and span.label_ == "COUNTRY" and country is None:
                country = countries()[span.id_.lower()]["country"]
            if k in ctx.inst_span:
                first = ctx.inst_span[k].start
                if country is not None or first == 0 or doc[first - 1].tag_ != "POS":
                    break
                k = first   # "Chairman of Kyrgyzstan's Cabinet of Ministers X": the country before the body counts
            k -= 1
            steps += 1
        return title, country

    def name_at(self, tok) -> str | None:
        return self.tok_name.get(tok.i)

    def by_post(self, tok) -> str | None:
        """A post ("the president", "the head of state", "the minister") → the named person before it."""
        word = tok.lower_
        if word == "head" and any(c.dep_ == "prep" and any(g.lower_ == "state" for g in c.subtree)
                                  for c in tok.children):
            word = "president"
        if word == "leader":
            word = "president"
        if word not in titles():
            return None
        holders = [name for i, title, name in self.by_title if i < tok.i and title == word]
        if len(set(holders)) <= 1:
            return holders[-1] if holders else None
        # several holders: the last one who was a clause subject, else the first one introduced
        for i, name in reversed(self.subjects):
            if i < tok.i and name in holders:
                return name
        return holders[0]

    def previous(self, tok) -> str | None:
        """Who "he"/"she" is: the last named subject of this or the previous sentence ("X held talks with
        Y. He proposed ..." → X), else the last named person before `tok`."""
        best = None
        for i, name in self.mentions:
            if i < tok.i:
                best = name
        ctx = self.ctx
        here = ctx.sent_index[tok.i]
        for i, name in reversed(self.subjects):
            if i < tok.i:
                if here - ctx.sent_index[i] <= 1:
                    return name
                break
        return best

    def agent(self, tok) -> str | None:
        """Who a subject token is: a named person, a post resolved to its holder, or a pronoun's antecedent."""
        name = self.name_at(tok)
        if name:
            return name
        if tok.lower_ in _PRONOUNS:
            return self.previous(tok)
        if tok.pos_ in ("NOUN", "PROPN"):
            for c in tok.children:
                if c.dep_ in ("compound", "appos") and self.name_at(c):
                    return self.name_at(c)
            return self.by_post(tok)
        return None

    # ------------------------------------------------------------------ speakers
    def speaker(self, sent_index: int) -> str | None:
        if self._speakers is None:
            self._speakers = self._find_speakers()
        return self._speakers.get(sent_index)

    def _verb_speaker(self, sent) -> str | None:
        for t in sent:
            if t.lemma_.lower() in speech_verbs() and t.pos_ == "VERB":
                for c in t.children:
                    if c.dep_ in ("nsubj",):
                        who = self.agent(c)
                        if who:
                            return who
            if t.lower_ == "according" and t.i + 1 < len(self.ctx.doc) and self.ctx.doc[t.i + 1].lower_ == "to":
                for c in self.ctx.doc[t.i + 2:min(t.i + 8, sent.end)]:
                    who = self.agent(c)
                    if who:
                        return who
        return None

    def _find_speakers(self) -> dict[int, str]:
        ctx = self.ctx
        out: dict[int, str] = {}
        for si, sent in enumerate(ctx.sents):
            who = self._verb_speaker(sent)
            if who:
                out[si] = who
        text = ctx.text
        starts = [s.start_char for s in ctx.sents]
        for m in _QUOTE.finditer(text):
            first = _sent_at(starts, m.start())
            last = _sent_at(starts, m.end() - 1)
            who = out.get(last) or out.get(first)
            if who is None and last + 1 < len(ctx.sents):
                who = out.get(last + 1) if ctx.sents[last + 1].start_char - m.end() < 3 else None
            if who:
                for si in range(first, last + 1):
                    out.setdefault(si, who)
        return out


def _sent_at(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
