-- "Did this solve it?": ask the reporter after each resolve (per project, on by default), and
-- proof-of-work on the create form: off, auto (above SPAM_POW_AFTER tickets per client and
-- hour) or always.
ALTER TABLE projects ADD COLUMN csat_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE projects ADD COLUMN pow_mode TEXT NOT NULL DEFAULT 'auto' CHECK (pow_mode IN ('off', 'auto', 'always'));
-- One row per ticket per resolve: the round is open while the ticket stays resolved since
-- started_at (tickets.resolved_at = started_at); a reopen ends it, the next resolve starts a new
-- one. Within a round the latest answer wins. No answer = answer NULL (counted as neither).
CREATE TABLE csat_rounds (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  started_at INTEGER NOT NULL,
  answer TEXT CHECK (answer IN ('solved', 'not_solved')),
  comment TEXT,
  answered_at INTEGER,
  UNIQUE (ticket_id, started_at)
);
CREATE INDEX csat_rounds_report ON csat_rounds(project_id, answered_at);
-- Spent proof-of-work challenges (their signatures) until they expire: a replay is refused on
-- every instance sharing the database.
CREATE TABLE pow_spent (
  signature TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX pow_spent_expiry ON pow_spent(expires_at);
