-- Where other agents reach a host's peer listener (mutual TLS) for app-to-app connects, as its
-- latest heartbeat with a valid host:port reported it; null until one did.
ALTER TABLE hosts ADD COLUMN peer_address text CHECK (length(peer_address) BETWEEN 3 AND 300);
