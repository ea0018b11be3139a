"""Benchmark: articles per second per core of the whole extraction pipeline on ~2,000-character articles.

    .venv/bin/python bench/extraction_speed.py [--articles 200] [--chars 2000] [--lang ru]

Articles are built from the project's own texts (the invented regression set in tests/invented/regression/ and the
demo feeds), cut or joined to about --chars characters. The first article warms the
models up (they load once per process); the timed loop runs on one core
(BLAS threads pinned to 1). Also reports natasha's own analysis alone, for scale.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extraction import extract  # noqa: E402
from schemas import Article, Language, content_hash  # noqa: E402


def source_texts(lang: str) -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "invented" / "regression" / lang).glob("*.json")):
        texts.append(json.loads(path.read_text(encoding="utf-8"))["text"])
    import re
    for path in sorted((ROOT / "deploy" / "demo").glob("*.xml")):
        raw = path.read_text(encoding="utf-8")
        texts += re.findall(r"<yandex:full-text>(.*?)</yandex:full-text>", raw, flags=re.S) if lang == "ru" else \
            [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<!\[CDATA\[(.*?)\]\]>", raw, flags=re.S)]
    if not texts:
        raise SystemExit(f"no {lang} texts found under tests/invented/regression/{lang} or deploy/demo")
    return texts


def build_articles(lang: str, n: int, chars: int) -> list[Article]:
    texts = source_texts(lang)
    out, i = [], 0
    while len(out) < n:
        body = ""
        while len(body) < chars:
            body += texts[i % len(texts)] + "\n"
            i += 1
        body = body[:chars].rsplit(" ", 1)[0]
        out.append(Article(article_id=f"bench-{len(out)}", language=Language(lang), body=body,
                           content_hash=content_hash(body)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("--lang", choices=["ru", "en"], default="ru")
    args = ap.parse_args()
    articles = build_articles(args.lang, args.articles, args.chars)
    extract(articles[0])  # warm-up: models load once per process

    if args.lang == "ru":
        from extraction.ru.nlp import analyze
        t0 = time.process_time()
        for a in articles:
            analyze(a.body)
        nlp_rate = len(articles) / (time.process_time() - t0)
    t0 = time.process_time()
    records = 0
    for a in articles:
        ex = extract(a)
        records += len(ex.mentions) + len(ex.meetings) + len(ex.mechanisms)
    cpu = time.process_time() - t0
    rate = len(articles) / cpu
    line = (f"{args.lang}: {len(articles)} articles of ~{args.chars} chars, {records} records: "
            f"{rate:.1f} articles/s per core (CPU time)")
    if args.lang == "ru":
        line += f"; natasha analysis alone {nlp_rate:.1f}/s"
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
