-- Bookkeeping: the state of every feed, every flow run, and every feed within a run.
-- Status values of feeds/feed_runs = schemas.enums.FetchStatus.

CREATE TABLE feeds (
    feed_url         VARCHAR PRIMARY KEY,
    name             VARCHAR NOT NULL,
    language         VARCHAR CHECK (language IN ('ru', 'en', 'other')),
    etag             VARCHAR,              -- from the last ok fetch (kept on 304 and failures)
    last_modified    VARCHAR,              -- idem
    last_status      VARCHAR CHECK (last_status IN ('ok', 'not_modified', 'failed')),
    last_http_status INTEGER,
    last_fetched_at  TIMESTAMPTZ,
    last_ok_at       TIMESTAMPTZ,          -- last ok or not_modified fetch
    error_count      INTEGER NOT NULL DEFAULT 0,  -- consecutive failed fetches
    last_error       VARCHAR,
    items_seen       INTEGER               -- items in the last ok fetch
);

CREATE TABLE runs (
    run_id                       VARCHAR PRIMARY KEY,
    started_at                   TIMESTAMPTZ NOT NULL,
    finished_at                  TIMESTAMPTZ,
    status                       VARCHAR NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    flow_run_id                  VARCHAR,
    feeds_total                  INTEGER NOT NULL DEFAULT 0,
    feeds_ok                     INTEGER NOT NULL DEFAULT 0,
    feeds_not_modified           INTEGER NOT NULL DEFAULT 0,
    feeds_failed                 INTEGER NOT NULL DEFAULT 0,
    articles_new                 INTEGER NOT NULL DEFAULT 0,
    articles_updated             INTEGER NOT NULL DEFAULT 0,
    articles_unchanged           INTEGER NOT NULL DEFAULT 0,
    records_institution_mentions INTEGER NOT NULL DEFAULT 0,
    records_meetings             INTEGER NOT NULL DEFAULT 0,
    records_mechanisms           INTEGER NOT NULL DEFAULT 0,
    rejects                      INTEGER NOT NULL DEFAULT 0,
    error                        VARCHAR
);

CREATE TABLE feed_runs (
    run_id             VARCHAR NOT NULL,
    feed_url           VARCHAR NOT NULL,
    status             VARCHAR NOT NULL CHECK (status IN ('ok', 'not_modified', 'failed')),
    http_status        INTEGER,
    items              INTEGER NOT NULL DEFAULT 0,
    articles_new       INTEGER NOT NULL DEFAULT 0,
    articles_updated   INTEGER NOT NULL DEFAULT 0,
    articles_unchanged INTEGER NOT NULL DEFAULT 0,
    error              VARCHAR,
    elapsed_ms         INTEGER NOT NULL DEFAULT 0,
    recorded_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, feed_url)
);
