-- Route certificates: those the platform orders from an ACME CA, and those teams upload. Private
-- keys (PKCS#8) are sealed like other secrets, with the key file outside the database, bound to
-- their row; they never leave the platform but sealed to an edge agent's own key.

-- The platform's ACME account per directory URL (a changed berth.acme.directory registers anew).
CREATE TABLE acme_accounts (
    directory   text        PRIMARY KEY,
    sealed_key  bytea       NOT NULL,
    created_at  timestamptz NOT NULL
);

-- One row per host the platform keeps an ACME certificate for. A row is claimed (claimed_by,
-- claimed_until) while an order is in flight, so no two platform instances order one host at once;
-- a claim that outlives a crashed instance lapses.
CREATE TABLE acme_certificates (
    host          text        PRIMARY KEY,
    chain_pem     text,
    sealed_key    bytea,
    issuer        text,
    not_before    timestamptz,
    not_after     timestamptz,
    last_error    text,
    last_attempt  timestamptz,
    failures      int         NOT NULL DEFAULT 0,
    next_attempt  timestamptz,
    orders        int         NOT NULL DEFAULT 0,  -- orders placed with the CA, ever
    claimed_by    text,
    claimed_until timestamptz,
    CHECK ((chain_pem IS NULL) = (sealed_key IS NULL))
);

-- HTTP-01 challenges of open orders, for every instance that builds edges' assignments.
CREATE TABLE acme_challenges (
    host              text        NOT NULL,
    token             text        NOT NULL,
    key_authorization text        NOT NULL,
    created_at        timestamptz NOT NULL,
    PRIMARY KEY (host, token)
);

-- A certificate a team brought for one of its app's routes; it wins over the ACME one.
CREATE TABLE uploaded_certificates (
    host        text        PRIMARY KEY,
    team_id     bigint      NOT NULL REFERENCES teams (id),
    app         text        NOT NULL,
    chain_pem   text        NOT NULL,
    sealed_key  bytea       NOT NULL,
    issuer      text        NOT NULL,
    not_after   timestamptz NOT NULL,
    uploaded_by text        NOT NULL,
    uploaded_at timestamptz NOT NULL
);
CREATE INDEX uploaded_certificates_app ON uploaded_certificates (team_id, app);
