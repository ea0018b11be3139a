-- Who meets whom, the edges: each pair of participants of one meeting event reported in the range
-- and language, with how many such meetings they share (source < target, by participant id).
-- The meetings of the range and language and their participants: scope.sql.
SELECT a.entity_id AS source, b.entity_id AS target, count(*) AS meetings
FROM _ew_report_members AS a
JOIN _ew_report_members AS b ON a.event_id = b.event_id AND a.entity_id < b.entity_id
GROUP BY a.entity_id, b.entity_id
ORDER BY meetings DESC, source, target;
