-- Flow runs, most recent first, with their kind (ingest or reprocess), counts and duration.
CREATE OR REPLACE VIEW v_runs AS
SELECT
    run_id,
    kind,
    status,
    started_at,
    finished_at,
    date_diff('second', started_at, finished_at) AS duration_s,
    feeds_total,
    feeds_ok,
    feeds_not_modified,
    feeds_failed,
    articles_new,
    articles_updated,
    articles_unchanged,
    records_institution_mentions,
    records_meetings,
    records_mechanisms,
    rejects,
    error,
    flow_run_id
FROM runs
ORDER BY started_at DESC;
