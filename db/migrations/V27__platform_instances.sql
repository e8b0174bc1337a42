-- Platform instances at work on this database (issue 14): each writes its row every 2 s. One whose
-- row went stale stopped answering (killed, cut off); the instance that notices deletes the row,
-- once, and notes the deployments that were in progress then.
CREATE TABLE platform_instances (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    started_at timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL
);
-- What happened to a deployment's instances, kept apart from its message, which rounds rewrite.
ALTER TABLE deployments ADD COLUMN handovers text;
