-- A mechanism's history, stored: one row per (event, status) with when that status was first and
-- last reported, by whom it was proposed, in how many articles and languages, and its first
-- report's evidence and article. v_mechanism_timeline grouped every mechanism report of the
-- warehouse on every read (over a second for its first 100 rows at a million articles);
-- resolution now rewrites the rows of the events it writes (warehouse/events.py), as it does their
-- participants (migration 009), and this fills them for a warehouse of before.
CREATE TABLE mechanism_steps (
    event_id          VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,
    first_reported_at TIMESTAMPTZ,
    last_reported_at  TIMESTAMPTZ,
    proposers         VARCHAR[] NOT NULL,
    articles          BIGINT NOT NULL,
    languages         VARCHAR[] NOT NULL,
    first_evidence    VARCHAR,
    first_article_url VARCHAR,
    PRIMARY KEY (event_id, status)
);

-- The same statement as warehouse/events.py's `_mechanism_steps` (lists sorted, and the first report
-- the earliest, then the lowest mechanism_id, so that a warehouse always stores the same rows).
INSERT INTO mechanism_steps
SELECT
    r.event_id,
    k.status,
    min(coalesce(a.published_at, a.first_seen_at)),
    max(coalesce(a.published_at, a.first_seen_at)),
    coalesce(list_sort(list_distinct(list(k.proposer) FILTER (WHERE k.proposer IS NOT NULL))), []),
    len(list_distinct(list(r.article_id))),
    list_sort(list_distinct(list(a.language))),
    arg_min(k.evidence, {'at': coalesce(a.published_at, a.first_seen_at), 'id': k.mechanism_id}),
    arg_min(a.url, {'at': coalesce(a.published_at, a.first_seen_at), 'id': k.mechanism_id})
FROM reports AS r
JOIN mechanisms AS k ON k.mechanism_id = r.report_id
JOIN articles AS a ON a.article_id = r.article_id
GROUP BY r.event_id, k.status;
