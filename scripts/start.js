// `npm start`: builds when needed, then serves the portal with one Node process.
// adapter-node's handler sits behind a few lines of node:http so that every response —
// prerendered and static files included, which the handler serves before hooks run — gets the
// security headers — and so that a docs page is served in the reader's language at its own URL
// (src/lib/server/i18n/docs-front.js).
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.js';
import { BASE_HEADERS, FALLBACK_CSP } from '../src/lib/server/http/base-headers.js';
import { hostApp } from '../src/lib/server/host.js';
import { docsInLanguage, listPrerendered } from '../src/lib/server/i18n/docs-front.js';

const root = fileURLToPath(new URL('..', import.meta.url));
buildIfStale();

const env = process.env;
env.PORT ||= '3000';
env.HOST ||= '0.0.0.0';
env.ORIGIN ||= `http://localhost:${env.PORT}`;
// Kit's whole-body cap = the staff maximum; public routes are held to less in a handle.
env.BODY_SIZE_LIMIT ||= String(
	Number(env.STAFF_UPLOAD_MAX_BYTES || 50 * 1024 * 1024) + 1024 * 1024
);

const BASE = Object.entries({ ...BASE_HEADERS, 'Content-Security-Policy': FALLBACK_CSP });

// Loading the handler starts the app (its init hook); it hands its lifecycle to `app`.
const app = hostApp();
let handler;
try {
	({ handler } = await import(`${root}build/handler.js`));
} catch (err) {
	// Config errors and a data folder in use are one line a self-hoster can act on; anything
	// else gets its stack.
	const oneLine = err && (err.name === 'ConfigError' || err.name === 'DataDirLocked');
	console.error(oneLine ? err.message : err);
	process.exit(1);
}

// Docs pages in the reader's language at their own URL: the prerendered copy of that language.
const docs = docsInLanguage(listPrerendered(`${root}build/prerendered`), app.docsLocale);

const server = createServer((req, res) => {
	// Defaults only: what the app sets itself (e.g. a page's CSP with script hashes) wins.
	for (const [k, v] of BASE) res.setHeader(k, v);
	docs(req, res, () =>
		handler(req, res, () => {
			res.statusCode = 404;
			res.setHeader('content-type', 'text/plain; charset=utf-8');
			res.end('Not found');
		})
	);
});

server.on('error', async (err) => {
	// E.g. the port is taken: nothing was sent yet (the mail worker waits for `listening`).
	console.error(`Cannot listen on ${env.HOST}:${env.PORT}: ${err.message}`);
	await app.stop();
	process.exit(1);
});

server.listen(Number(env.PORT), env.HOST, () => {
	app.listening();
	console.log(`Ticket Portal is running at ${env.ORIGIN} (listening on ${env.HOST}:${env.PORT})`);
	console.log(`Open ${env.ORIGIN}/ticket/demo to try the demo project.`);
});

let closing = false;
/** Stops taking requests, lets the ones in progress finish (briefly), then drains the app. */
function shutdown() {
	if (closing) return;
	closing = true;
	// Behind a load balancer: keep serving while /readyz answers 503, so it stops sending traffic.
	const drainMs = Number(env.SHUTDOWN_DRAIN_MS) || 0;
	setTimeout(closeServer, drainMs).unref();
}
function closeServer() {
	setTimeout(() => process.exit(1), 8000).unref();
	const drained = setTimeout(() => server.closeAllConnections(), 2000);
	// Open event streams would hold server.close() until the 2 s cut: end them now (the browsers
	// reconnect, behind a load balancer to another instance).
	app.draining();
	server.close(async () => {
		clearTimeout(drained);
		try {
			await app.stop();
			process.exit(0);
		} catch (err) {
			console.error(err);
			process.exit(1);
		}
	});
	server.closeIdleConnections();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
