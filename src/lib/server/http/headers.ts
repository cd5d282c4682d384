import type { Handle } from '@sveltejs/kit';
import { BASE_HEADERS, FALLBACK_CSP } from './base-headers.js';

/** Paths whose URL carries a bearer token or a private session: never cached, never referred. */
const PRIVATE = /^\/(ticket\/(thread|unsubscribe)\/|tickets(\/|$)|setup\/|app(\/|$))/;

const DEFAULTS = Object.entries({ ...BASE_HEADERS, 'Content-Security-Policy': FALLBACK_CSP });
let defaultsFromHost = false;

/**
 * The custom server (scripts/start.js) gives every response these same headers as defaults on
 * the Node response before the app answers (what the app sets wins there too), so under it the
 * handle below only adds the per-path ones: six `Headers` lookups and writes less per request
 * (about 3 % of a poll's CPU). Called by the app's init when it runs under that server.
 */
export function defaultHeadersFromHost() {
	defaultsFromHost = true;
}

/**
 * Security headers: BASE_HEADERS and the fallback CSP where the response has none of its own
 * (unless the host sets them, see above), and no caching or referrer on private paths.
 */
export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	try {
		if (!defaultsFromHost)
			for (const [k, v] of DEFAULTS) if (!response.headers.has(k)) response.headers.set(k, v);
		if (PRIVATE.test(event.url.pathname)) {
			response.headers.set('Cache-Control', 'no-store');
			response.headers.set('Referrer-Policy', 'no-referrer');
		}
	} catch {
		// Immutable headers (a fetched Response passed through): leave them as they are.
	}
	return response;
};
