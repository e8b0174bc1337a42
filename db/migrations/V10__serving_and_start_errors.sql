-- Blue-green switches traffic at once, and a container that cannot start says why.

-- Whether a replica may take traffic on its app's published ports once it is healthy. A blue-green
-- rollout starts its replicas with false while another revision of the app still runs; the traffic
-- switch sets them true in the same transaction (and host generation) that stops the old ones.
ALTER TABLE replicas
    ADD COLUMN serving boolean NOT NULL DEFAULT true,
    -- The last reason its agent gave for not being able to start it, kept once the replica is
    -- stopped (a failed start is replaced at once, and its report goes with it).
    ADD COLUMN start_error text CHECK (length(start_error) <= 1000),
    ADD COLUMN start_failed_at timestamptz,
    ADD CONSTRAINT replicas_start_error_dated CHECK ((start_error IS NULL) = (start_failed_at IS NULL));

-- Why the agent could not start a container it reports as failed.
ALTER TABLE host_containers
    ADD COLUMN error text CHECK (length(error) <= 1000);
