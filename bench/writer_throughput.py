"""Benchmark: how many articles and rows a second the one writer loads into DuckDB.

    .venv/bin/python bench/writer_throughput.py [--articles 20000] [--batch 50] [--db PATH]

Extraction scales out (worker processes, Dask workers on other machines); writing does not: the
ingest flow is the warehouse's one writer. This measures that ceiling, so that a user knows when
more extraction workers stop helping.

A handful of invented articles (Russian and English, written for this benchmark) are extracted
once with the real extractor; their articles and records are then cloned under new ids (as many
distinct articles as asked, with their meetings, participants, mechanisms, institution mentions)
and loaded with `warehouse.load.load_batch`, batch after batch as an ingest run loads them, into a
fresh DuckDB file. Prints articles/s and rows/s overall and for the first and last tenth (the
warehouse grows as it loads). Cross-article resolution, which a run does once after loading, is
measured by bench/resolve_scale.py (clones of six articles would be six events of thousands of
reports each, nothing like news).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extraction.pipeline import adhoc_article, extract_batch  # noqa: E402
from schemas import Article, Extraction, stable_id  # noqa: E402

TEXTS = [
    ("ru", "Президент Казахстана Касым-Жомарт Токаев провел в Астане переговоры с президентом Узбекистана "
           "Шавкатом Мирзиёевым. Стороны договорились создать совместный инвестиционный фонд и рабочую группу "
           "по водным ресурсам. В заседании Совета иностранных инвесторов приняли участие представители "
           "Евразийского банка развития и Азиатского банка развития."),
    ("ru", "15 мая в Бишкеке состоится заседание Совета министров иностранных дел СНГ. Министр иностранных дел "
           "России Сергей Лавров предложил учредить региональный центр по борьбе с киберпреступностью. "
           "Накануне он встретился с министром иностранных дел Киргизии."),
    ("ru", "Премьер-министр Таджикистана провел телефонный разговор с главой правительства Туркменистана. "
           "Стороны обсудили подготовку межправительственной комиссии и создание транспортного хаба в Термезе."),
    ("en", "Uzbek President Shavkat Mirziyoyev held talks with Turkish President Recep Tayyip Erdogan in Ankara "
           "on Tuesday. The leaders agreed to set up a joint working group on energy and signed a roadmap for "
           "trade. The Organization of Turkic States will hold its next summit in Baku in October."),
    ("en", "Foreign ministers of Central Asia and the European Union met in Samarkand. They proposed a regional "
           "platform for water cooperation, the EU said, and the Asian Development Bank pledged support."),
    ("en", "Kazakhstan and China will hold the first session of their business council in Almaty next month, "
           "the Ministry of Trade and Integration said."),
]


def _pool() -> list[tuple[Article, Extraction]]:
    """The invented articles and what the real extractor makes of them."""
    start = datetime(2025, 1, 6, 9, tzinfo=UTC)
    articles = [adhoc_article(text, language=lang, published_at=start + timedelta(hours=i), title=text[:60])
                for i, (lang, text) in enumerate(TEXTS)]
    return list(zip(articles, extract_batch(articles), strict=True))


def clone(article: Article, extraction: Extraction, k: int) -> tuple[Article, Extraction]:
    """The k-th copy of an article and its records, under ids of its own (published k minutes later)."""
    aid = stable_id(article.article_id, k)
    copy = article.model_copy(update={
        "article_id": aid, "url": f"https://bench.example/{aid}", "guid": aid, "feed_url": "https://bench.example/rss",
        "published_at": article.published_at + timedelta(minutes=k)})
    records = extraction.model_copy(update={
        "article_id": aid,
        "meetings": tuple(m.model_copy(update={"article_id": aid, "meeting_id": stable_id(m.meeting_id, k)})
                          for m in extraction.meetings),
        "mechanisms": tuple(m.model_copy(update={"article_id": aid, "mechanism_id": stable_id(m.mechanism_id, k)})
                            for m in extraction.mechanisms),
        "mentions": tuple(m.model_copy(update={"article_id": aid}) for m in extraction.mentions),
        "rejects": tuple(r.model_copy(update={"article_id": aid, "reject_id": stable_id(r.reject_id, k)})
                         for r in extraction.rejects)})
    return copy, records


def _rows(extractions: list[Extraction]) -> int:
    return sum(1 + len(e.meetings) + sum(len(m.participants) for m in e.meetings) + len(e.mechanisms)
               + len(e.mentions) for e in extractions)


def run(n: int, batch: int, db: Path) -> dict[str, float]:
    from warehouse import connect, migrate
    from warehouse.load import load_batch

    pool = _pool()
    print(f"pool: {len(pool)} invented articles, "
          f"{sum(len(e.meetings) for _, e in pool)} meetings, {sum(len(e.mechanisms) for _, e in pool)} mechanisms, "
          f"{sum(len(e.mentions) for _, e in pool)} institution mentions; rows per article "
          f"{_rows([e for _, e in pool]) / len(pool):.1f}")
    con = connect(db)
    migrate(con)
    timings: list[tuple[int, int, float]] = []     # (articles, rows, seconds) per batch
    for first in range(0, n, batch):
        pairs = [clone(*pool[k % len(pool)], k) for k in range(first, min(n, first + batch))]
        articles, extractions = [a for a, _ in pairs], [e for _, e in pairs]
        started = time.perf_counter()
        load_batch(con, run_id=None, articles=articles, extractions=extractions)
        timings.append((len(articles), _rows(extractions), time.perf_counter() - started))
    con.close()
    tenth = max(1, len(timings) // 10)
    out = {}
    for label, part in (("all", timings), ("first tenth", timings[:tenth]), ("last tenth", timings[-tenth:])):
        arts, rows, secs = (sum(t[i] for t in part) for i in range(3))
        out[label] = arts / secs
        print(f"{label:12s} {arts:8d} articles {rows:9d} rows in {secs:7.1f} s: "
              f"{arts / secs:8.0f} articles/s {rows / secs:9.0f} rows/s")
    print(f"warehouse {db}: {db.stat().st_size / 1e6:.0f} MB")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20_000, help="articles to load")
    ap.add_argument("--batch", type=int, default=50, help="articles per load (EVENTWIRE_BATCH_SIZE's default)")
    ap.add_argument("--db", type=Path, help="the warehouse file (default: a temporary one, deleted)")
    args = ap.parse_args()
    if args.db:
        run(args.articles, args.batch, args.db)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        run(args.articles, args.batch, Path(tmp) / "w.duckdb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
