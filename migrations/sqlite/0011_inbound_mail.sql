-- Reply by email. A project may have a mail alias besides its key ({alias}@INBOUND_DOMAIN);
-- unique among aliases (the domain code also keeps it apart from every project key).
ALTER TABLE projects ADD COLUMN mail_alias TEXT;
CREATE UNIQUE INDEX projects_mail_alias ON projects(mail_alias);

-- One row per inbound message handled, written in the same transaction as the reply, ticket or
-- event it led to, so a message delivered twice (same Message-ID, or the same raw bytes when it
-- has none) is stored once. dedup_key = SHA-256 of (Message-ID or raw hash, target address).
-- from_address is the mail's From, kept for staff (it may differ from the recipient's address).
CREATE TABLE inbound_messages (
	id INTEGER PRIMARY KEY,
	dedup_key TEXT NOT NULL UNIQUE,
	outcome TEXT NOT NULL CHECK (outcome IN ('reply','ticket','auto_reply','notice')),
	ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
	message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
	from_address TEXT,
	transport TEXT NOT NULL CHECK (transport IN ('smtp','lmtp','imap')),
	created_at INTEGER NOT NULL
);
CREATE INDEX inbound_messages_message ON inbound_messages(message_id);
CREATE INDEX inbound_messages_ticket ON inbound_messages(ticket_id);
