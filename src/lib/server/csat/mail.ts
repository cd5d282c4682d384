import type { Conn } from '$lib/server/db';
import type { Recipient, Ticket } from '$lib/server/db/schema';
import type { Content, Links } from '$lib/server/notifications/compose';
import { m } from '$lib/paraglide/messages.js';
import { baseLocale, type Locale } from '$lib/paraglide/runtime.js';
import { openRound } from './index';

/**
 * The "Did this solve it?" part of a resolve mail: for the reporter only, while the round of
 * that resolve is open (the project asks, the ticket was not reopened before the mail went out).
 * Each link opens the feedback page with the answer preselected; only its POST records.
 */
export async function csatAsk(
	db: Conn,
	ticket: Ticket,
	recipient: Pick<Recipient, 'role'>,
	links: Pick<Links, 'thread'>,
	// The recipient's language (stored when they write; else the project's default).
	locale: Locale = baseLocale
): Promise<Pick<Content, 'ask'>> {
	if (recipient.role !== 'reporter' || !(await openRound(db, ticket))) return {};
	const o = { locale };
	return {
		ask: {
			question: m.csat_question({}, o),
			hint: m.csat_mail_hint({}, o),
			links: [
				{ label: m.csat_answer_yes({}, o), url: `${links.thread}/feedback?answer=yes` },
				{ label: m.csat_answer_no({}, o), url: `${links.thread}/feedback?answer=no` }
			]
		}
	};
}
