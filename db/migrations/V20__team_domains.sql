-- The host names a team's apps may claim in berth.yaml routes, set by platform admins. A pattern
-- is an exact host (shop.example.com) or a one-label wildcard (*.payments.example.com); a pattern
-- belongs to one team at most (overlaps between teams are refused by the platform before insert).
CREATE TABLE team_domains (
    team_id    bigint NOT NULL REFERENCES teams (id),
    position   int NOT NULL,
    pattern    text NOT NULL UNIQUE,
    added_by   text NOT NULL,
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (team_id, pattern)
);
