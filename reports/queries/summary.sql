-- The report's header: the articles of the range and language, the meeting and mechanism events
-- they report, and the extractor version(s) that produced those records.
-- Parameters: $since, $until (DATE or NULL: the articles' publication day, else the day first seen,
-- UTC) and $language ('ru', 'en', 'other' or NULL for all).
WITH chosen AS (
    SELECT article_id, extractor_version
    FROM (SELECT article_id, extractor_version, language,
                 CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day
          FROM articles)
    WHERE ($since IS NULL OR day >= $since)
      AND ($until IS NULL OR day <= $until)
      AND ($language IS NULL OR language = $language)
),
reported AS (
    SELECT r.event_type, r.event_id
    FROM reports AS r
    JOIN chosen USING (article_id)
    GROUP BY ALL
)
SELECT
    (SELECT count(*) FROM chosen) AS articles,
    (SELECT count(*) FROM reported WHERE event_type = 'meeting') AS meetings,
    (SELECT count(*) FROM reported WHERE event_type = 'mechanism') AS mechanisms,
    (SELECT coalesce(list_sort(list_distinct(list(extractor_version))), []) FROM chosen) AS extractor_versions;
