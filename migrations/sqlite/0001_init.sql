-- Ticket Portal schema, designed for the whole public-portal brief.
-- Times are INTEGER milliseconds since the Unix epoch (UTC). Booleans are INTEGER 0/1.
-- Internal ids (INTEGER PRIMARY KEY) never leave the server; public_id columns are random.

CREATE TABLE projects (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE CHECK (key GLOB '[a-z0-9]*' AND length(key) BETWEEN 1 AND 64),
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	default_ticket_type_id INTEGER REFERENCES ticket_types(id) ON DELETE SET NULL,
	enforced_template_id INTEGER REFERENCES templates(id) ON DELETE SET NULL,
	anonymous_creation INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- project_id NULL = built-in type offered by every project.
CREATE TABLE ticket_types (
	id INTEGER PRIMARY KEY,
	project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
	key TEXT NOT NULL,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL DEFAULT 0,
	archived_at INTEGER,
	created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ticket_types_project_key ON ticket_types(ifnull(project_id, 0), key);

CREATE TABLE templates (
	id INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	-- 1 = reporters may pick it when nothing is enforced
	selectable INTEGER NOT NULL DEFAULT 1,
	archived_at INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX templates_project ON templates(project_id);

CREATE TABLE template_fields (
	id INTEGER PRIMARY KEY,
	template_id INTEGER NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
	key TEXT NOT NULL CHECK (key GLOB '[a-z]*' AND length(key) BETWEEN 1 AND 48),
	label TEXT NOT NULL,
	help TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL CHECK (kind IN ('text','textarea','number','email','url','date','select','multiselect','checkbox')),
	required INTEGER NOT NULL DEFAULT 0,
	visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public','hidden','readonly')),
	-- JSON-encoded default value (string, number, boolean or array of strings), NULL = none
	default_value TEXT,
	-- JSON array of {value, label} for select kinds
	options TEXT NOT NULL DEFAULT '[]',
	min REAL,
	max REAL,
	pattern TEXT,
	position INTEGER NOT NULL DEFAULT 0,
	UNIQUE (template_id, key)
);
CREATE INDEX template_fields_template ON template_fields(template_id, position);

-- ticket_type_id NULL: the template is offered project-wide (selectable);
-- ticket_type_id set: the template is enforced for that ticket type.
CREATE TABLE template_bindings (
	id INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	ticket_type_id INTEGER REFERENCES ticket_types(id) ON DELETE CASCADE,
	template_id INTEGER NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX template_bindings_unique ON template_bindings(project_id, ifnull(ticket_type_id, 0), template_id);
CREATE INDEX template_bindings_type ON template_bindings(project_id, ticket_type_id);

CREATE TABLE customers (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	email TEXT,
	notes TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX customers_name ON customers(name);

CREATE TABLE customer_intake_links (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
	expires_at INTEGER NOT NULL,
	revoked_at INTEGER,
	created_by INTEGER REFERENCES staff_users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX customer_intake_links_customer ON customer_intake_links(customer_id);

CREATE TABLE staff_users (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('admin','agent')),
	disabled_at INTEGER,
	created_at INTEGER NOT NULL
);

CREATE TABLE tickets (
	id INTEGER PRIMARY KEY,
	-- random id used in Message-ID/References headers; never the internal id
	thread_key TEXT NOT NULL UNIQUE,
	project_id INTEGER NOT NULL REFERENCES projects(id),
	ticket_type_id INTEGER REFERENCES ticket_types(id) ON DELETE SET NULL,
	template_id INTEGER REFERENCES templates(id) ON DELETE SET NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','waiting','resolved','rejected')),
	source TEXT NOT NULL DEFAULT 'portal' CHECK (source IN ('portal','discord','staff','email')),
	reporter_email TEXT NOT NULL,
	reporter_name TEXT,
	discord_user_id TEXT,
	discord_display_name TEXT,
	customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,
	-- JSON object key -> value, and the field definitions they were validated against
	custom_fields TEXT NOT NULL DEFAULT '{}',
	custom_fields_schema TEXT NOT NULL DEFAULT '[]',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	last_activity_at INTEGER NOT NULL,
	resolved_at INTEGER
);
CREATE INDEX tickets_project_activity ON tickets(project_id, status, last_activity_at DESC);
CREATE INDEX tickets_activity ON tickets(last_activity_at DESC);
CREATE INDEX tickets_customer ON tickets(customer_id);
CREATE INDEX tickets_reporter ON tickets(reporter_email);

-- Each notified address. Its public_id is the selector of its split thread/unsubscribe tokens;
-- the verifier is an HMAC over (purpose, public_id, token_version) and is never stored.
CREATE TABLE ticket_recipients (
	id INTEGER PRIMARY KEY,
	ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	public_id TEXT NOT NULL UNIQUE,
	email TEXT NOT NULL,
	name TEXT,
	role TEXT NOT NULL CHECK (role IN ('reporter','cc')),
	channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email','discord')),
	token_version INTEGER NOT NULL DEFAULT 1,
	unsubscribed_at INTEGER,
	revoked_at INTEGER,
	created_at INTEGER NOT NULL,
	UNIQUE (ticket_id, email)
);

CREATE TABLE messages (
	id INTEGER PRIMARY KEY,
	public_id TEXT NOT NULL UNIQUE,
	ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	kind TEXT NOT NULL DEFAULT 'message' CHECK (kind IN ('message','event')),
	visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public','internal')),
	author_recipient_id INTEGER REFERENCES ticket_recipients(id) ON DELETE SET NULL,
	author_staff_id INTEGER REFERENCES staff_users(id) ON DELETE SET NULL,
	-- display name at the time of writing
	author_name TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL DEFAULT '',
	-- for kind = 'event': created | reopened | resolved | rejected | waiting | opened | type_changed …
	event TEXT,
	created_at INTEGER NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_id, id);

-- message_id NULL: attached to the ticket itself (the description, on create).
CREATE TABLE attachments (
	id INTEGER PRIMARY KEY,
	public_id TEXT NOT NULL UNIQUE,
	ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
	storage_key TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	mime TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	width INTEGER,
	height INTEGER,
	display_key TEXT,
	thumbnail_key TEXT,
	created_at INTEGER NOT NULL
);
CREATE INDEX attachments_ticket ON attachments(ticket_id);
CREATE INDEX attachments_message ON attachments(message_id);

-- Durable outbox. Links are built at send time from recipient_id; nothing secret is stored here.
CREATE TABLE outbound_emails (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
	recipient_id INTEGER REFERENCES ticket_recipients(id) ON DELETE CASCADE,
	staff_user_id INTEGER REFERENCES staff_users(id) ON DELETE CASCADE,
	message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
	payload TEXT NOT NULL DEFAULT '{}',
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed','cancelled')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	last_error TEXT,
	message_id_header TEXT,
	created_at INTEGER NOT NULL,
	sent_at INTEGER
);
CREATE INDEX outbound_emails_due ON outbound_emails(status, next_attempt_at);
CREATE INDEX outbound_emails_ticket ON outbound_emails(ticket_id);

CREATE TABLE sessions (
	-- SHA-256 (hex) of the session token
	id TEXT PRIMARY KEY,
	staff_user_id INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
	expires_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(staff_user_id);

CREATE TABLE setup_tokens (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	purpose TEXT NOT NULL CHECK (purpose IN ('setup','invite')),
	role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('admin','agent')),
	email TEXT,
	expires_at INTEGER NOT NULL,
	used_at INTEGER,
	created_by INTEGER REFERENCES staff_users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE audit_events (
	id INTEGER PRIMARY KEY,
	ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
	actor_kind TEXT NOT NULL CHECK (actor_kind IN ('system','staff','recipient','anonymous')),
	actor_id INTEGER,
	action TEXT NOT NULL,
	data TEXT NOT NULL DEFAULT '{}',
	created_at INTEGER NOT NULL
);
CREATE INDEX audit_events_ticket ON audit_events(ticket_id, created_at);
CREATE INDEX audit_events_action ON audit_events(action, created_at);

-- Built-in ticket types, offered by every project.
INSERT INTO ticket_types (project_id, key, name, description, position, created_at) VALUES
	(NULL, 'question', 'Question', 'Ask how something works', 10, 0),
	(NULL, 'problem', 'Problem', 'Something is broken or not working as expected', 20, 0),
	(NULL, 'feature', 'Feature request', 'Suggest an improvement', 30, 0);
