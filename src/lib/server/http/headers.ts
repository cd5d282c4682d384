import type { Handle } from '@sveltejs/kit';

/** Paths whose URL carries a bearer token or a private session: never cached, never referred. */
const PRIVATE = /^\/(ticket\/(thread|unsubscribe)\/|setup\/|app(\/|$))/;

/** Headers every response gets; the custom server sets the same on static files. */
export const BASE_HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	// same-origin, not no-referrer: browsers send `Origin: null` on form posts under no-referrer.
	'Referrer-Policy': 'same-origin',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()'
};

/** For responses Kit did not give a CSP (endpoints, errors): nothing may run. */
export const FALLBACK_CSP =
	"default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

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
