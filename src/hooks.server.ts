import { building } from '$app/environment';
import { app, markDraining, start, stop } from '$lib/server/app';
import { authHandle } from '$lib/server/auth/handle';
import { printSetupLinkIfNoStaff } from '$lib/server/auth/first-run';
import { loadConfig } from '$lib/server/config';
import { clientKey } from '$lib/server/http/client-key';
import { chain } from '$lib/server/http/chain';
import { csrfGuard } from '$lib/server/http/csrf';
import { defaultHeadersFromHost, securityHeaders } from '$lib/server/http/headers';
import { formBodies, unsupportedForm } from '$lib/server/http/form-body';
import { ingressLimit } from '$lib/server/http/ingress';
import { localeHandle } from '$lib/server/i18n';
import { createDocsLocale } from '$lib/server/i18n/docs-locale';
import { attachToHost } from '$lib/server/host.js';
import { portalHandle } from '$lib/server/portal/handle';
import { accessLog } from '$lib/server/log';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';

export const init: ServerInit = async () => {
	if (building) return;
	process.once('SIGTERM', markDraining); // /readyz turns 503 while the server drains
	const a = await start(loadConfig());
	// Under `npm start` the custom server starts the mail worker once it listens and stops the
	// app on SIGTERM; without it (vite dev) the background work starts now.
	const draining = () => a.live.streams.drain();
	// The custom server serves the docs' prerendered copy in the reader's language.
	const docsLocale = createDocsLocale(a.db);
	if (attachToHost({ listening: () => a.serve(), stop, draining, docsLocale }))
		defaultHeadersFromHost();
	else a.serve();
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
	event.locals.portal = null;
	const response = await resolve(event);
	if (!building) {
		accessLog(app().log).info(
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

// The public size limit comes before anything reads a body; the CSRF check then reads at most a
// few hundred bytes, and form bodies are checked before any action parses them.
// `chain` runs them as Kit's `sequence` would, without a tracing span and an AsyncLocalStorage
// scope around each one (see $lib/server/http/chain).
export const handle: Handle = chain(
	ingressLimit(() => app().config.uploads.publicMaxBytes),
	csrfGuard(() => (building ? 'http://sveltekit-prerender' : app().config.origin)),
	requestLog,
	localeHandle,
	securityHeaders,
	formBodies(),
	authHandle(() => ({ db: app().db, secure: app().config.secure })),
	portalHandle(() => ({ db: app().db, secure: app().config.secure }))
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return { message: m.error_not_found() };
	// A client's mistake (bad body, wrong type, too large, too many) is not our error.
	if (!building && status < 500) {
		app().log.warn({ route: event.route.id, status, reason: message }, 'client error');
	} else if (!building) {
		app().log.error({ err: error, route: event.route.id, status }, 'unhandled error');
	}
	if (status === 415) return { message: unsupportedForm() };
	return {
		message: status >= 500 ? m.error_server() : message
	};
};
