"""Named institutions in Russian text: natasha NER ORG spans, normalised to nominative."""
from __future__ import annotations

import re

from natasha import Doc

from extraction.hits import InstitutionHit, Sentence
from schemas import stable_id

_SPACES = re.compile(r"\s+")


def institution_key(name: str) -> str:
    """The normalised key an unknown institution's id is derived from."""
    return _SPACES.sub(" ", name.casefold().replace("ё", "е")).strip(" «»\"'")


def find_institutions(doc: Doc) -> list[InstitutionHit]:
    hits = []
    for sent in doc.sents:
        for span in sent.spans:
            if span.type != "ORG":
                continue
            name = span.normal or span.text
            hits.append(InstitutionHit(
                start=span.start, end=span.stop, surface=span.text,
                institution_id=stable_id("institution", institution_key(name)),
                name=name, language="ru", source="ner", rule_id="ru.institution.ner",
                confidence=0.7, sentence=Sentence(sent.start, sent.stop)))
    return hits
