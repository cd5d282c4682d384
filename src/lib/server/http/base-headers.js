// Security headers every response gets. Plain JavaScript so that both the app (the
// securityHeaders handle) and the custom server in scripts/start.js (static and prerendered
// files, which adapter-node serves before hooks run) use this one list.

/** @type {Record<string, string>} */
export const BASE_HEADERS = {
	'X-Content-Type-Options': 'nosniff',
	// same-origin, not no-referrer: browsers send `Origin: null` on form posts under no-referrer.
	// Token pages still get no-referrer (see headers.ts).
	'Referrer-Policy': 'same-origin',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()'
};

/**
 * The pages' Content-Security-Policy, written once: svelte.config.js hands it to Kit (which adds
 * the script hashes and nonces), and FALLBACK_CSP below is built from it.
 * @type {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>}
 */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self'],
	// The create form's browser check solves in workers built from our own files (never blob:).
	'worker-src': ['self'],
	'img-src': ['self', 'blob:', 'data:'],
	'style-src': ['self', 'unsafe-inline'],
	'object-src': ['none'],
	'base-uri': ['none'],
	'frame-ancestors': ['none'],
	'form-action': ['self']
};

const KEYWORDS = new Set(['self', 'none', 'unsafe-inline']);

/** For responses without a CSP of their own (endpoints, errors, static files): the same policy. */
export const FALLBACK_CSP = /** @type {[string, string[]][]} */ (Object.entries(CSP_DIRECTIVES))
	.filter(([name]) => name !== 'script-src')
	.map(([name, values]) => [name, ...values.map((v) => (KEYWORDS.has(v) ? `'${v}'` : v))].join(' '))
	.join('; ');
