-- A mechanism's history: each status it was reported in, when that was first and last
-- reported, by whom it was proposed, and in how many articles. One row per (event, status),
-- in the order of first report.
CREATE OR REPLACE VIEW v_mechanism_timeline AS
SELECT
    r.event_id,
    ev.name AS mechanism,
    ev.status AS current_status,
    k.status,
    min(coalesce(a.published_at, a.first_seen_at)) AS first_reported_at,
    max(coalesce(a.published_at, a.first_seen_at)) AS last_reported_at,
    list(DISTINCT k.proposer) FILTER (WHERE k.proposer IS NOT NULL) AS proposers,
    count(DISTINCT r.article_id) AS articles,
    list(DISTINCT a.language ORDER BY a.language) AS languages,
    arg_min(k.evidence, coalesce(a.published_at, a.first_seen_at)) AS first_evidence,
    arg_min(a.url, coalesce(a.published_at, a.first_seen_at)) AS first_article_url
FROM reports AS r
JOIN mechanisms AS k ON k.mechanism_id = r.report_id
JOIN articles AS a ON a.article_id = r.article_id
JOIN events AS ev ON ev.event_id = r.event_id
GROUP BY r.event_id, ev.name, ev.status, k.status;
