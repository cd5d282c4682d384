import type { Handle } from '@sveltejs/kit';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOKEN_PATH = /^\/ticket\/(thread|unsubscribe)\/[^/]+/;
const ONE_CLICK_PATH = /^\/ticket\/unsubscribe\/[^/]+\/?$/;

/** The one-click body is 26 bytes; a little room for a trailing newline or charset quirks. */
const ONE_CLICK_MAX = 256;

/**
 * The body as text if it has at most `max` bytes, else null — reading no more than `max` + one
 * chunk, whatever Content-Length says (or when there is none: chunked bodies).
 */
export async function readAtMost(request: Request, max: number): Promise<string | null> {
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > max) return null;
			chunks.push(value);
		}
	} finally {
		// Stop this copy: the original request keeps its own stream for the route.
		reader.cancel().catch(() => {});
	}
	return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Whether a request is a cross-site form submission we refuse. */
export async function isForbiddenFormPost(
	request: Request,
	url: URL,
	origin: string
): Promise<boolean> {
	if (!UNSAFE.has(request.method)) return false;
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) return false;
	const from = request.headers.get('origin');
	if (from === origin) return false;
	// Under `Referrer-Policy: no-referrer` browsers send `Origin: null` even for same-origin form
	// posts; the browser-set Sec-Fetch-Site still tells where the post came from.
	if ((from === null || from === 'null') && request.headers.get('sec-fetch-site') === 'same-origin')
		return false;
	// Token pages (no-referrer) on plain-http hosts get neither header. Their URL holds an
	// unguessable token, which a cross-site forger cannot know, so an absent Origin is fine there.
	if (
		(from === null || from === 'null') &&
		!request.headers.has('sec-fetch-site') &&
		TOKEN_PATH.test(url.pathname)
	)
		return false;
	// RFC 8058 one-click unsubscribe: mail providers POST with no Origin and no cookies.
	if (
		request.method === 'POST' &&
		ONE_CLICK_PATH.test(url.pathname) &&
		type !== 'multipart/form-data'
	) {
		const length = Number(request.headers.get('content-length') ?? '0');
		if (length <= ONE_CLICK_MAX) {
			const body = await readAtMost(request.clone(), ONE_CLICK_MAX);
			if (body?.trim() === 'List-Unsubscribe=One-Click') return false;
		}
	}
	return true;
}

/**
 * Our replacement for Kit's origin check (turned off in svelte.config.js so that one-click
 * unsubscribe works): 403 for form POSTs whose Origin is not ORIGIN.
 */
export function csrfGuard(origin: () => string): Handle {
	return async ({ event, resolve }) => {
		if (await isForbiddenFormPost(event.request, event.url, origin())) {
			return new Response('Cross-site form submissions are not allowed.', {
				status: 403,
				headers: { 'content-type': 'text/plain; charset=utf-8' }
			});
		}
		return resolve(event);
	};
}
