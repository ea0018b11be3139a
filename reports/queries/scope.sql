-- The scope every report query reads (reports/data.py): the articles of the range and language,
-- the meeting events they report, and those events' participants. Temporary views on the report's
-- own connection, over the variables eventwire_report_since and eventwire_report_until (DATE or
-- NULL: the articles' publication day, else the day first seen, UTC) and eventwire_report_language
-- ('ru', 'en', 'other' or NULL for all); the warehouse itself is only read.

CREATE OR REPLACE TEMP VIEW _ew_report_articles AS
SELECT article_id, url, title, language, body, extractor_version, seen, day
FROM (SELECT *, coalesce(published_at, first_seen_at) AS seen,
             CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day
      FROM articles)
WHERE (getvariable('eventwire_report_since') IS NULL OR day >= getvariable('eventwire_report_since'))
  AND (getvariable('eventwire_report_until') IS NULL OR day <= getvariable('eventwire_report_until'))
  AND (getvariable('eventwire_report_language') IS NULL OR language = getvariable('eventwire_report_language'));

-- Meeting events an article of the scope reports, with the day of the first such article.
CREATE OR REPLACE TEMP VIEW _ew_report_meetings AS
SELECT r.event_id, min(a.day) AS first_day
FROM reports AS r
JOIN _ew_report_articles AS a USING (article_id)
WHERE r.event_type = 'meeting'
GROUP BY r.event_id;

-- Their participants: one row per (meeting event, participant id).
CREATE OR REPLACE TEMP VIEW _ew_report_members AS
SELECT p.event_id, p.entity_id
FROM _ew_report_meetings
JOIN (SELECT event_id, unnest(participant_ids) AS entity_id FROM events) AS p USING (event_id);
