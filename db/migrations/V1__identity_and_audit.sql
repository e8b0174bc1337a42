-- Identity: users, teams, memberships, personal API tokens, and login throttling.

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    username       TEXT        NOT NULL UNIQUE
                   CHECK (username ~ '^[a-z][a-z0-9._-]{0,62}$'),
    password_hash  TEXT        NOT NULL,
    platform_admin BOOLEAN     NOT NULL DEFAULT FALSE,
    locked_until   TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE teams (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT        NOT NULL UNIQUE
               CHECK (name ~ '^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$'),
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT   NOT NULL CHECK (role IN ('VIEWER', 'DEPLOYER', 'ADMIN')),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Failed logins inside the lockout window; older rows are pruned on every failure.
CREATE TABLE login_failures (
    user_id   BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (user_id, failed_at);

-- Only the sha256 of a token's secret is stored; the secret is shown once at creation.
CREATE TABLE api_tokens (
    id          BIGSERIAL PRIMARY KEY,
    public_id   TEXT        NOT NULL UNIQUE,
    user_id     BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    secret_hash BYTEA       NOT NULL,
    team_id     BIGINT REFERENCES teams (id) ON DELETE CASCADE,
    max_role    TEXT CHECK (max_role IN ('VIEWER', 'DEPLOYER', 'ADMIN')),
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    CHECK (max_role IS NULL OR team_id IS NOT NULL)
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Audit log: append-only and hash-chained. Row n carries
-- hash_n = sha256(hash_{n-1} || canonical(row n)); audit_head holds the newest link so
-- that appenders serialise on one row and truncation of the tail is detectable.
CREATE TABLE audit_events (
    seq            BIGINT      PRIMARY KEY CHECK (seq > 0),
    occurred_at    TIMESTAMPTZ NOT NULL,
    actor_type     TEXT        NOT NULL CHECK (actor_type IN ('USER', 'TOKEN', 'AGENT', 'SYSTEM', 'ANONYMOUS')),
    actor          TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    target         TEXT        NOT NULL,
    team           TEXT,
    source_address TEXT,
    user_agent     TEXT,
    outcome        TEXT        NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE', 'DENIED')),
    details        TEXT        NOT NULL,
    prev_hash      BYTEA       NOT NULL CHECK (length(prev_hash) = 32),
    hash           BYTEA       NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX audit_events_time ON audit_events (occurred_at);
CREATE INDEX audit_events_team ON audit_events (team, seq);
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);

CREATE TABLE audit_head (
    id   BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    seq  BIGINT NOT NULL,
    hash BYTEA  NOT NULL CHECK (length(hash) = 32)
);
INSERT INTO audit_head (id, seq, hash) VALUES (TRUE, 0, decode(repeat('00', 32), 'hex'));

CREATE FUNCTION audit_events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change();

CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_reject_change();

-- The head may only move forward, one appended batch at a time.
CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.seq <= OLD.seq THEN
        RAISE EXCEPTION 'audit_head only moves forward' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_head_forward
    BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
