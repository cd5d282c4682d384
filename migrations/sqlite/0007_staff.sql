-- Staff side: which projects a staff member watches (mail on new ticket, reporter reply, reopen)
-- and when they last looked at a ticket (the inbox's unread / new-activity marker).

CREATE TABLE staff_project_watches (
	staff_user_id INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (staff_user_id, project_id)
);
CREATE INDEX staff_project_watches_project ON staff_project_watches(project_id);

CREATE TABLE staff_ticket_reads (
	staff_user_id INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
	ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	read_at INTEGER NOT NULL,
	PRIMARY KEY (staff_user_id, ticket_id)
);
