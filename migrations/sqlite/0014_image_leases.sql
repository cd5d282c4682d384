-- Several instances on one database: an image waiting for its thumbnail and display copy
-- (processed_at NULL) is claimed by one worker until lease_until; a job whose worker died is
-- claimed again once the lease ran out. The instance that stores an upload claims it in the same
-- transaction. NULL = not claimed.
ALTER TABLE attachments ADD COLUMN claimed_by TEXT;
ALTER TABLE attachments ADD COLUMN lease_until INTEGER;
-- Workers look for waiting images often; only those are indexed.
CREATE INDEX attachments_waiting ON attachments(id) WHERE processed_at IS NULL;
