import type { Db } from '$lib/server/db';
import type { OutboundEmail } from '$lib/server/db/schema';
import { assertMailable, PermanentMailError } from './address';
import {
	headerText,
	listHeaders,
	recipientLinks,
	render,
	threadHeaders,
	type Content
} from './compose';
import { recipientKinds, type RecipientMail } from './kinds';
import type { Composer, DirectDelivery } from './outbox';
import type { MailMessage } from './transport';
import { composeStaffMail } from './staff';
import { m } from '$lib/paraglide/messages.js';
import { offered, toShipped } from '$lib/server/i18n/resolve';
import { composeInboundNotice, INBOUND_NOTICE } from './inbound-notice';
import { composeSignIn } from '$lib/server/portal/mail';
import { SIGN_IN_MAIL } from '$lib/server/portal/sign-in';

export { enqueue, createOutbox, retryBackoff, type Outbox } from './outbox';
export { emlTransport, smtpTransport, type MailTransport, type MailMessage } from './transport';
export { isMailableAddress, PermanentMailError } from './address';
export type { RecipientMail } from './kinds';

export interface MailSettings {
	origin: string;
	mailFrom: string;
	secret: Uint8Array;
	/** Reply by email: each recipient mail gets `Reply-To: reply+{token}@{domain}`. */
	inboundDomain?: string | null;
	/** Delivery for recipients whose channel is not email (e.g. Discord DMs), by channel. */
	channels?: { discord?: ChannelSender };
}

/** Delivers a notification to a non-email recipient itself; the outbox retries when it throws. */
export type ChannelSender = (m: RecipientMail, content: Content) => DirectDelivery;

/**
 * Builds the composer the outbox calls at send time; links are rebuilt then, never stored.
 * A row is addressed either to a ticket recipient or to a staff user.
 */
export function createComposer(settings: MailSettings): Composer {
	return async (db, row) => {
		if (row.kind === SIGN_IN_MAIL) return composeSignIn(db, row, settings); // My tickets sign-in
		if (row.staff_user_id !== null) return composeStaffMail(db, row, settings); // staff watchers
		if (row.recipient_id !== null) return composeForRecipient(settings, db, row);
		if (row.kind === INBOUND_NOTICE) return composeInboundNotice(db, row, settings);
		throw new PermanentMailError(`no composer for "${row.kind}" mail without a recipient`);
	};
}

/**
 * A mail to one ticket recipient, with only that recipient's own links. Null (the row is
 * cancelled) when the recipient is gone, revoked, unsubscribed or not reached by email.
 */
async function composeForRecipient(
	s: MailSettings,
	db: Db,
	row: OutboundEmail
): Promise<MailMessage | DirectDelivery | null> {
	const describe = recipientKinds[row.kind];
	if (!describe) throw new PermanentMailError(`unknown notification kind "${row.kind}"`);
	const recipient = await db
		.selectFrom('ticket_recipients')
		.selectAll()
		.where('id', '=', row.recipient_id)
		.executeTakeFirst();
	if (!recipient || recipient.revoked_at !== null || recipient.unsubscribed_at !== null)
		return null;
	// Discord recipients are never mailed (their synthetic address is not a mailbox).
	const channel = recipient.channel === 'email' ? null : s.channels?.[recipient.channel];
	if (channel === undefined) return null;
	if (!channel) assertMailable(recipient.email);
	const ticket = await db
		.selectFrom('tickets')
		.selectAll()
		.where('id', '=', recipient.ticket_id)
		.executeTakeFirstOrThrow();
	const project = await db
		.selectFrom('projects')
		.selectAll()
		.where('id', '=', ticket.project_id)
		.executeTakeFirstOrThrow();
	const links = recipientLinks(s.origin, s.secret, project, recipient, s.inboundDomain ?? null);
	const payload = JSON.parse(row.payload) as Record<string, unknown>;
	// The language the recipient last used on the ticket, else the project's default; staff
	// writing from the (English) dashboard does not change it.
	const locale = toShipped(recipient.locale) ?? offered(project).fallback;
	const mail = { row, ticket, project, recipient, links, payload, locale };
	const content = await describe(mail, db);
	if (!content) return null;
	if (channel) return channel(mail, content);
	const { subject, text, html } = render(
		content,
		{
			reason: m.mail_reason({ project: headerText(project.name, 80) }, { locale }),
			unsubscribe: links.unsubscribe
		},
		links.replyAddress !== null,
		locale
	);
	const name = recipient.name ? headerText(recipient.name, 80) : '';
	return {
		from: s.mailFrom,
		to: name ? { name, address: recipient.email } : recipient.email,
		subject,
		text,
		html,
		// Built from our own token and domain only: nothing from inbound mail reaches a header.
		...(links.replyAddress ? { replyTo: links.replyAddress } : {}),
		...threadHeaders(
			s.secret,
			ticket,
			new URL(s.origin).hostname,
			row.id,
			row.kind === 'ticket_created'
		),
		headers: listHeaders(s.origin, links.unsubscribe)
	};
}
