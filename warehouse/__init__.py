"""DuckDB warehouse of eventwire: connect, migrate, load, query.

Imports only `schemas`, duckdb, pyarrow and the standard library (never prefect,
`feeds`, `extraction` or `flows`). SQL lives in files: ``migrations/NNN_name.sql``,
``views/*.sql`` (one analyst view each) and ``queries/*.sql`` (example questions).
"""
from warehouse.articles import (
    article_owners,
    articles_due,
    articles_for_reprocess,
    classify_articles,
    count_by_language,
    record_reports,
    stored_hashes,
    stored_texts,
)
from warehouse.db import connect, connect_for_queries, run_query, transaction
from warehouse.errors import (
    LoadError,
    MigrationError,
    QueryError,
    WarehouseCorrupt,
    WarehouseError,
    WarehouseLocked,
)
from warehouse.feeds import (
    FeedCounts,
    FeedResult,
    FeedState,
    feed_states,
    record_feed_result,
    record_feed_results,
)
from warehouse.load import LoadCounts, load_batch, table_counts
from warehouse.migrate import migrate, open_warehouse
from warehouse.rejects import insert_rejects
from warehouse.runs import RUN_COUNTS, abandon_stale_runs, finish_run, start_run

__all__ = [
    "RUN_COUNTS", "FeedCounts", "FeedState", "LoadCounts", "LoadError", "MigrationError", "QueryError",
    "WarehouseCorrupt", "WarehouseError", "WarehouseLocked", "abandon_stale_runs", "article_owners", "articles_due", "articles_for_reprocess",
    "classify_articles", "connect", "count_by_language", "connect_for_queries", "feed_states", "finish_run", "insert_rejects",
    "load_batch", "migrate", "open_warehouse", "FeedResult", "record_feed_result", "record_feed_results", "record_reports", "run_query", "start_run", "stored_hashes", "stored_texts", "table_counts",
    "transaction",
]
