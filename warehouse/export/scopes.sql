-- The scope of an export (warehouse/export.py): for every row of a table that grows with time, the
-- month its Parquet files are partitioned by ('YYYY-MM', UTC) and whether it is in the exported range
-- (`keep`: its day is on or after getvariable('eventwire_export_since'), or no --since was given).
-- Temporary views on the export's own connection: the warehouse itself is only read.

-- Articles: by publication, else by when they were first seen.
CREATE OR REPLACE TEMP VIEW _ew_export_articles AS
SELECT
    article_id,
    strftime(day, '%Y-%m') AS month,
    getvariable('eventwire_export_since') IS NULL OR day >= getvariable('eventwire_export_since') AS keep
FROM (
    SELECT article_id, CAST(timezone('UTC', coalesce(published_at, first_seen_at)) AS DATE) AS day
    FROM articles
);

-- Meetings and mechanisms follow their article; one whose article is gone has no month and is
-- exported only without --since.
CREATE OR REPLACE TEMP VIEW _ew_export_meetings AS
SELECT m.meeting_id, a.month, coalesce(a.keep, getvariable('eventwire_export_since') IS NULL) AS keep
FROM meetings AS m
LEFT JOIN _ew_export_articles AS a ON a.article_id = m.article_id;

CREATE OR REPLACE TEMP VIEW _ew_export_mechanisms AS
SELECT k.mechanism_id, a.month, coalesce(a.keep, getvariable('eventwire_export_since') IS NULL) AS keep
FROM mechanisms AS k
LEFT JOIN _ew_export_articles AS a ON a.article_id = k.article_id;

-- Events: in the month they were first seen (the first publication of an article reporting them),
-- else the month they take place; in range while they were still seen on or after the day (last_seen_at),
-- else when they take place on or after it.
CREATE OR REPLACE TEMP VIEW _ew_export_events AS
SELECT
    event_id,
    strftime(coalesce(CAST(timezone('UTC', first_seen_at) AS DATE), start_date), '%Y-%m') AS month,
    getvariable('eventwire_export_since') IS NULL
        OR coalesce(CAST(timezone('UTC', last_seen_at) AS DATE), start_date) >= getvariable('eventwire_export_since')
        AS keep
FROM events;

-- Runs: by when they started.
CREATE OR REPLACE TEMP VIEW _ew_export_runs AS
SELECT
    run_id,
    strftime(timezone('UTC', started_at), '%Y-%m') AS month,
    getvariable('eventwire_export_since') IS NULL
        OR CAST(timezone('UTC', started_at) AS DATE) >= getvariable('eventwire_export_since') AS keep
FROM runs;

-- Rejects: by when they were rejected.
CREATE OR REPLACE TEMP VIEW _ew_export_rejects AS
SELECT
    reject_id,
    strftime(timezone('UTC', rejected_at), '%Y-%m') AS month,
    getvariable('eventwire_export_since') IS NULL
        OR CAST(timezone('UTC', rejected_at) AS DATE) >= getvariable('eventwire_export_since') AS keep
FROM rejects;
