-- Each event's reports: which article (feed, language, publication time) said what, with the
-- status it gave and the sentence it said it in (char_start/char_end: the mention in the body).
CREATE OR REPLACE VIEW v_event_reports AS
SELECT
    r.event_id,
    r.event_type,
    r.report_id,
    coalesce(m.status, k.status) AS status,
    coalesce(m.name, k.description) AS name,
    m.kind,
    m.start_date,
    m.date_precision,
    m.location,
    k.proposer,
    coalesce(m.evidence, k.evidence) AS evidence,
    coalesce(m.char_start, k.char_start) AS char_start,
    coalesce(m.char_end, k.char_end) AS char_end,
    coalesce(m.confidence, k.confidence) AS confidence,
    r.article_id,
    a.url AS article_url,
    a.title AS article_title,
    a.feed_url,
    a.language,
    a.published_at AS article_published_at
FROM reports AS r
JOIN articles AS a USING (article_id)
LEFT JOIN meetings AS m ON m.meeting_id = r.report_id
LEFT JOIN mechanisms AS k ON k.mechanism_id = r.report_id;
