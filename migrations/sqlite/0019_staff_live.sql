-- Saved replies: a title and a body with placeholders ({reporter_name}, {ticket_title},
-- {agent_name}, {project_name}); project_id NULL = offered on every project. Agents list them by
-- project (and the global ones) sorted by title.
CREATE TABLE saved_replies (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX saved_replies_project ON saved_replies(project_id, title);

-- Auto-close: tickets waiting on the reporter for this many days are resolved; NULL = off. The
-- job reads waiting tickets through tickets_status_activity (0010).
ALTER TABLE projects ADD COLUMN auto_close_days INTEGER;
