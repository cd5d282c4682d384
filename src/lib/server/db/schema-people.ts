import type { Generated } from 'kysely';

/** Milliseconds since the Unix epoch (UTC). */
type Millis = number;

// Staff accounts, sessions, setup and invite tokens, what staff watch and read, saved replies,
// and the reporters' portal sign-ins and sessions; merged into `DB` by schema.ts (a file of its
// own only to keep schema.ts short).

export interface StaffUsersTable {
	id: Generated<number>;
	email: string;
	name: string;
	password_hash: string;
	role: 'admin' | 'agent';
	disabled_at: Millis | null;
	created_at: Millis;
}

export interface SessionsTable {
	id: string;
	staff_user_id: number;
	expires_at: Millis;
	created_at: Millis;
}

export interface SetupTokensTable {
	id: Generated<number>;
	token_hash: string;
	purpose: 'setup' | 'invite';
	role: Generated<'admin' | 'agent'>;
	email: string | null;
	expires_at: Millis;
	used_at: Millis | null;
	created_by: number | null;
	created_at: Millis;
}

/** Projects a staff member watches (migration 0007). */
export interface StaffProjectWatchesTable {
	staff_user_id: number;
	project_id: number;
	created_at: Millis;
}

/** When a staff member last looked at a ticket (migration 0007). */
export interface StaffTicketReadsTable {
	staff_user_id: number;
	ticket_id: number;
	read_at: Millis;
}

/** 0019: a reply text agents insert; project_id null = every project. */
export interface SavedRepliesTable {
	id: Generated<number>;
	project_id: number | null;
	title: string;
	body: string;
	created_at: Millis;
	updated_at: Millis;
}

/** 0012: one mailed portal sign-in (link + code); only hashes are stored. */
export interface PortalSignInsTable {
	id: Generated<number>;
	public_id: string;
	token_hash: string;
	code_hash: string;
	code_tries: Generated<number>;
	email: string;
	expires_at: Millis;
	used_at: Millis | null;
	created_at: Millis;
}

/** 0012: a reporter's portal session (by email or by Discord user); id = SHA-256 of the token. */
export interface PortalSessionsTable {
	id: string;
	email: string | null;
	discord_user_id: string | null;
	expires_at: Millis;
	created_at: Millis;
}

export interface PeopleTables {
	staff_users: StaffUsersTable;
	sessions: SessionsTable;
	setup_tokens: SetupTokensTable;
	staff_project_watches: StaffProjectWatchesTable;
	staff_ticket_reads: StaffTicketReadsTable;
	saved_replies: SavedRepliesTable;
	portal_sign_ins: PortalSignInsTable;
	portal_sessions: PortalSessionsTable;
}
