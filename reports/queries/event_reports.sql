-- Every report of the range and language: which event (meeting or mechanism) an article reports,
-- the status and name it gives, the sentence it says it in and the mention itself (the body at
-- char_start..char_end), and the article (its link, title, language, day). Meetings first, each
-- event's reports together in the order they were published; `total` counts all rows before $limit.
-- The articles of the range and language: scope.sql. Parameter: $limit (rows).
SELECT
    r.event_id,
    r.event_type,
    ev.kind,
    ev.status AS event_status,
    ev.name AS event_name,
    ev.start_date,
    ev.date_precision,
    coalesce(ev.place_name, ev.location) AS place,
    coalesce(m.status, k.status) AS status,
    coalesce(m.name, k.description) AS name,
    k.proposer,
    coalesce(m.evidence, k.evidence) AS evidence,
    substring(c.body, coalesce(m.char_start, k.char_start) + 1,
              coalesce(m.char_end, k.char_end) - coalesce(m.char_start, k.char_start)) AS mention,
    c.url AS article_url,
    c.title AS article_title,
    c.language,
    c.day,
    count(*) OVER () AS total
FROM reports AS r
JOIN _ew_report_articles AS c USING (article_id)
JOIN events AS ev USING (event_id)
LEFT JOIN meetings AS m ON m.meeting_id = r.report_id
LEFT JOIN mechanisms AS k ON k.mechanism_id = r.report_id
ORDER BY r.event_type DESC, min(c.seen) OVER (PARTITION BY r.event_id), r.event_id, c.seen, r.report_id
LIMIT $limit;
