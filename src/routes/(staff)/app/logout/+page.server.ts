import { app } from '$lib/server/app';
import * as auth from '$lib/server/auth';
import { clearSessionCookie } from '$lib/server/auth/handle';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/app');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session) await auth.invalidateSession(app().db, locals.session.id);
		clearSessionCookie(cookies, app().config.secure);
		redirect(303, '/app/login');
	}
};
