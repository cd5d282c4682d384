import { baseLocale, isLocale, overwriteGetLocale } from '$lib/paraglide/runtime.js';

// The server chose the language (cookie, the project's languages, Accept-Language) and wrote it
// into <html lang>; hydration and later updates in the browser use exactly that one.
overwriteGetLocale(() => {
	const lang = document.documentElement.lang;
	return isLocale(lang) ? lang : baseLocale;
});
