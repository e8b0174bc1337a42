-- Failed logins are counted per account and source address, and per address alone (unknown
-- users included, so user_id may be NULL): an attacker hammering one account locks out only
-- their own address. No lock is account-wide any more, so users.locked_until goes.
ALTER TABLE login_failures ADD COLUMN id BIGSERIAL PRIMARY KEY;
ALTER TABLE login_failures ADD COLUMN source_address TEXT NOT NULL DEFAULT '';
ALTER TABLE login_failures ALTER COLUMN source_address DROP DEFAULT;
ALTER TABLE login_failures ALTER COLUMN user_id DROP NOT NULL;
DROP INDEX login_failures_user;
CREATE INDEX login_failures_account_address ON login_failures (user_id, source_address, failed_at);
CREATE INDEX login_failures_address ON login_failures (source_address, failed_at);
CREATE INDEX login_failures_time ON login_failures (failed_at);
ALTER TABLE users DROP COLUMN locked_until;

-- Moves on with every password change or reset. A dashboard session remembers the version its
-- password was checked under and ends when the database has a newer one, on every instance.
ALTER TABLE users ADD COLUMN credentials_version BIGINT NOT NULL DEFAULT 0;

-- The owner's credentials version a token was minted under (that of the token minting it, if
-- any). A token behind its owner's version is void: it was minted by a credential that a
-- password change ended while the request was in flight.
ALTER TABLE api_tokens ADD COLUMN credentials_version BIGINT NOT NULL DEFAULT 0;
