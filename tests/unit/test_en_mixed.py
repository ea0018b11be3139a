"""Language routing per paragraph: each stretch to its extractor, offsets into the whole body."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extraction.en.nlp import pipeline
from extraction.mixed import segments
from extraction.pipeline import extract
from schemas import Article, Language, content_hash

EN = ("Kazakh President Arman Beketov held talks with the Secretary General of the United Nations in Astana "
      "on Monday. The sides discussed a regional platform for water diplomacy proposed by Kazakhstan.")
RU = ("Министр иностранных дел Узбекистана провел встречу с делегацией ООН в Ташкенте. Стороны обсудили "
      "создание регионального центра по водной дипломатии.")


@pytest.fixture(scope="session", autouse=True)
def en_models():
    return pipeline()


def test_segments_split_by_language():
    body = f"{EN}\n\n{RU}\n"
    parts = segments(body, Language.EN)
    assert [p[2] for p in parts] == [Language.EN, Language.RU]
    assert body[parts[1][0]:parts[1][1]].startswith("Министр")


def test_short_paragraph_takes_neighbours_language():
    body = f"ASTANA\n{EN}"
    assert {p[2] for p in segments(body, Language.EN)} == {Language.EN}


def test_mixed_article_extracts_both_languages_with_whole_body_offsets():
    body = f"{EN}\n\n{RU}\n"
    article = Article(article_id="mixed-1", title="t", language=Language.EN, body=body,
                      published_at=datetime(2024, 5, 15, 9, tzinfo=UTC), content_hash=content_hash(body))
    ex = extract(article)
    assert not ex.rejects
    for m in ex.mentions:
        assert body[m.char_start:m.char_end] == m.surface
    for m in (*ex.meetings, *ex.mechanisms):
        assert m.evidence in body and m.char_start < m.char_end <= len(body)
    ru_start = body.index("Министр")
    assert any(m.char_start >= ru_start for m in ex.meetings)
    assert any(m.char_start < ru_start for m in ex.meetings)
    # one identity for the UN across the two paragraphs
    assert "un" in {i.institution_id for i in ex.institutions}
    assert sum(1 for m in ex.mentions if m.institution_id == "un") >= 2
