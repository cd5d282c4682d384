import { building } from '$app/environment';
import { app, markDraining, start } from '$lib/server/app';
import { authHandle } from '$lib/server/auth/handle';
import { printSetupLinkIfNoStaff } from '$lib/server/auth/first-run';
import { loadConfig } from '$lib/server/config';
import { clientKey } from '$lib/server/http/client-key';
import { csrfGuard } from '$lib/server/http/csrf';
import { securityHeaders } from '$lib/server/http/headers';
import { ingressLimit } from '$lib/server/http/ingress';
import { startAttachments } from '$lib/server/attachments';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';

export const init: ServerInit = async () => {
	if (building) return;
	process.once('SIGTERM', markDraining); // /readyz turns 503 while the server drains
	const a = await start(loadConfig());
	await startAttachments(); // orphan-file sweep before any request; pending thumbnails resume in the background
	a.log.info(
		{
			origin: a.config.origin,
			dataDir: a.config.dataDir,
			mail: a.config.smtpUrl ? 'smtp' : a.config.mailDir
		},
		'portal ready'
	);
	await printSetupLinkIfNoStaff(a.db, a.config.origin);
};

/** One JSON log line per request: route id, never the raw URL (it may hold a token). */
const requestLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	// Prerendering (the docs) has no client address and no started app.
	if (building) event.locals.clientKey = 'prerender';
	else {
		try {
			event.locals.clientKey = clientKey(event.getClientAddress());
		} catch {
			// ADDRESS_HEADER set but absent (e.g. a local health check that bypasses the proxy).
			event.locals.clientKey = 'unknown';
		}
	}
	event.locals.staff = null;
	event.locals.session = null;
	const response = await resolve(event);
	if (!building) {
		app().log.info(
			{
				method: event.request.method,
				route: event.route.id ?? '(no route)',
				status: response.status,
				ms: Math.round(performance.now() - started)
			},
			'request'
		);
	}
	return response;
};

export const handle: Handle = sequence(
	csrfGuard(() => (building ? 'http://sveltekit-prerender' : app().config.origin)),
	requestLog,
	securityHeaders,
	ingressLimit(() => app().config.uploads.publicMaxBytes),
	authHandle(() => ({ db: app().db, secure: app().config.secure }))
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return { message: 'Page not found' };
	if (!building) {
		app().log.error({ err: error, route: event.route.id, status }, 'unhandled error');
	}
	return {
		message:
			status >= 500 ? 'Something went wrong on our side. Please try again in a moment.' : message
	};
};
