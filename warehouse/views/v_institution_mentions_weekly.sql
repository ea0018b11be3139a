-- Mentions of each institution per ISO week (Monday start, UTC) of the article's
-- publication date, or of when it was first seen when the feed gave no date.
-- Mentions are counted per (institution, article) first, so the articles of a week are a plain
-- count (no DISTINCT aggregate); the ISO year and week are those of the week's Monday.
CREATE OR REPLACE VIEW v_institution_mentions_weekly AS
WITH per_article AS (
    SELECT institution_id, article_id, count(*) AS mentions
    FROM institution_mentions
    GROUP BY institution_id, article_id
),
weekly AS (
    SELECT
        m.institution_id,
        CAST(date_trunc('week', timezone('UTC', coalesce(a.published_at, a.first_seen_at))) AS DATE) AS week_start,
        CAST(sum(m.mentions) AS BIGINT) AS mentions,
        count(*) AS articles
    FROM per_article AS m
    JOIN articles AS a USING (article_id)
    GROUP BY ALL
)
SELECT
    i.institution_id,
    i.name,
    i.acronym,
    i.kind,
    w.week_start,
    isoyear(w.week_start) AS iso_year,
    week(w.week_start) AS iso_week,
    w.mentions,
    w.articles
FROM weekly AS w
JOIN institutions AS i USING (institution_id);
