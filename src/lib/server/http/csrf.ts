import type { Handle } from '@sveltejs/kit';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ONE_CLICK_PATH = /^\/ticket\/unsubscribe\/[^/]+\/?$/;

/** Whether a request is a cross-site form submission we refuse. */
export async function isForbiddenFormPost(request: Request, url: URL, origin: string): Promise<boolean> {
	if (!UNSAFE.has(request.method)) return false;
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) return false;
	if (request.headers.get('origin') === origin) return false;
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
