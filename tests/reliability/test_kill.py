"""SIGKILL at points chosen by the test (during fetch, mid-extraction, mid-load), then run again:
5 points in `make test`, 20 in the soak (`make bench`).

Each round serves new content from 127.0.0.1 (a new item and one changed item per feed, a new
ETag). Runs are killed at points the test picks (stage and step number, seeded); every third
kill is followed by an unkilled run, and so is any run whose kill point lay past its end.
After every kill the warehouse must be consistent (tests.reliability.consistency) and a feed's
stored ETag must never cover items that are not loaded (else the next run would get a 304 and
never finish the work). After every completed run all current items must be present, current
and extracted, and the next round starts; at the end the records equal those of one clean run
on a fresh file. A killed run leaves its `runs` row 'running'; the next run marks it failed
("abandoned: ... (found by run <its run_id>)"), so after every completed run none is left running.

The kill is a real SIGKILL of a real process: `kill_driver` wraps product functions from the
outside and kills its own process at the chosen step.
"""
from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.e2e.conftest import ARTICLES, cli_env  # noqa: F401 (fixture)
from tests.reliability.consistency import problems, records_of
from tests.reliability.prefect_server import prefect_server
from tests.sitekit import Site, rss, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
FEEDS = 2
CITIES = ["Ташкенте", "Астане", "Минске", "Баку", "Ереване"]
BASE = [a["text"] for a in ARTICLES]


def _items(feed: int, round_: int) -> list[dict]:
    changed = BASE[feed % 3] + f" Редакция {round_}."
    new = BASE[(feed + round_) % 3].replace("Душанбе", CITIES[round_ % 5]) + f" Выпуск {round_}."
    return [{"guid": f"f{feed}-base-0", "title": "base", "text": changed},
            {"guid": f"f{feed}-base-1", "title": "base", "text": BASE[(feed + 1) % 3]},
            {"guid": f"f{feed}-r{round_}", "title": "new", "text": new}]


def _publish(site: Site, round_: int) -> dict[str, tuple[str, list[str]]]:
    """Serve this round's feeds; url -> (etag, guids)."""
    out = {}
    for f in range(FEEDS):
        items = _items(f, round_)
        body = rss(items)
        etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:12] + '"'
        out[site.put(f"/f{f}.xml", body, ETag=etag)] = (etag, [i["guid"] for i in items])
    return out


def _run(env: dict[str, str], db: Path, feeds: dict, stage: str = "none", n: int = 0) -> tuple[int, list[int]]:
    args = ["run", "--db", str(db), "--batch-size", "2", "-q", *[a for u in feeds for a in ("--feeds", u)]]
    proc = subprocess.run([sys.executable, "-m", "tests.reliability.kill_driver", stage, str(n), "--", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=240)
    steps = [int(x) for line in proc.stderr.splitlines() if line.startswith("steps ") for x in line.split()[1:]]
    if proc.returncode not in (0, -9):
        raise AssertionError(f"run ended with {proc.returncode}: {proc.stderr[-2000:]}")
    if proc.returncode == 0:
        assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return proc.returncode, steps


def _current(db: Path, url: str, guids: list[str], round_: int) -> int:
    """How many of a feed's current items are stored with their current body and extracted."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT count(*) FROM articles WHERE feed_url = ? AND list_contains(?, guid) "
            "AND extracted_at IS NOT NULL AND (guid NOT LIKE '%-base-0' OR body LIKE ?)",
            [url, guids, f"%Редакция {round_}.%"]).fetchone()[0]


def _etags(db: Path) -> dict[str, str | None]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT feed_url, etag FROM feeds").fetchall())


ABANDONED = "abandoned: the process ended without finishing (found by run "


def _abandoned_runs(db: Path) -> int:
    """After a completed run: no run is left 'running', every failed one was closed by a later run; how many."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT run_id, status, error, started_at, finished_at FROM runs").fetchall()
    assert not [r for r in rows if r[1] == "running"], rows
    started = {run_id: at for run_id, _, _, at, _ in rows}
    failed = [r for r in rows if r[1] == "failed"]
    for run_id, _, error, at, finished in failed:
        assert error.startswith(ABANDONED) and error.endswith(")"), (run_id, error)
        finder = error[len(ABANDONED):-1]
        assert started[finder] >= at and finished >= started[finder], (run_id, error)
    return len(failed)


def _complete(db: Path, feeds: dict, round_: int) -> None:
    assert not problems(db)
    _abandoned_runs(db)
    stored = _etags(db)
    for url, (etag, guids) in feeds.items():
        assert _current(db, url, guids, round_) == len(guids), (round_, url)
        assert stored[url] == etag


@pytest.mark.parametrize("kills_wanted", [5, pytest.param(20, marks=pytest.mark.soak)], ids=["5", "20"])
def test_sigkill_at_chosen_points_then_run_again(cli_env: dict[str, str], tmp_path: Path,  # noqa: F811
                                                 kills_wanted: int) -> None:
    rng = random.Random(20250402)
    db = tmp_path / "w.duckdb"
    kills: list[tuple[int, str, int]] = []
    completed = 0
    stages = ["sql", "extract", "fetch", "sql", "extract"]
    index = {"fetch": 0, "extract": 1, "sql": 2}
    with serve_site() as site, prefect_server(tmp_path / "prefect-server", cli_env) as api:
        env = dict(cli_env, **({"PREFECT_API_URL": api} if api else {}),
                   EVENTWIRE_FETCH_RETRIES="0", EVENTWIRE_FETCH_PAGES="false")
        limits = {"fetch": FEEDS, "extract": 3 * FEEDS, "sql": 100}
        round_ = 0
        feeds = _publish(site, round_)
        while len(kills) < kills_wanted:
            stage = stages[len(kills) % len(stages)]
            n = rng.randint(1, limits[stage])
            code, steps = _run(env, db, feeds, stage, n)
            if code == -9:
                kills.append((round_, stage, n))
                assert not problems(db), (kills[-1], problems(db))
                stored = _etags(db)
                for url, (etag, guids) in feeds.items():
                    if stored.get(url) == etag:  # a stored validator promises its items are loaded
                        assert _current(db, url, guids, round_) == len(guids), (kills[-1], url)
                if len(kills) % 3:
                    continue
                code, steps = _run(env, db, feeds)  # run again, unkilled
            assert code == 0
            completed += 1
            _complete(db, feeds, round_)
            limits["sql"] = max(limits["sql"], steps[index["sql"]])
            round_ += 1
            feeds = _publish(site, round_)
        assert _run(env, db, feeds)[0] == 0
        _complete(db, feeds, round_)
        reference = tmp_path / "reference.duckdb"
        assert _run(env, reference, feeds)[0] == 0
    assert {stage for _, stage, _ in kills} == {"fetch", "extract", "sql"}
    # a run killed while fetching or extracting had started its row; one killed at an SQL statement may not have
    after_start = sum(stage in ("fetch", "extract") for _, stage, _ in kills)
    assert after_start <= _abandoned_runs(db) <= len(kills)
    with duckdb.connect(str(reference), read_only=True) as con:
        ids = [r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()]
    assert len(ids) == FEEDS * 3
    ours, theirs = records_of(db, ids), records_of(reference, ids)
    for table in ("participants", "institution_mentions", "meetings", "mechanisms"):
        assert ours[table] == theirs[table], table
    assert [r[:4] for r in ours["articles"]] == [r[:4] for r in theirs["articles"]]  # revisions differ
