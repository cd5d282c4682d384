import type { Db } from '$lib/server/db';
import type { OutboundEmail, Project, Recipient, Ticket } from '$lib/server/db/schema';
import type { Composer, DirectDelivery } from './outbox';
import { headerText, listHeaders, recipientLinks, render, threadHeaders, type Content, type Links } from './compose';

export { enqueue, createOutbox, type Outbox } from './outbox';
export { emlTransport, smtpTransport, type MailTransport, type MailMessage } from './transport';

export interface MailSettings {
	origin: string;
	mailFrom: string;
	secret: Uint8Array;
	/** Delivery for recipients whose channel is not email (e.g. Discord DMs), by channel. */
	channels?: { discord?: ChannelSender };
}

/** Delivers a notification to a non-email recipient itself; the outbox retries when it throws. */
export type ChannelSender = (m: RecipientMail, content: Content) => DirectDelivery;

export interface RecipientMail {
	row: OutboundEmail;
	ticket: Ticket;
	project: Project;
	recipient: Recipient;
	links: Links;
	payload: Record<string, unknown>;
}

/** What a recipient-addressed notification says, by outbox kind. Later events add theirs. */
export const recipientKinds: Record<string, (m: RecipientMail, db: Db) => Promise<Content> | Content> = {
	ticket_created: ({ ticket, project, recipient, links }) => ({
		subject: `[${project.name}] We received your ticket: ${ticket.title}`,
		paragraphs: [
			`Hello${recipient.name ? ' ' + headerText(recipient.name, 80) : ''},`,
			`Thanks for contacting ${project.name}. Your ticket “${headerText(ticket.title)}” is open and our team will answer here.`,
			'Follow the conversation, add details or attach files with your personal link below. Keep it private: anyone with the link can read and reply.'
		],
		quote: { author: 'You', body: ticket.description },
		action: { label: 'View your ticket', url: links.thread }
	}),
	recipient_reply: async (m, db) => {
		const msg = await messageOf(db, m.row);
		return {
			subject: `Re: [${m.project.name}] ${m.ticket.title}`,
			paragraphs: [`${msg?.author_name || 'Someone'} replied on “${headerText(m.ticket.title)}”.`],
			quote: msg ? { author: msg.author_name, body: msg.body } : undefined,
			action: { label: 'Open the conversation', url: m.links.thread }
		};
	},
	staff_reply: async (m, db) => {
		const msg = await messageOf(db, m.row);
		return {
			subject: `Re: [${m.project.name}] ${m.ticket.title}`,
			paragraphs: [`${m.project.name} support answered on “${headerText(m.ticket.title)}”.`],
			quote: msg ? { author: msg.author_name || `${m.project.name} support`, body: msg.body } : undefined,
			action: { label: 'Reply', url: m.links.thread }
		};
	},
	status_changed: ({ ticket, project, links, payload }) => {
		const words: Record<string, string> = {
			resolved: 'was marked as resolved. If something is still wrong, just reply and it opens again.',
			rejected: 'was closed. If you think this was a mistake, reply and it opens again.',
			open: 'is open again.'
		};
		const status = String(payload.status ?? '');
		return {
			subject: `[${project.name}] ${ticket.title} — ${status === 'open' ? 'reopened' : status === 'rejected' ? 'closed' : status}`,
			paragraphs: [`Your ticket “${headerText(ticket.title)}” ${words[status] ?? `is now ${status}.`}`],
			action: { label: 'View the ticket', url: links.thread }
		};
	},
	recipient_added: ({ ticket, project, links }) => ({
		subject: `[${project.name}] You were added to: ${ticket.title}`,
		paragraphs: [
			`${project.name} support added you to the ticket “${headerText(ticket.title)}”. You will get an email when something happens.`,
			'This link is yours alone: anyone with it can read and reply.'
		],
		action: { label: 'View the ticket', url: links.thread }
	})
};

async function messageOf(db: Db, row: OutboundEmail) {
	if (row.message_id === null) return undefined;
	return db
		.selectFrom('messages')
		.select(['author_name', 'body'])
		.where('id', '=', row.message_id)
		.where('visibility', '=', 'public')
		.executeTakeFirst();
}

/** Builds the composer the outbox calls at send time; links are rebuilt then, never stored. */
export function createComposer(settings: MailSettings): Composer {
	const host = new URL(settings.origin).hostname;
	return async (db, row) => {
		const describe = recipientKinds[row.kind];
		if (!describe || row.recipient_id === null || row.ticket_id === null) return null;
		const recipient = await db
			.selectFrom('ticket_recipients')
			.selectAll()
			.where('id', '=', row.recipient_id)
			.executeTakeFirst();
		if (!recipient || recipient.revoked_at || recipient.unsubscribed_at) return null;
		const channel = recipient.channel === 'email' ? null : settings.channels?.[recipient.channel];
		if (channel === undefined) return null;
		const ticket = await db.selectFrom('tickets').selectAll().where('id', '=', row.ticket_id).executeTakeFirstOrThrow();
		const project = await db.selectFrom('projects').selectAll().where('id', '=', ticket.project_id).executeTakeFirstOrThrow();
		const links = recipientLinks(settings.origin, settings.secret, project, recipient);
		const payload = JSON.parse(row.payload) as Record<string, unknown>;
		const content = await describe({ row, ticket, project, recipient, links, payload }, db);
		if (channel) return channel({ row, ticket, project, recipient, links, payload }, content);
		const { subject, text, html } = render(content, links, project.name);
		return {
			from: settings.mailFrom,
			to: recipient.name ? { name: headerText(recipient.name, 80), address: recipient.email } : recipient.email,
			subject,
			text,
			html,
			...threadHeaders(ticket, host, row.id),
			headers: listHeaders(settings.origin, links)
		};
	};
}
