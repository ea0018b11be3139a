-- One row per real-world event (meetings and mechanisms), however many articles and languages
-- report it: its current status, date and place (with coordinates and country), its codes
-- (CAMEO, PLOVER), its normalised participants (one id per person, country or institution
-- across languages) and how many articles, feeds and languages report it.
-- The participants are stored on the event by resolution (migration 009), sorted and distinct.
CREATE OR REPLACE VIEW v_events AS
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
    ev.countries,
    ev.participants,
    ev.participant_ids,
    ev.proposer,
    ev.cameo_code,
    ev.plover_type,
    ev.plover_mode,
    ev.articles,
    ev.sources,
    ev.languages,
    ev.first_seen_at,
    ev.last_seen_at
FROM events AS ev;
