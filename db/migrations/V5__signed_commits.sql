-- Per repository: whether only commits signed by a trusted OpenPGP key are accepted, and the keys.

ALTER TABLE repositories ADD COLUMN require_signed boolean NOT NULL DEFAULT false;

CREATE TABLE trusted_keys (
    repository_id bigint NOT NULL REFERENCES repositories (id),
    fingerprint   char(40) NOT NULL,
    signer        text NOT NULL,
    armored       text NOT NULL,
    added_by      text NOT NULL,
    added_at      timestamptz NOT NULL,
    PRIMARY KEY (repository_id, fingerprint)
);
