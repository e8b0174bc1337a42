-- Outgoing webhooks per team (issue 15): endpoints a team admin configures, and one delivery row
-- per endpoint and event, written in the transaction of the change the event tells of. Deliverers
-- in any platform instance claim due rows with FOR UPDATE SKIP LOCKED, so each is sent by one.
CREATE TABLE notification_endpoints (
    id                   bigserial   PRIMARY KEY,
    team_id              bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name                 text        NOT NULL,
    url                  text        NOT NULL,
    format               text        NOT NULL,
    events               text[]      NOT NULL,
    -- AES-GCM sealed with the platform's secret key, bound to the endpoint's id.
    sealed_secret        bytea       NOT NULL,
    enabled              boolean     NOT NULL DEFAULT true,
    paused_at            timestamptz,
    paused_reason        text,
    consecutive_failures integer     NOT NULL DEFAULT 0,
    first_failure_at     timestamptz,
    created_by           text        NOT NULL,
    created_at           timestamptz NOT NULL,
    UNIQUE (team_id, name)
);

CREATE TABLE notification_deliveries (
    id              bigserial   PRIMARY KEY,
    endpoint_id     bigint      NOT NULL REFERENCES notification_endpoints (id) ON DELETE CASCADE,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    -- The event as generic JSON; each format is made from it when sent.
    event           text        NOT NULL,
    created_at      timestamptz NOT NULL,
    -- PENDING (due at next_attempt_at), DELIVERED, FAILED (gave up) or SKIPPED (endpoint paused or disabled).
    status          text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_attempt_at timestamptz,
    response_code   integer,
    response_body   text,
    error           text
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notification_deliveries_endpoint ON notification_deliveries (endpoint_id, id DESC);
