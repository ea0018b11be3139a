-- Who meets whom, the edges: each pair of participants of one meeting event reported in the range
-- and language, with how many such meetings they share (source < target, by participant id).
-- Parameters: $since, $until (DATE or NULL), $language (or NULL).
WITH chosen AS (
    SELECT article_id
    FROM (SELECT article_id, language, CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day
          FROM articles)
    WHERE ($since IS NULL OR day >= $since)
      AND ($until IS NULL OR day <= $until)
      AND ($language IS NULL OR language = $language)
),
members AS (
    SELECT p.event_id, p.entity_id
    FROM (SELECT DISTINCT r.event_id
          FROM reports AS r
          JOIN chosen USING (article_id)
          WHERE r.event_type = 'meeting') AS x
    JOIN (SELECT event_id, unnest(participant_ids) AS entity_id FROM events) AS p USING (event_id)
)
SELECT a.entity_id AS source, b.entity_id AS target, count(*) AS meetings
FROM members AS a
JOIN members AS b ON a.event_id = b.event_id AND a.entity_id < b.entity_id
GROUP BY a.entity_id, b.entity_id
ORDER BY meetings DESC, source, target;
