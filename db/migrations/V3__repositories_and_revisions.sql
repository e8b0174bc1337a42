-- Hosted git repositories and the revisions accepted pushes record.

CREATE TABLE repositories (
    id              bigserial PRIMARY KEY,
    team_id         bigint NOT NULL REFERENCES teams (id),
    name            text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('HOSTED')),
    deploy_branch   text NOT NULL,
    definition_path text NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL,
    UNIQUE (team_id, name)
);

-- One row per accepted push to a deploy branch: what was pushed, by whom, and every image pinned.
CREATE TABLE revisions (
    id              bigserial PRIMARY KEY,
    repository_id   bigint NOT NULL REFERENCES repositories (id),
    commit_id       char(40) NOT NULL,
    branch          text NOT NULL,
    author          text NOT NULL,
    committer       text NOT NULL,
    subject         text NOT NULL,
    pushed_by       text NOT NULL,
    signature       text NOT NULL,
    definition_yaml text NOT NULL,
    definition      jsonb NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX revisions_by_repository ON revisions (repository_id, id DESC);

-- The apps a revision defines, with the digest each image was pinned to at push time.
CREATE TABLE revision_apps (
    revision_id  bigint NOT NULL REFERENCES revisions (id),
    team_id      bigint NOT NULL REFERENCES teams (id),
    app          text NOT NULL,
    image        text NOT NULL,
    image_digest text NOT NULL,
    PRIMARY KEY (revision_id, app)
);
CREATE INDEX revision_apps_by_app ON revision_apps (team_id, app, revision_id DESC);

-- An app name belongs to one repository of its team: the first that defines it.
CREATE TABLE app_owners (
    team_id       bigint NOT NULL REFERENCES teams (id),
    app           text NOT NULL,
    repository_id bigint NOT NULL REFERENCES repositories (id),
    PRIMARY KEY (team_id, app)
);
