import type { StaffUser } from '$lib/server/db/schema';
import { error, redirect } from '@sveltejs/kit';
import { can, type Capability } from './roles';

/**
 * The signed-in staff user with a capability, for every staff load and action (layout loads do
 * not run for actions, so each one checks). No session: pages redirect to the login, actions
 * answer 401. Lacking the capability: 403.
 */
export function requireStaff(
	event: { locals: App.Locals; url: URL; request: Request },
	capability: Capability = 'tickets'
): StaffUser {
	const user = event.locals.staff;
	if (!user) {
		if (event.request.method === 'GET' || event.request.method === 'HEAD') {
			redirect(303, `/app/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		}
		error(401, 'Please sign in again.');
	}
	if (!can(user, capability)) error(403, 'Only an admin can do this.');
	return user;
}

/** Shorthand for admin-only loads and actions. */
export const requireAdmin = (event: { locals: App.Locals; url: URL; request: Request }) =>
	requireStaff(event, 'configure');

/** A safe same-site path to go to after login: only local absolute paths under /app. */
export function safeNext(next: string | null): string {
	return next && /^\/app(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/app';
}
