-- What the agents' firewalls refused each container, as its host last reported it: per destination
-- the kernel's count and when the agent saw it grow. A heartbeat replaces the rows of the containers
-- it reports; the rows of containers that are gone stay, up to a bound per app, so an app's page
-- still tells what its earlier replicas tried. agent_app is the app as agents name it (team.app).
CREATE TABLE app_refusals (
    agent_app   text        NOT NULL,
    host_id     text        NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    container   text        NOT NULL,
    destination text        NOT NULL CHECK (length(destination) BETWEEN 1 AND 64),
    protocol    text        NOT NULL CHECK (length(protocol) BETWEEN 1 AND 16),
    port        integer     NOT NULL CHECK (port BETWEEN 0 AND 65535),
    count       bigint      NOT NULL CHECK (count >= 0),
    last_seen   timestamptz NOT NULL,
    PRIMARY KEY (host_id, container, destination, protocol, port)
);

CREATE INDEX app_refusals_by_app ON app_refusals (agent_app, last_seen DESC);
