import { app } from '$lib/server/app';
import { requireAdmin } from '$lib/server/auth/guard';
import * as projects from '$lib/server/projects';
import * as saved from '$lib/server/saved-replies';
import { idSchema } from '$lib/schemas/staff';
import { savedReplySchema } from '$lib/schemas/saved-reply';
import { fail, message, setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

/** Admins manage the saved replies agents insert on tickets (`?edit=ID` fills the form). */
export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const { db } = app();
	const [replies, projectRows] = await Promise.all([saved.list(db), projects.listNames(db)]);
	const editing = replies.find((r) => String(r.id) === event.url.searchParams.get('edit'));
	const keyOf = new Map(projectRows.map((p) => [p.id, p.key]));
	const initial = editing
		? {
				id: editing.id,
				project: editing.projectId === null ? '' : (keyOf.get(editing.projectId) ?? ''),
				title: editing.title,
				body: editing.body
			}
		: undefined;
	return {
		replies,
		projects: projectRows.map((p) => ({ key: p.key, name: p.name })),
		placeholders: saved.PLACEHOLDERS,
		form: await superValidate(initial, zod4(savedReplySchema), { errors: false })
	};
};

export const actions: Actions = {
	save: async (event) => {
		requireAdmin(event);
		const { db } = app();
		const form = await superValidate(event.request, zod4(savedReplySchema));
		if (!form.valid) return fail(400, { form });
		const project = form.data.project ? await projects.findByKey(db, form.data.project) : null;
		if (form.data.project && !project) {
			setError(form, 'project', 'Choose one of the listed projects.');
			return fail(400, { form });
		}
		const input = { projectId: project?.id ?? null, title: form.data.title, body: form.data.body };
		if (form.data.id) {
			if (!(await saved.update(db, form.data.id, input)))
				return message(form, 'That saved reply was deleted meanwhile.', { status: 404 });
			return message(form, `Saved “${input.title}”.`);
		}
		await saved.create(db, input);
		const title = input.title;
		form.data = { id: 0, project: form.data.project, title: '', body: '' };
		return message(form, `Added “${title}”.`);
	},
	delete: async (event) => {
		requireAdmin(event);
		const form = await superValidate(event.request, zod4(idSchema));
		if (!form.valid) return fail(400, { form });
		await saved.remove(app().db, form.data.id);
		return message(form, 'Deleted.');
	}
};
