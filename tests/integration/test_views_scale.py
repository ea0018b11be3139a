"""bench/views_scale.py at a tiny size: the generated warehouse holds together (keys unique, every
reference resolves, records in the ratios the generator promises, the same seed gives the same
data) and every analyst view and example query answers on it, through the benchmark's own runner."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from warehouse import connect
from warehouse.testing import duplicate_keys

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 2000


def _load_bench():
    spec = importlib.util.spec_from_file_location("views_scale", ROOT / "bench" / "views_scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("views_scale", module)
    spec.loader.exec_module(module)
    return module


vs = _load_bench()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("views-scale") / "w.duckdb"
    vs.build(path, ARTICLES)
    return path


def _one(path: Path, sql: str):
    con = connect(path, read_only=True)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


def test_keys_are_unique(built: Path) -> None:
    con = connect(built, read_only=True)
    try:
        assert duplicate_keys(con) == {}
    finally:
        con.close()


ORPHANS = {
    "meetings without their article": "SELECT count(*) FROM meetings WHERE article_id NOT IN (SELECT article_id FROM articles)",
    "mechanisms without their article":
        "SELECT count(*) FROM mechanisms WHERE article_id NOT IN (SELECT article_id FROM articles)",
    "participants without their meeting":
        "SELECT count(*) FROM meeting_participants WHERE meeting_id NOT IN (SELECT meeting_id FROM meetings)",
    "meetings whose participant list is not meeting_participants":
        "SELECT count(*) FROM meetings AS m LEFT JOIN (SELECT meeting_id, list_transform(list_sort(list("
        "{'position': position, 'name': name, 'participant_type': participant_type})), lambda x: "
        "{'name': x.name, 'participant_type': x.participant_type}) AS listed FROM meeting_participants "
        "GROUP BY meeting_id) AS p USING (meeting_id) WHERE m.participants_typed IS DISTINCT FROM coalesce(p.listed, [])",
    "mechanism steps unlike their reports (both ways)":
        "WITH fresh AS (SELECT r.event_id, k.status, count(DISTINCT r.article_id) AS articles, "
        "min(coalesce(a.published_at, a.first_seen_at)) AS first_reported_at FROM reports AS r "
        "JOIN mechanisms AS k ON k.mechanism_id = r.report_id JOIN articles AS a ON a.article_id = r.article_id "
        "GROUP BY ALL), stored AS (SELECT event_id, status, articles, first_reported_at FROM mechanism_steps) "
        "SELECT (SELECT count(*) FROM (FROM fresh EXCEPT ALL FROM stored)) "
        "+ (SELECT count(*) FROM (FROM stored EXCEPT ALL FROM fresh))",
    "mentions without their article":
        "SELECT count(*) FROM institution_mentions WHERE article_id NOT IN (SELECT article_id FROM articles)",
    "mentions without their institution":
        "SELECT count(*) FROM institution_mentions WHERE institution_id NOT IN (SELECT institution_id FROM institutions)",
    "aliases without their institution":
        "SELECT count(*) FROM institution_aliases WHERE institution_id NOT IN (SELECT institution_id FROM institutions)",
    "rows without an event": "SELECT (SELECT count(*) FROM meetings WHERE event_id IS NULL) "
                             "+ (SELECT count(*) FROM mechanisms WHERE event_id IS NULL)",
    "rows whose event is missing":
        "SELECT count(*) FROM (SELECT event_id FROM meetings UNION ALL SELECT event_id FROM mechanisms) "
        "WHERE event_id NOT IN (SELECT event_id FROM events)",
    "events without a report": "SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM reports)",
    "reports without their row":
        "SELECT count(*) FROM reports WHERE report_id NOT IN (SELECT meeting_id FROM meetings "
        "UNION ALL SELECT mechanism_id FROM mechanisms)",
    "rows without their report":
        "SELECT count(*) FROM (SELECT meeting_id AS id, event_id FROM meetings UNION ALL "
        "SELECT mechanism_id, event_id FROM mechanisms) AS x LEFT JOIN reports AS r ON r.report_id = x.id "
        "WHERE r.event_id IS DISTINCT FROM x.event_id",
    "report entities not in entities":
        "SELECT count(*) FROM (SELECT unnest(entities) AS entity_id FROM reports) "
        "WHERE entity_id NOT IN (SELECT entity_id FROM entities)",
    "articles of a feed not in feeds": "SELECT count(*) FROM articles WHERE feed_url NOT IN (SELECT feed_url FROM feeds)",
    "article_feeds without their article":
        "SELECT count(*) FROM article_feeds WHERE article_id NOT IN (SELECT article_id FROM articles)",
    "feed_runs without their run": "SELECT count(*) FROM feed_runs WHERE run_id NOT IN (SELECT run_id FROM runs)",
    "event counts that disagree with their reports":
        "SELECT count(*) FROM events AS e JOIN (SELECT event_id, count(DISTINCT article_id) AS n FROM reports "
        "GROUP BY event_id) AS r USING (event_id) WHERE e.articles <> r.n",
    "events with two rows of one article":
        "SELECT count(*) FROM (SELECT event_id, article_id FROM reports GROUP BY ALL HAVING count(*) > 1)",
    "mentions outside their body":
        "SELECT count(*) FROM institution_mentions JOIN articles USING (article_id) WHERE char_end > length(body)",
}


@pytest.mark.parametrize("what", ORPHANS)
def test_references_resolve(built: Path, what: str) -> None:
    assert _one(built, ORPHANS[what]) == (0,), what


def test_counts_are_in_the_promised_ratios(built: Path) -> None:
    ru, meetings, mechanisms, mentions, participants, reports, events, feeds, rejects = _one(built, """
        SELECT avg((language = 'ru')::INTEGER), (SELECT count(*) FROM meetings) / count(*),
               (SELECT count(*) FROM mechanisms) / count(*), (SELECT count(*) FROM institution_mentions) / count(*),
               (SELECT count(*) FROM meeting_participants) / (SELECT count(*) FROM meetings),
               (SELECT count(*) FROM reports), (SELECT count(*) FROM events),
               (SELECT count(DISTINCT feed_url) FROM articles), (SELECT count(*) FROM rejects) / count(*)
        FROM articles""")
    assert 0.55 < ru < 0.65
    assert 0.6 < meetings < 0.8 and 0.35 < mechanisms < 0.5 and 1.9 < mentions < 2.5
    assert 2.0 < participants < 3.2
    assert 1.3 < reports / events < 1.5
    assert feeds > 250
    assert 0.005 < rejects < 0.03
    per_article = _one(built, "SELECT max(n) FROM (SELECT count(*) AS n FROM meetings GROUP BY article_id)")
    assert per_article == (4,)
    parts = _one(built, "SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM meeting_participants GROUP BY meeting_id)")
    assert parts == (1, 6)


def test_the_same_seed_gives_the_same_data(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.duckdb"
    vs.build(again, ARTICLES)
    checksum = ("SELECT (SELECT md5(string_agg(meeting_id || event_id || coalesce(name, '') || status, ',' "
                "ORDER BY meeting_id)) FROM meetings), (SELECT md5(string_agg(event_id || articles || status, ',' "
                "ORDER BY event_id)) FROM events), (SELECT md5(string_agg(article_id || institution_id || char_start, "
                "',' ORDER BY article_id, institution_id, char_start)) FROM institution_mentions)")
    assert _one(again, checksum) == _one(built, checksum)


def test_every_view_and_query_answers_and_the_event_views_have_rows(built: Path) -> None:
    views = vs.analyst_views(built)
    assert {"v_events", "v_event_reports", "v_mechanism_timeline", "v_upcoming", "v_meetings"} <= set(views)
    for case in vs.cases(views):
        seconds, rows = vs.time_case(built, case, runs=1)
        assert rows > 0, case.name
        assert seconds < 5, case.name


def test_the_benchmark_runs_on_its_cache_and_refuses_another_size(built: Path, capsys) -> None:
    assert vs.main(["--articles", str(ARTICLES), "--cache", str(built), "--runs", "1", "--only", "v_runs"]) == 0
    assert "v_runs: count" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="generated otherwise"):
        vs.check_cache(built, ARTICLES + 1)
