-- Pushes in flight (issue 14): written in the review's transaction, before a push's refs move on
-- disk, with everything recording the revision needs; deleted once the revision and its audit
-- event are committed. An intent left behind by a platform that died is resolved by looking at
-- the ref: at new_commit the push happened and is recorded, otherwise it did not and is dropped.
CREATE TABLE push_intents (
    id              bigserial PRIMARY KEY,
    repository_id   bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    ref             text NOT NULL,
    old_commit      char(40),
    new_commit      char(40) NOT NULL,
    branch          text NOT NULL,
    pushed_by       text NOT NULL,
    actor_type      text NOT NULL,
    actor           text NOT NULL,
    author_name     text NOT NULL,
    author_email    text NOT NULL,
    author_at       timestamptz NOT NULL,
    committer_name  text NOT NULL,
    committer_email text NOT NULL,
    committer_at    timestamptz NOT NULL,
    message         text NOT NULL,
    signature       text NOT NULL,
    definition_yaml text NOT NULL,
    definition      jsonb NOT NULL,
    pinned          jsonb NOT NULL,
    -- Set in the revision's own transaction; the intent then only waits for its audit event.
    revision_id     bigint,
    created_at      timestamptz NOT NULL
);
CREATE INDEX push_intents_by_repository ON push_intents (repository_id, id);
