-- As migrations/sqlite/0009_outbox_lease.sql: a worker claims due rows (FOR UPDATE SKIP LOCKED)
-- until lease_until; a row whose lease ran out (the worker died mid-send) is claimed again.
ALTER TABLE outbound_emails ADD COLUMN claimed_by TEXT;
ALTER TABLE outbound_emails ADD COLUMN lease_until BIGINT;
