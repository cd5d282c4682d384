import { app } from '$lib/server/app';
import { requireStaff } from '$lib/server/auth/guard';
import * as staffMail from '$lib/server/notifications/staff';
import * as projects from '$lib/server/projects';
import * as staff from '$lib/server/staff';
import * as tags from '$lib/server/tags';
import { notifyAssignedSchema } from '$lib/schemas/workflow';
import { applyConfirmed, bulkChoices, preview } from './bulk.server';
import { inboxFilterSchema, watchSchema } from '$lib/schemas/staff';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const { db } = app();
	const filter = await superValidate(event.url, zod4(inboxFilterSchema), { errors: false });
	const f = filter.data;
	const [result, options, watched, counts, tagNames, choices, notifyAssigned] = await Promise.all([
		staff.inbox(db, user.id, { ...f, status: f.status || undefined, customer: f.customer || null }),
		staff.filterOptions(db),
		staffMail.watchedProjects(db, user.id),
		staff.viewCounts(db, user.id),
		tags.names(db),
		bulkChoices(),
		staffMail.notifiesAssigned(db, user.id)
	]);
	const watchIds = new Set(watched);
	const projectRows = await projects.listNames(db);
	return {
		filter,
		result,
		options,
		counts,
		tagNames,
		choices,
		notifyAssigned,
		watches: projectRows.map((p) => ({ key: p.key, name: p.name, watched: watchIds.has(p.id) })),
		watchForm: await superValidate(zod4(watchSchema), { errors: false })
	};
};

export const actions: Actions = {
	bulk: preview,
	bulkApply: applyConfirmed,
	notifyAssigned: async (event) => {
		const user = requireStaff(event);
		const form = await superValidate(event.request, zod4(notifyAssignedSchema));
		await staffMail.setNotifyAssigned(app().db, user.id, form.data.on);
		return message(
			form,
			form.data.on
				? 'You get mail about replies on tickets assigned to you.'
				: 'No more mail about replies on tickets assigned to you (unless you watch the project).'
		);
	},
	watch: async (event) => {
		const user = requireStaff(event);
		const form = await superValidate(event.request, zod4(watchSchema));
		if (!form.valid) return fail(400, { form });
		const project = await projects.findByKey(app().db, form.data.project);
		if (!project) return fail(400, { form });
		await staffMail.setWatch(app().db, user.id, project.id, form.data.watch);
		return message(
			form,
			form.data.watch
				? `You get mail about ${project.name}.`
				: `No more mail about ${project.name}.`
		);
	}
};
