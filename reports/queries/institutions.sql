-- The most active institutions: mentions in the articles of the range and language, in how many
-- of those articles, and in how many of the meeting events they report the institution took part.
-- The articles, meetings and participants of the range and language: scope.sql. Parameter: $limit (rows).
WITH mentioned AS (
    SELECT m.institution_id, count(*) AS mentions, count(DISTINCT m.article_id) AS articles
    FROM institution_mentions AS m
    JOIN _ew_report_articles USING (article_id)
    GROUP BY m.institution_id
),
met AS (
    SELECT entity_id, count(*) AS meetings
    FROM _ew_report_members
    WHERE entity_id LIKE 'institution:%'
    GROUP BY entity_id
)
SELECT
    i.institution_id,
    i.name,
    i.acronym,
    i.kind,
    m.mentions,
    m.articles,
    coalesce(t.meetings, 0) AS meetings
FROM mentioned AS m
JOIN institutions AS i USING (institution_id)
LEFT JOIN met AS t ON t.entity_id = 'institution:' || i.institution_id
ORDER BY m.mentions DESC, meetings DESC, i.name, i.institution_id
LIMIT $limit;
