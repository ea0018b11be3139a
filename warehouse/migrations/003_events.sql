-- Meetings (with their participants) and mechanisms extracted from articles.
-- kind/status/date_precision/participant_type values = schemas.enums.

CREATE TABLE meetings (
    meeting_id        VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL CHECK (kind IN ('summit', 'meeting', 'talks', 'session',
                                                       'conference', 'forum', 'visit', 'call')),
    status            VARCHAR NOT NULL CHECK (status IN ('past', 'ongoing', 'planned')),
    name              VARCHAR,
    start_date        DATE,
    date_precision    VARCHAR CHECK (date_precision IN ('day', 'month', 'year')),
    location          VARCHAR,
    evidence          VARCHAR NOT NULL,
    char_start        INTEGER NOT NULL CHECK (char_start >= 0),
    char_end          INTEGER NOT NULL CHECK (char_end > char_start),
    confidence        DOUBLE NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    rule_id           VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    CHECK ((start_date IS NULL) = (date_precision IS NULL))
);

CREATE TABLE meeting_participants (
    meeting_id       VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    participant_type VARCHAR NOT NULL CHECK (participant_type IN ('person', 'country', 'institution')),
    position         INTEGER NOT NULL,     -- order in which the extractor listed them
    PRIMARY KEY (meeting_id, name, participant_type)
);

CREATE TABLE mechanisms (
    mechanism_id      VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    description       VARCHAR NOT NULL,
    status            VARCHAR NOT NULL CHECK (status IN ('proposed', 'agreed', 'established', 'existing')),
    proposer          VARCHAR,
    evidence          VARCHAR NOT NULL,
    char_start        INTEGER NOT NULL CHECK (char_start >= 0),
    char_end          INTEGER NOT NULL CHECK (char_end > char_start),
    confidence        DOUBLE NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    rule_id           VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL
);
