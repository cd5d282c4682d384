-- Staff workflow: an optional assignee per ticket, round-robin assignment per project, free tags
-- per project, and whether a staff member is mailed about replies on tickets assigned to them.
-- The indexes keep the inbox's first page in index order for the Mine/Unassigned views (alone
-- and under a status) and for a tag filter, whatever the table size.

ALTER TABLE tickets ADD COLUMN assignee_id INTEGER REFERENCES staff_users(id) ON DELETE SET NULL;
CREATE INDEX tickets_assignee_activity ON tickets(assignee_id, last_activity_at DESC, id DESC);
CREATE INDEX tickets_assignee_status_activity
	ON tickets(assignee_id, status, last_activity_at DESC, id DESC);

-- Per-staff mail preferences; no row = the defaults.
CREATE TABLE staff_preferences (
	staff_user_id INTEGER PRIMARY KEY REFERENCES staff_users(id) ON DELETE CASCADE,
	notify_assigned INTEGER NOT NULL DEFAULT 1
);

-- The last staff member round-robin gave a ticket of this project (the cursor).
ALTER TABLE projects ADD COLUMN round_robin_last INTEGER;

CREATE TABLE project_round_robin (
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	staff_user_id INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
	PRIMARY KEY (project_id, staff_user_id)
);

CREATE TABLE tags (
	id INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (project_id, name)
);
CREATE INDEX tags_name ON tags(name);

-- A ticket's tags, with the tag's name and the ticket's last activity copied in, so the inbox
-- filtered by a tag name reads its first page in index order, whatever the table size. A
-- trigger keeps last_activity_at equal to the ticket's.
CREATE TABLE ticket_tags (
	ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	last_activity_at INTEGER NOT NULL,
	PRIMARY KEY (ticket_id, tag_id)
);
CREATE INDEX ticket_tags_tag ON ticket_tags(tag_id);
CREATE INDEX ticket_tags_name_activity ON ticket_tags(name, last_activity_at DESC, ticket_id DESC);

CREATE TRIGGER ticket_tags_activity AFTER UPDATE OF last_activity_at ON tickets
WHEN OLD.last_activity_at IS NOT NEW.last_activity_at
BEGIN
	UPDATE ticket_tags SET last_activity_at = NEW.last_activity_at WHERE ticket_id = NEW.id;
END;
