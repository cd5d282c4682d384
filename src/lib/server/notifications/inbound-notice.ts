import { m } from '$lib/paraglide/messages.js';
import type { Conn, Db } from '$lib/server/db';
import type { OutboundEmail } from '$lib/server/db/schema';
import { afterCommit } from '$lib/server/db/transaction';
import { offered } from '$lib/server/i18n/resolve';
import { assertMailable, PermanentMailError } from './address';
import { headerText, render } from './compose';
import { wake } from './outbox';
import type { MailMessage } from './transport';

/** Outbox kind of the notice a project that takes no tickets by mail answers with. */
export const INBOUND_NOTICE = 'inbound_notice';

/**
 * Queues the polite notice for mail sent to a project address of a project that accepts tickets
 * only through intake links. Addressed to the envelope sender (RFC 3834), no ticket involved.
 * Call inside the transaction that records the inbound message.
 */
export async function queueInboundNotice(
	db: Conn,
	e: { to: string; projectId: number },
	now = Date.now()
): Promise<void> {
	await db
		.insertInto('outbound_emails')
		.values({
			kind: INBOUND_NOTICE,
			ticket_id: null,
			recipient_id: null,
			staff_user_id: null,
			message_id: null,
			payload: JSON.stringify({ to: e.to, projectId: e.projectId }),
			next_attempt_at: now,
			created_at: now
		})
		.execute();
	afterCommit(db, wake);
}

/** The notice itself: where tickets can be opened instead. An auto-reply, never answered. */
export async function composeInboundNotice(
	db: Db,
	row: OutboundEmail,
	s: { origin: string; mailFrom: string }
): Promise<MailMessage | null> {
	const payload = JSON.parse(row.payload) as { to?: unknown; projectId?: unknown };
	if (typeof payload.to !== 'string' || typeof payload.projectId !== 'number')
		throw new PermanentMailError('inbound notice without an address or project');
	assertMailable(payload.to);
	const project = await db
		.selectFrom('projects')
		.selectAll()
		.where('id', '=', payload.projectId)
		.executeTakeFirst();
	if (!project) return null;
	const name = headerText(project.name, 80);
	// The sender is a stranger (no stored language): the project's default language.
	const locale = offered(project).fallback;
	const o = { locale };
	const { subject, text, html } = render(
		{
			subject: m.mail_notice_subject({ project: name }, o),
			paragraphs: [
				m.mail_notice_hello({}, o),
				m.mail_notice_body({ project: name }, o),
				m.mail_notice_use_link({}, o)
			],
			action: { label: m.mail_notice_action({}, o), url: `${s.origin}/ticket/${project.key}` }
		},
		{ reason: m.mail_notice_reason({ project: name }, o) },
		false,
		locale
	);
	return {
		from: s.mailFrom,
		to: payload.to,
		subject,
		text,
		html,
		// RFC 3834: an automatic answer, which auto-responders must not answer in turn.
		headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }
	};
}
