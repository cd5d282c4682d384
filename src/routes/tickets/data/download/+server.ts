import { Readable } from 'node:stream';
import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { contentDisposition } from '$lib/server/attachments';
import { takeDataLimit } from '$lib/server/portal/data';
import { addressOf } from '$lib/server/privacy';
import type { RequestHandler } from './$types';

/**
 * The signed-in person's own data as a ZIP, generated on request and streamed: what their links
 * show (revoked links excluded), never internal notes.
 */
export const GET: RequestHandler = async ({ locals }) => {
	const me = locals.portal;
	if (!me) redirect(303, '/tickets/login');
	const limit = await takeDataLimit(
		app().privacy,
		'export',
		{ me, clientKey: locals.clientKey },
		app().log
	);
	if (!limit.ok)
		return new Response(limit.message, {
			status: 429,
			headers: {
				'content-type': 'text/plain; charset=utf-8',
				'retry-after': String(limit.retryAfterSec),
				'cache-control': 'no-store'
			}
		});
	const result = await app().privacy.exportData(addressOf(me), { by: 'portal' });
	// A session's address is always well-formed; a malformed one would be a bug, not the user's.
	if (!result) redirect(303, '/tickets');
	return new Response(Readable.toWeb(result.stream) as ReadableStream, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': contentDisposition('attachment', result.filename),
			'cache-control': 'no-store'
		}
	});
};
