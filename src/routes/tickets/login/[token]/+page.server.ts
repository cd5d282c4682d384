import { app } from '$lib/server/app';
import { pageLocale } from '$lib/server/i18n';
import * as portal from '$lib/server/portal';
import { setPortalCookie } from '$lib/server/portal/handle';
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

const ENDED = 'This sign-in link has expired or was already used.';

/** 404 for any link that cannot sign in now; a real one's address prefills "Send a new link". */
async function ended(token: string): Promise<never> {
	error(404, { message: ENDED, email: (await portal.emailOfLink(app().db, token)) ?? '' });
}

// A GET never signs in (mail scanners follow links): it shows a button that POSTs.
export const load: PageServerLoad = async (event) => {
	const lang = pageLocale(event);
	if (!(await portal.findUsableLink(app().db, event.params.token))) await ended(event.params.token);
	return { lang };
};

export const actions: Actions = {
	default: async ({ params, cookies }) => {
		const signedIn = await portal.redeemLink(app().db, params.token);
		if (!signedIn) return ended(params.token);
		setPortalCookie(cookies, signedIn.token, signedIn.expiresAt, app().config.secure);
		redirect(303, '/tickets');
	}
};
