import { app } from '$lib/server/app';
import * as auth from '$lib/server/auth';
import { requireStaff } from '$lib/server/auth/guard';
import { refused } from '$lib/server/http/refused';
import { retryIn } from '$lib/server/rate-limit';
import { passwordChangeSchema } from '$lib/schemas/staff';
import { fail, message, setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	return {
		account: { name: user.name, email: user.email, role: user.role },
		form: await superValidate(zod4(passwordChangeSchema), { errors: false })
	};
};

export const actions: Actions = {
	password: async (event) => {
		const user = requireStaff(event);
		const form = await superValidate(event.request, zod4(passwordChangeSchema));
		const blank = () => Object.assign(form.data, { current: '', password: '', confirm: '' });
		if (!form.valid) {
			blank();
			return fail(400, { form });
		}
		try {
			const r = await auth.changePassword(app().db, {
				userId: user.id,
				current: form.data.current,
				password: form.data.password,
				keepSession: event.locals.session?.id ?? null,
				// Wrong current passwords count against the sign-in throttle of the account's email.
				limiters: app().limits.login
			});
			blank();
			if (!r.ok) {
				event.setHeaders({ 'Retry-After': String(r.retryAfterSec) });
				return setError(form, 'current', `Too many attempts. ${retryIn(r.retryAfterSec)}`, {
					status: 429
				});
			}
		} catch (err) {
			blank();
			return refused(form, err);
		}
		return message(form, 'Password changed. You were signed out everywhere else.');
	}
};
