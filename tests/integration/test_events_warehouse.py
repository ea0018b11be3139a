"""Cross-article resolution in a real DuckDB warehouse: incremental arrival, either order of
languages, reprocess stability, a changed article (flows.resolution over warehouse.load)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from flows.resolution import resolve_warehouse
from schemas import Article, Extraction, Mechanism, Meeting, Participant, content_hash, stable_id
from warehouse import connect, load_batch, migrate
from warehouse.events import refresh_participants, upsert_entities
from warehouse.migrate import load_migrations
from warehouse.testing import duplicate_keys

# invented reports of one invented summit: an English announcement, a Russian report that it was
# held, an English report of an unrelated call, and a proposal that is later agreed
EN_ANNOUNCED = ("en-1", "en", datetime(2026, 3, 2, 9, tzinfo=UTC),
                "The presidents of Kazakhstan and Kyrgyzstan will hold a summit in Astana on 10 March.")
RU_HELD = ("ru-1", "ru", datetime(2026, 3, 10, 18, tzinfo=UTC),
           "В Астане 10 марта прошел саммит президентов Казахстана и Кыргызстана.")
EN_CALL = ("en-2", "en", datetime(2026, 3, 11, 8, tzinfo=UTC),
           "The president of Kazakhstan held a phone call with the president of Mongolia on 11 March.")


def article(spec, body: str | None = None) -> Article:
    aid, lang, published, text = spec
    text = body or text
    return Article(article_id=aid, feed_url=f"https://{lang}.example.test/feed.xml", url=f"https://{lang}.example.test/{aid}",
                   title=text[:40], language=lang, published_at=published, body=text, content_hash=content_hash(text))


def meeting(a: Article, *, kind="summit", status="past", day=date(2026, 3, 10), location="Astana",
            participants=(("Kazakhstan", "country"), ("Kyrgyzstan", "country")), name="summit") -> Meeting:
    return Meeting(article_id=a.article_id, meeting_id=stable_id(a.article_id, "meeting", kind, day, location),
                   kind=kind, status=status, name=name, start_date=day, date_precision="day" if day else None,
                   location=location, evidence=a.body, confidence=0.8, char_start=0, char_end=5, rule_id="test",
                   extractor_version="test-1",
                   participants=tuple(Participant(name=n, participant_type=t) for n, t in participants))


def extraction(a: Article, meetings=(), mechanisms=()) -> Extraction:
    return Extraction(article_id=a.article_id, extractor_version="test-1", meetings=tuple(meetings),
                      mechanisms=tuple(mechanisms))


def load(con, *pairs):
    load_batch(con, run_id=None, articles=[a for a, _ in pairs], extractions=[e for _, e in pairs])
    resolve_warehouse(con)


def announced():
    a = article(EN_ANNOUNCED)
    return a, extraction(a, [meeting(a, status="planned")])


def held():
    a = article(RU_HELD)
    return a, extraction(a, [meeting(a, location="Астана", participants=(("Казахстан", "country"),
                                                                          ("Кыргызстан", "country")), name="саммит")])


def call():
    a = article(EN_CALL)
    return a, extraction(a, [meeting(a, kind="call", day=date(2026, 3, 11), location=None,
                                     participants=(("Kazakhstan", "country"), ("Mongolia", "country")))])


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path / "w.duckdb")
    migrate(c)
    yield c
    c.close()


def events_of(con) -> dict[str, str]:
    return dict(con.execute("SELECT article_id, event_id FROM meetings").fetchall())


def test_an_announcement_then_its_report_in_a_later_run_are_one_event(con):
    load(con, announced())
    [(eid, status)] = con.execute("SELECT event_id, status FROM events").fetchall()
    assert status == "planned"
    load(con, held(), call())
    ids = events_of(con)
    assert ids["en-1"] == ids["ru-1"] == eid != ids["en-2"]
    row = con.execute("SELECT status, start_date, articles, sources, languages, place_name, country_code, "
                      "latitude IS NOT NULL, cameo_code FROM events WHERE event_id = ?", [eid]).fetchone()
    assert row == ("past", date(2026, 3, 10), 2, 2, ["en", "ru"], "Astana", "KZ", True, "040")
    assert con.execute("SELECT count(*) FROM meetings WHERE event_id IS NULL").fetchone()[0] == 0
    assert duplicate_keys(con) == {}


@pytest.mark.parametrize("order", ["ru first", "en first"])
def test_the_russian_and_the_english_article_in_either_order(con, order):
    first, second = (held(), announced()) if order == "ru first" else (announced(), held())
    load(con, first)
    load(con, second)
    ids = events_of(con)
    assert ids["en-1"] == ids["ru-1"]
    assert con.execute("SELECT status, articles FROM events").fetchall() == [("past", 2)]


def test_resolving_again_or_reprocessing_keeps_event_ids(con):
    load(con, announced(), held(), call())
    before = events_of(con)
    snapshot = con.execute("SELECT * EXCLUDE (updated_at) FROM events ORDER BY event_id").fetchall()
    assert resolve_warehouse(con).reports == 0            # nothing unresolved: nothing changes
    # reprocess: every article extracted again, its rows replaced
    load_batch(con, run_id=None, articles=[], extractions=[announced()[1], held()[1], call()[1]])
    assert con.execute("SELECT count(*) FROM meetings WHERE event_id IS NULL").fetchone()[0] == 3
    resolve_warehouse(con)
    assert events_of(con) == before
    assert con.execute("SELECT * EXCLUDE (updated_at) FROM events ORDER BY event_id").fetchall() == snapshot


def test_a_changed_article_moves_its_rows_between_events(con):
    load(con, announced(), held())
    eid = events_of(con)["en-1"]
    # the Russian article is corrected: the summit it reports was in Bishkek on 20 March
    a = article(RU_HELD, "В Бишкеке 20 марта прошел саммит президентов Казахстана и Кыргызстана.")
    load(con, (a, extraction(a, [meeting(a, day=date(2026, 3, 20), location="Бишкек")])))
    ids = events_of(con)
    assert ids["en-1"] == eid != ids["ru-1"]
    assert con.execute("SELECT status, articles FROM events WHERE event_id = ?", [eid]).fetchone() == ("planned", 1)
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 2


def test_resolving_in_chunks_gives_the_events_of_one_pass(tmp_path):
    """A run that loaded many rows resolves them a chunk at a time (bounded memory): the events
    are those of one pass, and every row is resolved."""
    pairs = [announced(), held(), call()]
    for n in range(3):      # more calls of other days, so that chunks cut between related reports
        a = article((f"en-call-{n}", "en", datetime(2026, 3, 12 + n, 8, tzinfo=UTC), EN_CALL[3]))
        pairs.append((a, extraction(a, [meeting(a, kind="call", day=date(2026, 3, 12 + n), location=None,
                                                participants=(("Kazakhstan", "country"), ("Mongolia", "country")))])))
    assigned = {}
    for chunk in (20_000, 2, 1):
        c = connect(tmp_path / f"chunk-{chunk}.duckdb")
        migrate(c)
        load_batch(c, run_id=None, articles=[a for a, _ in pairs], extractions=[e for _, e in pairs])
        counts = resolve_warehouse(c, chunk=chunk)
        assert counts.reports == len(pairs)
        assert c.execute("SELECT count(*) FROM meetings WHERE event_id IS NULL").fetchone()[0] == 0
        assigned[chunk] = (events_of(c), c.execute("SELECT * EXCLUDE (updated_at) FROM events ORDER BY 1").fetchall())
        c.close()
    assert assigned[2] == assigned[1] == assigned[20_000]
    ids = assigned[1][0]
    # the calls of 11-13 March are one event; the 14th's window (13-15) misses the 11th's (10-12): a
    # report joins an event only when none of its reports contradicts it, even one outside the
    # chunk's time window (before, a later chunk saw only the reports of its own days and joined)
    assert ids["en-1"] == ids["ru-1"]
    assert ids["en-2"] == ids["en-call-0"] == ids["en-call-1"] != ids["en-call-2"]
    with pytest.raises(ValueError, match="chunk must be at least 1"):
        resolve_warehouse(connect(tmp_path / "x.duckdb"), chunk=0)


def test_a_mechanism_keeps_its_history_until_it_is_agreed(con):
    def mech(spec, status, text):
        a = article(spec, text)
        m = Mechanism(article_id=a.article_id, mechanism_id=stable_id(a.article_id, "mech"), description=text.split(": ")[1],
                      status=status, proposer="Kazakhstan" if status == "proposed" else None, evidence=a.body,
                      confidence=0.7, char_start=0, char_end=5, rule_id="test", extractor_version="test-1")
        return a, extraction(a, mechanisms=[m])
    load(con, mech(EN_ANNOUNCED, "proposed", "Kazakhstan proposed: a Kazakh-Kyrgyz council of heads of regions"))
    load(con, mech(RU_HELD, "agreed", "Стороны договорились: казахстанско-кыргызский совет глав регионов"))
    assert con.execute("SELECT count(DISTINCT event_id) FROM mechanisms").fetchone()[0] == 1
    assert con.execute("SELECT status, proposer, cameo_code FROM events").fetchone() == ("agreed", "Kazakhstan", "057")
    timeline = con.execute("SELECT status, articles FROM v_mechanism_timeline ORDER BY first_reported_at").fetchall()
    assert timeline == [("proposed", 1), ("agreed", 1)]
    assert steps_are_their_reports(con)
    # the Russian article is corrected: the council was only proposed again; the agreed step goes
    load(con, mech(RU_HELD, "proposed", "Стороны предложили: казахстанско-кыргызский совет глав регионов"))
    assert con.execute("SELECT count(DISTINCT event_id) FROM mechanisms").fetchone()[0] == 1
    assert con.execute("SELECT status, proposers, articles, languages FROM v_mechanism_timeline").fetchall() == [
        ("proposed", ["Kazakhstan"], 2, ["en", "ru"])]
    assert steps_are_their_reports(con)


def steps_are_their_reports(con) -> bool:
    """The stored steps (mechanism_steps) are those the mechanisms' reports give now: grouped
    afresh from reports, mechanisms and articles, as v_mechanism_timeline did on every read."""
    fresh = """
        SELECT r.event_id, k.status, min(coalesce(a.published_at, a.first_seen_at)),
               max(coalesce(a.published_at, a.first_seen_at)),
               coalesce(list_sort(list_distinct(list(k.proposer) FILTER (WHERE k.proposer IS NOT NULL))), []),
               count(DISTINCT r.article_id), list_sort(list_distinct(list(a.language))),
               arg_min(k.evidence, {'at': coalesce(a.published_at, a.first_seen_at), 'id': k.mechanism_id}),
               arg_min(a.url, {'at': coalesce(a.published_at, a.first_seen_at), 'id': k.mechanism_id})
        FROM reports AS r JOIN mechanisms AS k ON k.mechanism_id = r.report_id
        JOIN articles AS a ON a.article_id = r.article_id
        GROUP BY ALL"""
    return sorted(con.execute(fresh).fetchall()) == sorted(con.execute("SELECT * FROM mechanism_steps").fetchall())



def test_an_event_stores_its_participants_and_an_entity_keeps_its_first_name(con):
    a = article(EN_ANNOUNCED)
    load(con, (a, extraction(a, [meeting(a, status="planned", participants=(
        ("Kazakhstan", "country"), ("Kyrgyzstan", "country"), ("Ivan Petrovsky", "person")))])))
    b = article(RU_HELD)
    load(con, (b, extraction(b, [meeting(b, location="Астана", name="саммит", participants=(
        ("Казахстан", "country"), ("Кыргызстан", "country"), ("Иван Петровский", "person")))])))
    stored = "SELECT participant_ids, participants, countries FROM v_events"
    assert con.execute(stored).fetchall() == [
        (["country:KG", "country:KZ", "person:ivan-petrovski"], ["Ivan Petrovsky"], ["KG", "KZ"])]
    # his country, learnt later, reaches the events that name him; his first name stays
    learnt = upsert_entities(con, [("person:ivan-petrovski", "person", "Иван Петровский", "KZ")])
    assert learnt == {"person:ivan-petrovski"}
    assert refresh_participants(con, learnt) == 1
    assert con.execute(stored).fetchall() == [
        (["country:KG", "country:KZ", "person:ivan-petrovski"], ["Ivan Petrovsky"], ["KG", "KZ"])]
    assert upsert_entities(con, [("person:ivan-petrovski", "person", "Ivan Petrovsky", "KZ")]) == set()



def test_the_migration_fills_the_participants_of_stored_events(tmp_path):
    db = connect(tmp_path / "old.duckdb")
    migrate(db, views=False, migrations=[m for m in load_migrations() if m.version <= 8])
    db.execute("""INSERT INTO entities VALUES ('country:KZ', 'country', 'Kazakhstan', 'KZ'),
                                              ('person:ivan-petrovski', 'person', 'Ivan Petrovsky', NULL)""")
    db.execute("""INSERT INTO reports (report_id, event_type, event_id, article_id, status, dated, entities, tokens,
                                       keys, resolved_at)
                  VALUES ('m1', 'meeting', 'ev-1', 'a1', 'past', false, ['country:KZ', 'person:ivan-petrovski'],
                          [], [], now()),
                         ('m2', 'meeting', 'ev-1', 'a2', 'past', false, ['country:KZ'], [], [], now())""")
    db.execute("""INSERT INTO events (event_id, event_type, status, articles, sources, languages, updated_at)
                  VALUES ('ev-1', 'meeting', 'past', 2, 1, ['en'], now()), ('ev-2', 'meeting', 'past', 1, 1, ['en'], now())""")
    migrate(db)
    assert db.execute("SELECT event_id, participant_ids, participants, countries FROM v_events ORDER BY 1").fetchall() \
        == [("ev-1", ["country:KZ", "person:ivan-petrovski"], ["Ivan Petrovsky"], ["KZ"]), ("ev-2", [], [], [])]


def test_the_migration_stores_the_steps_of_stored_mechanisms(tmp_path):
    db = connect(tmp_path / "old.duckdb")
    migrate(db, views=False, migrations=[m for m in load_migrations() if m.version <= 11])
    for aid, lang, published, url in (("a1", "en", "2026-03-02 09:00:00+00", "https://en.example.test/a1"),
                                      ("a2", "ru", "2026-03-01 09:00:00+00", "https://ru.example.test/a2")):
        db.execute("INSERT INTO articles (article_id, url, title, language, published_at, body, content_hash, "
                   "first_seen_at, updated_at, body_source) VALUES (?, ?, 't', ?, ?, 'b', 'h', now(), now(), 'full_text')",
                   [aid, url, lang, published])
    db.execute("""INSERT INTO mechanisms (mechanism_id, article_id, description, status, proposer, evidence, char_start,
                                          char_end, confidence, rule_id, extractor_version)
                  VALUES ('k1', 'a1', 'a council', 'proposed', 'Kazakhstan', 'Kazakhstan proposed a council.', 0, 5,
                          0.7, 'test', 'test-1'),
                         ('k2', 'a2', 'совет', 'proposed', NULL, 'Предложен совет.', 0, 5, 0.7, 'test', 'test-1')""")
    db.execute("""INSERT INTO reports (report_id, event_type, event_id, article_id, status, dated, entities, tokens,
                                       keys, resolved_at)
                  VALUES ('k1', 'mechanism', 'ev-1', 'a1', 'proposed', false, [], [], [], now()),
                         ('k2', 'mechanism', 'ev-1', 'a2', 'proposed', false, [], [], [], now())""")
    db.execute("""INSERT INTO events (event_id, event_type, status, name, articles, sources, languages, updated_at)
                  VALUES ('ev-1', 'mechanism', 'proposed', 'a council', 2, 2, ['en', 'ru'], now())""")
    migrate(db)
    assert db.execute("SELECT mechanism, status, first_reported_at::DATE, last_reported_at::DATE, proposers, articles, "
                      "languages, first_evidence, first_article_url FROM v_mechanism_timeline").fetchall() == [
        ("a council", "proposed", date(2026, 3, 1), date(2026, 3, 2), ["Kazakhstan"], 2, ["en", "ru"],
         "Предложен совет.", "https://ru.example.test/a2")]
    assert steps_are_their_reports(db)
