import { app } from '$lib/server/app';
import * as attachments from '$lib/server/attachments';
import * as threads from '$lib/server/threads';
import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

const PRIVATE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };

/**
 * The thread page's poll: `GET …/messages?after=<cursor>` answers 204 when nothing changed, else
 * `{ status, messages, cursor }` with the public messages after the cursor. The same 404 as the
 * page for an unknown, re-issued or revoked link; never re-runs the page load.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	// A malformed cursor is only reported for a link that opens (the same 404 otherwise).
	const cursor = threads.decodeCursor(url.searchParams.get('after') ?? '');
	const found = await threads.findForPoll(
		app().db,
		app().secret,
		params.token,
		cursor?.lastId ?? null
	);
	if (!found) error(404, 'Page not found');
	if (!cursor) error(400, 'The after parameter is not a cursor this page gave out.');
	const { thread, marks } = found;
	const changes = await threads.changesSince(app().db, thread, cursor, marks);
	if (!changes) return new Response(null, { status: 204, headers: PRIVATE });
	if (changes.messages.length) {
		const files = await attachments.publicForTicket(app().db, thread.ticket.id);
		changes.messages = attachments.attachTo(changes.messages, files);
	}
	return json(changes, { headers: PRIVATE });
};
