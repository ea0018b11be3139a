-- Mentions of each institution per ISO week (Monday start, UTC) of the article's
-- publication date, or of when it was first seen when the feed gave no date.
CREATE OR REPLACE VIEW v_institution_mentions_weekly AS
SELECT
    i.institution_id,
    i.name,
    i.acronym,
    i.kind,
    CAST(date_trunc('week', timezone('UTC', coalesce(a.published_at, a.first_seen_at))) AS DATE) AS week_start,
    isoyear(timezone('UTC', coalesce(a.published_at, a.first_seen_at))) AS iso_year,
    week(timezone('UTC', coalesce(a.published_at, a.first_seen_at))) AS iso_week,
    count(*) AS mentions,
    count(DISTINCT m.article_id) AS articles
FROM institution_mentions AS m
JOIN articles AS a USING (article_id)
JOIN institutions AS i USING (institution_id)
GROUP BY ALL;
