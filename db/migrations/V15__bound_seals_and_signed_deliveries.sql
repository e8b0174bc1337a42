-- Remote tokens and webhook secrets are now sealed bound to their row (the associated data of
-- AES-GCM). Values sealed before carry no binding: they are marked here and rebound once, at the
-- next start (SealRebinding); a row not marked never opens an unbound value.
ALTER TABLE repositories ADD COLUMN seals_unbound boolean NOT NULL DEFAULT false;
UPDATE repositories SET seals_unbound = true WHERE kind = 'EXTERNAL';

-- A replayed webhook is told apart by what its signature covers (the payload's digest), not only
-- by the delivery id header, which the forge does not sign and anyone can change.
ALTER TABLE webhook_deliveries ADD COLUMN payload_digest text;
CREATE UNIQUE INDEX webhook_deliveries_by_payload ON webhook_deliveries (repository_id, payload_digest);
