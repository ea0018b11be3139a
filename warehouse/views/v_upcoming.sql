-- Planned meetings (ORDER BY start_date for the soonest first): events still planned (no report says they were held), with
-- their date (at its precision), place, participants and how many articles announce them.
CREATE OR REPLACE VIEW v_upcoming AS
SELECT
    event_id,
    kind,
    name,
    start_date,
    date_precision,
    location,
    place_name,
    country_code,
    latitude,
    longitude,
    countries,
    participants,
    articles,
    languages,
    first_seen_at,
    last_seen_at
FROM v_events
WHERE event_type = 'meeting' AND status = 'planned';
