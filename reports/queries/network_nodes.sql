-- Who meets whom, the nodes: each participant (person, country, institution: one id across
-- languages) of the meeting events reported in the range and language, with the number of those
-- meetings it took part in and the number of others it met; the $limit most active.
-- Parameters: $since, $until (DATE or NULL), $language (or NULL), $limit (nodes).
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
),
partners AS (
    SELECT a.entity_id, count(DISTINCT b.entity_id) AS partners
    FROM members AS a
    JOIN members AS b ON a.event_id = b.event_id AND a.entity_id <> b.entity_id
    GROUP BY a.entity_id
)
SELECT
    m.entity_id,
    coalesce(e.name, m.entity_id) AS name,
    coalesce(e.entity_type, split_part(m.entity_id, ':', 1)) AS entity_type,
    count(*) AS meetings,
    coalesce(any_value(p.partners), 0) AS partners
FROM members AS m
LEFT JOIN entities AS e USING (entity_id)
LEFT JOIN partners AS p USING (entity_id)
GROUP BY ALL
ORDER BY partners DESC, meetings DESC, m.entity_id
LIMIT $limit;
