-- Hosts that run containers, the single-use tokens that let them join, and what they last reported.

-- Only the sha256 of a join token is stored; the token is shown once, to the admin who created it.
CREATE TABLE join_tokens (
    id           bigserial PRIMARY KEY,
    token_hash   bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at      timestamptz,
    used_by_host text
);

-- A host's agent authenticates with berth-agent_<id>_<secret>; only sha256 of the secret is kept.
CREATE TABLE hosts (
    id                text PRIMARY KEY CHECK (id ~ '^h-[0-9a-z]{12}$'),
    hostname          text        NOT NULL CHECK (length(hostname) BETWEEN 1 AND 253),
    credential_hash   bytea       NOT NULL CHECK (length(credential_hash) = 32),
    memory_bytes      bigint      NOT NULL CHECK (memory_bytes >= 0),
    cpu_millis        integer     NOT NULL CHECK (cpu_millis >= 0),
    agent_version     text        NOT NULL,
    registered_at     timestamptz NOT NULL,
    last_heartbeat_at timestamptz,
    joined_with_token bigint      NOT NULL UNIQUE REFERENCES join_tokens (id)
);

ALTER TABLE join_tokens ADD CONSTRAINT join_tokens_used_by_host
    FOREIGN KEY (used_by_host) REFERENCES hosts (id);
ALTER TABLE join_tokens ADD CONSTRAINT join_tokens_used_together
    CHECK ((used_at IS NULL) = (used_by_host IS NULL));

-- The containers a host reported in its latest heartbeat; each heartbeat replaces them all.
CREATE TABLE host_containers (
    host_id     text        NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    app         text        NOT NULL,
    state       text        NOT NULL,
    exit_code   integer,
    oom_killed  boolean     NOT NULL,
    health      text,
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (host_id, name)
);
