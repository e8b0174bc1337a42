-- Container output that agents forward (POST /agent/v1/logs): a bounded tail per container, keyed
-- by the host that runs it and the container's name (the deployer's replica id).

-- Where one container's log stands between chunks.
CREATE TABLE container_log_streams (
    host_id     text        NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    container   text        NOT NULL CHECK (container ~ '^[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?$'),
    -- The last chunk taken: a later offset continues it, an earlier one means the log was rotated,
    -- the same offset and text again is a resent chunk and is skipped.
    last_offset bigint      NOT NULL CHECK (last_offset >= 0),
    last_digest bytea       NOT NULL CHECK (length(last_digest) = 32),
    -- A line the last chunk began but did not end; it becomes a line when it ends or goes quiet.
    pending     text        NOT NULL,
    kept_lines  integer     NOT NULL CHECK (kept_lines >= 0),
    kept_bytes  bigint      NOT NULL CHECK (kept_bytes >= 0),
    updated_at  timestamptz NOT NULL,
    -- Since when its host has not reported the container; its logs go a while after.
    gone_since  timestamptz,
    PRIMARY KEY (host_id, container)
);

-- Whole lines, oldest trimmed first. seq comes from one sequence; appends to a container are
-- serialised on its stream row, so within a container seq grows in commit order.
CREATE TABLE container_log_lines (
    seq         bigserial   PRIMARY KEY,
    host_id     text        NOT NULL,
    container   text        NOT NULL,
    received_at timestamptz NOT NULL,
    text        text        NOT NULL,
    FOREIGN KEY (host_id, container) REFERENCES container_log_streams (host_id, container) ON DELETE CASCADE
);
CREATE INDEX container_log_lines_by_stream ON container_log_lines (host_id, container, seq);

GRANT SELECT, INSERT, UPDATE, DELETE ON container_log_streams, container_log_lines TO "${appRole}";
GRANT USAGE, SELECT ON SEQUENCE container_log_lines_seq_seq TO "${appRole}";
