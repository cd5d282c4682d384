-- As migrations/sqlite/0014_image_leases.sql: an image waiting for its thumbnail and display copy
-- (processed_at NULL) is claimed (FOR UPDATE SKIP LOCKED) by one worker until lease_until; a job
-- whose worker died is claimed again once the lease ran out. NULL = not claimed.
ALTER TABLE attachments ADD COLUMN claimed_by TEXT;
ALTER TABLE attachments ADD COLUMN lease_until BIGINT;
CREATE INDEX attachments_waiting ON attachments(id) WHERE processed_at IS NULL;
