import { app } from '$lib/server/app';
import { requireStaff } from '$lib/server/auth/guard';
import { refused } from '$lib/server/http/refused';
import * as tags from '$lib/server/tags';
import * as tickets from '$lib/server/tickets';
import { assignSchema, tagSchema } from '$lib/schemas/workflow';
import { error, type RequestEvent } from '@sveltejs/kit';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';

// The ticket page's assignee and tags: what the side cards show and their actions.

async function ticketOr404(id: string) {
	const t = await tickets.get(app().db, Number(id));
	if (!t) error(404, 'Page not found');
	return t;
}

/** The assignee and tag cards' data for a ticket. */
export async function workflowData(ticket: {
	id: number;
	project_id: number;
	assignee_id: number | null;
}) {
	const { db } = app();
	const assignee = ticket.assignee_id;
	const [people, tagged, projectTags] = await Promise.all([
		tickets.assigneeOptions(db, assignee),
		tags.ofTickets(db, [ticket.id]),
		tags.names(db, ticket.project_id)
	]);
	return {
		people,
		tags: tagged.get(ticket.id) ?? [],
		projectTags,
		assignForm: await superValidate({ assignee: assignee ?? 0 }, zod4(assignSchema), {
			errors: false,
			id: 'assign'
		}),
		tagForm: await superValidate(zod4(tagSchema), { errors: false, id: 'tag' })
	};
}

export const workflowActions = {
	assign: async (event: RequestEvent) => {
		const user = requireStaff(event);
		const t = await ticketOr404(event.params.id!);
		const form = await superValidate(event.request, zod4(assignSchema), { id: 'assign' });
		if (!form.valid) return fail(400, { form });
		let changed: boolean;
		try {
			changed = await tickets.assign(app().db, {
				ticketId: t.id,
				assigneeId: form.data.assignee || null,
				actor: user
			});
		} catch (err) {
			return refused(form, err, 'assignee');
		}
		if (!changed) return message(form, 'The assignee was already that.');
		return message(form, form.data.assignee ? 'Assigned.' : 'Unassigned.');
	},
	addTag: (event: RequestEvent) => tagAction(event, true),
	removeTag: (event: RequestEvent) => tagAction(event, false)
};

async function tagAction(event: RequestEvent, add: boolean) {
	const user = requireStaff(event);
	const t = await ticketOr404(event.params.id!);
	const form = await superValidate(event.request, zod4(tagSchema), { id: add ? 'tag' : undefined });
	if (!form.valid) return fail(400, { form });
	try {
		const input = { ticketId: t.id, tag: form.data.tag, actor: user };
		await (add ? tags.add(app().db, input) : tags.remove(app().db, input));
	} catch (err) {
		return refused(form, err, 'tag');
	}
	const tag = form.data.tag.trim().toLowerCase();
	if (add) form.data.tag = '';
	return message(form, add ? `Tag “${tag}” added.` : `Tag “${tag}” removed.`);
}
