import { messagesFile, pageMessages } from '$lib/server/i18n/page-messages';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * The messages a page's scripts format, in one language (see `messagesUrl`). The address holds
 * a hash of the content: cached for a year. An address of an older build (a page cached across
 * an upgrade) gets today's messages, revalidated on every use.
 */
export const GET: RequestHandler = ({ params }) => {
	const file = messagesFile(params.file);
	if (!file) error(404, 'Not found');
	return new Response(pageMessages(file.locale), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'cache-control': file.current ? 'public, max-age=31536000, immutable' : 'no-cache'
		}
	});
};
