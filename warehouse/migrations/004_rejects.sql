-- Rejects: every record or article that failed parsing, extraction, validation or
-- loading, with the error and the input (payload, JSON text) that caused it.

CREATE TABLE rejects (
    reject_id         VARCHAR PRIMARY KEY,
    article_id        VARCHAR,
    feed_url          VARCHAR,
    stage             VARCHAR NOT NULL,    -- parse | extract | validate | load
    record_type       VARCHAR NOT NULL,
    error             VARCHAR NOT NULL,
    payload           VARCHAR NOT NULL,
    extractor_version VARCHAR,
    rejected_at       TIMESTAMPTZ NOT NULL,
    run_id            VARCHAR
);
