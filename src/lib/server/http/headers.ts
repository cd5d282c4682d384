import type { Handle } from '@sveltejs/kit';
import { BASE_HEADERS, FALLBACK_CSP } from './base-headers.js';

/** Paths whose URL carries a bearer token or a private session: never cached, never referred. */
const PRIVATE = /^\/(ticket\/(thread|unsubscribe)\/|tickets(\/|$)|setup\/|app(\/|$))/;

export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const set = (k: string, v: string) => {
		if (!response.headers.has(k)) response.headers.set(k, v);
	};
	try {
		for (const [k, v] of Object.entries(BASE_HEADERS)) set(k, v);
		set('Content-Security-Policy', FALLBACK_CSP);
		if (PRIVATE.test(event.url.pathname)) {
			response.headers.set('Cache-Control', 'no-store');
			response.headers.set('Referrer-Policy', 'no-referrer');
		}
	} catch {
		// Immutable headers (a fetched Response passed through): leave them as they are.
	}
	return response;
};
