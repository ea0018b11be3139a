-- A mechanism's history: each status it was reported in, when that was first and last
-- reported, by whom it was proposed (sorted; [] when no report names a proposer), and in how
-- many articles. One row per
-- (event, status), in the order of first report.
-- The steps are stored (mechanism_steps, migration 012), rewritten by resolution with the events
-- they belong to: grouping every mechanism report on each read took over a second for the first
-- 100 rows at a million articles. The event's name and current status are read live.
CREATE OR REPLACE VIEW v_mechanism_timeline AS
SELECT
    s.event_id,
    ev.name AS mechanism,
    ev.status AS current_status,
    s.status,
    s.first_reported_at,
    s.last_reported_at,
    s.proposers,
    s.articles,
    s.languages,
    s.first_evidence,
    s.first_article_url
FROM mechanism_steps AS s
JOIN events AS ev ON ev.event_id = s.event_id;
