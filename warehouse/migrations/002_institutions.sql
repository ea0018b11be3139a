-- Institutions: one row per real-world organisation (institution_id), every alias it
-- is known by, and every mention of it in an article body.
-- kind values = schemas.enums.InstitutionKind.

CREATE TABLE institutions (
    institution_id VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,       -- nominative, full form where known
    acronym        VARCHAR,
    kind           VARCHAR NOT NULL CHECK (kind IN ('international', 'state', 'military', 'company',
                                                    'financial', 'ngo', 'education', 'media', 'party', 'other')),
    language       VARCHAR,                -- language of name
    source         VARCHAR NOT NULL,       -- gazetteer | ner | grammar
    first_seen_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE institution_aliases (
    institution_id VARCHAR NOT NULL,
    alias          VARCHAR NOT NULL,
    PRIMARY KEY (institution_id, alias)
);

CREATE TABLE institution_mentions (
    article_id        VARCHAR NOT NULL,
    institution_id    VARCHAR NOT NULL,
    surface           VARCHAR NOT NULL,
    char_start        INTEGER NOT NULL CHECK (char_start >= 0),
    char_end          INTEGER NOT NULL CHECK (char_end > char_start),
    evidence          VARCHAR NOT NULL DEFAULT '',
    confidence        DOUBLE NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    rule_id           VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    PRIMARY KEY (article_id, institution_id, char_start, char_end)
);
