-- Which institutions are mentioned most, in how many articles?
SELECT
    i.name,
    i.acronym,
    i.kind,
    count(*) AS mentions,
    count(DISTINCT m.article_id) AS articles
FROM institution_mentions AS m
JOIN institutions AS i USING (institution_id)
GROUP BY ALL
ORDER BY mentions DESC, i.name
LIMIT 50;
