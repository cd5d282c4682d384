-- Several workers on one outbox: a worker claims due rows for a while (its lease); a row whose
-- lease ran out (the worker died mid-send) is claimed again by another. NULL = not claimed.
ALTER TABLE outbound_emails ADD COLUMN claimed_by TEXT;
ALTER TABLE outbound_emails ADD COLUMN lease_until INTEGER;
