import type { Db } from '$lib/server/db';
import type { OutboundEmail, Project, Recipient, Ticket } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';
import { csatAsk } from '$lib/server/csat/mail';
import { headerText, type Content, type Links } from './compose';

export interface RecipientMail {
	row: OutboundEmail;
	ticket: Ticket;
	project: Project;
	recipient: Recipient;
	links: Links;
	payload: Record<string, unknown>;
	/** The recipient's language (theirs, else the project's default): the mail is written in it. */
	locale: Locale;
}

/** What a kind says; null = nothing to say any more (e.g. the message is gone or internal). */
export type Describe = (m: RecipientMail, db: Db) => Promise<Content | null> | Content | null;

const STATUS = {
	resolved: {
		subject: m.mail_status_subject_resolved,
		yours: m.mail_status_resolved_yours,
		the: m.mail_status_resolved,
		hint: { mail: m.mail_resolved_hint_mail, page: m.mail_resolved_hint_page }
	},
	rejected: {
		subject: m.mail_status_subject_rejected,
		yours: m.mail_status_rejected_yours,
		the: m.mail_status_rejected,
		hint: { mail: m.mail_rejected_hint_mail, page: m.mail_rejected_hint_page }
	},
	open: {
		subject: m.mail_status_subject_open,
		yours: m.mail_status_open_yours,
		the: m.mail_status_open,
		hint: null
	}
} as const;

/**
 * What a recipient-addressed notification says, by outbox kind, in the recipient's language.
 * Later events add theirs.
 */
export const recipientKinds: Record<string, Describe> = {
	ticket_created: ({ ticket, project, recipient, links, locale }) => {
		const o = { locale };
		const name = recipient.name ? headerText(recipient.name, 80) : '';
		return {
			subject: m.mail_created_subject({ project: project.name, title: ticket.title }, o),
			paragraphs: [
				name ? m.mail_hello_name({ name }, o) : m.mail_hello({}, o),
				m.mail_created_thanks({ project: project.name, title: headerText(ticket.title) }, o),
				m.mail_created_link({}, o)
			],
			quote: { author: '', you: true, body: ticket.description },
			action: { label: m.mail_view_your_ticket({}, o), url: links.thread }
		};
	},
	recipient_reply: async (mail, db) => {
		const msg = await publicMessage(db, mail.row);
		if (!msg) return null;
		const o = { locale: mail.locale };
		const author = headerText(msg.author_name, 80) || m.mail_someone({}, o);
		const title = headerText(mail.ticket.title);
		const reopened = !!mail.payload.reopened;
		return {
			subject: `Re: [${mail.project.name}] ${mail.ticket.title}${reopened ? ` — ${m.mail_reopened({}, o)}` : ''}`,
			paragraphs: [
				reopened
					? m.mail_recipient_replied_reopened({ author, title }, o)
					: m.mail_recipient_replied({ author, title }, o)
			],
			quote: { author, body: msg.body },
			action: { label: m.mail_open_conversation({}, o), url: mail.links.thread }
		};
	},
	staff_reply: async (mail, db) => {
		// Only public staff replies are ever mailed; an internal note never leaves the server.
		const msg = await publicMessage(db, mail.row);
		if (!msg) return null;
		const o = { locale: mail.locale };
		const project = mail.project.name;
		return {
			subject: `Re: [${project}] ${mail.ticket.title}`,
			paragraphs: [m.mail_staff_answered({ project, title: headerText(mail.ticket.title) }, o)],
			quote: {
				author: headerText(msg.author_name, 80) || m.mail_support_name({ project }, o),
				body: msg.body
			},
			action: { label: m.mail_reply({}, o), url: mail.links.thread }
		};
	},
	status_changed: async ({ ticket, project, recipient, links, payload, locale }, db) => {
		const o = { locale };
		const said = STATUS[String(payload.status ?? '') as keyof typeof STATUS];
		if (!said) return null;
		const title = headerText(ticket.title);
		const sentence = (recipient.role === 'reporter' ? said.yours : said.the)({ title }, o);
		// Without reply by email, replies to the mail go nowhere: point at the ticket page.
		const hint = said.hint?.[links.replyAddress ? 'mail' : 'page']({}, o);
		return {
			subject: said.subject({ project: project.name, title: ticket.title }, o),
			paragraphs: [hint ? `${sentence} ${hint}` : sentence],
			action: { label: m.mail_view_the_ticket({}, o), url: links.thread },
			// The reporter is asked "Did this solve it?" while that resolve's round is open.
			...(payload.status === 'resolved' ? await csatAsk(db, ticket, recipient, links, locale) : {})
		};
	},
	auto_closed: ({ ticket, project, links, locale }) => {
		const o = { locale };
		const title = headerText(ticket.title);
		return {
			subject: m.autoclose_subject({ project: project.name, title }, o),
			paragraphs: [
				m.autoclose_body({ title }, o),
				links.replyAddress ? m.autoclose_reopen_mail({}, o) : m.autoclose_reopen_page({}, o)
			],
			action: { label: m.autoclose_action({}, o), url: links.thread }
		};
	},
	recipient_added: ({ ticket, project, links, locale }) => {
		const o = { locale };
		return {
			subject: m.mail_added_subject({ project: project.name, title: ticket.title }, o),
			paragraphs: [
				m.mail_added_text({ project: project.name, title: headerText(ticket.title) }, o),
				m.mail_added_link({}, o)
			],
			action: { label: m.mail_view_the_ticket({}, o), url: links.thread }
		};
	}
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
