"""Articles: classify against the store, insert new ones, revise changed ones, read back.

An article is identified by ``article_id`` and versioned by its body: an equal
``content_hash``, or an equal ``text_fingerprint`` (numbers on short lines of their own —
counters, time stamps — do not count), means unchanged (not re-extracted); a changed body
moves the stored version to ``article_revisions`` and bumps ``revision``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

import duckdb

from schemas import Article, text_fingerprint
from warehouse.arrow import INT, STR, TS, ids, schema, table
from warehouse.db import arrow_view, transaction
from warehouse.errors import LoadError

ARTICLES = schema(
    ("article_id", STR), ("url", STR), ("guid", STR), ("title", STR), ("language", STR),
    ("published_at", TS), ("body", STR), ("content_hash", STR), ("first_seen_at", TS),
    ("updated_at", TS), ("feed_url", STR), ("body_source", STR), ("revision", INT),
)
_COLUMNS = ", ".join(ARTICLES.names)
_READ_COLUMNS = "article_id, feed_url, url, guid, title, language, published_at, body, body_source, content_hash"


def dedupe_articles(articles: Iterable[Article]) -> list[Article]:
    """One article per article_id: the last one given wins, in first-seen order."""
    latest: dict[str, Article] = {}
    for article in articles:
        latest[article.article_id] = article
    return list(latest.values())


# the columns `_by_id` may read (a fixed list: the SQL-safety scan allows no other text in SQL)
_STORED = {"content_hash": "a.content_hash", "text": "a.language, a.body", "owner": "a.feed_url"}


def _by_id(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str], what: str) -> list[tuple]:
    """(article_id, *columns of `what`) of those of `article_ids` that are stored."""
    wanted = ids(article_ids, "article_id")
    if wanted.num_rows == 0:
        return []
    columns = _STORED[what]
    with arrow_view(con, wanted, "ids") as src:
        return con.execute(f"SELECT a.article_id, {columns} FROM articles AS a JOIN {src} USING (article_id)").fetchall()


def stored_hashes(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> dict[str, str]:
    """article_id -> stored content_hash, for those of `article_ids` that are stored."""
    return dict(_by_id(con, article_ids, "content_hash"))


def stored_texts(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """article_id -> (language, body) of those of `article_ids` that are stored."""
    return {aid: (language, body) for aid, language, body in _by_id(con, article_ids, "text")}


def classify_articles(
    con: duckdb.DuckDBPyConnection, articles: list[Article]
) -> tuple[list[Article], list[Article], list[Article]]:
    """Split `articles` into (new, changed, unchanged) by article_id and body.

    A body counts as changed when its `text_fingerprint` differs from the stored body's (a
    page's counter or time stamp on a line of its own is no change: no revision, no
    re-extraction). Duplicates of one article_id in the input count once (the last one given).
    """
    unique = dedupe_articles(articles)
    hashes = stored_hashes(con, (a.article_id for a in unique))
    differing = [a for a in unique if a.article_id in hashes and hashes[a.article_id] != a.content_hash]
    stored = stored_texts(con, (a.article_id for a in differing))
    new, changed, unchanged = [], [], []
    for article in unique:
        stored_hash = hashes.get(article.article_id)
        if stored_hash is None:
            new.append(article)
        elif stored_hash != article.content_hash and \
                text_fingerprint(stored[article.article_id][1]) != text_fingerprint(article.body):
            changed.append(article)
        else:
            unchanged.append(article)
    return new, changed, unchanged


def article_owners(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> dict[str, str]:
    """article_id -> the feed that owns the stored article (may revise it), for the stored ones."""
    return dict(_by_id(con, article_ids, "owner"))


def record_reports(con: duckdb.DuckDBPyConnection, reports: Iterable[tuple[str, str, str | None]],
                   now: datetime) -> int:
    """Record that feeds report stored articles: (article_id, feed_url, guid) rows of article_feeds.

    Idempotent: a known pair keeps its first_seen_at and moves last_seen_at. Rows of articles
    that are not stored are left out. Runs in its own transaction; returns the rows given.
    """
    rows = {(aid, feed): guid for aid, feed, guid in reports}
    if not rows:
        return 0
    src_table = table(schema(("article_id", STR), ("feed_url", STR), ("guid", STR), ("seen_at", TS)),
                      ((aid, feed, guid, now) for (aid, feed), guid in sorted(rows.items())))
    try:
        with transaction(con), arrow_view(con, src_table, "reports") as src:
            con.execute(
                "INSERT INTO article_feeds (article_id, feed_url, guid, first_seen_at, last_seen_at) "
                f"SELECT s.article_id, s.feed_url, s.guid, s.seen_at, s.seen_at FROM {src} AS s "
                "SEMI JOIN articles AS a ON a.article_id = s.article_id "
                "ON CONFLICT (article_id, feed_url) DO UPDATE SET last_seen_at = excluded.last_seen_at, "
                "guid = excluded.guid")
    except duckdb.Error as e:
        raise LoadError(f"reports of {len(rows)} articles by their feeds could not be stored: "
                        f"{' '.join(str(e).split())}") from e
    return len(rows)


def _rows(articles: list[Article], now: datetime):
    for a in articles:
        yield (a.article_id, a.url, a.guid, a.title, a.language, a.published_at, a.body,
               a.content_hash, now, now, a.feed_url, a.body_source, 1)


def insert_articles(con: duckdb.DuckDBPyConnection, articles: list[Article], now: datetime) -> int:
    """Insert articles not stored yet (first_seen_at = updated_at = now, revision 1)."""
    if not articles:
        return 0
    with arrow_view(con, table(ARTICLES, _rows(articles, now)), "articles") as src:
        con.execute(f"INSERT INTO articles ({_COLUMNS}) SELECT {_COLUMNS} FROM {src}")
    return len(articles)


def revise_articles(con: duckdb.DuckDBPyConnection, articles: list[Article], now: datetime) -> int:
    """Keep the stored version of each changed article in article_revisions, then update it."""
    if not articles:
        return 0
    with arrow_view(con, table(ARTICLES, _rows(articles, now)), "articles") as src:
        con.execute(
            "INSERT INTO article_revisions "
            "(article_id, revision, content_hash, title, body, published_at, replaced_at) "
            "SELECT a.article_id, a.revision, a.content_hash, a.title, a.body, a.published_at, ? "
            f"FROM articles AS a JOIN {src} AS s USING (article_id) "
            "ON CONFLICT DO NOTHING",
            [now],
        )
        con.execute(
            "UPDATE articles SET url = s.url, guid = s.guid, title = s.title, language = s.language, "
            "published_at = s.published_at, body = s.body, content_hash = s.content_hash, "
            "feed_url = s.feed_url, body_source = s.body_source, updated_at = s.updated_at, "
            "revision = articles.revision + 1, extractor_version = NULL, extracted_at = NULL "
            f"FROM {src} AS s WHERE articles.article_id = s.article_id"
        )
    return len(articles)


def mark_extracted(con: duckdb.DuckDBPyConnection, versions: dict[str, str], now: datetime) -> None:
    """Record which extractor version produced the stored records of each article.

    extracted_at moves only when the version changes, so reloading the same batch
    leaves the row as it was. Failed attempts counted before are cleared.
    """
    if not versions:
        return
    src_table = table(schema(("article_id", STR), ("extractor_version", STR), ("extracted_at", TS)),
                      ((aid, version, now) for aid, version in versions.items()))
    with arrow_view(con, src_table, "extracted") as src:
        con.execute(
            "UPDATE articles SET extractor_version = s.extractor_version, extracted_at = s.extracted_at, "
            "extract_attempts = 0, extract_error = NULL "
            f"FROM {src} AS s WHERE articles.article_id = s.article_id "
            "AND (articles.extractor_version IS DISTINCT FROM s.extractor_version OR articles.extracted_at IS NULL)"
        )


def record_failed_attempts(con: duckdb.DuckDBPyConnection, errors: dict[str, str],
                           *, max_attempts: int) -> list[tuple[str, int, str]]:
    """Count one failed extraction attempt for each article of `errors` (article_id -> error).

    The article is left not extracted (extractor_version NULL), so `articles_due` hands it to
    the next run. Returns (article_id, attempts, error) of the articles that have now failed
    `max_attempts` times or more: those are given up and no longer due.
    """
    if not errors:
        return []
    src_table = table(schema(("article_id", STR), ("error", STR)), sorted(errors.items()))
    with arrow_view(con, src_table, "failed") as src:
        con.execute(
            "UPDATE articles SET extractor_version = NULL, extracted_at = NULL, "
            "extract_attempts = coalesce(extract_attempts, 0) + 1, extract_error = s.error "
            f"FROM {src} AS s WHERE articles.article_id = s.article_id")
        return con.execute(
            f"SELECT a.article_id, a.extract_attempts, a.extract_error FROM articles AS a JOIN {src} USING (article_id) "
            "WHERE a.extract_attempts >= ? ORDER BY a.article_id", [max_attempts]).fetchall()


def articles_due(con: duckdb.DuckDBPyConnection, *, max_attempts: int,
                 exclude: Iterable[str] = ()) -> list[Article]:
    """Stored articles not extracted yet (a failed attempt) with fewer than `max_attempts` failures."""
    excluded = ids(exclude, "article_id")
    with arrow_view(con, excluded, "excluded") as src:
        cursor = con.execute(
            f"SELECT {_READ_COLUMNS} FROM articles WHERE extractor_version IS NULL "
            f"AND coalesce(extract_attempts, 0) < ? AND article_id NOT IN (SELECT article_id FROM {src}) "
            "ORDER BY article_id", [max_attempts])
        return _read_articles(cursor.fetchall(), cursor.description)


def _read_articles(rows: list[tuple], description: list[tuple]) -> list[Article]:
    names = [d[0] for d in description]
    return [Article.model_validate(dict(zip(names, row, strict=True))) for row in rows]


def count_by_language(con: duckdb.DuckDBPyConnection, language: str | None = None) -> dict[str, int]:
    """language -> how many articles are stored in it (only `language` when given)."""
    rows = con.execute("SELECT language, count(*) FROM articles WHERE language = coalesce(?, language) "
                       "GROUP BY language ORDER BY language", [language]).fetchall()
    return dict(rows)


def articles_for_reprocess(
    con: duckdb.DuckDBPyConnection, *, batch_size: int = 200, language: str | None = None, after: str = ""
) -> Iterator[list[Article]]:
    """Stored articles as `schemas.Article`, `batch_size` at a time, in article_id order (those
    whose article_id sorts after `after`).

    Pages by key (not an open cursor), so the caller may write between batches.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    last = after
    while True:
        sql = f"SELECT {_READ_COLUMNS} FROM articles WHERE article_id > ?"
        params: list[object] = [last]
        if language is not None:
            sql += " AND language = ?"
            params.append(str(language))
        sql += " ORDER BY article_id LIMIT ?"
        params.append(batch_size)
        cursor = con.execute(sql, params)
        rows = cursor.fetchall()
        if not rows:
            return
        yield _read_articles(rows, cursor.description)
        last = rows[-1][0]
        if len(rows) < batch_size:
            return
