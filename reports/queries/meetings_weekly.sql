-- Meetings per week (Monday start) by kind and current status: the meeting events reported by an
-- article of the range and language, in the week they take place (their start date, at its
-- precision), else the week of their first report in the range.
-- Parameters: $since, $until (DATE or NULL), $language (or NULL).
WITH chosen AS (
    SELECT article_id, day
    FROM (SELECT article_id, language, CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day
          FROM articles)
    WHERE ($since IS NULL OR day >= $since)
      AND ($until IS NULL OR day <= $until)
      AND ($language IS NULL OR language = $language)
),
reported AS (
    SELECT r.event_id, min(c.day) AS first_day
    FROM reports AS r
    JOIN chosen AS c USING (article_id)
    WHERE r.event_type = 'meeting'
    GROUP BY r.event_id
),
dated AS (
    SELECT
        CAST(date_trunc('week', coalesce(ev.start_date, x.first_day)) AS DATE) AS week,
        ev.kind,
        ev.status,
        ev.start_date IS NOT NULL AS dated
    FROM reported AS x
    JOIN events AS ev USING (event_id)
)
SELECT
    week,
    CAST(week + INTERVAL 7 DAY AS DATE) AS week_end,
    kind,
    status,
    count(*) AS meetings,
    count(*) FILTER (WHERE NOT dated) AS undated
FROM dated
GROUP BY week, kind, status
ORDER BY week, kind, status;
