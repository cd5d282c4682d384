import type { Handle } from '@sveltejs/kit';
import { clientError } from './answer';

const PARSED = ['application/x-www-form-urlencoded', 'multipart/form-data'];
// Mail providers may send the RFC 8058 one-click POST with any simple body; that action copes.
const ONE_CLICK_PATH = /^\/ticket\/unsubscribe\/[^/]+\/?$/;

export const UNREADABLE_FORM =
	'The form could not be read: the request body is damaged or incomplete. Reload the page and send the form again.';
export const UNSUPPORTED_FORM =
	'This address accepts web forms only (multipart/form-data or application/x-www-form-urlencoded). Reload the page and send the form again.';

const TOO_LARGE = 'The request is too large. Send smaller or fewer files and try again.';

/**
 * Checks every form body before an action or endpoint reads it, so a body the server cannot
 * parse is the client's mistake (400) and never a 500 inside `request.formData()`: multipart
 * with a wrong, missing or truncated boundary, quotes or line breaks in a part's headers, … A
 * `text/plain` body, which no form of ours sends, is 415. Runs after the ingress limit, so
 * public bodies are already bounded; staff bodies are bounded by Kit's BODY_SIZE_LIMIT.
 */
export function formBodies(): Handle {
	return async ({ event, resolve }) => {
		const { request } = event;
		if (request.method !== 'POST') return resolve(event);
		const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
		// An empty body has no parts, not even the closing boundary: unreadable as multipart.
		if (!request.body) {
			if (type !== 'multipart/form-data') return resolve(event);
			return clientError(request, 400, 'Form not readable', UNREADABLE_FORM);
		}
		if (type === 'text/plain' && !ONE_CLICK_PATH.test(event.url.pathname)) {
			return clientError(request, 415, 'Form not accepted', UNSUPPORTED_FORM);
		}
		if (!PARSED.includes(type)) return resolve(event);
		let form: Promise<FormData>;
		try {
			form = Promise.resolve(await request.formData());
		} catch (err) {
			// Kit's own body cap (the staff maximum) surfaces here as a 413 of its own.
			if ((err as { status?: number }).status === 413)
				return clientError(request, 413, 'Too large', TOO_LARGE);
			return clientError(request, 400, 'Form not readable', UNREADABLE_FORM);
		}
		// Parsed once: the action's `request.formData()` gets this same form. (Parsing a clone here
		// and the body again in the action held every upload in memory three times more under load.)
		Object.defineProperty(request, 'formData', { value: () => form });
		return resolve(event);
	};
}
