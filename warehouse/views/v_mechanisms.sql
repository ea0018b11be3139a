-- Mechanisms (proposed, agreed, established, existing) with who proposed them and the article.
CREATE OR REPLACE VIEW v_mechanisms AS
SELECT
    k.mechanism_id,
    k.description,
    k.status,
    k.proposer,
    k.evidence,
    k.confidence,
    k.article_id,
    a.title AS article_title,
    a.url AS article_url,
    CAST(timezone('UTC', a.published_at) AS DATE) AS published_date,
    a.language,
    k.rule_id,
    k.extractor_version
FROM mechanisms AS k
LEFT JOIN articles AS a USING (article_id);
