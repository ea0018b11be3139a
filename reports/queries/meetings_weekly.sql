-- Meetings per week (Monday start) by kind and current status: the meeting events reported by an
-- article of the range and language, in the week they take place (their start date, at its
-- precision), else the week of their first report in the range.
-- The meetings of the range and language: scope.sql.
WITH dated AS (
    SELECT
        CAST(date_trunc('week', coalesce(ev.start_date, x.first_day)) AS DATE) AS week,
        ev.kind,
        ev.status,
        ev.start_date IS NOT NULL AS dated
    FROM _ew_report_meetings AS x
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
