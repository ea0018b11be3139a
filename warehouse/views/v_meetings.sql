-- Meetings with their article and participants (names in the extractor's order).
-- One row per meeting; participants_typed keeps each participant's type.
-- char_start/char_end: the mention (the meeting's name or trigger phrase) in the article's body, 0-based
-- and end-exclusive as in Python; in SQL it is substring(body, char_start + 1, char_end - char_start).
-- The participants are read from the list stored on each meeting (migration 011), not aggregated
-- from meeting_participants on every read: at 708,000 meetings the first 100 rows took 1.0-1.4 s.
CREATE OR REPLACE VIEW v_meetings AS
SELECT
    m.meeting_id,
    m.kind,
    m.status,
    m.name,
    m.start_date,
    m.date_precision,
    m.location,
    list_transform(m.participants_typed, lambda x: x.name) AS participants,
    m.participants_typed,
    m.evidence,
    m.char_start,
    m.char_end,
    m.confidence,
    m.article_id,
    a.url AS article_url,
    a.title AS article_title,
    a.published_at AS article_published_at,
    a.language,
    m.rule_id,
    m.extractor_version
FROM meetings AS m
LEFT JOIN articles AS a USING (article_id);
