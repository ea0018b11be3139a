-- Where meetings take place: the places (with coordinates) of the meeting events reported in the
-- range and language, with how many meetings each holds, by status, and a few of their names.
-- Parameters: $since, $until (DATE or NULL), $language (or NULL).
WITH chosen AS (
    SELECT article_id
    FROM (SELECT article_id, language, CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day
          FROM articles)
    WHERE ($since IS NULL OR day >= $since)
      AND ($until IS NULL OR day <= $until)
      AND ($language IS NULL OR language = $language)
),
reported AS (
    SELECT DISTINCT r.event_id
    FROM reports AS r
    JOIN chosen USING (article_id)
    WHERE r.event_type = 'meeting'
)
SELECT
    coalesce(ev.place_name, ev.location) AS place,
    ev.country_code,
    ev.latitude,
    ev.longitude,
    count(*) AS meetings,
    count(*) FILTER (WHERE ev.status = 'past') AS past,
    count(*) FILTER (WHERE ev.status = 'ongoing') AS ongoing,
    count(*) FILTER (WHERE ev.status = 'planned') AS planned,
    list(coalesce(ev.name, ev.kind) ORDER BY ev.start_date NULLS LAST, ev.event_id)[1:3] AS examples,
    list_sort(list_distinct(list(ev.location))) AS written
FROM reported
JOIN events AS ev USING (event_id)
WHERE ev.latitude IS NOT NULL AND ev.longitude IS NOT NULL
GROUP BY ALL
ORDER BY meetings DESC, place;
