-- An event's normalised participants, stored on the event when resolution writes it (they were
-- aggregated from `reports` and `entities` on every read of v_events, which took seconds on a
-- warehouse of a million articles): participant ids, the names of those that are not countries,
-- and the countries of all of them, each sorted and distinct. An entity keeps the name it was
-- first stored with, so stored names do not go stale; an entity's country learnt later is
-- written to the events that name it (warehouse/events.py).

ALTER TABLE events ADD COLUMN participant_ids VARCHAR[] DEFAULT [];
ALTER TABLE events ADD COLUMN participants VARCHAR[] DEFAULT [];
ALTER TABLE events ADD COLUMN countries VARCHAR[] DEFAULT [];

UPDATE events SET participant_ids = p.participant_ids, participants = p.participants, countries = p.countries
FROM (
    SELECT r.event_id,
           list_sort(list_distinct(list(e.entity_id))) AS participant_ids,
           list_sort(list_distinct(list(CASE WHEN e.entity_type <> 'country' THEN e.name END))) AS participants,
           list_sort(list_distinct(list(e.country_code))) AS countries
    FROM (SELECT event_id, unnest(entities) AS entity_id FROM reports) AS r
    JOIN entities AS e USING (entity_id)
    GROUP BY r.event_id
) AS p
WHERE events.event_id = p.event_id;
