import { app } from '$lib/server/app';
import * as auth from '$lib/server/auth';
import { safeNext } from '$lib/server/auth/guard';
import { setSessionCookie } from '$lib/server/auth/handle';
import { retryIn } from '$lib/server/rate-limit';
import { loginSchema } from '$lib/schemas/staff';
import { redirect } from '@sveltejs/kit';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

let limiters: auth.LoginLimiters | undefined;
function loginLimiters() {
	limiters ??= auth.loginLimiters(app().config.staff, app().limits);
	return limiters;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.staff) redirect(303, safeNext(url.searchParams.get('next')));
	const form = await superValidate(
		{ next: url.searchParams.get('next') ?? '' },
		zod4(loginSchema),
		{ errors: false }
	);
	return { form };
};

export const actions: Actions = {
	default: async ({ request, cookies, locals, setHeaders }) => {
		const form = await superValidate(request, zod4(loginSchema));
		if (!form.valid) return fail(400, { form });
		const result = await auth.login(app().db, loginLimiters(), {
			...form.data,
			clientKey: locals.clientKey
		});
		form.data.password = '';
		if (!result.ok && result.reason === 'throttled') {
			setHeaders({ 'Retry-After': String(result.retryAfterSec) });
			return message(form, `Too many sign-in attempts. ${retryIn(result.retryAfterSec)}`, {
				status: 429
			});
		}
		if (!result.ok)
			return message(form, 'That email and password do not match an account.', { status: 400 });
		const { token, session } = await auth.createSession(app().db, result.user.id);
		setSessionCookie(cookies, token, session.expires_at, app().config.secure);
		redirect(303, safeNext(form.data.next));
	}
};
