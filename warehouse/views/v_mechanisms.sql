-- Mechanisms (proposed, agreed, established, existing) with who proposed them and the article.
-- char_start/char_end: the mention (the mechanism's description) in the article's body, 0-based and
-- end-exclusive as in Python; in SQL it is substring(body, char_start + 1, char_end - char_start).
CREATE OR REPLACE VIEW v_mechanisms AS
SELECT
    k.mechanism_id,
    k.description,
    k.status,
    k.proposer,
    k.evidence,
    k.char_start,
    k.char_end,
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
