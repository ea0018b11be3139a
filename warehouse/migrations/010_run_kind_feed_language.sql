-- A run is an ingest (fetch, extract, load) or a reprocess (re-extract stored articles): `runs.kind`
-- tells them apart in v_runs. A feed keeps the language its document declares (<language>,
-- xml:lang or Content-Language, as a lower-case tag: "ru-ru"); `feeds.language` (ru, en, other)
-- is the feeds file's hint, else the declared language's.
ALTER TABLE runs ADD COLUMN kind VARCHAR DEFAULT 'ingest';
UPDATE runs SET kind = 'ingest' WHERE kind IS NULL;
ALTER TABLE feeds ADD COLUMN declared_language VARCHAR;
