import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import * as customers from '$lib/server/customers';
import { customerSchema } from '$lib/schemas/staff';
import { redirect } from '@sveltejs/kit';
import { fail, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const q = event.url.searchParams.get('q')?.slice(0, 100) ?? '';
	return {
		q,
		customers: (await customers.list(app().db, q)).map((c) => ({
			id: c.id,
			name: c.name,
			email: c.email
		})),
		form: await superValidate(zod4(customerSchema), { errors: false })
	};
};

export const actions: Actions = {
	create: async (event) => {
		requireAdmin(event);
		const form = await superValidate(event.request, zod4(customerSchema));
		if (!form.valid) return fail(400, { form });
		const c = await customers.create(app().db, {
			name: form.data.name,
			email: form.data.email || null,
			notes: form.data.notes
		});
		redirect(303, `/app/customers/${c.id}`);
	}
};
