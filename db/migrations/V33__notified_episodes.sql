-- Crash loops and failing certificates told to teams' webhooks (issue 15), once per episode.

-- A replica's restarts as its host's heartbeats report them, kept only for replicas that restarted
-- or stopped:
-- when the latest restarts were noticed, and when the crash loop they make was told (null while
-- none runs). Heartbeats of one host are recorded under its row lock, and told_at is set only
-- where it was null, so one episode is told once whichever platform instance records them.
CREATE TABLE replica_crash_loops (
    replica_id text          PRIMARY KEY REFERENCES replicas (id) ON DELETE CASCADE,
    restarts   integer       NOT NULL,
    recent     timestamptz[] NOT NULL,
    told_at    timestamptz,
    -- Why it last stopped, in words: a restarted container reports only that it runs.
    last_exit  text
);

-- When the team was told that the host's certificate keeps failing; cleared when one is issued.
ALTER TABLE acme_certificates ADD COLUMN failing_told_at timestamptz;
