// The language of the docs pages (routes/doc rendered on demand, routes/doc-lang prerendered per
// language). Both list the switcher's languages in the shipped order, so a copy and a page
// rendered on demand look alike.
import { m } from '$lib/paraglide/messages.js';
import type { Cookies } from '@sveltejs/kit';
import { pageLocale, useLocale, type PageLanguage } from './index';
import { shipped, type Locale, type ProjectLanguages } from './resolve';

const named = (code: Locale) => ({ code, name: m.language_name({}, { locale: code }) });
const rank = (code: string) => shipped.indexOf(code as Locale);

/**
 * A docs page rendered on demand: the public pages' rule with the project's languages (every
 * language when the key is not a project), and the headers a shared cache needs.
 */
export function docsLanguage(
	event: {
		request: Request;
		url: URL;
		cookies: Cookies;
		locals: App.Locals;
		setHeaders: (headers: Record<string, string>) => void;
	},
	project: ProjectLanguages | undefined
): PageLanguage {
	const lang = pageLocale(event, project);
	event.setHeaders({ vary: 'Cookie, Accept-Language', 'content-language': lang.locale });
	return { ...lang, languages: [...lang.languages].sort((a, b) => rank(a.code) - rank(b.code)) };
}

/**
 * A prerendered copy in `locale` (served at `back`, its public URL, by the custom server): every
 * shipped language in its switcher; the server uses it only for projects that offer them all.
 */
export function prerenderedLanguage(
	locals: App.Locals,
	locale: Locale,
	back: string
): PageLanguage {
	useLocale(locals, locale);
	return { locale, back, languages: shipped.map(named) };
}
