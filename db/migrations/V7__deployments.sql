-- Deployments: which revision each app should run, the replicas placed on hosts for it, the
-- secrets apps reference, and what agents report beyond a container's state.

-- Every change of an app's desired revision is a deployment; the newest one per app is what the
-- reconciler drives toward. 'remove': the app's repository stopped defining it.
CREATE TABLE deployments (
    id          bigserial PRIMARY KEY,
    team_id     bigint      NOT NULL REFERENCES teams (id),
    app         text        NOT NULL,
    revision_id bigint      NOT NULL REFERENCES revisions (id),
    kind        text        NOT NULL CHECK (kind IN ('push', 'rollback', 'auto-rollback', 'remove')),
    state       text        NOT NULL CHECK (state IN ('in-progress', 'succeeded', 'failed', 'rolled-back', 'superseded')),
    created_by  text        NOT NULL,
    reason      text,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    message     text,
    CHECK ((state = 'in-progress') = (finished_at IS NULL))
);
CREATE INDEX deployments_by_app ON deployments (team_id, app, id DESC);
CREATE INDEX deployments_in_progress ON deployments (id) WHERE state = 'in-progress';

-- The assignments: one row per replica the planner started. A stop request removes the replica
-- from its host's assignment; the row stays as history. observed_* is what the host's heartbeats
-- say (STARTING from creation until the agent reports otherwise).
CREATE TABLE replicas (
    id                text        PRIMARY KEY,
    container         text        NOT NULL UNIQUE CHECK (container ~ '^[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?$'),
    team_id           bigint      NOT NULL REFERENCES teams (id),
    app               text        NOT NULL,
    revision_id       bigint      NOT NULL REFERENCES revisions (id),
    deployment_id     bigint      NOT NULL REFERENCES deployments (id),
    host_id           text        NOT NULL REFERENCES hosts (id),
    created_at        timestamptz NOT NULL,
    stop_requested_at timestamptz,
    stop_reason       text,
    observed_state    text        NOT NULL CHECK (observed_state IN ('STARTING', 'HEALTHY', 'UNHEALTHY', 'EXITED')),
    observed_since    timestamptz NOT NULL,
    first_reported_at timestamptz,
    CHECK ((stop_requested_at IS NULL) = (stop_reason IS NULL))
);
CREATE INDEX replicas_live_by_host ON replicas (host_id) WHERE stop_requested_at IS NULL;
CREATE INDEX replicas_by_app ON replicas (team_id, app, created_at DESC);

-- generation grows with every change to the host's assignment; agents long-poll for a newer one.
-- lost_at: when the platform noticed the host's heartbeats had stopped (audited once per loss).
ALTER TABLE hosts
    ADD COLUMN generation bigint NOT NULL DEFAULT 0 CHECK (generation >= 0),
    ADD COLUMN lost_at    timestamptz;

ALTER TABLE host_containers
    ADD COLUMN restarts  integer NOT NULL DEFAULT 0,
    ADD COLUMN published jsonb   NOT NULL DEFAULT '[]',
    ADD COLUMN isolation jsonb   NOT NULL DEFAULT '[]';

-- Secret values of apps, sealed with the platform's key and bound to (team, app, name): a sealed
-- value copied to another row does not open. Never shown again once set.
CREATE TABLE app_secrets (
    team_id    bigint      NOT NULL REFERENCES teams (id),
    app        text        NOT NULL,
    name       text        NOT NULL CHECK (name ~ '^[A-Z_][A-Z0-9_]{0,254}$'),
    sealed     bytea       NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text        NOT NULL,
    PRIMARY KEY (team_id, app, name)
);
