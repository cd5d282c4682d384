// How the custom server (scripts/start.js) and the app inside adapter-node's handler bundle reach
// each other. They are separate module graphs, so the meeting point is one global slot. Plain
// JavaScript so that start.js imports this file from source, like http/base-headers.js.

const SLOT = Symbol.for('ticket-portal.host');

/**
 * @typedef {object} Lifecycle
 * @property {() => void} listening Starts the work that must wait until the port is ours.
 * @property {() => Promise<void>} stop Drains the workers and closes the database.
 * @property {() => void} [draining] Ends long-lived responses (the dashboard's event streams) so
 *   the server can close; called just before it stops taking connections.
 * @property {import('./i18n/docs-front.js').DocsLocale} [docsLocale] The language of a docs page
 *   for a request (see i18n/docs-front.js).
 */

/**
 * For the custom server, before it loads the handler: announces that it will report when it
 * listens and will stop the app on shutdown. Both calls do nothing if the app never registered
 * (e.g. it failed to start).
 */
export function hostApp() {
	/** @type {{ app: Lifecycle | null }} */
	const host = { app: null };
	/** @type {any} */ (globalThis)[SLOT] = host;
	return {
		listening() {
			host.app?.listening();
		},
		draining() {
			host.app?.draining?.();
		},
		/** @type {import('./i18n/docs-front.js').DocsLocale} */
		docsLocale(key, cookie, acceptLanguage) {
			return host.app?.docsLocale?.(key, cookie, acceptLanguage);
		},
		async stop() {
			await host.app?.stop();
		}
	};
}

/**
 * For the app's init: hands its lifecycle to the custom server. False when there is none
 * (`vite dev`, adapter-node's own `build/index.js`): the caller then starts its work at once.
 * @param {Lifecycle} app
 * @returns {boolean}
 */
export function attachToHost(app) {
	/** @type {{ app: Lifecycle | null } | undefined} */
	const host = /** @type {any} */ (globalThis)[SLOT];
	if (!host) return false;
	host.app = app;
	return true;
}
