-- "My tickets" (issue 17): the reporter portal. A person signs in by a mailed link or code (or
-- with Discord) and sees every ticket they are a recipient of, in projects with the portal on.

-- Staff may turn the portal off per project: /tickets then lists nothing from it.
ALTER TABLE projects ADD COLUMN portal_enabled INTEGER NOT NULL DEFAULT 1;

-- When the recipient last opened their thread page (the "new since you last looked" marker).
ALTER TABLE ticket_recipients ADD COLUMN seen_at INTEGER;
-- The portal finds a person's recipient rows by address, whatever its letter case.
CREATE INDEX ticket_recipients_email ON ticket_recipients(lower(email));

-- One mailed sign-in: a link (split token: public_id is its selector; only its SHA-256 is kept)
-- and a 6-digit code for another device (only its SHA-256 with the selector is kept). Valid
-- 15 minutes, one use; the code locks after 5 wrong tries. Rows exist for unknown addresses too
-- (constant work); those are never mailed.
CREATE TABLE portal_sign_ins (
	id INTEGER PRIMARY KEY,
	public_id TEXT NOT NULL UNIQUE,
	token_hash TEXT NOT NULL UNIQUE,
	code_hash TEXT NOT NULL,
	code_tries INTEGER NOT NULL DEFAULT 0,
	-- lower-cased address as typed
	email TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at INTEGER,
	created_at INTEGER NOT NULL
);
CREATE INDEX portal_sign_ins_email ON portal_sign_ins(email);
CREATE INDEX portal_sign_ins_expiry ON portal_sign_ins(expires_at);

-- Portal sessions, apart from staff sessions: by email (mailed sign-in) or by Discord user.
CREATE TABLE portal_sessions (
	-- SHA-256 (hex) of the session token
	id TEXT PRIMARY KEY,
	email TEXT,
	discord_user_id TEXT,
	expires_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	CHECK ((email IS NULL) <> (discord_user_id IS NULL))
);
CREATE INDEX portal_sessions_email ON portal_sessions(email);
CREATE INDEX portal_sessions_discord ON portal_sessions(discord_user_id);
CREATE INDEX portal_sessions_expiry ON portal_sessions(expires_at);
