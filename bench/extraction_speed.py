"""Benchmark: articles per second per core of the whole extraction pipeline on ~2,000-character articles.

    .venv/bin/python bench/extraction_speed.py [--articles 200] [--chars 2000] [--lang ru] [--rounds 3]

Articles are built from the project's own texts (the invented regression set in tests/invented/regression/ and the
demo feeds), cut or joined to about --chars characters. The first article warms the
models up (they load once per process); the timed loops run on one core
(BLAS threads pinned to 1). The NLP models alone (natasha for Russian, spaCy for English)
run in turn with the whole pipeline, round by round, for scale: their ratio holds still when
the machine's speed does not.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
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


def _cpu_rate(fn, articles: list[Article]) -> float:
    t0 = time.process_time()
    for a in articles:
        fn(a)
    return len(articles) / (time.process_time() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("--lang", choices=["ru", "en"], default="ru")
    ap.add_argument("--rounds", type=int, default=3,
                    help="rounds, the pipeline and natasha alone in turn; medians are reported "
                         "(a shared VM's speed drifts by a third within minutes)")
    args = ap.parse_args()
    articles = build_articles(args.lang, args.articles, args.chars)
    extract(articles[0])  # warm-up: models load once per process
    records = sum(len(ex.mentions) + len(ex.meetings) + len(ex.mechanisms) for ex in map(extract, articles))

    if args.lang == "ru":
        from extraction.ru.nlp import analyze
        nlp = lambda a: analyze(a.body)  # noqa: E731
        natasha = natasha_pipeline()
        plain = lambda a: natasha(a.body)  # noqa: E731
        plain(articles[0])
    else:
        from extraction.en.nlp import analyze
        nlp = lambda a: analyze(a.body)  # noqa: E731
        plain = None
    rates, nlp_rates, plain_rates = [], [], []
    for _ in range(args.rounds):
        rates.append(_cpu_rate(extract, articles))
        nlp_rates.append(_cpu_rate(nlp, articles))
        if plain is not None:
            plain_rates.append(_cpu_rate(plain, articles))
    rate, nlp_rate = statistics.median(rates), statistics.median(nlp_rates)
    share = statistics.median(r / n for r, n in zip(rates, nlp_rates, strict=True))
    print(f"{args.lang}: {len(articles)} articles of ~{args.chars} chars, {records} records: "
          f"{rate:.1f} articles/s per core (CPU time, median of {args.rounds} rounds); "
          f"its NLP models alone {nlp_rate:.1f}/s; the pipeline runs at {share:.2f} of its models' speed")
    if plain_rates:
        to_plain = statistics.median(r / n for r, n in zip(rates, plain_rates, strict=True))
        print(f"ru: natasha's own calls (segment, morph, syntax, NER; no lemmas or normal forms) "
              f"{statistics.median(plain_rates):.1f}/s; the pipeline runs at {to_plain:.2f} of them, its analysis "
              f"(extraction/ru/inference.py) at "
              f"{statistics.median(n / p for n, p in zip(nlp_rates, plain_rates, strict=True)):.2f}")
    return 0


def natasha_pipeline():
    """natasha's own pipeline (segment, morphology, syntax, NER), its models loaded, as a function of a text."""
    from natasha import Doc, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter
    emb = NewsEmbedding()
    segmenter, morph, syntax, ner = Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb)

    def run(text: str) -> None:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.parse_syntax(syntax)
        doc.tag_ner(ner)
    return run


if __name__ == "__main__":
    sys.exit(main())
