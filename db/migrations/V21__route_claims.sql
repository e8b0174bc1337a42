-- Which app serves each host and path prefix of berth.yaml routes. One host and path belongs to one
-- app of one repository (the primary key), so two pushes racing for it cannot both win. A push or
-- sync replaces its repository's rows inside the transaction that records its revision; the rows go
-- with their repository.
CREATE TABLE route_claims (
    host          text NOT NULL,
    path          text NOT NULL,
    team_id       bigint NOT NULL REFERENCES teams (id),
    repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    app           text NOT NULL,
    port          text NOT NULL,
    PRIMARY KEY (host, path)
);
CREATE INDEX route_claims_repository ON route_claims (repository_id);
CREATE INDEX route_claims_team ON route_claims (team_id);
