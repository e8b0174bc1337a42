-- Repositories Berth fetches from (polled, or told by a webhook), next to the hosted ones.

ALTER TABLE repositories DROP CONSTRAINT repositories_kind_check;
ALTER TABLE repositories ADD CONSTRAINT repositories_kind_check CHECK (kind IN ('HOSTED', 'EXTERNAL'));

ALTER TABLE repositories
    ADD COLUMN remote_url       text,
    ADD COLUMN remote_username  text,
    ADD COLUMN remote_secret    bytea,   -- sealed by the platform's secret key, never shown again
    ADD COLUMN webhook_secret   bytea,   -- sealed likewise
    ADD COLUMN poll_seconds     integer,
    ADD COLUMN last_sync_at     timestamptz,
    ADD COLUMN last_sync_commit char(40),
    ADD COLUMN last_sync_error  text;

ALTER TABLE repositories ADD CONSTRAINT external_has_remote
    CHECK (kind <> 'EXTERNAL' OR (remote_url IS NOT NULL AND poll_seconds IS NOT NULL AND webhook_secret IS NOT NULL));

-- Webhook deliveries already acted on: a replayed delivery is refused.
CREATE TABLE webhook_deliveries (
    repository_id bigint NOT NULL REFERENCES repositories (id),
    delivery_id   text NOT NULL,
    received_at   timestamptz NOT NULL,
    PRIMARY KEY (repository_id, delivery_id)
);
