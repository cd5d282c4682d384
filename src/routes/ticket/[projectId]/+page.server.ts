import { app } from '$lib/server/app';
import * as attachments from '$lib/server/attachments';
import * as docs from '$lib/server/docs';
import { docsDir } from '$lib/server/docs/runtime';
import * as projects from '$lib/server/projects';
import * as tickets from '$lib/server/tickets';
import { splitToken } from '$lib/server/tokens';
import { createTicketSchema } from '$lib/schemas/ticket';
import { error, redirect } from '@sveltejs/kit';
import { fail, setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';

async function projectOr404(key: string) {
	const project = await projects.findByKey(app().db, key);
	if (!project) error(404, 'Page not found');
	const types = await projects.listTypes(app().db, project.id);
	return { project, types };
}

export const load: PageServerLoad = async ({ params }) => {
	const { project, types } = await projectOr404(params.projectId);
	const form = await superValidate(zod4(createTicketSchema), { errors: false });
	form.data.type = projects.defaultType(project, types)?.key ?? '';
	return {
		project: { key: project.key, name: project.name, description: project.description },
		types: types.map((t) => ({ key: t.key, name: t.name, description: t.description })),
		uploads: attachments.publicLimits(app().config),
		form,
		// Public docs (issue 7): the link shows only when the project has public docs.
		docsUrl: docs.hasPublicDocs(docsDir(), project.key) ? `/doc/${project.key}` : null
	};
};

export const actions: Actions = {
	default: async ({ request, params, locals, setHeaders }) => {
		const { project, types } = await projectOr404(params.projectId);
		const formData = await request.formData();
		const form = await superValidate(formData, zod4(createTicketSchema));
		const type = types.find((t) => t.key === form.data.type);
		if (form.valid && !type) setError(form, 'type', 'Choose one of the listed ticket types.');
		if (!form.valid || !type) return fail(400, { form });

		const { db, secret, outbox } = app();
		// Files: written and flushed first, rows in the create transaction (on the description).
		const upload = await attachments.receive(formData, { kind: 'create', clientKey: locals.clientKey });
		if (!upload.ok) return attachments.refuseUpload(upload, setHeaders, { form });
		const done = await upload.commit((within) => tickets.create(db, {
			projectId: project.id,
			ticketTypeId: type.id,
			title: form.data.title,
			description: form.data.description,
			reporterEmail: form.data.email,
			reporterName: form.data.name || null,
			initialMessage: form.data.message || null,
			within: (tx, { ticket }) => within(tx, { ticketId: ticket.id, messageId: null })
		}));
		if (!done.ok) return attachments.refuseUpload(done, setHeaders, { form });
		const { reporter } = done.value;
		outbox.kick();
		redirect(303, `/ticket/thread/${splitToken(secret, 'thread', reporter.public_id, reporter.token_version)}`);
	}
};
