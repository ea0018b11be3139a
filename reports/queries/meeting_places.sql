-- Where meetings take place: the places (with coordinates) of the meeting events reported in the
-- range and language, with how many meetings each holds, by status, and a few of their names.
-- The meetings of the range and language: scope.sql.
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
FROM _ew_report_meetings
JOIN events AS ev USING (event_id)
WHERE ev.latitude IS NOT NULL AND ev.longitude IS NOT NULL
GROUP BY ALL
ORDER BY meetings DESC, place;
