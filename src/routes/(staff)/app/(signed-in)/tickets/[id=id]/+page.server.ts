import { app } from '$lib/server/app';
import * as csat from '$lib/server/csat';
import * as attachments from '$lib/server/attachments';
import { requireStaff } from '$lib/server/auth/guard';
import { refused } from '$lib/server/http/refused';
import * as projects from '$lib/server/projects';
import * as saved from '$lib/server/saved-replies';
import * as staff from '$lib/server/staff';
import * as tickets from '$lib/server/tickets';
import {
	messageSchema,
	recipientActionSchema,
	recipientSchema,
	statusSchema,
	ticketCustomerSchema,
	typeSchema
} from '$lib/schemas/staff';
import { error } from '@sveltejs/kit';
import { fail, message, setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';
import { pickerLimits } from '$lib/shared/attachment-limits';
import { workflowActions, workflowData } from './workflow.server';

/** The ticket of the URL; the `id` matcher already refused anything but a positive integer. */
async function ticketOr404(id: string) {
	const t = await tickets.get(app().db, Number(id));
	if (!t) error(404, 'Page not found');
	return t;
}

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const t = await ticketOr404(event.params.id);
	const { db, live } = app();
	const view = (await staff.view(db, t.id))!;
	await staff.markRead(db, user.id, t.id);
	const v = zod4;
	return {
		...view,
		...(await replyContext(t, view, user)),
		typing: live.presence.who(t.id, user.id),
		reporterTickets: await staff.reporterTickets(db, {
			id: t.id,
			reporterEmail: t.reporter_email
		}),
		// "Did this solve it?" answers, one per resolve, newest first.
		csat: await csat.roundsOf(app().db, t.id),
		replyForm: await superValidate(v(messageSchema), { id: 'reply', errors: false }),
		noteForm: await superValidate(v(messageSchema), { id: 'note', errors: false }),
		statusForm: await superValidate({ status: view.ticket.status }, v(statusSchema), {
			errors: false
		}),
		typeForm: await superValidate({ type: view.type?.key ?? '' }, v(typeSchema), { errors: false }),
		recipientForm: await superValidate(v(recipientSchema), { errors: false }),
		uploads: pickerLimits(attachments.staffLimits(app().config)),
		customers: await staff.customerChoices(app().db),
		workflow: await workflowData(t),
		customerForm: await superValidate(
			{ customer: view.customer?.id ?? 0 },
			v(ticketCustomerSchema),
			{ errors: false }
		)
	};
};

type Ticket = NonNullable<Awaited<ReturnType<typeof tickets.get>>>;
type View = NonNullable<Awaited<ReturnType<typeof staff.view>>>;

/** The newest message the reply form has seen, and the saved replies filled for this ticket. */
async function replyContext(t: Ticket, view: View, user: { name: string }) {
	const { db } = app();
	const values = {
		reporter_name: view.ticket.reporter,
		ticket_title: t.title,
		agent_name: user.name,
		project_name: view.project.name
	};
	const replies = await saved.forProject(db, t.project_id);
	return {
		seen: await staff.latestMessageId(db, t.id),
		savedReplies: replies.map((r) => ({
			id: r.id,
			title: r.title,
			text: saved.fill(r.body, values)
		}))
	};
}

/** The "last seen message" a reply form carried; null when absent or not a number. */
function seenOf(formData: FormData): number | null {
	const raw = formData.get('seen');
	const n = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
	return Number.isSafeInteger(n) ? n : null;
}

/**
 * A public reply or an internal note, with files held to the staff upload limits: written and
 * flushed first, rows in the message's transaction, thumbnails after. A refused upload answers
 * 413/415 with the sentence as `upload` and the typed text kept.
 */
const sent = (internal: boolean) => async (event: Parameters<Actions[string]>[0]) => {
	const user = requireStaff(event);
	const t = await ticketOr404(event.params.id!);
	const formData = await event.request.formData();
	const form = await superValidate(formData, zod4(messageSchema), {
		id: internal ? 'note' : 'reply'
	});
	if (!form.valid) return fail(400, { form });
	// Someone else wrote since this form's page loaded: show it and keep the reply; the form now
	// carries the newest id, so sending again goes through.
	const seen = internal ? null : seenOf(formData);
	if (seen !== null) {
		const newer = await staff.newerMessages(app().db, t.id, seen, user.id);
		if (newer.length) return fail(409, { form, conflict: { seen: newer.at(-1)!.id, newer } });
	}
	const upload = await app().uploads.receive(formData, { kind: 'staff' });
	if (!upload.ok) return attachments.refuseUpload(upload, event.setHeaders, { form });
	const done = await upload.commit((within) =>
		staff.write(app().db, {
			ticketId: t.id,
			actor: user,
			body: form.data.body,
			internal,
			within: (tx, { messageId }) => within(tx, { ticketId: t.id, messageId })
		})
	);
	if (!done.ok) return attachments.refuseUpload(done, event.setHeaders, { form });
	form.data.body = '';
	const files = upload.count ? ` with ${upload.count} file${upload.count === 1 ? '' : 's'}` : '';
	return message(
		form,
		internal
			? `Internal note added${files}. Only staff can see it.`
			: `Reply sent${files} to everyone on the ticket.`
	);
};

export const actions: Actions = {
	...workflowActions,
	reply: sent(false),
	/** Without JavaScript: "Insert" puts the chosen saved reply into the reply box. */
	insertSaved: async (event) => {
		const user = requireStaff(event);
		const t = await ticketOr404(event.params.id);
		const formData = await event.request.formData();
		const view = (await staff.view(app().db, t.id))!;
		const { savedReplies } = await replyContext(t, view, user);
		const chosen = savedReplies.find((r) => String(r.id) === formData.get('saved'));
		const typed = String(formData.get('body') ?? '').trimEnd();
		const body = chosen ? (typed ? `${typed}\n\n${chosen.text}` : chosen.text) : typed;
		const form = await superValidate({ body }, zod4(messageSchema), { id: 'reply', errors: false });
		// Not sent: a "valid" form would be reset to the empty one by the reply form's resetForm.
		form.valid = false;
		return { form, seen: seenOf(formData) };
	},
	note: sent(true),
	status: async (event) => {
		const user = requireStaff(event);
		const t = await ticketOr404(event.params.id);
		const form = await superValidate(event.request, zod4(statusSchema));
		if (!form.valid) return fail(400, { form });
		const changed = await staff.setStatus(app().db, {
			ticketId: t.id,
			actor: user,
			status: form.data.status
		});
		return message(form, changed ? 'Status changed.' : 'The status was already that.');
	},
	type: async (event) => {
		const user = requireStaff(event);
		const t = await ticketOr404(event.params.id);
		const form = await superValidate(event.request, zod4(typeSchema));
		const type = (await projects.listTypes(app().db, t.project_id)).find(
			(x) => x.key === form.data.type
		);
		if (form.valid && !type) setError(form, 'type', 'Choose one of the listed types.');
		if (!form.valid || !type) return fail(400, { form });
		await staff.changeType(app().db, {
			ticketId: t.id,
			actor: user,
			typeId: type.id,
			typeName: type.name
		});
		return message(form, `Type changed to ${type.name}.`);
	},
	addRecipient: async (event) => {
		const user = requireStaff(event);
		const t = await ticketOr404(event.params.id);
		const form = await superValidate(event.request, zod4(recipientSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await staff.addRecipient(app().db, {
				ticketId: t.id,
				actor: user,
				email: form.data.email,
				name: form.data.name
			});
		} catch (err) {
			return refused(form, err, 'email');
		}
		const email = form.data.email;
		form.data = { email: '', name: '' };
		return message(form, `${email} was added and gets their own link by email.`);
	},
	customer: async (event) => {
		const user = requireStaff(event);
		const t = await ticketOr404(event.params.id);
		const form = await superValidate(event.request, zod4(ticketCustomerSchema));
		if (!form.valid) return fail(400, { form });
		let name: string | null | false;
		try {
			name = await staff.linkCustomer(app().db, {
				ticketId: t.id,
				actor: user,
				customerId: form.data.customer || null
			});
		} catch (err) {
			return refused(form, err, 'customer');
		}
		if (name === false) return message(form, 'The customer was already that.');
		return message(form, name ? `Linked to ${name}.` : 'No customer linked now.');
	},
	revokeLink: (event) => recipientAction(event, 'revoke'),
	reissueLink: (event) => recipientAction(event, 'reissue')
};

async function recipientAction(
	event: Parameters<Actions[string]>[0],
	action: 'revoke' | 'reissue'
) {
	const user = requireStaff(event);
	const t = await ticketOr404(event.params.id!);
	const form = await superValidate(event.request, zod4(recipientActionSchema));
	if (!form.valid) return fail(400, { form });
	try {
		await staff.recipientLink(app().db, {
			ticketId: t.id,
			actor: user,
			recipient: form.data.recipient,
			action
		});
	} catch (err) {
		return refused(form, err);
	}
	return message(form, action === 'revoke' ? 'Link revoked.' : 'New link sent.');
}
