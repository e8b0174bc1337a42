-- Run once by the postgres image when docker-compose.test.yml creates the database: the role the
-- platform serves requests as. It owns nothing (berth_owner, the image's superuser, owns the
-- schema and runs migrations), so it cannot switch off the audit log's guards; the platform
-- refuses to start with a request role that could.
CREATE ROLE berth LOGIN PASSWORD 'berth-test-only';
