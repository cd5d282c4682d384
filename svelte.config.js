import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		adapter: adapter({ precompress: true }),
		// Kit's own origin check refuses RFC 8058 one-click unsubscribe POSTs (no Origin header).
		// Our csrfGuard handle (src/lib/server/http/csrf.ts) does the check instead.
		csrf: { trustedOrigins: ['*'] },
		// Docs are prerendered (src/routes/doc): a broken link inside a doc warns, not fails the build.
		prerender: { handleHttpError: 'warn', handleMissingId: 'warn' },
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'img-src': ['self', 'blob:', 'data:'],
				'style-src': ['self', 'unsafe-inline'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'frame-ancestors': ['none'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
