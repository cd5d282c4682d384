import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import * as customers from '$lib/server/customers';
import * as projects from '$lib/server/projects';
import { idSchema, intakeSchema } from '$lib/schemas/staff';
import { error } from '@sveltejs/kit';
import { fail, message, setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

/** The customer of the URL; the `id` matcher already refused anything but a positive integer. */
async function customerOr404(id: string) {
	const c = await customers.get(app().db, Number(id));
	if (!c) error(404, 'Page not found');
	return c;
}

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const c = await customerOr404(event.params.id);
	const { db } = app();
	return {
		customer: { id: c.id, name: c.name, email: c.email, notes: c.notes },
		projects: (await projects.listNames(db)).map(({ key, name }) => ({ key, name })),
		links: await customers.listIntakeLinks(db, c.id),
		now: Date.now(),
		intakeForm: await superValidate({ days: 30 }, zod4(intakeSchema), { errors: false })
	};
};

export const actions: Actions = {
	intake: async (event) => {
		const user = requireAdmin(event);
		const c = await customerOr404(event.params.id);
		const form = await superValidate(event.request, zod4(intakeSchema));
		const project = await projects.findByKey(app().db, form.data.project);
		if (form.valid && !project) setError(form, 'project', 'Choose one of the listed projects.');
		if (!form.valid || !project) return fail(400, { form });
		const { token, expiresAt } = await customers.createIntakeLink(app().db, {
			projectId: project.id,
			customerId: c.id,
			days: form.data.days,
			createdBy: user.id
		});
		// Shown once: only the SHA-256 of the token is stored.
		const url = `${app().config.origin}/ticket/${project.key}?customer_token=${token}`;
		return message(form, {
			text: `Intake link for ${project.name}, valid until ${new Date(expiresAt).toUTCString()}.`,
			url
		});
	},
	revoke: async (event) => {
		requireAdmin(event);
		const c = await customerOr404(event.params.id);
		const form = await superValidate(event.request, zod4(idSchema));
		if (!form.valid) return fail(400, { form });
		const mine = (await customers.listIntakeLinks(app().db, c.id)).some(
			(l) => l.id === form.data.id
		);
		if (!mine) return fail(400, { form });
		await customers.revokeIntakeLink(app().db, form.data.id);
		return message(form, 'Link revoked.');
	}
};
