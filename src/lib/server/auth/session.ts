import type { Conn } from '$lib/server/db';
import type { Session, StaffUser } from '$lib/server/db/schema';
import { deleteSession, newSession, sessionIdOf, slideSession } from '$lib/server/session-store';

export { SESSION_TTL } from '$lib/server/session-store';

export const SESSION_COOKIE = 'portal_session';

export interface Validated {
	session: Session;
	user: StaffUser;
	/** The expiry moved forward: the cookie must be set again. */
	renewed: boolean;
}

/**
 * Starts a session for a staff user. Returns the token for the cookie; only its SHA-256 is stored.
 */
export async function createSession(
	db: Conn,
	staffUserId: number,
	now = Date.now()
): Promise<{ token: string; session: Session }> {
	const { token, row } = newSession(now);
	const session = await db
		.insertInto('sessions')
		.values({ ...row, staff_user_id: staffUserId })
		.returningAll()
		.executeTakeFirstOrThrow();
	return { token, session };
}

/**
 * The session and user a cookie token belongs to, extending the expiry when it is more than half
 * used up. Unknown, malformed or expired tokens and disabled users give null (expired rows are
 * deleted on the way).
 */
export async function validateSession(
	db: Conn,
	token: string,
	now = Date.now()
): Promise<Validated | null> {
	const id = sessionIdOf(token);
	if (!id) return null;
	const row = await db
		.selectFrom('sessions')
		.innerJoin('staff_users', 'staff_users.id', 'sessions.staff_user_id')
		.select([
			'sessions.id',
			'sessions.staff_user_id',
			'sessions.expires_at',
			'sessions.created_at',
			'staff_users.email',
			'staff_users.name',
			'staff_users.password_hash',
			'staff_users.role',
			'staff_users.disabled_at',
			'staff_users.created_at as user_created_at'
		])
		.where('sessions.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	if (row.expires_at <= now || row.disabled_at !== null) {
		await deleteSession(db, 'sessions', id);
		return null;
	}
	const { expiresAt: expires, renewed } = await slideSession(
		db,
		'sessions',
		id,
		row.expires_at,
		now
	);
	return {
		session: {
			id,
			staff_user_id: row.staff_user_id,
			expires_at: expires,
			created_at: row.created_at
		},
		user: {
			id: row.staff_user_id,
			email: row.email,
			name: row.name,
			password_hash: row.password_hash,
			role: row.role,
			disabled_at: row.disabled_at,
			created_at: row.user_created_at
		},
		renewed
	};
}

/**
 * Whether a session still stands (not signed out or expired, its user not disabled), without
 * renewing it: long-lived requests (the dashboard's event stream) re-check with it.
 */
export async function sessionAlive(db: Conn, sessionId: string, now = Date.now()) {
	const row = await db
		.selectFrom('sessions')
		.innerJoin('staff_users', 'staff_users.id', 'sessions.staff_user_id')
		.select('sessions.id')
		.where('sessions.id', '=', sessionId)
		.where('sessions.expires_at', '>', now)
		.where('staff_users.disabled_at', 'is', null)
		.executeTakeFirst();
	return row !== undefined;
}

/** Ends one session (logout). */
export async function invalidateSession(db: Conn, sessionId: string): Promise<void> {
	await deleteSession(db, 'sessions', sessionId);
}

/** Ends every session of a user (password change, account disabled). */
export async function invalidateUserSessions(db: Conn, staffUserId: number): Promise<void> {
	await db.deleteFrom('sessions').where('staff_user_id', '=', staffUserId).execute();
}
