"""load_batch on a real DuckDB file: idempotent, revisions, atomic, deduplicated."""
from __future__ import annotations

import pytest

from schemas import Extraction, Meeting, Participant, Reject, content_hash
from warehouse import (
    LoadError,
    articles_for_reprocess,
    classify_articles,
    load_batch,
    open_warehouse,
    table_counts,
)
from warehouse.testing import (
    KEYS,
    duplicate_keys,
    make_article,
    make_extraction,
    make_institution,
    make_reject,
    snapshot,
)

EXTRACTED = ("institution_mentions", "meetings", "meeting_participants", "mechanisms")


@pytest.fixture
def con(tmp_path):
    con = open_warehouse(tmp_path / "w.duckdb")
    yield con
    con.close()


def batch(n=3):
    articles = [make_article(i) for i in range(n)]
    return articles, [make_extraction(a) for a in articles]


def everything(con):
    return {name: snapshot(con, name) for name in KEYS if name != "schema_migrations"}


def test_first_load_counts(con):
    articles, extractions = batch()
    counts = load_batch(con, run_id="run1", articles=articles, extractions=extractions, rejects=[make_reject(1)])
    assert (counts.articles_new, counts.articles_updated, counts.articles_unchanged) == (3, 0, 0)
    assert (counts.meetings, counts.meeting_participants, counts.mechanisms, counts.institution_mentions) == (3, 6, 3, 3)
    assert counts.institutions == 1 and counts.rejects == 1
    tables = table_counts(con)
    assert tables["articles"] == 3 and tables["institutions"] == 1 and tables["rejects"] == 1
    assert con.execute("SELECT DISTINCT revision, extractor_version FROM articles").fetchall() == [(1, "test-1")]
    assert con.execute("SELECT run_id FROM rejects").fetchall() == [("run1",)]
    assert duplicate_keys(con) == {}


def test_second_load_changes_nothing(con):
    articles, extractions = batch()
    load_batch(con, run_id="run1", articles=articles, extractions=extractions, rejects=[make_reject(1)])
    before = everything(con)
    counts = load_batch(con, run_id="run1", articles=articles, extractions=extractions, rejects=[make_reject(1)])
    assert (counts.articles_new, counts.articles_updated, counts.articles_unchanged) == (0, 0, 3)
    assert counts.rejects == 0
    assert everything(con) == before
    assert duplicate_keys(con) == {}


def test_unchanged_articles_without_extractions_are_untouched(con):
    articles, extractions = batch()
    load_batch(con, run_id="run1", articles=articles, extractions=extractions)
    before = everything(con)
    new, changed, unchanged = classify_articles(con, articles)
    assert (new, changed, [a.article_id for a in unchanged]) == ([], [], ["a0000", "a0001", "a0002"])
    load_batch(con, run_id="run2", articles=articles, extractions=[])
    assert everything(con) == before


def test_changed_body_touches_only_that_article(con):
    articles, extractions = batch()
    load_batch(con, run_id="run1", articles=articles, extractions=extractions)
    before = everything(con)
    body = "Переговоры ООН в Женеве отложены."
    edited = make_article(1, body)
    new, changed, unchanged = classify_articles(con, [articles[0], edited, articles[2]])
    assert [a.article_id for a in changed] == ["a0001"] and not new and len(unchanged) == 2
    counts = load_batch(con, run_id="run2", articles=[articles[0], edited, articles[2]],
                        extractions=[make_extraction(edited, version="test-2")])
    assert (counts.articles_new, counts.articles_updated, counts.articles_unchanged) == (0, 1, 2)
    after = everything(con)

    def others(rows, key_index=None):
        return [r for r in rows if "a0001" not in r and not any(isinstance(v, str) and "a0001" in v for v in r)]

    for name in ("articles", "institution_mentions", "meetings", "mechanisms"):
        assert others(after[name]) == others(before[name]), name
    row = con.execute("SELECT body, content_hash, revision, extractor_version, updated_at > first_seen_at "
                      "FROM articles WHERE article_id = 'a0001'").fetchone()
    assert row == (body, content_hash(body), 2, "test-2", True)
    assert con.execute("SELECT article_id, revision, body FROM article_revisions").fetchall() == [
        ("a0001", 1, articles[1].body)]
    assert con.execute("SELECT DISTINCT extractor_version FROM meetings WHERE article_id = 'a0001'").fetchall() == [
        ("test-2",)]
    assert con.execute("SELECT count(*) FROM meetings").fetchone()[0] == 3
    assert duplicate_keys(con) == {}


def test_changed_article_without_extraction_loses_stale_records(con):
    articles, extractions = batch(2)
    load_batch(con, run_id="run1", articles=articles, extractions=extractions)
    load_batch(con, run_id="run2", articles=[make_article(0, "Совсем другой текст.")], extractions=[])
    assert con.execute("SELECT count(*) FROM meetings WHERE article_id = 'a0000'").fetchone()[0] == 0
    assert con.execute("SELECT extractor_version FROM articles WHERE article_id = 'a0000'").fetchone() == (None,)
    assert con.execute("SELECT count(*) FROM meetings").fetchone()[0] == 1


def test_duplicates_inside_one_batch(con):
    articles, extractions = batch(2)
    old = make_article(0, "Старый текст про ООН.")
    doubled = extractions[0].model_copy(update={
        "meetings": extractions[0].meetings * 2, "mechanisms": extractions[0].mechanisms * 3,
        "mentions": extractions[0].mentions * 2})
    counts = load_batch(con, run_id="run1", articles=[old, *articles, articles[1]],
                        extractions=[extractions[0], doubled, extractions[1]], rejects=[make_reject(1)] * 2)
    assert (counts.articles_new, counts.meetings, counts.mechanisms, counts.rejects) == (2, 2, 2, 1)
    assert con.execute("SELECT body FROM articles WHERE article_id = 'a0000'").fetchone() == (articles[0].body,)
    assert duplicate_keys(con) == {}


def test_institutions_deduplicated_and_aliases_merged(con):
    a, b, c = make_article(1), make_article(2), make_article(3)
    ner = make_institution(name="ООН", acronym=None, source="ner", aliases=("Объединенные Нации",), kind="other")
    gaz = make_institution(aliases=("United Nations", "UN"))
    load_batch(con, run_id="r", articles=[a], extractions=[make_extraction(a, institutions=(ner,))])
    assert con.execute("SELECT name, acronym, kind, source FROM institutions").fetchall() == [
        ("ООН", None, "other", "ner")]
    load_batch(con, run_id="r", articles=[b, c], extractions=[make_extraction(b, institutions=(gaz,)),
                                                             make_extraction(c, institutions=(ner,))])
    assert con.execute("SELECT institution_id, name, acronym, kind, source FROM institutions").fetchall() == [
        ("un", "Организация Объединенных Наций", "ООН", "international", "gazetteer")]
    aliases = [r[0] for r in con.execute("SELECT alias FROM institution_aliases ORDER BY alias").fetchall()]
    assert aliases == sorted(["ООН", "Объединенные Нации", "Организация Объединенных Наций", "United Nations", "UN"])
    # a later non-gazetteer name does not replace the gazetteer one
    other = make_institution(name="Организация ООН", acronym=None, source="ner", kind="other")
    load_batch(con, run_id="r", articles=[a], extractions=[make_extraction(a, institutions=(other,))])
    assert con.execute("SELECT name, kind FROM institutions").fetchall() == [
        ("Организация Объединенных Наций", "international")]
    assert con.execute("SELECT count(*) FROM institution_mentions WHERE institution_id = 'un'").fetchone() == (3,)
    assert duplicate_keys(con) == {}


def test_institutions_merged_inside_one_batch(con):
    a, b = make_article(1), make_article(2)
    ner = make_institution(name="ООН", acronym=None, source="ner", kind="other")
    gaz = make_institution()
    load_batch(con, run_id="r", articles=[a, b], extractions=[make_extraction(a, institutions=(ner,)),
                                                             make_extraction(b, institutions=(gaz,))])
    assert con.execute("SELECT name, acronym, kind FROM institutions").fetchall() == [
        ("Организация Объединенных Наций", "ООН", "international")]


def invalid_meeting(extraction: Extraction) -> Extraction:
    good = extraction.meetings[0]
    bad = Meeting.model_construct(**{**dict(good), "meeting_id": "bad", "kind": "banquet"})
    return extraction.model_copy(update={"meetings": (good, bad)})


def test_check_violation_rolls_back_whole_batch(con):
    articles, extractions = batch(2)
    load_batch(con, run_id="run1", articles=articles, extractions=extractions)
    before = everything(con)
    fresh = make_article(5)
    edited = make_article(0, "Новый текст про ООН.")
    with pytest.raises(LoadError, match="rolled back.*CHECK") as caught:
        load_batch(con, run_id="run2", articles=[edited, fresh],
                   extractions=[make_extraction(edited), invalid_meeting(make_extraction(fresh))],
                   rejects=[make_reject(9)])
    assert "\n" not in str(caught.value)
    assert everything(con) == before


@pytest.mark.parametrize("step", ["articles", "records", "institutions", "rejects"])
def test_failure_in_any_step_rolls_back(con, step):
    articles, extractions = batch(2)
    before = everything(con)

    def fail(name):
        if name == step:
            raise RuntimeError(f"injected after {name}")

    with pytest.raises(RuntimeError, match="injected"):
        load_batch(con, run_id="run1", articles=articles, extractions=extractions,
                   rejects=[make_reject(1)], on_step=fail)
    assert everything(con) == before
    # and the connection is usable afterwards
    assert load_batch(con, run_id="run1", articles=articles, extractions=extractions).articles_new == 2


def test_unstorable_records_become_rejects(con):
    articles, extractions = batch(2)
    load_batch(con, run_id="run1", articles=articles, extractions=extractions)
    ghost = make_extraction(make_article(77))
    # article 1 claims article 0's meeting id: stored for another article -> rejected, not moved
    stolen = extractions[1].model_copy(update={"meetings": (
        extractions[1].meetings[0].model_copy(update={"meeting_id": extractions[0].meetings[0].meeting_id}),)})
    counts = load_batch(con, run_id="run2", articles=[], extractions=[ghost, stolen])
    assert counts.rejects == 2 and counts.meetings == 0
    rows = con.execute("SELECT stage, record_type, article_id, run_id FROM rejects ORDER BY record_type").fetchall()
    assert rows == [("load", "extraction", "a0077", "run2"), ("load", "meeting", "a0001", "run2")]
    assert con.execute("SELECT article_id FROM meetings").fetchall() == [("a0000",)]
    reject = con.execute("SELECT payload FROM rejects WHERE record_type = 'extraction'").fetchone()[0]
    assert Extraction.model_validate_json(reject) == ghost
    assert load_batch(con, run_id="run2", articles=[], extractions=[ghost, stolen]).rejects == 0


def test_extraction_rejects_are_stored(con):
    article = make_article(1)
    reject = Reject(reject_id="x1", article_id=article.article_id, stage="validate", record_type="meeting",
                    error="span outside body", payload="{}", rejected_at=make_reject(1).rejected_at)
    extraction = make_extraction(article).model_copy(update={"rejects": (reject,)})
    assert load_batch(con, run_id="r", articles=[article], extractions=[extraction]).rejects == 1
    assert con.execute("SELECT reject_id, stage FROM rejects").fetchall() == [("x1", "validate")]


def test_articles_for_reprocess(con):
    articles = [make_article(i, language="ru" if i % 2 else "en") for i in range(7)]
    load_batch(con, run_id="r", articles=articles, extractions=[])
    pages = list(articles_for_reprocess(con, batch_size=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [a for p in pages for a in p] == articles
    english = [a for p in articles_for_reprocess(con, language="en") for a in p]
    assert [a.article_id for a in english] == ["a0000", "a0002", "a0004", "a0006"]
    # writing between pages is fine
    for page in articles_for_reprocess(con, batch_size=2):
        load_batch(con, run_id="re", articles=page, extractions=[make_extraction(a, version="v2") for a in page])
    assert con.execute("SELECT count(*) FROM meetings WHERE extractor_version = 'v2'").fetchone() == (7,)


def test_bulk_batch(con):
    articles = [make_article(i) for i in range(2000)]
    counts = load_batch(con, run_id="bulk", articles=articles, extractions=[make_extraction(a) for a in articles])
    assert counts.articles_new == 2000 and counts.meeting_participants == 4000
    assert duplicate_keys(con) == {}


def test_same_meeting_id_for_two_articles_in_one_batch(con):
    articles, extractions = batch(2)
    clash = extractions[0].meetings[0].model_copy(update={"article_id": "a0001"})
    second = extractions[1].model_copy(update={"meetings": (clash,)})
    counts = load_batch(con, run_id="r", articles=articles, extractions=[extractions[0], second])
    assert counts.meetings == 1 and counts.rejects == 1
    assert con.execute("SELECT article_id FROM meetings").fetchall() == [("a0000",)]
    assert con.execute("SELECT error FROM rejects").fetchone()[0].endswith("already used by article a0000 in this batch")


def test_a_meeting_keeps_its_participants_in_order_on_both_tables(con):
    """The meeting's own list (what v_meetings reads) and meeting_participants hold the same
    participants in the extractor's order, a repeated one once."""
    articles, extractions = batch(1)
    meeting = extractions[0].meetings[0]
    listed = (Participant(name="Россия", participant_type="country"),
              Participant(name="Владимир Путин", participant_type="person"),
              Participant(name="Россия", participant_type="country"),
              Participant(name="ООН", participant_type="institution"))
    extractions[0] = extractions[0].model_copy(update={"meetings": (meeting.model_copy(update={"participants": listed}),)})
    counts = load_batch(con, run_id="run1", articles=articles, extractions=extractions)
    assert counts.meeting_participants == 3
    expected = [("Россия", "country"), ("Владимир Путин", "person"), ("ООН", "institution")]
    assert con.execute("SELECT name, participant_type FROM meeting_participants ORDER BY position").fetchall() == expected
    (typed,) = con.execute("SELECT participants_typed FROM meetings").fetchone()
    assert [(p["name"], p["participant_type"]) for p in typed] == expected
    assert con.execute("SELECT participants FROM v_meetings").fetchone()[0] == [n for n, _ in expected]
