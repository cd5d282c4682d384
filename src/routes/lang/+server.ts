import { app } from '$lib/server/app';
import { LANG_COOKIE } from '$lib/server/i18n';
import { isLocale } from '$lib/paraglide/runtime.js';
import { redirect, type RequestHandler } from '@sveltejs/kit';

/** A same-origin path to go back to; anything else (`//host`, `https://…`, `\`) is `/`. */
function backTo(value: FormDataEntryValue | null): string {
	if (typeof value !== 'string' || !value.startsWith('/') || /^\/[/\\]/.test(value)) return '/';
	return value;
}

/**
 * The language switcher of public pages: a plain form POST (works without JavaScript) that keeps
 * the choice in a cookie for a year and goes back to the page it came from, at the same URL.
 */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const data = await request.formData();
	const lang = data.get('lang');
	if (typeof lang === 'string' && isLocale(lang)) {
		cookies.set(LANG_COOKIE, lang, {
			path: '/',
			maxAge: 60 * 60 * 24 * 365,
			httpOnly: true,
			sameSite: 'lax',
			secure: app().config.secure
		});
	}
	redirect(303, backTo(data.get('to')));
};
