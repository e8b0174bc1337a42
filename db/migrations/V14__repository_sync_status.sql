-- How an external repository's current or last fetch goes, for the API and the dashboard: a fetch
-- starts at registration and on every poll, webhook or "sync now". No state yet means no fetch has
-- started (queued); last_sync_at stays the time the last fetch finished.

ALTER TABLE repositories
    ADD COLUMN sync_state         text CHECK (sync_state IN ('SYNCING', 'SUCCEEDED', 'FAILED')),
    ADD COLUMN sync_trigger       text,         -- registration, poll, webhook or a user's name
    ADD COLUMN sync_started_at    timestamptz,
    ADD COLUMN sync_commit        char(40),     -- what the last fetch brought, good or not; null when it failed to fetch
    ADD COLUMN last_sync_revision bigint REFERENCES revisions (id);  -- the revision of last_sync_commit

UPDATE repositories SET sync_state = CASE WHEN last_sync_error IS NULL THEN 'SUCCEEDED' ELSE 'FAILED' END
WHERE kind = 'EXTERNAL' AND last_sync_at IS NOT NULL;

UPDATE repositories r SET last_sync_revision = (
    SELECT max(v.id) FROM revisions v WHERE v.repository_id = r.id AND v.commit_id = r.last_sync_commit)
WHERE r.kind = 'EXTERNAL' AND r.last_sync_commit IS NOT NULL;
