-- Single sign-on through OpenID Connect (issue 15).

-- An account made by a sign-in through the identity provider has no local password.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

-- Who a user is at an identity provider: linked by the issuer and the subject it gives, never by an
-- e-mail address (which a provider may let people change, or reuse).
CREATE TABLE external_identities (
    issuer     text        NOT NULL,
    subject    text        NOT NULL,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX external_identities_user ON external_identities (user_id);

-- A platform admin's rule: members of this provider group get this role in this team. Every
-- sign-in sets the user's rule-granted memberships to what the rules say then.
CREATE TABLE sso_group_rules (
    id         bigserial   PRIMARY KEY,
    group_name text        NOT NULL CHECK (length(group_name) BETWEEN 1 AND 256),
    team_id    bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    role       text        NOT NULL CHECK (role IN ('VIEWER', 'DEPLOYER', 'ADMIN')),
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (group_name, team_id)
);

-- Who granted a membership: a person (MANUAL, as every membership so far) or the group rules at a
-- sign-in (RULE). Sign-ins change only RULE memberships; a person changing one makes it MANUAL.
ALTER TABLE memberships ADD COLUMN source text NOT NULL DEFAULT 'MANUAL' CHECK (source IN ('MANUAL', 'RULE'));
