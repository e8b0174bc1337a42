-- Audit events owed to the chain (issue 14): written in the transaction of the change they tell
-- of, where the chain itself cannot be (its appends take connections of their own). Delivery moves
-- a row into audit_events and deletes it in one transaction, so each reaches the chain exactly
-- once, whichever platform instance delivers it and whenever one dies.
CREATE TABLE audit_outbox (
    id             bigserial   PRIMARY KEY,
    occurred_at    timestamptz NOT NULL,
    actor_type     text        NOT NULL,
    actor          text        NOT NULL,
    action         text        NOT NULL,
    target         text        NOT NULL,
    team           text,
    source_address text,
    user_agent     text,
    outcome        text        NOT NULL,
    details        text        NOT NULL
);
