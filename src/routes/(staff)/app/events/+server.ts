import { app } from '$lib/server/app';
import { sessionAlive } from '$lib/server/auth/session';
import type { RequestHandler } from './$types';

/**
 * The dashboard's live events (Server-Sent Events) for signed-in staff: ticket changes (id,
 * project, kind — never content) and typing heartbeats. A comment every 15 s keeps it open; it
 * ends when the session does (checked then) and when the server shuts down.
 */
export const GET: RequestHandler = ({ locals }) => {
	const { staff, session } = locals;
	if (!staff || !session)
		return new Response('Please sign in again.', {
			status: 401,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
		});
	const { db, live } = app();
	return live.streams.open({
		staffId: staff.id,
		stillSignedIn: () => sessionAlive(db, session.id)
	});
};
