-- One row per real-world event (meetings and mechanisms), however many articles and languages
-- report it: its current status, date and place (with coordinates and country), its codes
-- (CAMEO, PLOVER), its normalised participants (one id per person, country or institution
-- across languages) and how many articles, feeds and languages report it.
-- Participants are listed per event, then deduplicated and sorted within it (list_distinct, which
-- drops NULLs, and list_sort), not by DISTINCT ... ORDER BY aggregates.
CREATE OR REPLACE VIEW v_events AS
WITH participants AS (
    SELECT r.event_id,
           list_sort(list_distinct(list(CASE WHEN e.entity_type <> 'country' THEN e.name END))) AS participants,
           list_sort(list_distinct(list(e.entity_id))) AS participant_ids,
           list_sort(list_distinct(list(e.country_code))) AS countries
    FROM (SELECT event_id, unnest(entities) AS entity_id FROM reports) AS r
    JOIN entities AS e USING (entity_id)
    GROUP BY r.event_id
)
SELECT
    ev.event_id,
    ev.event_type,
    ev.kind,
    ev.status,
    ev.name,
    ev.start_date,
    ev.date_precision,
    ev.location,
    ev.place_name,
    ev.place_feature,
    ev.country_code,
    ev.latitude,
    ev.longitude,
    ev.geonames_id,
    coalesce(p.countries, []) AS countries,
    coalesce(p.participants, []) AS participants,
    coalesce(p.participant_ids, []) AS participant_ids,
    ev.proposer,
    ev.cameo_code,
    ev.plover_type,
    ev.plover_mode,
    ev.articles,
    ev.sources,
    ev.languages,
    ev.first_seen_at,
    ev.last_seen_at
FROM events AS ev
LEFT JOIN participants AS p USING (event_id);
