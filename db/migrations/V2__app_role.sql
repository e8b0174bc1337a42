-- The platform serves requests as ${appRole}. Where that role is not the owner of the schema
-- (the embedded server always arranges this; external servers can via a migration user), it may
-- append to the audit log and read it, but not edit or delete rows, and - not being the owner -
-- cannot disable the triggers that say so.
GRANT SELECT, INSERT, UPDATE, DELETE ON users, teams, memberships, login_failures, api_tokens TO "${appRole}";
GRANT SELECT, INSERT ON audit_events TO "${appRole}";
GRANT SELECT, UPDATE ON audit_head TO "${appRole}";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "${appRole}";

-- Tables of later migrations get full row access by default; append-only ones revoke it.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${appRole}";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "${appRole}";
