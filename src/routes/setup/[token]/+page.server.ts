import { app } from '$lib/server/app';
import * as auth from '$lib/server/auth';
import { setSessionCookie } from '$lib/server/auth/handle';
import { DomainError } from '$lib/server/errors';
import { refused } from '$lib/server/http/refused';
import { setupSchema } from '$lib/schemas/staff';
import { error, redirect } from '@sveltejs/kit';
import { fail, setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

async function linkOr404(token: string) {
	const row = await auth.findSetupToken(app().db, token);
	if (!row) error(404, 'Page not found');
	return row;
}

export const load: PageServerLoad = async ({ params }) => {
	const row = await linkOr404(params.token);
	const form = await superValidate({ email: row.email ?? '' }, zod4(setupSchema), {
		errors: false
	});
	return { purpose: row.purpose, role: row.role, form };
};

export const actions: Actions = {
	default: async ({ request, params, cookies }) => {
		const row = await linkOr404(params.token);
		const form = await superValidate(request, zod4(setupSchema));
		if (row.email && form.data.email.toLowerCase() !== row.email.toLowerCase()) {
			setError(form, 'email', `This invitation is for ${row.email}.`);
		}
		if (!form.valid) return fail(400, { form });
		const { db, config } = app();
		let user;
		try {
			user = await auth.createAccount(db, params.token, form.data);
		} catch (err) {
			// A link spent or expired since the page loaded is the same 404 as an unknown one.
			if (err instanceof DomainError && err.field === 'token') error(404, 'Page not found');
			return refused(form, err, 'email');
		}
		const { token, session } = await auth.createSession(db, user.id);
		setSessionCookie(cookies, token, session.expires_at, config.secure);
		redirect(303, '/app');
	}
};
