-- Discord integration (issue 9): which Discord server (guild) opens tickets in which project, and
-- the answers of a multi-step /ticket form kept between modals until they expire.

CREATE TABLE discord_guilds (
	-- Discord snowflake, as text (it does not fit a JS number)
	guild_id TEXT PRIMARY KEY CHECK (guild_id GLOB '[0-9]*' AND length(guild_id) BETWEEN 5 AND 25),
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	-- when `discord register` last sent the /ticket command for this guild
	registered_at INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX discord_guilds_project ON discord_guilds(project_id);

CREATE TABLE discord_sessions (
	id INTEGER PRIMARY KEY,
	-- random; travels in the modal/button custom_id
	public_id TEXT NOT NULL UNIQUE,
	discord_user_id TEXT NOT NULL,
	guild_id TEXT NOT NULL,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	ticket_type_id INTEGER REFERENCES ticket_types(id) ON DELETE CASCADE,
	-- JSON object: input key -> raw text answered so far
	answers TEXT NOT NULL DEFAULT '{}',
	expires_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX discord_sessions_expiry ON discord_sessions(expires_at);
