import type { Db } from '$lib/server/db';
import type { OutboundEmail, Project, Recipient, Ticket } from '$lib/server/db/schema';
import { m as t } from '$lib/paraglide/messages.js';
import { csatAsk } from '$lib/server/csat/mail';
import { headerText, type Content, type Links } from './compose';

export interface RecipientMail {
	row: OutboundEmail;
	ticket: Ticket;
	project: Project;
	recipient: Recipient;
	links: Links;
	payload: Record<string, unknown>;
}

/** What a kind says; null = nothing to say any more (e.g. the message is gone or internal). */
export type Describe = (m: RecipientMail, db: Db) => Promise<Content | null> | Content | null;

/** What a recipient-addressed notification says, by outbox kind. Later events add theirs. */
export const recipientKinds: Record<string, Describe> = {
	ticket_created: ({ ticket, project, recipient, links }) => ({
		subject: `[${project.name}] We received your ticket: ${ticket.title}`,
		paragraphs: [
			`Hello${recipient.name ? ' ' + headerText(recipient.name, 80) : ''},`,
			`Thanks for contacting ${project.name}. Your ticket “${headerText(ticket.title)}” is open; we will email you when our team answers.`,
			'Follow the conversation, add details or attach files with your personal link below. Keep it private: anyone with the link can read and reply.'
		],
		quote: { author: 'You', body: ticket.description },
		action: { label: 'View your ticket', url: links.thread }
	}),
	recipient_reply: async (m, db) => {
		const msg = await publicMessage(db, m.row);
		if (!msg) return null;
		const author = headerText(msg.author_name, 80) || 'Someone';
		const title = headerText(m.ticket.title);
		return {
			subject: `Re: [${m.project.name}] ${m.ticket.title}${m.payload.reopened ? ' — reopened' : ''}`,
			paragraphs: [
				m.payload.reopened
					? `${author} replied on “${title}”, so the ticket is open again.`
					: `${author} replied on “${title}”.`
			],
			quote: { author, body: msg.body },
			action: { label: 'Open the conversation', url: m.links.thread }
		};
	},
	staff_reply: async (m, db) => {
		// Only public staff replies are ever mailed; an internal note never leaves the server.
		const msg = await publicMessage(db, m.row);
		if (!msg) return null;
		return {
			subject: `Re: [${m.project.name}] ${m.ticket.title}`,
			paragraphs: [`${m.project.name} support answered on “${headerText(m.ticket.title)}”.`],
			quote: {
				author: headerText(msg.author_name, 80) || `${m.project.name} support`,
				body: msg.body
			},
			action: { label: 'Reply', url: m.links.thread }
		};
	},
	status_changed: async ({ ticket, project, recipient, links, payload }, db) => {
		// Without reply by email, replies to the mail go nowhere: point at the ticket page.
		const where = links.replyAddress ? 'reply to this email' : 'reply on the ticket page';
		const words: Record<string, [string, string]> = {
			resolved: [
				'resolved',
				`was marked as resolved. If something is still wrong, ${where} and it opens again.`
			],
			rejected: [
				'closed',
				`was closed. If you think this was a mistake, ${where} and it opens again.`
			],
			open: ['reopened', 'is open again.']
		};
		const said = words[String(payload.status ?? '')];
		if (!said) return null;
		return {
			subject: `[${project.name}] ${ticket.title} — ${said[0]}`,
			paragraphs: [
				`${recipient.role === 'reporter' ? 'Your' : 'The'} ticket “${headerText(ticket.title)}” ${said[1]}`
			],
			action: { label: 'View the ticket', url: links.thread },
			// The reporter is asked "Did this solve it?" while that resolve's round is open.
			...(payload.status === 'resolved' ? await csatAsk(db, ticket, recipient, links) : {})
		};
	},
	// Reporter-facing text in the reporter's language (Paraglide); the base locale until tickets
	// record one.
	auto_closed: ({ ticket, project, links }) => {
		const title = headerText(ticket.title);
		return {
			subject: t.autoclose_subject({ project: project.name, title }),
			paragraphs: [
				t.autoclose_body({ title }),
				links.replyAddress ? t.autoclose_reopen_mail() : t.autoclose_reopen_page()
			],
			action: { label: t.autoclose_action(), url: links.thread }
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

async function publicMessage(db: Db, row: OutboundEmail) {
	if (row.message_id === null) return undefined;
	return db
		.selectFrom('messages')
		.select(['author_name', 'body'])
		.where('id', '=', row.message_id)
		.where('visibility', '=', 'public')
		.where('kind', '=', 'message')
		.executeTakeFirst();
}
