"""`extract(article) -> Extraction`: route an article to its language's extractor, adapt the hits.

An article in a language without an extractor yields an empty `Extraction` (it is
stored and counted, not extracted). An extractor that fails on an article yields an
`Extraction` with its `error` and a `Reject`, never an exception that stops the batch; the
warehouse keeps such an article due, and the next run retries it.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from extraction import mixed
from extraction.adapt import to_records
from extraction.budget import run_within_budget
from extraction.hits import Hits
from extraction.language import detect_language
from extraction.version import extractor_version
from schemas import Article, Extraction, Language, Reject, content_hash, stable_id

Extractor = Callable[[str, date | None], Hits]


def _russian(text: str, published: date | None) -> Hits:
    from extraction import ru  # natasha: imported where Russian is extracted, not by every importer

    return ru.extract_hits(text, published)


def _english(text: str, published: date | None) -> Hits:
    from extraction import en  # spaCy (about 80 MB once imported): likewise

    return en.extract_hits(text, published)


EXTRACTORS: dict[Language, Extractor] = {
    Language.RU: _russian,
    Language.EN: _english,
}


def extract(article: Article) -> Extraction:
    """Every record of one article (institutions, mentions, meetings, mechanisms) plus its rejects."""
    version = extractor_version()
    extractor = EXTRACTORS.get(article.language)
    if extractor is None or not article.body.strip():
        return Extraction(article_id=article.article_id, extractor_version=version)
    published = article.published_at.date() if article.published_at else None
    try:
        hits = run_within_budget(mixed.routed(extractor, article.language, EXTRACTORS), article.body, published)
    except Exception as e:  # one bad article must not stop the batch: it becomes a reject
        return failed(article, f"{type(e).__name__}: {e}", traceback.format_exc(limit=5))
    return to_records(hits, article_id=article.article_id, body=article.body, version=version)


def failed(article: Article, error: str, trace: str | None = None) -> Extraction:
    """An article whose extraction failed: no records, its reject and `error` (it stays due and
    the next run retries it)."""
    version = extractor_version()
    payload = {"title": article.title, "url": article.url, "body_chars": len(article.body)}
    if trace:
        payload["traceback"] = trace
    reject = Reject.of(article_id=article.article_id, feed_url=article.feed_url or None, stage="extract",
                       record_type="Article", error=error, payload=payload, extractor_version=version)
    return Extraction(article_id=article.article_id, extractor_version=version, rejects=(reject,), error=error)


def extract_batch(articles: Sequence[Article]) -> list[Extraction]:
    """`extract` over a batch (what one Prefect task runs)."""
    return [extract(a) for a in articles]


def adhoc_article(text: str, *, language: str = "auto", published_at: datetime | None = None,
                  title: str = "") -> Article:
    """An `Article` for ad-hoc text (`eventwire extract`): no feed, id from the text."""
    lang = detect_language(f"{title}\n{text}") if language == "auto" else Language(language)
    return Article(article_id=stable_id("adhoc", content_hash(text)), title=title, language=lang,
                   published_at=published_at or datetime.now(UTC), body=text, content_hash=content_hash(text))
