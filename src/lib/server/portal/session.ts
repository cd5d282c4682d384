import type { Conn } from '$lib/server/db';
import type { PortalSession } from '$lib/server/db/schema';
import { deleteSession, newSession, sessionIdOf, slideSession } from '$lib/server/session-store';

/** Its own cookie: the staff session cookie is `portal_session`. */
export const PORTAL_COOKIE = 'tickets_session';

/** Who a portal session speaks for: an email address (mailed sign-in) or a Discord user. */
export type PortalIdentity = { email: string } | { discordUserId: string };

/** What a request knows about its portal session (`event.locals.portal`). */
export interface PortalLocals {
	sessionId: string;
	email: string | null;
	discordUserId: string | null;
}

export interface ValidatedPortal {
	portal: PortalLocals;
	expiresAt: number;
	/** The expiry moved forward: the cookie must be set again. */
	renewed: boolean;
}

/**
 * Starts a portal session, living 30 days from the last use (sliding) like staff sessions.
 * Returns the cookie token; only its SHA-256 is stored.
 */
export async function createPortalSession(
	db: Conn,
	who: PortalIdentity,
	now = Date.now()
): Promise<{ token: string; session: PortalSession }> {
	const { token, row } = newSession(now);
	// Expired sessions of the same person go on the way (they can never be used again).
	await endPortalSessions(db, who, now);
	const session = await db
		.insertInto('portal_sessions')
		.values({
			...row,
			email: 'email' in who ? who.email.trim().toLowerCase() : null,
			discord_user_id: 'discordUserId' in who ? who.discordUserId : null
		})
		.returningAll()
		.executeTakeFirstOrThrow();
	return { token, session };
}

/**
 * The portal session a cookie token names, sliding its expiry when more than half is used up.
 * Unknown, malformed and expired tokens give null (an expired row is deleted on the way).
 */
export async function validatePortalSession(
	db: Conn,
	token: string,
	now = Date.now()
): Promise<ValidatedPortal | null> {
	const id = sessionIdOf(token);
	if (!id) return null;
	const row = await db
		.selectFrom('portal_sessions')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	if (row.expires_at <= now) {
		await deleteSession(db, 'portal_sessions', id);
		return null;
	}
	const { expiresAt, renewed } = await slideSession(db, 'portal_sessions', id, row.expires_at, now);
	return {
		portal: { sessionId: id, email: row.email, discordUserId: row.discord_user_id },
		expiresAt,
		renewed
	};
}

/** Ends one portal session ("Sign out"). */
export async function endPortalSession(db: Conn, sessionId: string): Promise<void> {
	await deleteSession(db, 'portal_sessions', sessionId);
}

/**
 * Ends every portal session of a person ("Sign out everywhere", an erasure). With `now`, only the
 * sessions that expired before it. An email also drops its pending mailed sign-ins, so nothing
 * of the address stays behind in the portal's own tables.
 */
export async function endPortalSessions(
	db: Conn,
	who: PortalIdentity,
	expiredBefore?: number
): Promise<void> {
	let q = db.deleteFrom('portal_sessions');
	q =
		'email' in who
			? q.where('email', '=', who.email.trim().toLowerCase())
			: q.where('discord_user_id', '=', who.discordUserId);
	if (expiredBefore !== undefined) q = q.where('expires_at', '<=', expiredBefore);
	await q.execute();
	if ('email' in who && expiredBefore === undefined) {
		await db
			.deleteFrom('portal_sign_ins')
			.where('email', '=', who.email.trim().toLowerCase())
			.execute();
	}
}

/**
 * Ends every portal session of a person being erased (inside the erasure's transaction), by
 * address and, for a Discord user, by their Discord id; returns how many ended.
 */
export async function endSessionsOnErasure(
	db: Conn,
	who: { email: string; discordUserId: string | null }
): Promise<number> {
	const email = who.email.trim().toLowerCase();
	let q = db.selectFrom('portal_sessions').select((eb) => eb.fn.countAll<number>().as('n'));
	q = who.discordUserId
		? q.where((eb) =>
				eb.or([eb('email', '=', email), eb('discord_user_id', '=', who.discordUserId)])
			)
		: q.where('email', '=', email);
	const n = Number((await q.executeTakeFirst())?.n ?? 0);
	await endPortalSessions(db, { email });
	if (who.discordUserId) await endPortalSessions(db, { discordUserId: who.discordUserId });
	return n;
}
