"""The same input gives the same warehouse, run after run, at any concurrency.

Before: extraction batches ran in threads that shared Snowball stemmer objects, which are not
thread-safe. Three default runs of the same articles gave three different warehouses (an
article rejected with `IndexError: string index out of range`, mentions changed). Here a
few hundred articles in eight feeds on 127.0.0.1 are loaded by `eventwire run` in fresh
processes (cold caches, where the race lived): once one task at a time, then once (three times
in the soak, `make bench`) with eight threads and small batches; every row of every table must
be equal.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.e2e.conftest import cli_env, run_cli  # noqa: F401  (fixture)
from tests.sitekit import rss, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(1500)]
ROOT = Path(__file__).resolve().parents[2]
# our own invented articles (tests/invented/*), each also with its paragraphs reversed and rotated
SOURCES = sorted((ROOT / "tests" / "invented").glob("*/*/*.json"))
FEEDS = 8
PARALLEL_RUNS = 3
SKIP_TABLES = {"runs", "feed_runs", "schema_migrations"}          # bookkeeping of a run, not its data
SKIP_COLUMNS = {"run_id", "flow_run_id", "elapsed_ms"}


def _items() -> list[dict]:
    from datetime import UTC, datetime
    items = []
    for path in SOURCES:
        doc = json.loads(path.read_text(encoding="utf-8"))
        published = datetime.fromisoformat(doc["published"]).replace(tzinfo=UTC) if doc.get("published") else None
        paragraphs = doc["text"].split("\n\n")
        variants = (doc["text"], "\n\n".join(reversed(paragraphs)), "\n\n".join(paragraphs[1:] + paragraphs[:1]))
        for variant, text in enumerate(variants):
            items.append({"guid": f"{doc['id']}-{variant}", "title": doc.get("title", ""), "text": text,
                          "published": published, "link": f"http://test.example/{doc['id']}/{variant}"})
    return items


def rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every data table, without the columns that name a time or a run."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name").fetchall()
            if t not in SKIP_TABLES]
        for table in tables:
            columns = [c for c, kind in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall()
                if not kind.startswith("TIMESTAMP") and c not in SKIP_COLUMNS]
            quoted = ", ".join(f'"{c}"' for c in columns)
            out[table] = con.execute(f'SELECT {quoted} FROM "{table}" ORDER BY ALL').fetchall()
    return out


def _differences(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> dict[str, tuple[int, int]]:
    """Per table: rows only in a, rows only in b."""
    def hashable(rows: list[tuple]) -> set[str]:
        return {repr(r) for r in rows}      # list columns (events.languages, reports.entities) are not hashable
    return {t: (len(hashable(a[t]) - hashable(b[t])), len(hashable(b[t]) - hashable(a[t])))
            for t in a if a[t] != b[t]}


@pytest.mark.parametrize("parallel_runs", [1, pytest.param(PARALLEL_RUNS, marks=pytest.mark.soak)],
                         ids=["1", str(PARALLEL_RUNS)])
def test_runs_in_parallel_give_the_same_warehouse_as_one_at_a_time(cli_env, tmp_path, parallel_runs):  # noqa: F811
    items = _items()
    assert len(items) >= 300
    with serve_site() as site:
        feeds = [site.put(f"/feed-{i}.xml", rss(items[i::FEEDS], title=f"feed {i}"),
                          content_type="application/rss+xml") for i in range(FEEDS)]
        args = [a for url in feeds for a in ("--feeds", url)]

        def run(name: str, concurrency: int, batch_size: int) -> dict[str, list[tuple]]:
            db = tmp_path / f"{name}.duckdb"
            env = {**cli_env, "EVENTWIRE_FEED_CONCURRENCY": str(concurrency),
                   "EVENTWIRE_BATCH_SIZE": str(batch_size)}
            proc = run_cli(env, "run", *args, "--db", str(db), timeout=600)
            assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
            return rows(db)

        reference = run("serial", concurrency=1, batch_size=len(items))
        parallel = [run(f"parallel-{i}", concurrency=8, batch_size=5) for i in range(parallel_runs)]

    assert len(reference["articles"]) == len(items)
    assert len(reference["meetings"]) > 100 and len(reference["institution_mentions"]) > 300
    assert not [r for r in reference["rejects"] if "extract" in r[:5]], "an extraction failed in the reference run"
    for i, got in enumerate(parallel):
        assert got.keys() == reference.keys()
        assert not _differences(reference, got), f"parallel run {i} differs (only in serial, only in parallel)"
