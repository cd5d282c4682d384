import type { Conn } from '$lib/server/db';
import { publicId } from '$lib/server/tokens';
import type { DiscordSession } from '$lib/server/db/schema';

export interface StartSession {
	userId: string;
	guildId: string;
	projectId: number;
	ticketTypeId: number | null;
}

/**
 * Starts the server-side state of one /ticket form (its answers between modals), expiring after
 * `ttlMs` without activity. Expired forms of everyone are swept here, so the table stays small.
 */
export async function start(
	db: Conn,
	s: StartSession,
	ttlMs: number,
	now = Date.now()
): Promise<DiscordSession> {
	await db.deleteFrom('discord_sessions').where('expires_at', '<=', now).execute();
	return db
		.insertInto('discord_sessions')
		.values({
			public_id: publicId(),
			discord_user_id: s.userId,
			guild_id: s.guildId,
			project_id: s.projectId,
			ticket_type_id: s.ticketTypeId,
			answers: '{}',
			expires_at: now + ttlMs,
			created_at: now
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

/** A live form of this Discord user (someone else's or an expired one is not found). */
export async function find(
	db: Conn,
	id: string,
	userId: string,
	now = Date.now()
): Promise<DiscordSession | undefined> {
	if (!/^[a-z2-7]{16}$/.test(id)) return undefined;
	return db
		.selectFrom('discord_sessions')
		.selectAll()
		.where('public_id', '=', id)
		.where('discord_user_id', '=', userId)
		.where('expires_at', '>', now)
		.executeTakeFirst();
}

/** The answers given so far, by input id. */
export function answersOf(s: DiscordSession): Record<string, string> {
	try {
		const v = JSON.parse(s.answers) as unknown;
		return v && typeof v === 'object' ? (v as Record<string, string>) : {};
	} catch {
		return {};
	}
}

/** Keeps the answers and gives the form another `ttlMs` from now. */
export async function save(
	db: Conn,
	s: DiscordSession,
	answers: Record<string, string>,
	ttlMs: number,
	now = Date.now()
): Promise<void> {
	await db
		.updateTable('discord_sessions')
		.set({ answers: JSON.stringify(answers), expires_at: now + ttlMs })
		.where('id', '=', s.id)
		.execute();
}

/** Forgets a form (the ticket exists now). */
export async function finish(db: Conn, s: DiscordSession): Promise<void> {
	await db.deleteFrom('discord_sessions').where('id', '=', s.id).execute();
}
