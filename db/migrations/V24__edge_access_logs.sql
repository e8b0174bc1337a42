-- Edge access logs (issue 13): an edge host's agent ships each app's access lines as a log stream
-- of its own, edge_TEAM.APP, beside its containers' output. Team and app names are up to 63
-- characters each, so such a stream's name may be longer than a container's.
ALTER TABLE container_log_streams DROP CONSTRAINT container_log_streams_container_check;
ALTER TABLE container_log_streams ADD CONSTRAINT container_log_streams_container_check CHECK (
    container ~ '^[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?$'
    OR container ~ '^edge_[a-z]([a-z0-9-]{0,61}[a-z0-9])?\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$');
