-- The private ranges a team's apps may name in berth.yaml's egressTo, set by platform admins.
-- Each range is stored in canonical form (network address, prefix); position keeps the order the
-- admin gave.
CREATE TABLE team_egress_allow (
    team_id  bigint NOT NULL REFERENCES teams (id),
    position int NOT NULL,
    cidr     text NOT NULL,
    PRIMARY KEY (team_id, cidr)
);
