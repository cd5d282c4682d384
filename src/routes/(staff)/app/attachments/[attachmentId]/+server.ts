import { app } from '$lib/server/app';
import * as attachments from '$lib/server/attachments';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Staff download of any attachment; 404 unless signed in (`locals.staff`, set by staff auth). */
export const GET: RequestHandler = async ({ params, url, locals, request }) => {
	if (!locals.staff) error(404, 'Page not found');
	const file = await attachments.findByPublicId(app().db, params.attachmentId);
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
