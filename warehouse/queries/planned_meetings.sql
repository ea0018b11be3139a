-- Upcoming meetings: planned ones with a date, soonest first, with participants.
SELECT start_date, date_precision, kind, name, location, participants, article_title, article_url
FROM v_meetings
WHERE status = 'planned'
ORDER BY start_date NULLS LAST, meeting_id
LIMIT 100;
