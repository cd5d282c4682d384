import adapter from '@sveltejs/adapter-node';
import { CSP_DIRECTIVES } from './src/lib/server/http/base-headers.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	// No `window.__svelte` version marker in every page's JavaScript.
	compilerOptions: { discloseVersion: false, runes: true },
	kit: {
		adapter: adapter({ precompress: true }),
		// Kit's own origin check refuses RFC 8058 one-click unsubscribe POSTs (no Origin header).
		// Our csrfGuard handle (src/lib/server/http/csrf.ts) does the check instead.
		csrf: { trustedOrigins: ['*'] },
		// Absolute asset URLs: the docs' prerendered copies (/doc-lang/de/…) are served at another
		// path (/doc/…, see src/lib/server/i18n/docs-front.js).
		paths: { relative: false },
		// Docs are prerendered (src/routes/doc-lang): a broken link inside a doc warns, not fails the build.
		prerender: { handleHttpError: 'warn', handleMissingId: 'warn' },
		// One CSP for pages (here) and for everything else (the securityHeaders handle, start.js).
		csp: { mode: 'auto', directives: CSP_DIRECTIVES },
		// Routes are resolved by the server on navigation: the browser never downloads the route
		// table (a public page's first load is ~2.5 KB gzip lighter).
		router: { resolution: 'server' }
	}
};

export default config;
