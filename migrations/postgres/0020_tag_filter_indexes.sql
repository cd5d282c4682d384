-- As migrations/sqlite/0020_tag_filter_indexes.sql: the ticket's status and assignee copied into
-- ticket_tags (kept equal by the trigger), and indexes for a tag with a view or a status.

ALTER TABLE ticket_tags ADD COLUMN status TEXT, ADD COLUMN assignee_id BIGINT;
UPDATE ticket_tags tt SET status = t.status, assignee_id = t.assignee_id
	FROM tickets t WHERE t.id = tt.ticket_id;
ALTER TABLE ticket_tags ALTER COLUMN status SET NOT NULL;

DROP INDEX ticket_tags_name_activity;
CREATE INDEX ticket_tags_name_activity
	ON ticket_tags(name, last_activity_at DESC, ticket_id DESC, status, assignee_id);
CREATE INDEX ticket_tags_name_assignee
	ON ticket_tags(name, assignee_id, last_activity_at DESC, ticket_id DESC, status);
CREATE INDEX ticket_tags_name_status
	ON ticket_tags(name, status, last_activity_at DESC, ticket_id DESC, assignee_id);

DROP TRIGGER ticket_tags_activity ON tickets;
DROP FUNCTION ticket_tags_activity();
CREATE FUNCTION ticket_tags_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE ticket_tags
	SET last_activity_at = NEW.last_activity_at, status = NEW.status, assignee_id = NEW.assignee_id
	WHERE ticket_id = NEW.id;
	RETURN NULL;
END
$$;
CREATE TRIGGER ticket_tags_copy AFTER UPDATE OF last_activity_at, status, assignee_id ON tickets
FOR EACH ROW WHEN (OLD.last_activity_at IS DISTINCT FROM NEW.last_activity_at
	OR OLD.status IS DISTINCT FROM NEW.status OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
EXECUTE FUNCTION ticket_tags_copy();
