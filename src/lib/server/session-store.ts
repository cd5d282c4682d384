// What staff sessions (auth/session.ts, table `sessions`) and reporters' portal sessions
// (portal/session.ts, table `portal_sessions`) share: a random cookie token stored only as its
// SHA-256, a sliding 30-day expiry, and the cookie's attributes.
import type { Cookies } from '@sveltejs/kit';
import type { Conn } from '$lib/server/db';
import { hashToken, randomToken } from '$lib/server/tokens';

const DAY = 86_400_000;
/** Sessions live 30 days from the last use (sliding). */
export const SESSION_TTL = 30 * DAY;
/** Extend when less than half the lifetime is left, so not every request writes. */
const RENEW_BELOW = 15 * DAY;

/** The tables that hold sessions: id = SHA-256 of the cookie token, expires_at. */
export type SessionTable = 'sessions' | 'portal_sessions';

/** A new cookie token and the columns of its row: id (the token's SHA-256) and the times. */
export function newSession(now: number) {
	const token = randomToken();
	return { token, row: { id: hashToken(token), expires_at: now + SESSION_TTL, created_at: now } };
}

/** The row id a cookie token names; null for a malformed token (no lookup needed). */
export function sessionIdOf(token: string): string | null {
	return /^[a-z2-7]{32}$/.test(token) ? hashToken(token) : null;
}

/** Deletes one session row (signed out, expired, or its user disabled). */
export async function deleteSession(db: Conn, table: SessionTable, id: string): Promise<void> {
	await db.deleteFrom(table).where('id', '=', id).execute();
}

/**
 * Slides a live session's expiry to SESSION_TTL from now when less than half of it is left;
 * `renewed` says the cookie must be set again.
 */
export async function slideSession(
	db: Conn,
	table: SessionTable,
	id: string,
	expiresAt: number,
	now: number
): Promise<{ expiresAt: number; renewed: boolean }> {
	const renewed = expiresAt - now < RENEW_BELOW;
	if (!renewed) return { expiresAt, renewed };
	const moved = now + SESSION_TTL;
	await db.updateTable(table).set({ expires_at: moved }).where('id', '=', id).execute();
	return { expiresAt: moved, renewed };
}

/**
 * Cookie attributes: HttpOnly, SameSite=Lax, Secure on https, path / (the portal's header link
 * needs it), expiring with the session.
 */
function cookieOptions(secure: boolean, expiresAt: number) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure,
		expires: new Date(expiresAt)
	};
}

/** Sets a session cookie for a new or renewed session. */
export function setCookie(
	cookies: Cookies,
	name: string,
	token: string,
	expiresAt: number,
	secure: boolean
): void {
	cookies.set(name, token, cookieOptions(secure, expiresAt));
}

/** Drops a session cookie (signed out, or it names no session any more). */
export function clearCookie(cookies: Cookies, name: string, secure: boolean): void {
	cookies.delete(name, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
