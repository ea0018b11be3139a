-- Extraction attempts: an article whose extraction failed as a whole stays due.
-- extractor_version IS NULL means "not extracted": the next run retries the article from its
-- stored body, up to a bounded number of attempts (flows: EVENTWIRE_EXTRACT_ATTEMPTS); then a
-- 'gave up' reject is written and the article waits for `eventwire reprocess`, which clears it.

ALTER TABLE articles ADD COLUMN extract_attempts INTEGER DEFAULT 0;  -- failed attempts since the last success
ALTER TABLE articles ADD COLUMN extract_error VARCHAR;                -- the last attempt's error

-- Before this migration a failed article was marked extracted and never retried: make it due.
UPDATE articles SET extractor_version = NULL, extracted_at = NULL, extract_attempts = 1,
       extract_error = (SELECT max(r.error) FROM rejects AS r
                        WHERE r.article_id = articles.article_id AND r.stage = 'extract' AND r.record_type = 'Article')
WHERE article_id IN (SELECT article_id FROM rejects WHERE stage = 'extract' AND record_type = 'Article')
  AND extractor_version IS NOT NULL;
