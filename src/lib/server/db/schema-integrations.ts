import type { Generated } from 'kysely';

/** Milliseconds since the Unix epoch (UTC). */
type Millis = number;

// The tables of the Discord integration and the docs, declared like every other table and
// merged into `DB` by schema.ts (a second file only to keep schema.ts short).

/** A Discord server linked to the project its /ticket command opens tickets in. */
export interface DiscordGuildsTable {
	guild_id: string;
	project_id: number;
	registered_at: Millis | null;
	created_at: Millis;
	updated_at: Millis;
}

/** The answers of a multi-step /ticket form, kept until the last modal or expiry. */
export interface DiscordSessionsTable {
	id: Generated<number>;
	public_id: string;
	discord_user_id: string;
	guild_id: string;
	project_id: number;
	ticket_type_id: number | null;
	answers: Generated<string>;
	expires_at: Millis;
	created_at: Millis;
}

/** "This answered my question": which doc, of which project, when. No personal data. */
export interface DocDeflectionsTable {
	id: Generated<number>;
	project_key: string;
	doc_slug: string;
	created_at: Millis;
}

/** 0021: one row; each docs reindex raises `generation` (remembered suggestions compare it). */
export interface DocSearchStateTable {
	id: number;
	generation: number;
}

export interface IntegrationTables {
	discord_guilds: DiscordGuildsTable;
	discord_sessions: DiscordSessionsTable;
	doc_deflections: DocDeflectionsTable;
	doc_search_state: DocSearchStateTable;
}
