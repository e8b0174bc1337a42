-- Host capacity caps, draining and removal.

-- The most capacity a host may count with: what it registered. A heartbeat claiming more is capped here, so a buggy or compromised agent cannot
-- attract every replica. reported_* is what the agent last claimed, kept to show the difference.
ALTER TABLE hosts
    ADD COLUMN memory_cap_bytes      bigint CHECK (memory_cap_bytes >= 0),
    ADD COLUMN cpu_cap_millis        integer CHECK (cpu_cap_millis >= 0),
    ADD COLUMN reported_memory_bytes bigint,
    ADD COLUMN reported_cpu_millis   integer;
UPDATE hosts SET memory_cap_bytes = memory_bytes, cpu_cap_millis = cpu_millis,
                 reported_memory_bytes = memory_bytes, reported_cpu_millis = cpu_millis;
ALTER TABLE hosts
    ALTER COLUMN memory_cap_bytes SET NOT NULL,
    ALTER COLUMN cpu_cap_millis SET NOT NULL,
    ADD CONSTRAINT hosts_capped CHECK (memory_bytes <= memory_cap_bytes AND cpu_millis <= cpu_cap_millis);

-- A draining host gets no new replicas and its replicas move to others. A removed host's
-- credential no longer works; its row stays, as replicas and the audit log name it.
ALTER TABLE hosts
    ADD COLUMN draining_since timestamptz,
    ADD COLUMN draining_by    text,
    ADD COLUMN removed_at     timestamptz,
    ADD COLUMN removed_by     text,
    ADD CONSTRAINT hosts_draining_by CHECK ((draining_since IS NULL) = (draining_by IS NULL)),
    ADD CONSTRAINT hosts_removed_by CHECK ((removed_at IS NULL) = (removed_by IS NULL));
