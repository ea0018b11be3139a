"""Loading a batch: articles, their extracted records and rejects, in one transaction.

    load_batch(con, run_id=..., articles=[...], extractions=[...], rejects=[...])

1. classify the articles against the store (new / changed / unchanged by content_hash);
2. insert new ones; move the stored version of changed ones to article_revisions and
   update them (revision + 1);
3. delete the stored records of the changed articles and of every article with an
   Extraction in the batch, then insert the new records (bulk, from Arrow tables);
4. upsert institutions (one row per institution_id) and merge their aliases;
5. insert the rejects (the Extractions' own, the `rejects` argument, and load rejects:
   records that cannot be stored, e.g. an extraction of an unknown article).

An Extraction with an `error` (the article failed as a whole) stores no records and leaves
its article not extracted: one failed attempt is counted and `articles_due` hands the
article to the next run, until `max_attempts` failures write a 'gave up' reject. A later
success clears the count and that reject.

Any error rolls the whole batch back and raises LoadError. Loading the same batch
again changes nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from schemas import Article, Extraction, Reject
from warehouse.articles import (
    classify_articles,
    insert_articles,
    mark_extracted,
    record_failed_attempts,
    revise_articles,
    stored_hashes,
)
from warehouse.db import transaction
from warehouse.errors import LoadError
from warehouse.records import delete_records, drop_foreign_ids, insert_records, prepare, upsert_institutions
from warehouse.rejects import clear_gave_up, gave_up_reject, write_rejects

MAX_EXTRACT_ATTEMPTS = 3


@dataclass(frozen=True)
class LoadCounts:
    """What one batch wrote."""
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    institutions: int = 0
    institution_mentions: int = 0
    meetings: int = 0
    meeting_participants: int = 0
    mechanisms: int = 0
    rejects: int = 0
    extract_failed: int = 0     # articles whose extraction failed as a whole (retried by the next run)
    gave_up: int = 0            # of those, the ones that reached the attempt limit

    def __add__(self, other: LoadCounts) -> LoadCounts:
        return LoadCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def run_counts(self) -> dict[str, int]:
        """These counts under the names of the `runs` columns (for finish_run)."""
        return {
            "articles_new": self.articles_new,
            "articles_updated": self.articles_updated,
            "articles_unchanged": self.articles_unchanged,
            "records_institution_mentions": self.institution_mentions,
            "records_meetings": self.meetings,
            "records_mechanisms": self.mechanisms,
            "rejects": self.rejects,
        }

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def load_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str | None,
    articles: list[Article],
    extractions: list[Extraction],
    rejects: Iterable[Reject] = (),
    on_step: Callable[[str], None] | None = None,
    max_attempts: int = MAX_EXTRACT_ATTEMPTS,
) -> LoadCounts:
    """Write one batch atomically (see the module docstring); returns what was written.

    `on_step(name)` is called after each step ("articles", "records", "institutions",
    "rejects") inside the transaction: a progress hook, and a way for tests to fail a
    batch half-way.
    """
    step = on_step or (lambda _name: None)
    now = datetime.now(UTC)
    try:
        with transaction(con):
            new, changed, unchanged = classify_articles(con, articles)
            insert_articles(con, new, now)
            revise_articles(con, changed, now)
            step("articles")

            batch_ids = {a.article_id for a in (*new, *changed, *unchanged)}
            other_ids = {e.article_id for e in extractions} - batch_ids
            known = batch_ids | set(stored_hashes(con, other_ids))
            prepared = prepare(extractions, known, now)
            drop_foreign_ids(con, prepared, now)
            delete_records(con, prepared.articles | {a.article_id for a in changed})
            written = insert_records(con, prepared)
            mark_extracted(con, prepared.versions, now)
            clear_gave_up(con, prepared.versions)
            errors = {aid: ex.error for aid, ex in prepared.failed.items() if ex.error}
            gave_up = [gave_up_reject(aid, attempts, error, version=prepared.failed[aid].extractor_version, now=now)
                       for aid, attempts, error in record_failed_attempts(con, errors, max_attempts=max_attempts)]
            step("records")

            institutions = upsert_institutions(con, prepared, now)
            step("institutions")

            rejected = write_rejects(con, [*prepared.rejects, *gave_up, *rejects], run_id)
            step("rejects")
    except duckdb.Error as e:
        raise LoadError(f"batch of {len(articles)} articles and {len(extractions)} extractions "
                        f"was rolled back: {' '.join(str(e).split())}") from e
    except (pa.ArrowException, ValueError, TypeError) as e:
        raise LoadError(f"batch of {len(articles)} articles could not be converted for loading "
                        f"and was rolled back: {' '.join(str(e).split())}") from e
    return LoadCounts(
        articles_new=len(new), articles_updated=len(changed), articles_unchanged=len(unchanged),
        institutions=institutions, **written, rejects=rejected, extract_failed=len(prepared.failed),
        gave_up=len(gave_up),
    )


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every base table of the warehouse, by table name."""
    names = [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database() "
        "ORDER BY table_name").fetchall()]
    counts = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'  # an identifier from the catalog, not a value
        counts[name] = con.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]
    return counts
