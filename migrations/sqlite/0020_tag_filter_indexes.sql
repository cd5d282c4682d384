-- The inbox filtered by a tag and by a view (Mine/Unassigned) or a status reads its first page
-- and its capped count in ticket_tags' own indexes, whatever the table size: the ticket's status
-- and assignee are copied in next to its last activity (the trigger keeps all three equal to the
-- ticket's), so no match is checked in the tickets table. SQLite cannot add a NOT NULL column
-- without a default, so the table is rebuilt (its copies filled from the tickets).

DROP TRIGGER ticket_tags_activity;

CREATE TABLE ticket_tags_new (
	ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	last_activity_at INTEGER NOT NULL,
	status TEXT NOT NULL,
	assignee_id INTEGER,
	PRIMARY KEY (ticket_id, tag_id)
);
INSERT INTO ticket_tags_new (ticket_id, tag_id, name, last_activity_at, status, assignee_id)
	SELECT tt.ticket_id, tt.tag_id, tt.name, t.last_activity_at, t.status, t.assignee_id
	FROM ticket_tags tt JOIN tickets t ON t.id = tt.ticket_id;
DROP TABLE ticket_tags;
ALTER TABLE ticket_tags_new RENAME TO ticket_tags;

CREATE INDEX ticket_tags_tag ON ticket_tags(tag_id);
-- The tag alone, or with a status set (checked in the index): newest activity first.
CREATE INDEX ticket_tags_name_activity
	ON ticket_tags(name, last_activity_at DESC, ticket_id DESC, status, assignee_id);
-- The tag in the Mine or Unassigned view (a status checked in the index).
CREATE INDEX ticket_tags_name_assignee
	ON ticket_tags(name, assignee_id, last_activity_at DESC, ticket_id DESC, status);
-- The tag with one status (page) or several (count).
CREATE INDEX ticket_tags_name_status
	ON ticket_tags(name, status, last_activity_at DESC, ticket_id DESC, assignee_id);

CREATE TRIGGER ticket_tags_copy AFTER UPDATE OF last_activity_at, status, assignee_id ON tickets
WHEN OLD.last_activity_at IS NOT NEW.last_activity_at OR OLD.status IS NOT NEW.status
	OR OLD.assignee_id IS NOT NEW.assignee_id
BEGIN
	UPDATE ticket_tags
	SET last_activity_at = NEW.last_activity_at, status = NEW.status, assignee_id = NEW.assignee_id
	WHERE ticket_id = NEW.id;
END;
