// The language of a docs page, for the custom server in front of the app (scripts/start.js): it
// serves the prerendered copy in that language (routes/doc-lang) at the page's own URL. The same
// rule as every public page (see resolve.ts); the project's languages come from the database and
// are kept a few seconds, so a docs page costs no query.
import { cookieName, type Locale } from '$lib/paraglide/runtime.js';
import type { Db } from '$lib/server/db';
import { offered, resolveLocale, shipped } from './resolve';

export interface DocsChoice {
	locale: Locale;
	/**
	 * Whether the prerendered copy fits: it offers every shipped language in its switcher, so it
	 * does only for a project that offers them all (the default); other projects' docs are
	 * rendered on demand.
	 */
	prerendered: boolean;
}

/** The docs language for a request: from the cache at once, or after one lookup. */
export type DocsLocale = (
	projectKey: string,
	cookieHeader: string | undefined,
	acceptLanguage: string | undefined
) => DocsChoice | Promise<DocsChoice>;

/** The value of cookie `name` in a Cookie header (the first one, like Kit's `cookies.get`). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) {
			const value = part.slice(eq + 1).trim();
			try {
				return decodeURIComponent(value);
			} catch {
				return value;
			}
		}
	}
	return undefined;
}

type Languages = ReturnType<typeof offered>;
const EVERY = offered({ default_locale: 'en', locales: null });
const MAX_KEYS = 1000;

/**
 * The resolver the app hands to the custom server. A project's languages are read once and then
 * reused for `ttlMs`; after that the stale value still answers while one lookup refreshes it (a
 * change in the dashboard reaches the docs within a few seconds, on every instance). A key with
 * no project (docs folder only) gets every language with English as the default.
 */
export function createDocsLocale(
	db: Db,
	{ ttlMs = 5000, now = Date.now }: { ttlMs?: number; now?: () => number } = {}
): DocsLocale {
	const cache = new Map<string, { at: number; languages: Languages }>();
	const pending = new Map<string, Promise<Languages>>();

	function refresh(key: string): Promise<Languages> {
		let p = pending.get(key);
		if (p) return p;
		p = db
			.selectFrom('projects')
			.select(['default_locale', 'locales'])
			.where('key', '=', key)
			.executeTakeFirst()
			.then((row) => {
				const languages = row ? offered(row) : EVERY;
				if (cache.size >= MAX_KEYS && !cache.has(key)) cache.clear();
				cache.set(key, { at: now(), languages });
				return languages;
			})
			.finally(() => pending.delete(key));
		pending.set(key, p);
		return p;
	}

	return (key, cookieHeader, acceptLanguage) => {
		const pick = ({ allowed, fallback }: Languages): DocsChoice => ({
			locale: resolveLocale({
				choice: cookieValue(cookieHeader, cookieName),
				acceptLanguage,
				allowed,
				fallback
			}),
			prerendered: allowed.length === shipped.length
		});
		const hit = cache.get(key);
		if (!hit) return refresh(key).then(pick);
		if (now() - hit.at >= ttlMs) refresh(key).catch(() => {});
		return pick(hit.languages);
	};
}
