-- Every feed's health: last fetch status, consecutive failures, last error, last success.
CREATE OR REPLACE VIEW v_feed_health AS
SELECT
    feed_url,
    name,
    language,
    CASE
        WHEN last_status IS NULL THEN 'never_fetched'
        WHEN error_count = 0 THEN 'healthy'
        WHEN last_ok_at IS NULL THEN 'never_ok'
        ELSE 'failing'
    END AS health,
    last_status,
    last_http_status,
    error_count AS consecutive_failures,
    last_error,
    last_fetched_at,
    last_ok_at,
    items_seen,
    (SELECT count(*) FROM articles AS a WHERE a.feed_url = f.feed_url) AS articles
FROM feeds AS f;
