-- Articles: one row per story (article_id), the current version of its body.
-- Earlier versions of a changed article live in article_revisions.
-- Instants are TIMESTAMPTZ (UTC); language/body_source values = schemas.enums.

CREATE TABLE articles (
    article_id        VARCHAR PRIMARY KEY,
    url               VARCHAR,
    guid              VARCHAR,
    title             VARCHAR NOT NULL DEFAULT '',
    language          VARCHAR NOT NULL CHECK (language IN ('ru', 'en', 'other')),
    published_at      TIMESTAMPTZ,
    body              VARCHAR NOT NULL,
    content_hash      VARCHAR NOT NULL,
    first_seen_at     TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    feed_url          VARCHAR NOT NULL DEFAULT '',
    body_source       VARCHAR NOT NULL CHECK (body_source IN ('full_text', 'page', 'summary', 'none')),
    extractor_version VARCHAR,             -- version of the extractor that produced the stored records
    extracted_at      TIMESTAMPTZ,         -- when those records were loaded
    revision          INTEGER NOT NULL DEFAULT 1  -- 1 for the first version, +1 per body change
);

CREATE TABLE article_revisions (
    article_id   VARCHAR NOT NULL,
    revision     INTEGER NOT NULL,         -- the revision number the version had in articles
    content_hash VARCHAR NOT NULL,
    title        VARCHAR NOT NULL DEFAULT '',
    body         VARCHAR NOT NULL,
    published_at TIMESTAMPTZ,
    replaced_at  TIMESTAMPTZ NOT NULL,     -- when a newer body replaced it
    PRIMARY KEY (article_id, revision)
);
