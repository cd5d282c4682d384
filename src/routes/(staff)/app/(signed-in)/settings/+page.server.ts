import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import * as staff from '$lib/server/staff';
import { idSchema } from '$lib/schemas/staff';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const { config, db } = app();
	return {
		limits: staff.limitsOf(config),
		mail: {
			transport: config.smtpUrl ? 'SMTP' : `.eml files in ${config.mailDir}`,
			from: config.mailFrom,
			origin: config.origin
		},
		outbox: await staff.recentMail(db)
	};
};

export const actions: Actions = {
	retry: async (event) => {
		requireAdmin(event);
		const form = await superValidate(event.request, zod4(idSchema));
		if (!form.valid) return fail(400, { form });
		const ok = await staff.retryMail(app().db, form.data.id);
		return ok
			? message(form, 'Queued again.')
			: message(form, 'Only failed mail can be retried.', { status: 400 });
	}
};
