-- Mechanisms over time: for each mechanism event reported in the range and language, each status
-- it was reported in (proposed, agreed, established, existing), when that was first reported,
-- by whom it was said to be proposed, in how many articles, and the first such report's article,
-- sentence and mention (the description as the body has it, at char_start..char_end).
-- The $limit mechanisms most recently reported; one row per (mechanism, status), oldest first.
-- The articles of the range and language: scope.sql. Parameter: $limit (mechanisms).
WITH steps AS (
    SELECT
        r.event_id,
        k.status,
        min(c.seen) AS first_reported_at,
        max(c.seen) AS last_reported_at,
        list_sort(list_distinct(list(k.proposer) FILTER (WHERE k.proposer IS NOT NULL))) AS proposers,
        count(*) AS articles,
        list_sort(list_distinct(list(c.language))) AS languages,
        arg_min(k.evidence, c.seen) AS evidence,
        arg_min(substring(c.body, k.char_start + 1, k.char_end - k.char_start), c.seen) AS mention,
        arg_min(c.url, c.seen) AS article_url,
        arg_min(c.title, c.seen) AS article_title
    FROM reports AS r
    JOIN mechanisms AS k ON k.mechanism_id = r.report_id
    JOIN _ew_report_articles AS c ON c.article_id = r.article_id
    GROUP BY r.event_id, k.status
),
ranked AS (
    SELECT event_id, dense_rank() OVER (ORDER BY max(last_reported_at) DESC, event_id) AS rank,
           min(first_reported_at) AS event_first_reported_at
    FROM steps
    GROUP BY event_id
)
SELECT
    s.event_id,
    coalesce(ev.name, s.mention) AS mechanism,
    ev.status AS current_status,
    ev.proposer AS event_proposer,
    s.status,
    s.first_reported_at,
    s.last_reported_at,
    s.proposers,
    s.articles,
    s.languages,
    s.evidence,
    s.mention,
    s.article_url,
    s.article_title,
    x.event_first_reported_at
FROM steps AS s
JOIN ranked AS x USING (event_id)
JOIN events AS ev USING (event_id)
WHERE x.rank <= $limit
ORDER BY x.event_first_reported_at, s.event_id, s.first_reported_at, s.status;
