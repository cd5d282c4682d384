-- Attachments (issue 4).
-- When image processing (thumbnail + display copy) finished or gave up; NULL = still to do.
-- Non-image files are stored with it set, so processing happens exactly once per file.
ALTER TABLE attachments ADD COLUMN processed_at INTEGER;

-- Bytes uploaded per key and UTC day: 'token:<recipient public id>' for thread replies,
-- 'client:<client key>' for public ticket creation. Counted in the same transaction as the rows.
CREATE TABLE upload_quota (
	key TEXT PRIMARY KEY,
	day INTEGER NOT NULL,
	bytes INTEGER NOT NULL
);
