import type { Handle } from '@sveltejs/kit';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOKEN_PATH = /^\/ticket\/(thread|unsubscribe)\/[^/]+/;
const ONE_CLICK_PATH = /^\/ticket\/unsubscribe\/[^/]+\/?$/;

/** Whether a request is a cross-site form submission we refuse. */
export async function isForbiddenFormPost(request: Request, url: URL, origin: string): Promise<boolean> {
	if (!UNSAFE.has(request.method)) return false;
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) return false;
	const from = request.headers.get('origin');
	if (from === origin) return false;
	// Under `Referrer-Policy: no-referrer` browsers send `Origin: null` even for same-origin form
	// posts; the browser-set Sec-Fetch-Site still tells where the post came from.
	if ((from === null || from === 'null') && request.headers.get('sec-fetch-site') === 'same-origin') return false;
	// Token pages (no-referrer) on plain-http hosts get neither header. Their URL holds an
	// unguessable token, which a cross-site forger cannot know, so an absent Origin is fine there.
	if ((from === null || from === 'null') && !request.headers.has('sec-fetch-site') && TOKEN_PATH.test(url.pathname)) return false;
	// RFC 8058 one-click unsubscribe: mail providers POST with no Origin and no cookies.
	if (request.method === 'POST' && ONE_CLICK_PATH.test(url.pathname) && type !== 'multipart/form-data') {
		const length = Number(request.headers.get('content-length') ?? '0');
		if (length <= 64) {
			const body = await request.clone().text();
			if (body.trim() === 'List-Unsubscribe=One-Click') return false;
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
