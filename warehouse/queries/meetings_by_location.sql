-- Where do meetings happen? Meetings per location and status, most frequent first.
SELECT
    coalesce(location, '(unknown)') AS location,
    count(*) AS meetings,
    count(*) FILTER (WHERE status = 'planned') AS planned,
    count(*) FILTER (WHERE status = 'past') AS past,
    count(DISTINCT article_id) AS articles
FROM meetings
GROUP BY ALL
ORDER BY meetings DESC, location
LIMIT 50;
