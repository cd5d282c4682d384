-- Staff side, as migrations/sqlite/0007_staff.sql: watched projects and read markers.

CREATE TABLE staff_project_watches (
	staff_user_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
	project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (staff_user_id, project_id)
);
CREATE INDEX staff_project_watches_project ON staff_project_watches(project_id);

CREATE TABLE staff_ticket_reads (
	staff_user_id BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
	ticket_id BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	read_at BIGINT NOT NULL,
	PRIMARY KEY (staff_user_id, ticket_id)
);
