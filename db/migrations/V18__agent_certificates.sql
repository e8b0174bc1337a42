-- The platform's certificate authority for agent-to-agent TLS, and the certificates it issued.

-- One CA, created by the first platform instance that needs it (insert-if-absent, so two starting
-- at once agree on one). Its private key (PKCS#8) is sealed like other secrets: with the key file
-- outside the database, bound to this row.
CREATE TABLE platform_ca (
    id          smallint PRIMARY KEY CHECK (id = 1),
    certificate text        NOT NULL,  -- PEM
    sealed_key  bytea       NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Every certificate issued to a host's agent, so a removed host's certificates are known.
CREATE TABLE agent_certificates (
    serial     text        PRIMARY KEY CHECK (serial ~ '^[0-9a-f]{1,40}$'),
    host_id    text        NOT NULL REFERENCES hosts (id),
    not_before timestamptz NOT NULL,
    not_after  timestamptz NOT NULL CHECK (not_after > not_before),
    issued_at  timestamptz NOT NULL
);
CREATE INDEX agent_certificates_host ON agent_certificates (host_id, not_after);
