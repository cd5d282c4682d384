import type { Conn } from '$lib/server/db';
import type { Generated, Selectable } from 'kysely';

/** Millis since the epoch. */
type Millis = number;

/** A Discord server linked to the project its /ticket command opens tickets in. */
export type DiscordGuildsTable = {
	guild_id: string;
	project_id: number;
	registered_at: Millis | null;
	created_at: Millis;
	updated_at: Millis;
};

/** The answers of a multi-step /ticket form, kept until the last modal or expiry. */
export type DiscordSessionsTable = {
	id: Generated<number>;
	public_id: string;
	discord_user_id: string;
	guild_id: string;
	project_id: number;
	ticket_type_id: number | null;
	answers: Generated<string>;
	expires_at: Millis;
	created_at: Millis;
};

// Type aliases, not interfaces: `withTables` wants an index-signature-compatible record.
export type DiscordTables = {
	discord_guilds: DiscordGuildsTable;
	discord_sessions: DiscordSessionsTable;
};

export type DiscordGuild = Selectable<DiscordGuildsTable>;
export type DiscordSession = Selectable<DiscordSessionsTable>;

/**
 * The connection with the Discord tables added to its type (migration 0008). Kept here rather
 * than in db/schema.ts so the integration stays in one folder.
 */
export function withDiscord(db: Conn) {
	return db.withTables<DiscordTables>();
}
