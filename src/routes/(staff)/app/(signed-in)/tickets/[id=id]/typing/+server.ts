import { app } from '$lib/server/app';
import { requireStaff } from '$lib/server/auth/guard';
import * as tickets from '$lib/server/tickets';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * A typing heartbeat from the reply box: the other staff on the ticket see "Ada is writing a
 * reply" for a few seconds. JSON only, so a cross-site form cannot send one.
 */
export const POST: RequestHandler = async (event) => {
	const user = requireStaff(event);
	if (!event.request.headers.get('content-type')?.startsWith('application/json'))
		error(415, 'Send JSON.');
	const t = await tickets.get(app().db, Number(event.params.id));
	if (!t) error(404, 'Page not found');
	app().live.presence.typing(t.id, user);
	return new Response(null, { status: 204 });
};
