-- A mechanism's history: each status it was reported in, when that was first and last
-- reported, by whom it was proposed, and in how many articles. One row per (event, status),
-- in the order of first report.
-- Grouped by (event, status) alone, then joined to the event (its name and status depend on its
-- id), and without DISTINCT aggregates (each makes DuckDB group the rows once more).
CREATE OR REPLACE VIEW v_mechanism_timeline AS
WITH steps AS (
    SELECT
        r.event_id,
        k.status,
        min(coalesce(a.published_at, a.first_seen_at)) AS first_reported_at,
        max(coalesce(a.published_at, a.first_seen_at)) AS last_reported_at,
        list_distinct(list(k.proposer) FILTER (WHERE k.proposer IS NOT NULL)) AS proposers,
        len(list_distinct(list(r.article_id))) AS articles,
        list_sort(list_distinct(list(a.language))) AS languages,
        arg_min(k.evidence, coalesce(a.published_at, a.first_seen_at)) AS first_evidence,
        arg_min(a.url, coalesce(a.published_at, a.first_seen_at)) AS first_article_url
    FROM reports AS r
    JOIN mechanisms AS k ON k.mechanism_id = r.report_id
    JOIN articles AS a ON a.article_id = r.article_id
    GROUP BY r.event_id, k.status
)
SELECT
    s.event_id,
    ev.name AS mechanism,
    ev.status AS current_status,
    s.status,
    s.first_reported_at,
    s.last_reported_at,
    s.proposers,
    s.articles,
    s.languages,
    s.first_evidence,
    s.first_article_url
FROM steps AS s
JOIN events AS ev ON ev.event_id = s.event_id;
