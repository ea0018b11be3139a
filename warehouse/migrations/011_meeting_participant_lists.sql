-- A meeting's participants stored on the meeting as well, in the extractor's order: v_meetings
-- aggregated them from meeting_participants on every read, which took over a second for the first
-- 100 rows of a warehouse of a million articles (708,000 meetings, 1.7 million participants).
-- meeting_participants stays the table to join and filter on; the loader writes both from the
-- same list (warehouse/records.py), and deletes them together.
ALTER TABLE meetings ADD COLUMN participants_typed STRUCT(name VARCHAR, participant_type VARCHAR)[] DEFAULT [];

UPDATE meetings SET participants_typed = p.listed
FROM (
    SELECT meeting_id,
           list_transform(list_sort(list({'position': position, 'name': name, 'participant_type': participant_type})),
                          lambda x: {'name': x.name, 'participant_type': x.participant_type}) AS listed
    FROM meeting_participants
    GROUP BY meeting_id
) AS p
WHERE meetings.meeting_id = p.meeting_id;
