-- The staff inbox reads its first page in index order, whatever the table size: newest activity
-- first (id breaks ties), alone or under one filter (status, project, type). The index on
-- last_activity_at alone is replaced by the one with the tie-breaker.
DROP INDEX tickets_activity;
CREATE INDEX tickets_activity_id ON tickets(last_activity_at DESC, id DESC);
CREATE INDEX tickets_status_activity ON tickets(status, last_activity_at DESC, id DESC);
CREATE INDEX tickets_project_recent ON tickets(project_id, last_activity_at DESC, id DESC);
CREATE INDEX tickets_type_activity ON tickets(ticket_type_id, last_activity_at DESC, id DESC);
