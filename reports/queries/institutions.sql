-- The most active institutions: mentions in the articles of the range and language, in how many
-- of those articles, and in how many of the meeting events they report the institution took part.
-- Parameters: $since, $until (DATE or NULL), $language (or NULL), $limit (rows).
WITH chosen AS (
    SELECT article_id
    FROM (SELECT article_id, language, CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day
          FROM articles)
    WHERE ($since IS NULL OR day >= $since)
      AND ($until IS NULL OR day <= $until)
      AND ($language IS NULL OR language = $language)
),
mentioned AS (
    SELECT m.institution_id, count(*) AS mentions, count(DISTINCT m.article_id) AS articles
    FROM institution_mentions AS m
    JOIN chosen USING (article_id)
    GROUP BY m.institution_id
),
met AS (
    SELECT p.entity_id, count(*) AS meetings
    FROM (SELECT DISTINCT r.event_id
          FROM reports AS r
          JOIN chosen USING (article_id)
          WHERE r.event_type = 'meeting') AS x
    JOIN (SELECT event_id, unnest(participant_ids) AS entity_id FROM events) AS p USING (event_id)
    WHERE p.entity_id LIKE 'institution:%'
    GROUP BY p.entity_id
)
SELECT
    i.institution_id,
    i.name,
    i.acronym,
    i.kind,
    m.mentions,
    m.articles,
    coalesce(t.meetings, 0) AS meetings
FROM mentioned AS m
JOIN institutions AS i USING (institution_id)
LEFT JOIN met AS t ON t.entity_id = 'institution:' || i.institution_id
ORDER BY m.mentions DESC, meetings DESC, i.name, i.institution_id
LIMIT $limit;
