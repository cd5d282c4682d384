import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import { refused } from '$lib/server/http/refused';
import * as projects from '$lib/server/projects';
import * as templateAdmin from '$lib/server/templates/admin';
import { fieldSchema, idSchema, templateSchema } from '$lib/schemas/staff';
import { error } from '@sveltejs/kit';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

/** The template of the URL; the `id` matcher already refused anything but a positive integer. */
async function templateOr404(id: string) {
	const found = await templateAdmin.get(app().db, Number(id));
	if (!found) error(404, 'Page not found');
	return found;
}

const shown = (json: string | null) => {
	if (json === null) return '';
	const v = JSON.parse(json);
	return Array.isArray(v) ? v.join(', ') : String(v);
};

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const { template, fields } = await templateOr404(event.params.id);
	const project = await projects.get(app().db, template.project_id);
	if (!project) error(404, 'Page not found');
	return {
		project: { key: project.key, name: project.name },
		template: { id: template.id, name: template.name },
		fields: fields.map((f) => ({
			id: f.id,
			key: f.key,
			label: f.label,
			kind: f.kind,
			visibility: f.visibility,
			required: f.required === 1,
			defaultValue: shown(f.default_value),
			options: (JSON.parse(f.options) as { value: string; label: string }[])
				.map((o) => (o.label === o.value ? o.value : `${o.value} | ${o.label}`))
				.join('\n'),
			min: f.min,
			max: f.max,
			pattern: f.pattern,
			help: f.help,
			position: f.position
		})),
		templateForm: await superValidate(
			{
				name: template.name,
				description: template.description,
				selectable: template.selectable === 1
			},
			zod4(templateSchema),
			{ errors: false }
		),
		fieldForm: await superValidate({ position: fields.length + 1 }, zod4(fieldSchema), {
			errors: false
		})
	};
};

export const actions: Actions = {
	update: async (event) => {
		requireAdmin(event);
		const { template } = await templateOr404(event.params.id);
		const form = await superValidate(event.request, zod4(templateSchema));
		if (!form.valid) return fail(400, { form });
		await templateAdmin.update(app().db, template.id, form.data);
		return message(form, 'Template saved.');
	},
	saveField: async (event) => {
		requireAdmin(event);
		const { template } = await templateOr404(event.params.id);
		const form = await superValidate(event.request, zod4(fieldSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await templateAdmin.saveField(app().db, template.id, form.data);
		} catch (err) {
			return refused(form, err);
		}
		const label = form.data.label;
		return message(form, `Field “${label}” saved.`);
	},
	deleteField: async (event) => {
		requireAdmin(event);
		const { template } = await templateOr404(event.params.id);
		const form = await superValidate(event.request, zod4(idSchema));
		if (!form.valid) return fail(400, { form });
		await templateAdmin.deleteField(app().db, template.id, form.data.id);
		return message(form, 'Field removed.');
	}
};
