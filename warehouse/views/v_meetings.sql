-- Meetings with their article and participants (names in the extractor's order).
-- One row per meeting; participants_typed keeps each participant's type.
CREATE OR REPLACE VIEW v_meetings AS
WITH participants AS (
    SELECT
        meeting_id,
        list(name ORDER BY position) AS participants,
        list({'name': name, 'participant_type': participant_type} ORDER BY position) AS participants_typed
    FROM meeting_participants
    GROUP BY meeting_id
)
SELECT
    m.meeting_id,
    m.kind,
    m.status,
    m.name,
    m.start_date,
    m.date_precision,
    m.location,
    coalesce(p.participants, []) AS participants,
    p.participants_typed,
    m.evidence,
    m.confidence,
    m.article_id,
    a.url AS article_url,
    a.title AS article_title,
    a.published_at AS article_published_at,
    a.language,
    m.rule_id,
    m.extractor_version
FROM meetings AS m
LEFT JOIN articles AS a USING (article_id)
LEFT JOIN participants AS p USING (meeting_id);
