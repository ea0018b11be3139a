-- Articles per language and UTC day (publication date, else first seen). Every language
-- of schemas.enums.Language ('ru', 'en', 'other') appears for every day, with 0 if none.
CREATE OR REPLACE VIEW v_articles_by_language AS
WITH dated AS (
    SELECT language, CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day
    FROM articles
),
languages(language) AS (VALUES ('ru'), ('en'), ('other')),
days AS (SELECT DISTINCT day FROM dated)
SELECT
    d.day,
    l.language,
    count(x.language) AS articles
FROM days AS d
CROSS JOIN languages AS l
LEFT JOIN dated AS x ON x.day = d.day AND x.language = l.language
GROUP BY d.day, l.language
ORDER BY d.day, l.language;
