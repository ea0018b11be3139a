-- The report's header: the articles of the range and language, the meeting and mechanism events
-- they report, and the extractor version(s) that produced those records.
-- The articles of the range and language: scope.sql.
WITH reported AS (
    SELECT r.event_type, r.event_id
    FROM reports AS r
    JOIN _ew_report_articles USING (article_id)
    GROUP BY ALL
)
SELECT
    (SELECT count(*) FROM _ew_report_articles) AS articles,
    (SELECT count(*) FROM reported WHERE event_type = 'meeting') AS meetings,
    (SELECT count(*) FROM reported WHERE event_type = 'mechanism') AS mechanisms,
    (SELECT coalesce(list_sort(list_distinct(list(extractor_version))), []) FROM _ew_report_articles) AS extractor_versions;
