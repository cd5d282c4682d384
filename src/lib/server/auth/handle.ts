import type { Db } from '$lib/server/db';
import type { Cookies, Handle } from '@sveltejs/kit';
import { clearCookie, setCookie } from '$lib/server/session-store';
import { SESSION_COOKIE, validateSession } from './session';

/** Sets the session cookie for a new or renewed session. */
export function setSessionCookie(
	cookies: Cookies,
	token: string,
	expiresAt: number,
	secure: boolean
): void {
	setCookie(cookies, SESSION_COOKIE, token, expiresAt, secure);
}

export function clearSessionCookie(cookies: Cookies, secure: boolean): void {
	clearCookie(cookies, SESSION_COOKIE, secure);
}

/**
 * Resolves the session cookie into `locals.staff` / `locals.session`, sliding the expiry (and
 * re-setting the cookie) when due, and dropping a cookie that no longer names a session.
 */
export function authHandle(get: () => { db: Db; secure: boolean }): Handle {
	return async ({ event, resolve }) => {
		const token = event.cookies.get(SESSION_COOKIE);
		if (token) {
			const { db, secure } = get();
			const found = await validateSession(db, token);
			if (found) {
				event.locals.staff = found.user;
				event.locals.session = found.session;
				if (found.renewed) setSessionCookie(event.cookies, token, found.session.expires_at, secure);
			} else {
				clearSessionCookie(event.cookies, secure);
			}
		}
		return resolve(event);
	};
}
