-- Edge hosts (issue 13): agents started with --edge report where routed host names should point
-- and how their proxy is doing; the platform sends them every route.

ALTER TABLE hosts
    ADD COLUMN edge_address            text CHECK (length(edge_address) <= 255),
    ADD COLUMN edge_applied_generation bigint,
    ADD COLUMN edge_error              text CHECK (length(edge_error) <= 1024),
    ADD COLUMN edge_reported_at        timestamptz;

-- The key each certificate certifies (base64 of its DER SubjectPublicKeyInfo): edges get
-- certificate keys sealed to the key of their newest certificate. Null for those issued before.
ALTER TABLE agent_certificates ADD COLUMN public_key text CHECK (length(public_key) <= 1024);

-- What the edges were last told to serve, as a digest: whichever platform instance sees it change
-- first moves every edge host's generation, once.
CREATE TABLE edge_state (
    id          smallint PRIMARY KEY CHECK (id = 1),
    fingerprint text        NOT NULL,
    changed_at  timestamptz NOT NULL
);
