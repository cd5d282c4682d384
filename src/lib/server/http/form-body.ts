import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import type { Handle } from '@sveltejs/kit';
import { clientError } from './answer';

const PARSED = ['application/x-www-form-urlencoded', 'multipart/form-data'];
// Mail providers may send the RFC 8058 one-click POST with any simple body; that action copes.
const ONE_CLICK_PATH = /^\/ticket\/unsubscribe\/[^/]+\/?$/;

/** The refusal of a body no form of ours sends, in the request's language. */
export const unsupportedForm = () => m.form_body_unsupported();

/** A refusal in the request's language (runs after the locale hook). */
const refuse = (request: Request, status: 400 | 413 | 415) => {
	const [title, message] =
		status === 415
			? [m.form_body_unsupported_title(), unsupportedForm()]
			: status === 413
				? [m.form_body_too_large_title(), m.form_body_too_large()]
				: [m.form_body_unreadable_title(), m.form_body_unreadable()];
	return clientError(request, status, title, message, getLocale());
};

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
			return refuse(request, 400);
		}
		if (type === 'text/plain' && !ONE_CLICK_PATH.test(event.url.pathname)) {
			return refuse(request, 415);
		}
		if (!PARSED.includes(type)) return resolve(event);
		let form: Promise<FormData>;
		try {
			form = Promise.resolve(await request.formData());
		} catch (err) {
			// Kit's own body cap (the staff maximum) surfaces here as a 413 of its own.
			if ((err as { status?: number }).status === 413) return refuse(request, 413);
			return refuse(request, 400);
		}
		// Parsed once: the action's `request.formData()` gets this same form. (Parsing a clone here
		// and the body again in the action held every upload in memory three times more under load.)
		Object.defineProperty(request, 'formData', { value: () => form });
		return resolve(event);
	};
}
