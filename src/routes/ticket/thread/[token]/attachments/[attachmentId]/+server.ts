import { app } from '$lib/server/app';
import * as attachments from '$lib/server/attachments';
import * as threads from '$lib/server/threads';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * A file of this link's ticket. Bad tokens, other tickets' files, internal notes' files and
 * missing thumbnails all get the same 404.
 */
export const GET: RequestHandler = async ({ params, url, request }) => {
	const { db, secret } = app();
	const thread = await threads.findByToken(db, secret, params.token);
	const file =
		thread && (await attachments.findForTicket(db, thread.ticket.id, params.attachmentId));
	const response =
		file &&
		(await attachments.download(
			app().uploads.storage,
			file,
			attachments.variantOf(url),
			request.headers.get('range')
		));
	if (!response) error(404, 'Page not found');
	return response;
};
