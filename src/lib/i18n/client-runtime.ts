// In the browser, `$lib/paraglide/runtime.js` resolves to this module (see vite.config.ts). The
// server chose the language (cookie, the project's languages, Accept-Language) and wrote it into
// <html lang>; the browser only reads it. No locale detection, cookies or URL rewriting ship
// (URLs never carry a language here: every path is its own, so there is no `reroute` hook).
import { baseLocale, locales } from './locales';

export { baseLocale, locales };
export type Locale = (typeof locales)[number];

export const isLocale = (value: unknown): value is Locale =>
	typeof value === 'string' && (locales as readonly string[]).includes(value);

/** The page's language, as the server rendered it. */
export const getLocale = (): Locale => {
	const lang = document.documentElement.lang;
	return isLocale(lang) ? lang : baseLocale;
};
