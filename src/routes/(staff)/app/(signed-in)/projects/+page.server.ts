import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import { refused } from '$lib/server/http/refused';
import * as projectAdmin from '$lib/server/projects/admin';
import { projectSchema } from '$lib/schemas/staff';
import { redirect } from '@sveltejs/kit';
import { fail, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	return {
		projects: await projectAdmin.list(app().db),
		form: await superValidate({ anonymous: true }, zod4(projectSchema), { errors: false })
	};
};

export const actions: Actions = {
	create: async (event) => {
		requireAdmin(event);
		const form = await superValidate(event.request, zod4(projectSchema));
		if (!form.valid) return fail(400, { form });
		let key: string;
		try {
			const p = await projectAdmin.create(app().db, form.data);
			await projectAdmin.update(app().db, p.id, {
				name: p.name,
				description: p.description,
				defaultTypeId: null,
				enforcedTemplateId: null,
				anonymous: form.data.anonymous
			});
			key = p.key;
		} catch (err) {
			return refused(form, err, 'key');
		}
		redirect(303, `/app/projects/${key}`);
	}
};
