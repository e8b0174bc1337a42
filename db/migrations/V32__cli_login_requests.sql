-- Signing the command line in through the browser (issue 15), after RFC 8628's device
-- authorization grant. The CLI holds the device code and polls with it; only its sha256 is kept.
-- The user code is what a person types or confirms on /cli-login: short, and useless after its
-- ten minutes. Nothing here is a credential once decided: the API token is minted when the CLI
-- collects it, in the transaction that marks the row consumed.
CREATE TABLE cli_login_requests (
    id                   BIGSERIAL   PRIMARY KEY,
    device_code_hash     BYTEA       NOT NULL UNIQUE,
    user_code            TEXT        NOT NULL UNIQUE CHECK (user_code ~ '^[2-9A-HJ-NP-Z]{8}$'),
    client               TEXT        NOT NULL CHECK (length(client) BETWEEN 1 AND 100),
    host_name            TEXT        CHECK (length(host_name) BETWEEN 1 AND 64),
    -- As the rate limit counts it (an IPv6 /64 is one source), and as the connection showed it.
    source_key           TEXT        NOT NULL,
    source_address       TEXT,
    user_agent           TEXT,
    created_at           TIMESTAMPTZ NOT NULL,
    expires_at           TIMESTAMPTZ NOT NULL,
    interval_seconds     INTEGER     NOT NULL CHECK (interval_seconds BETWEEN 1 AND 300),
    last_polled_at       TIMESTAMPTZ,
    state                TEXT        NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'DENIED', 'CONSUMED')),
    decided_by           BIGINT      REFERENCES users (id) ON DELETE CASCADE,
    -- The approver's credentials version: a password change before the CLI collects voids the approval.
    decided_credentials  BIGINT,
    decided_at           TIMESTAMPTZ,
    consumed_at          TIMESTAMPTZ,
    CHECK ((state = 'PENDING') = (decided_by IS NULL))
);
CREATE INDEX cli_login_requests_by_source ON cli_login_requests (source_key, created_at);
CREATE INDEX cli_login_requests_by_expiry ON cli_login_requests (expires_at);

-- Codes a signed-in user entered that matched no request: ten in fifteen minutes and that user
-- waits, so nobody walks the code space from a session.
CREATE TABLE cli_login_code_failures (
    id        BIGSERIAL   PRIMARY KEY,
    user_id   BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cli_login_code_failures_by_user ON cli_login_code_failures (user_id, failed_at);
