import { app } from '$lib/server/app';
import * as attachments from '$lib/server/attachments';
import * as csat from '$lib/server/csat';
import { csatText } from '$lib/server/csat/text';
import * as subscriptions from '$lib/server/notifications/subscriptions';
import * as portal from '$lib/server/portal';
import * as threads from '$lib/server/threads';
import { displayNameOf } from '$lib/server/tickets';
import { retryIn } from '$lib/server/rate-limit';
import { pageLocale } from '$lib/server/i18n';
import { m } from '$lib/paraglide/messages.js';
import { replySchema } from '$lib/schemas/reply';
import { error } from '@sveltejs/kit';
import { fail, message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { Actions, PageServerLoad } from './$types';
import { pickerLimits } from '$lib/shared/attachment-limits';

/** The thread of a link, in its project's language (see $lib/server/i18n), or 404. */
async function threadOr404(event: Parameters<typeof pageLocale>[0], token: string) {
	const thread = await threads.findByToken(app().db, app().secret, token);
	if (!thread) error(404, m.error_not_found());
	return { thread, lang: pageLocale(event, thread.project) };
}

/** "Did this solve it?" for the reporter while the ticket stays resolved, with its words. */
async function csatOf(recipient: { role: string }, ticket: Parameters<typeof csat.openRound>[1]) {
	const round = recipient.role === 'reporter' ? await csat.openRound(app().db, ticket) : null;
	return round && { round, text: csatText() };
}

// Everything returned here reaches the page source and __data.json: public ids and names only.
export const load: PageServerLoad = async (event) => {
	const { params, cookies, url, locals } = event;
	const { thread, lang } = await threadOr404(event, params.token);
	// "New since you last looked" on My tickets is measured from here.
	await portal.markSeen(app().db, thread.recipient, thread.ticket.last_activity_at);
	// Set by the create page's redirect: show "we received your ticket" once.
	const created = cookies.get('ticket_created') === '1';
	if (created)
		cookies.delete('ticket_created', { path: url.pathname, secure: app().config.secure });
	const { ticket, recipient, project } = thread;
	const fixedIdentity = ticket.source === 'discord' && recipient.role === 'reporter';
	const form = await superValidate({ name: recipient.name ?? '' }, zod4(replySchema), {
		errors: false
	});
	const files = await attachments.publicForTicket(app().db, ticket.id);
	const messages = attachments.attachTo(await threads.conversation(app().db, thread), files);
	return {
		project: { key: project.key, name: project.name },
		ticket: {
			title: ticket.title,
			description: ticket.description,
			status: ticket.status,
			createdAt: ticket.created_at,
			reporter: displayNameOf(
				{ name: ticket.reporter_name, email: ticket.reporter_email, role: 'reporter' },
				ticket
			)
		},
		me: {
			// A Discord reporter is shown by their Discord name, never the synthetic address.
			address: fixedIdentity ? displayNameOf(recipient, ticket) : recipient.email,
			fixedIdentity
		},
		created,
		// Signed out, an email recipient is offered "See all your tickets" (My tickets sign-in).
		offerPortal: !locals.portal && recipient.channel === 'email' && project.portal_enabled === 1,
		// false = this address unsubscribed (the page offers to turn mail back on); Discord DMs: null.
		emails: recipient.channel === 'email' ? recipient.unsubscribed_at === null : null,
		messages,
		// "Did this solve it?": the reporter, while the ticket stays resolved (csat/).
		csat: await csatOf(recipient, ticket),
		cursor: threads.cursorOf(thread, messages),
		attachments: files.ticket,
		uploads: pickerLimits(attachments.publicLimits(app().config)),
		lang,
		form
	};
};

export const actions: Actions = {
	/** Turns mail about this ticket back on for the link holder (after an unsubscribe). */
	resubscribe: async (event) => {
		const { thread } = await threadOr404(event, event.params.token);
		await subscriptions.resubscribe(app().db, thread.recipient);
		return { resubscribed: true };
	},
	reply: async (event) => {
		const { request, params, setHeaders } = event;
		const { thread, lang } = await threadOr404(event, params.token);
		const formData = await request.formData();
		const form = await superValidate(formData, zod4(replySchema));
		if (!form.valid) return fail(400, { form });
		const limit = await app().limits.thread.reply(thread.recipient);
		if (!limit.ok) {
			setHeaders({ 'Retry-After': String(limit.retryAfterSec) });
			// The typed reply comes back in `form`, so nothing is lost.
			return message(form, m.form_reply_limited({ retry: retryIn(limit.retryAfterSec) }), {
				status: 429
			});
		}
		// Files: written and flushed first, rows in the reply's transaction, thumbnails after.
		const upload = await app().uploads.receive(formData, {
			kind: 'reply',
			recipient: thread.recipient.public_id
		});
		if (!upload.ok) return attachments.refuseUpload(upload, setHeaders, { form });
		const done = await upload.commit((within) =>
			threads.reply(app().db, thread, {
				body: form.data.body,
				name: form.data.name,
				locale: lang.locale,
				within: (tx, { messageId }) => within(tx, { ticketId: thread.ticket.id, messageId })
			})
		);
		if (!done.ok) return attachments.refuseUpload(done, setHeaders, { form });
		const { reopened } = done.value;
		form.data.body = '';
		return message(form, reopened ? m.reply_sent_reopened() : m.reply_sent());
	}
};
