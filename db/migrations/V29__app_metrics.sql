-- Resource samples of replicas (issue 15). Agents sample every 10 s and send the latest sample
-- with each heartbeat; the platform keeps one row per replica per 10-second slot (resolution 10),
-- rolls them up into 1-minute (60) and 10-minute (600) buckets, and a job keeps each resolution
-- for its window only (1 hour, 1 day, 7 days). Counters (cpu, rx, tx) are cumulative per run of
-- the container; a bucket keeps the last value seen in it, gauges (memory, pids) the largest.
CREATE TABLE replica_metrics (
    replica_id         text        NOT NULL,
    resolution_seconds integer     NOT NULL CHECK (resolution_seconds IN (10, 60, 600)),
    at                 timestamptz NOT NULL,
    team_id            bigint      NOT NULL,
    app                text        NOT NULL,
    cpu_nanos          bigint      NOT NULL CHECK (cpu_nanos >= 0),
    memory_bytes       bigint      NOT NULL CHECK (memory_bytes >= 0),
    memory_limit_bytes bigint      CHECK (memory_limit_bytes >= 0),
    pids               bigint      NOT NULL CHECK (pids >= 0),
    rx_bytes           bigint      NOT NULL CHECK (rx_bytes >= 0),
    tx_bytes           bigint      NOT NULL CHECK (tx_bytes >= 0),
    restarts           integer     NOT NULL CHECK (restarts >= 0),
    PRIMARY KEY (replica_id, resolution_seconds, at)
);
CREATE INDEX replica_metrics_by_app ON replica_metrics (team_id, app, resolution_seconds, at);
CREATE INDEX replica_metrics_by_age ON replica_metrics (resolution_seconds, at);

-- How far each coarser resolution has been rolled up from the finer one.
CREATE TABLE replica_metric_rollups (
    resolution_seconds integer     PRIMARY KEY CHECK (resolution_seconds IN (60, 600)),
    done_until         timestamptz NOT NULL
);
