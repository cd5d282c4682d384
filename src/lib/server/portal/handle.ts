import type { Db } from '$lib/server/db';
import type { Cookies, Handle } from '@sveltejs/kit';
import { portalHeader } from './header';
import { clearCookie, setCookie } from '$lib/server/session-store';
import { PORTAL_COOKIE, validatePortalSession } from './session';

/** Sets the portal cookie for a new or renewed session. */
export function setPortalCookie(
	cookies: Cookies,
	token: string,
	expiresAt: number,
	secure: boolean
): void {
	setCookie(cookies, PORTAL_COOKIE, token, expiresAt, secure);
}

export function clearPortalCookie(cookies: Cookies, secure: boolean): void {
	clearCookie(cookies, PORTAL_COOKIE, secure);
}

/**
 * Resolves the portal cookie into `locals.portal` on public pages (the staff dashboard never
 * reads it), sliding the expiry when due and dropping a cookie that names no session any more.
 * Public pages of a signed-in reporter get the portal header at the top of the body.
 */
export function portalHandle(get: () => { db: Db; secure: boolean }): Handle {
	return async ({ event, resolve }) => {
		event.locals.portal = null;
		const token = event.cookies.get(PORTAL_COOKIE);
		if (token && !event.url.pathname.startsWith('/app')) {
			const { db, secure } = get();
			const found = await validatePortalSession(db, token);
			if (found) {
				event.locals.portal = found.portal;
				if (found.renewed) setPortalCookie(event.cookies, token, found.expiresAt, secure);
			} else {
				clearPortalCookie(event.cookies, secure);
			}
		}
		const portal = event.locals.portal;
		if (!portal) return resolve(event);
		const header = portalHeader(portal, event.url.pathname);
		let placed = false;
		return resolve(event, {
			transformPageChunk: ({ html }) => {
				if (placed) return html;
				return html.replace(/<body[^>]*>/, (body) => {
					placed = true;
					return body + header;
				});
			}
		});
	};
}
