-- Who meets whom, the nodes: each participant (person, country, institution: one id across
-- languages) of the meeting events reported in the range and language, with the number of those
-- meetings it took part in and the number of others it met; the $limit most active.
-- The meetings of the range and language and their participants: scope.sql. Parameter: $limit (nodes).
WITH partners AS (
    SELECT a.entity_id, count(DISTINCT b.entity_id) AS partners
    FROM _ew_report_members AS a
    JOIN _ew_report_members AS b ON a.event_id = b.event_id AND a.entity_id <> b.entity_id
    GROUP BY a.entity_id
)
SELECT
    m.entity_id,
    coalesce(e.name, m.entity_id) AS name,
    coalesce(e.entity_type, split_part(m.entity_id, ':', 1)) AS entity_type,
    count(*) AS meetings,
    coalesce(any_value(p.partners), 0) AS partners
FROM _ew_report_members AS m
LEFT JOIN entities AS e USING (entity_id)
LEFT JOIN partners AS p USING (entity_id)
GROUP BY ALL
ORDER BY partners DESC, meetings DESC, m.entity_id
LIMIT $limit;
