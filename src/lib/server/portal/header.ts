import { escapeHtml } from '$lib/server/notifications/compose';
import type { PortalLocals } from './session';

/**
 * The header public pages show while a reporter is signed in: who, "My tickets" and "Sign out".
 * It is plain HTML put in front of the app by the portal handle, so it adds no JavaScript to
 * pages held to a small script budget. Every sign-in and sign-out is a full page load, so it is
 * always current. On a create page, "Sign out" comes back to it (to type another address).
 */
export function portalHeader(portal: PortalLocals, path: string): string {
	const who = portal.email ? `Signed in as ${escapeHtml(portal.email)}` : 'Signed in with Discord';
	const back = /^\/ticket\/[a-z0-9-]{1,64}$/.test(path)
		? `<input type="hidden" name="next" value="${escapeHtml(path)}">`
		: '';
	const current = path === '/tickets' ? ' aria-current="page"' : '';
	return (
		'<header class="site-header portal-header"><div class="inner">' +
		'<span class="brand">Ticket Portal</span>' +
		'<nav aria-label="Your account" class="actions">' +
		`<span class="small muted">${who}</span>` +
		`<a href="/tickets"${current}>My tickets</a>` +
		`<form method="POST" action="/tickets?/signout">${back}<button class="btn link" type="submit">Sign out</button></form>` +
		'</nav></div></header>'
	);
}
