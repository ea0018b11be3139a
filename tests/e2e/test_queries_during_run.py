"""A query during a run answers within seconds: the run holds the warehouse only while it loads a
batch (warehouse.db.Writer), and `eventwire sql` waits for that instead of failing."""
from __future__ import annotations

import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.conftest import BIN, run_cli
from tests.sitekit import rss

pytestmark = [pytest.mark.slow, pytest.mark.network]

CITIES = ["Астане", "Ташкенте", "Бишкеке", "Душанбе", "Ашхабаде", "Баку", "Ереване", "Минске"]


def _articles(n: int) -> list[dict]:
    start = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    out = []
    for i in range(n):
        city = CITIES[i % len(CITIES)]
        text = (f"Министры иностранных дел провели в {city} переговоры о транспортном коридоре номер {i}. "
                f"Стороны договорились создать рабочую группу по логистике и энергетике. " * 6)
        out.append({"guid": f"q-{i}", "title": f"Переговоры {i}", "link": f"http://test.example/q{i}",
                    "published": start + timedelta(hours=i), "text": text})
    return out


def test_queries_answer_while_a_run_loads(tmp_path, cli_env, site):
    db = tmp_path / "w.duckdb"
    url = site.put("/many.xml", rss(_articles(60)))
    env = {**cli_env, "EVENTWIRE_BATCH_SIZE": "3"}
    run = subprocess.Popen([str(BIN), "run", "--feeds", url, "--db", str(db), "-q"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    answered: list[tuple[float, str]] = []     # (seconds, the run's status seen) of queries made during the run
    try:
        deadline = time.monotonic() + 240
        while run.poll() is None and time.monotonic() < deadline:
            if not db.exists():
                time.sleep(0.2)
                continue
            t = time.monotonic()
            q = run_cli(env, "sql", "--db", str(db), "--format", "csv", "--wait", "20",
                        "SELECT status FROM runs ORDER BY started_at DESC LIMIT 1", timeout=60)
            took = time.monotonic() - t
            if run.poll() is None:
                assert q.returncode == 0, q.stderr
                answered.append((took, q.stdout.splitlines()[-1] if q.stdout.strip() else ""))
        out, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, err
    during = [took for took, status in answered if status == "running"]
    assert during, f"no query saw the run in progress: {answered}"
    assert max(took for took, _ in answered) < 15, answered
    check = run_cli(env, "sql", "--db", str(db), "--format", "csv", "SELECT count(*) FROM articles")
    assert check.stdout.splitlines()[-1] == "60"
