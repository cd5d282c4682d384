import { m } from '$lib/paraglide/messages.js';
import {
	baseLocale,
	cookieName,
	getServerAsyncLocalStorage,
	type Locale
} from '$lib/paraglide/runtime.js';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import type { Cookies, Handle } from '@sveltejs/kit';
import { pageMessages } from './page-messages';
import { offered, resolveLocale, shipped, type ProjectLanguages } from './resolve';

export * from './resolve';

const STAFF_PATH = /^\/(app|setup)(\/|$)/;

/** The cookie that holds an explicit language choice (the switcher). */
export const LANG_COOKIE = cookieName;

/**
 * Paraglide's SvelteKit middleware: its first guess (cookie > Accept-Language > English) for
 * every request, kept per request in AsyncLocalStorage, and `%lang%` in app.html. Pages of a
 * project refine it with `pageLocale` in their load; `<html lang>` is filled in at the end, so it
 * carries the final choice, and so do the messages the browser formats (see
 * $lib/i18n/client-messages). The original request is passed on: without the URL strategy nothing
 * needs de-localizing, and a clone would tee (and buffer) every upload body.
 */
export const localeHandle: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ locale }) => {
		event.locals.locale = locale;
		// Staff pages (and first-run setup) stay English, whatever the browser asks for.
		if (STAFF_PATH.test(event.url.pathname)) useLocale(event.locals, baseLocale as Locale);
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%lang%', event.locals.locale).replace('%portal.messages%', () =>
					// Pages without JavaScript (the docs) need no messages in the browser.
					html.includes('<script')
						? `<script type="application/json" id="portal-messages">${pageMessages(event.locals.locale)}</script>`
						: ''
				)
		});
	});

/** Switches the current request to `locale` (message calls from now on, `<html lang>`). */
export function useLocale(locals: App.Locals, locale: Locale) {
	locals.locale = locale;
	const store = getServerAsyncLocalStorage()?.getStore();
	if (store) store.locale = locale;
}

/** A language offered by the switcher: its code and its name in itself (`Deutsch`). */
export interface Language {
	code: Locale;
	name: string;
}

/** What a public page needs for its switcher. */
export interface PageLanguage {
	locale: Locale;
	/** This page's URL, to come back to after switching (a no-JS action URL `?/x` without it). */
	back: string;
	languages: Language[];
}

/**
 * Resolves and switches to the page's language: the cookie (when allowed) > the project's
 * languages (or all shipped ones) against Accept-Language > the project's default (or English).
 */
export function pageLocale(
	event: { request: Request; url: URL; cookies: Cookies; locals: App.Locals },
	project?: ProjectLanguages
): PageLanguage {
	const { fallback, allowed } = project
		? offered(project)
		: { fallback: baseLocale as Locale, allowed: [...shipped] };
	const locale = resolveLocale({
		choice: event.cookies.get(LANG_COOKIE),
		acceptLanguage: event.request.headers.get('accept-language'),
		allowed,
		fallback
	});
	useLocale(event.locals, locale);
	const { pathname, search } = event.url;
	return {
		locale,
		back: pathname + (search.startsWith('?/') ? '' : search),
		languages: allowed.map((code) => ({ code, name: m.language_name({}, { locale: code }) }))
	};
}
