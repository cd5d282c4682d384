import { m } from '$lib/paraglide/messages.js';
import {
	baseLocale,
	cookieName,
	extractLocaleFromRequest,
	getServerAsyncLocalStorage,
	overwriteServerAsyncLocalStorage,
	type Locale
} from '$lib/paraglide/runtime.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Cookies, Handle } from '@sveltejs/kit';
import { messagesUrl } from './page-messages';
import { offered, resolveLocale, shipped, type ProjectLanguages } from './resolve';

export * from './resolve';

const STAFF_PATH = /^\/(app|setup)(\/|$)/;

/** The cookie that holds an explicit language choice (the switcher). */
export const LANG_COOKIE = cookieName;

// Where Paraglide's runtime looks up the current request's locale (`getLocale()` on the server).
const requests = new AsyncLocalStorage<{ locale?: Locale; origin?: string }>();
overwriteServerAsyncLocalStorage(requests);

/**
 * The request's first guess at its language (cookie > Accept-Language > English, Paraglide's
 * own strategy order), kept per request in AsyncLocalStorage where Paraglide's message functions
 * read it, and `%lang%` in app.html. Pages of a project refine it with `pageLocale` in their
 * load; `<html lang>` is filled in at the end, so it carries the final choice, and so do the
 * messages the browser formats (see $lib/i18n/client-messages).
 *
 * Paraglide's `paraglideMiddleware` does the same but clones every request first (`tee`ing its
 * body, so an upload nobody reads from the clone is buffered whole in memory) and records every
 * message call; URLs carry no locale here, so nothing of that is needed.
 */
export const localeHandle: Handle = ({ event, resolve }) => {
	// Staff pages (and first-run setup) stay English, whatever the browser asks for.
	const locale = STAFF_PATH.test(event.url.pathname)
		? (baseLocale as Locale)
		: extractLocaleFromRequest(event.request);
	event.locals.locale = locale;
	return requests.run({ locale, origin: event.url.origin }, () =>
		resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%lang%', event.locals.locale).replace('%portal.messages%', () =>
					// Pages without JavaScript (the docs) need no messages in the browser. The others
					// fetch them while their scripts load (hooks.client.ts waits for them before the
					// page hydrates): one cached file per language, not 14 KB in every page.
					html.includes('<script')
						? `<link rel="preload" as="fetch" crossorigin="anonymous" id="portal-messages" href="${messagesUrl(event.locals.locale)}">`
						: ''
				)
		})
	);
};

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
