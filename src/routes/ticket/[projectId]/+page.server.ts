import { app } from '$lib/server/app';
import * as attachments from '$lib/server/attachments';
import type { Within } from '$lib/server/attachments';
import * as customers from '$lib/server/customers';
import * as docs from '$lib/server/docs';
import { pageLocale } from '$lib/server/i18n';
import { m } from '$lib/paraglide/messages.js';
import { docsDir } from '$lib/server/docs/runtime';
import * as projects from '$lib/server/projects';
import * as templates from '$lib/server/templates';
import { formConfig } from '$lib/server/templates/form-config';
import * as tickets from '$lib/server/tickets';
import { splitToken } from '$lib/server/tokens';
import type { RawValues } from '$lib/shared/template-menu';
import { createTicketSchema, HONEYPOT, type CreateTicketForm } from '$lib/schemas/ticket';
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { fail, setError, superValidate, type SuperValidated } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';
import { pickerLimits } from '$lib/shared/attachment-limits';
import { checkPow, powRequirement, powView } from './pow.server';

const adapter = zod4(createTicketSchema);

async function projectOr404(key: string) {
	const { db, secret } = app();
	const project = await projects.findByKey(db, key);
	if (!project) error(404, 'Page not found');
	// Remembered per project until staff change it (five statements fewer per page and POST).
	const { types, catalog } = await formConfig(db, secret, project);
	return { project, types, catalog };
}

interface IntakeView {
	/** The valid token, carried through the form's POSTs. */
	token: string | null;
	customer: string | null;
	/** A token was given but grants nothing here (other project, expired, revoked, unknown). */
	invalid: boolean;
}

/** What an intake token grants here. The page learns the customer's name, never its id. */
async function intakeOf(
	projectId: number,
	token: string | null
): Promise<{ customerId: number | null; view: IntakeView }> {
	const customer = token ? await customers.resolveIntake(app().db, projectId, token) : undefined;
	return {
		customerId: customer?.id ?? null,
		view: {
			token: customer ? token : null,
			customer: customer?.name ?? null,
			invalid: !!token && !customer
		}
	};
}

const text = (v: FormDataEntryValue | null) => (typeof v === 'string' ? v : null);

/** Reads a POST once: the fields and the attached files come from the same FormData. */
async function submission(event: RequestEvent<{ projectId: string }>) {
	const ctx = await projectOr404(event.params.projectId);
	// Field messages and refusals in the page's language (the project's languages).
	const { locale } = pageLocale(event, ctx.project);
	const data = await event.request.formData();
	const token = text(data.get('customer_token')) ?? event.url.searchParams.get('customer_token');
	const intake = await intakeOf(ctx.project.id, token);
	// Anonymous creation off: only a valid intake link may open tickets here.
	const closed = ctx.project.anonymous_creation === 0 && intake.customerId === null;
	return { ...ctx, data, intake, closed, locale, chosen: text(data.get('template')) ?? '' };
}

/** The page state a POST answers with: the form as typed, custom field values and messages. */
function state(
	form: SuperValidated<CreateTicketForm>,
	custom: { template: string; values: RawValues; errors: Record<string, string[]> },
	intake: { view: IntakeView }
) {
	return { form, custom, intake: intake.view };
}

export const load: PageServerLoad = async (event) => {
	const { params, url, setHeaders, locals } = event;
	const { project, types, catalog } = await projectOr404(params.projectId);
	const lang = pageLocale(event, project);
	const token = url.searchParams.get('customer_token');
	if (token !== null) setHeaders({ 'cache-control': 'no-store' });
	const intake = await intakeOf(project.id, token);
	const form = await superValidate(adapter, { errors: false });
	// A browser check (proof-of-work) for a client above SPAM_POW_AFTER, or on "always" projects.
	const pow = await powView({
		clientKey: locals.clientKey,
		project,
		customerId: intake.customerId
	});
	if (pow) setHeaders({ 'cache-control': 'no-store' });
	form.data.type = projects.defaultType(project, types)?.key ?? '';
	return {
		project: { key: project.key, name: project.name, description: project.description },
		types: types.map((t) => ({ key: t.key, name: t.name, description: t.description })),
		// Public fields of the templates the page may switch to; hidden ones never leave the server.
		menu: templates.publicMenu(catalog, types),
		closed: project.anonymous_creation === 0 && intake.customerId === null,
		intake: intake.view,
		uploads: pickerLimits(attachments.publicLimits(app().config)),
		// Public docs: the link shows only when the project has public docs.
		docsUrl: docs.hasPublicDocs(docsDir(), project.key) ? `/doc/${project.key}` : null,
		// Signed in to My tickets: the ticket is opened under that address (sign out to change it).
		signedInAs: locals.portal?.email ?? null,
		pow,
		lang,
		form
	};
};

/** The create transaction of a valid submission; `within` adds its attachment rows. */
function createTicket(
	s: Awaited<ReturnType<typeof submission>>,
	data: CreateTicketForm,
	type: { id: number },
	template: templates.FullTemplate | null,
	customFields: Record<string, unknown>,
	within: Within
) {
	// Only the reporter is enrolled: extra recipient fields a client may send are never read.
	return tickets.create(app().db, {
		projectId: s.project.id,
		ticketTypeId: type.id,
		templateId: template?.id ?? null,
		title: data.title,
		description: data.description,
		reporterEmail: data.email,
		reporterName: data.name || null,
		reporterLocale: s.locale,
		initialMessage: data.message || null,
		customerId: s.intake.customerId,
		customFields,
		customFieldsSchema: templates.snapshot(template),
		within: (tx, { ticket }) => within(tx, { ticketId: ticket.id, messageId: null })
	});
}

export const actions: Actions = {
	create: async (event) => {
		const s = await submission(event);
		// Honeypot filled: look successful, store nothing, send nothing.
		if (text(s.data.get(HONEYPOT))) return { received: true };
		if (s.closed) return fail(403, { closed: true });

		// Signed in to My tickets: the ticket is opened under that address, whatever was posted.
		if (event.locals.portal?.email) s.data.set('email', event.locals.portal.email);
		const form = await superValidate(s.data, adapter);
		const type = s.types.find((t) => t.key === form.data.type);
		if (!type) setError(form, 'type', m.form_type_unknown());
		const template = type ? templates.resolve(s.catalog, type.id, s.chosen).template : null;
		const values = templates.publicRaw(template, s.data);
		const fields = templates.readFields(template, values);
		const who = {
			clientKey: event.locals.clientKey,
			project: s.project,
			customerId: s.intake.customerId
		};
		// What a refused POST answers: the form as typed and, when the client must solve one, a
		// fresh challenge (the one it sent may be spent). Made only when the POST is refused.
		const need = await powRequirement(who);
		const answer = async () => ({
			...state(
				form,
				{ template: s.chosen, values, errors: fields.ok ? {} : fields.errors },
				s.intake
			),
			pow: await powView(who, need)
		});
		if (!form.valid || !type || !fields.ok) return fail(400, await answer());

		// Above the soft limit: a solved, unspent challenge, or nothing is stored (4xx + sentence).
		const refused = await checkPow(who, s.data, need);
		if (refused) {
			const a = await answer();
			return fail(400, { ...a, pow: a.pow && { ...a.pow, refused } });
		}

		// Only valid submissions count, so a typo does not use up a reporter's budget.
		const limit = await app().limits.create.take({
			clientKey: event.locals.clientKey,
			email: form.data.email
		});
		if (!limit.ok) {
			event.setHeaders({ 'retry-after': String(limit.retryAfterSec) });
			return fail(429, { ...(await answer()), limited: limit.message });
		}

		const { secret, uploads } = app();
		// Only created tickets count: a refused upload or a failed commit gives the creation back.
		let done;
		try {
			// Files: written and flushed first, rows in the create transaction (on the description).
			const upload = await uploads.receive(s.data, {
				kind: 'create',
				clientKey: event.locals.clientKey
			});
			done = upload.ok
				? await upload.commit((within) =>
						createTicket(s, form.data, type, template, fields.values, within)
					)
				: upload;
		} finally {
			if (!done?.ok) await limit.release();
		}
		if (!done.ok) return attachments.refuseUpload(done, event.setHeaders, await answer());
		const { reporter } = done.value;
		await app().pow.recordCreated(event.locals.clientKey);
		const thread = `/ticket/thread/${splitToken(secret, 'thread', reporter.public_id, reporter.token_version)}`;
		// A one-time note for the thread page: "we received it and emailed you this link".
		event.cookies.set('ticket_created', '1', {
			path: thread,
			maxAge: 300,
			httpOnly: true,
			sameSite: 'lax',
			// Like the session cookie: a plain-http install must still get the note.
			secure: app().config.secure
		});
		redirect(303, thread);
	},

	/** Without JavaScript: re-render the form for the chosen type/template, keeping what was typed. */
	retype: async (event) => {
		const s = await submission(event);
		if (s.closed) return fail(403, { closed: true });
		const form = await superValidate(s.data, adapter, { errors: false });
		const type =
			s.types.find((t) => t.key === form.data.type) ?? projects.defaultType(s.project, s.types);
		form.data.type = type?.key ?? '';
		const template = type ? templates.resolve(s.catalog, type.id, s.chosen).template : null;
		return state(
			form,
			{ template: s.chosen, values: templates.publicRaw(template, s.data), errors: {} },
			s.intake
		);
	}
};
