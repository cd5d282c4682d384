// The docs in the reader's language at their own URL, for the custom server (scripts/start.js).
// The build prerenders every docs page once per shipped language under an internal path
// (`/doc-lang/de/demo/attaching-files`, routes/doc-lang); for `/doc/demo/attaching-files` this
// picks the reader's language (the app's rule: docs-locale.ts) and hands adapter-node's handler
// the internal path, so the prerendered file is served as fast as before. Anything it cannot
// serve that way (a doc added after the build, a project that offers only some languages) goes
// to the app unchanged, which renders the page on demand in the same language. Plain JavaScript
// so that start.js imports it from source, like host.js.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the prerendered copies live, by language. */
export const INTERNAL_PREFIX = '/doc-lang';

const PUBLIC_DOC =
	/^\/doc\/([a-z0-9][a-z0-9-]{0,63})(\/[a-z0-9][a-z0-9-]{0,99})?(\/__data\.json)?$/;
const VARY = 'Cookie, Accept-Language';

/**
 * The internal paths the build prerendered (`/doc-lang/de/demo`, `/doc-lang/de/demo/__data.json`),
 * the way adapter-node's handler knows them.
 * @param {string} prerenderedDir build/prerendered
 * @returns {Set<string>}
 */
export function listPrerendered(prerenderedDir) {
	const paths = new Set();
	/** @param {string} dir @param {string} path */
	const walk = (dir, path) => {
		for (const e of readdirSync(dir, { withFileTypes: true })) {
			if (e.isDirectory()) walk(join(dir, e.name), `${path}/${e.name}`);
			else if (e.name.endsWith('.html')) paths.add(`${path}/${e.name.slice(0, -5)}`);
			else if (e.name === '__data.json') paths.add(`${path}/${e.name}`);
		}
	};
	const root = join(prerenderedDir, INTERNAL_PREFIX);
	if (existsSync(root)) walk(root, INTERNAL_PREFIX);
	return paths;
}

/**
 * @typedef {{ locale: string, prerendered: boolean }} DocsChoice
 * @typedef {(key: string, cookie: string | undefined, acceptLanguage: string | undefined) =>
 *   DocsChoice | Promise<DocsChoice> | undefined} DocsLocale
 */

/**
 * A step before adapter-node's handler: `route(req, res, next)` either answers (404 for the
 * internal paths from outside) or calls `next()`, after pointing `req.url` at the prerendered
 * copy in the reader's language when there is one.
 * @param {Set<string>} prerendered from listPrerendered
 * @param {DocsLocale} docsLocale the app's resolver (undefined: no app, nothing rewritten)
 */
export function docsInLanguage(prerendered, docsLocale) {
	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {() => void} next
	 */
	return function route(req, res, next) {
		const url = req.url ?? '/';
		if (!url.startsWith('/doc')) return next();
		const q = url.indexOf('?');
		const pathname = q < 0 ? url : url.slice(0, q);
		if (pathname === INTERNAL_PREFIX || pathname.startsWith(INTERNAL_PREFIX + '/')) {
			// The copies are reached through their public URL only (one URL per page).
			res.statusCode = 404;
			res.setHeader('content-type', 'text/plain; charset=utf-8');
			return res.end('Not found');
		}
		const m = PUBLIC_DOC.exec(pathname);
		if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
		/** @param {DocsChoice | undefined} choice */
		const go = (choice) => {
			const internal = choice && `${INTERNAL_PREFIX}/${choice.locale}${pathname.slice(4)}`;
			if (choice?.prerendered && internal && prerendered.has(internal)) {
				req.url = internal + (q < 0 ? '' : url.slice(q));
				res.setHeader('Content-Language', choice.locale);
				varyByLanguage(res);
			}
			next();
		};
		let choice;
		try {
			choice = docsLocale(m[1], req.headers.cookie, req.headers['accept-language']);
		} catch {
			return go(undefined);
		}
		if (choice && 'then' in choice) choice.then(go, () => go(undefined));
		else go(choice);
	};
}

/**
 * Adds `Cookie, Accept-Language` to the response's Vary when its head is written (the static
 * file server sets `Vary: Accept-Encoding` itself, replacing what was set before).
 * @param {import('node:http').ServerResponse} res
 */
function varyByLanguage(res) {
	const writeHead = res.writeHead;
	/** @type {any} */ (res).writeHead = function (/** @type {any[]} */ ...args) {
		const vary = String(res.getHeader('vary') ?? '');
		if (!/accept-language/i.test(vary)) res.setHeader('Vary', vary ? `${vary}, ${VARY}` : VARY);
		return writeHead.apply(res, /** @type {any} */ (args));
	};
	res.setHeader('Vary', VARY);
}
