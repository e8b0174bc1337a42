-- Deploy-branch deletions in flight (issue 14): written in the review, before the ref is deleted
-- on disk; removed once the deletion's audit event is written. One left behind by a platform that
-- died is audited if the branch is gone on disk, and dropped if it is still there.
CREATE TABLE push_deletions (
    id            bigserial PRIMARY KEY,
    repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    ref           text NOT NULL,
    old_commit    char(40) NOT NULL,
    actor_type    text NOT NULL,
    actor         text NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX push_deletions_by_repository ON push_deletions (repository_id, id);
