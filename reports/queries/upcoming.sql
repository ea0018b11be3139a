-- Upcoming meetings: the meeting events still planned (no report says they were held) that an
-- article of the range and language announces, soonest first, with their participants' names
-- (countries too) and the first announcing article, its sentence and mention.
-- The articles of the range and language: scope.sql. Parameter: $limit (rows).
WITH announced AS (
    SELECT
        r.event_id,
        count(*) AS articles,
        arg_min(m.evidence, c.seen) AS evidence,
        arg_min(substring(c.body, m.char_start + 1, m.char_end - m.char_start), c.seen) AS mention,
        arg_min(c.url, c.seen) AS article_url,
        arg_min(c.title, c.seen) AS article_title,
        min(c.seen) AS first_reported_at
    FROM reports AS r
    JOIN meetings AS m ON m.meeting_id = r.report_id
    JOIN _ew_report_articles AS c ON c.article_id = r.article_id
    GROUP BY r.event_id
),
named AS (
    SELECT p.event_id, list(coalesce(e.name, p.entity_id) ORDER BY coalesce(e.name, p.entity_id)) AS participants
    FROM (SELECT event_id, unnest(participant_ids) AS entity_id FROM events WHERE status = 'planned') AS p
    LEFT JOIN entities AS e USING (entity_id)
    GROUP BY p.event_id
)
SELECT
    ev.event_id,
    ev.kind,
    ev.name,
    ev.start_date,
    ev.date_precision,
    ev.location,
    ev.place_name,
    ev.country_code,
    coalesce(n.participants, []) AS participants,
    a.articles,
    a.first_reported_at,
    a.evidence,
    a.mention,
    a.article_url,
    a.article_title
FROM announced AS a
JOIN events AS ev USING (event_id)
LEFT JOIN named AS n USING (event_id)
WHERE ev.event_type = 'meeting' AND ev.status = 'planned'
ORDER BY ev.start_date NULLS LAST, a.first_reported_at, ev.event_id
LIMIT $limit;
