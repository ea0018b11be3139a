-- Events across articles and languages (CONTRACT.md): an article's meeting or mechanism row is
-- one report; the real-world thing it reports is an event. flows/resolution.py resolves reports
-- into events after each load (events/ holds the rules); a row whose event_id is NULL is not
-- resolved yet, and the next resolution step picks it up.

CREATE TABLE events (
    event_id        VARCHAR PRIMARY KEY,
    event_type      VARCHAR NOT NULL CHECK (event_type IN ('meeting', 'mechanism')),
    kind            VARCHAR,               -- the meeting kind; NULL for mechanisms
    status          VARCHAR NOT NULL,      -- the current status: the latest report's, held > planned
    name            VARCHAR,               -- the clearest name (meetings) or description (mechanisms)
    start_date      DATE,
    date_precision  VARCHAR CHECK (date_precision IN ('day', 'month', 'year')),
    location        VARCHAR,               -- as a report wrote it
    first_seen_at   TIMESTAMPTZ,           -- first and last publication (else fetch) time of its articles
    last_seen_at    TIMESTAMPTZ,
    articles        INTEGER NOT NULL,      -- distinct articles that report it
    sources         INTEGER NOT NULL,      -- distinct feeds that report it
    languages       VARCHAR[] NOT NULL,    -- their languages, sorted
    -- beyond the contract: the place on the map, the codes analysts use, who proposed it
    place_name      VARCHAR,               -- GeoNames' English name of the place
    place_feature   VARCHAR,               -- city | region | country
    country_code    VARCHAR,               -- ISO 3166-1 alpha-2 of the place
    geonames_id     BIGINT,
    latitude        DOUBLE,
    longitude       DOUBLE,
    proposer        VARCHAR,               -- mechanisms: who proposed it first
    cameo_code      VARCHAR,
    plover_type     VARCHAR,
    plover_mode     VARCHAR,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK ((start_date IS NULL) = (date_precision IS NULL))
);

ALTER TABLE meetings ADD COLUMN event_id VARCHAR;
ALTER TABLE mechanisms ADD COLUMN event_id VARCHAR;

-- What resolution saw of each report: its normalised names and the event it joined. A report
-- re-extracted (reprocess, a changed article) rejoins its event while it still fits there.
CREATE TABLE reports (
    report_id       VARCHAR PRIMARY KEY,   -- meeting_id or mechanism_id
    event_type      VARCHAR NOT NULL CHECK (event_type IN ('meeting', 'mechanism')),
    event_id        VARCHAR NOT NULL,
    article_id      VARCHAR NOT NULL,
    kind            VARCHAR,
    status          VARCHAR NOT NULL,
    language        VARCHAR,
    published_at    TIMESTAMPTZ,
    date_lo         DATE,                  -- the days the event can fall on, as far as this report says
    date_hi         DATE,
    dated           BOOLEAN NOT NULL,      -- the report states the date (else it comes from publication)
    place_key       VARCHAR,               -- geonames:<id> or country:<code>
    place_country   VARCHAR,
    place_feature   VARCHAR,
    entities        VARCHAR[] NOT NULL,    -- entity ids of participants / proposer (country:KZ, person:…, institution:…)
    tokens          VARCHAR[] NOT NULL,    -- language-neutral name keys (ordinals, years, institution ids, concepts)
    keys            VARCHAR[] NOT NULL,    -- blocking keys: a later report is compared with this one when they share one
    resolved_at     TIMESTAMPTZ NOT NULL
);

-- Normalised names: one row per entity id (display name in English where known).
CREATE TABLE entities (
    entity_id       VARCHAR PRIMARY KEY,
    entity_type     VARCHAR NOT NULL CHECK (entity_type IN ('person', 'country', 'institution')),
    name            VARCHAR NOT NULL,
    country_code    VARCHAR
);
