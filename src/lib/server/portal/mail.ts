import { m } from '$lib/paraglide/messages.js';
import { baseLocale, isLocale } from '$lib/paraglide/runtime.js';
import { sql } from 'kysely';
import type { Db } from '$lib/server/db';
import type { OutboundEmail } from '$lib/server/db/schema';
import { assertMailable } from '$lib/server/notifications/address';
import { listHeaders, render } from '$lib/server/notifications/compose';
import type { MailMessage } from '$lib/server/notifications/transport';
import { signInCode, signInToken } from './sign-in';

export interface SignInMailSettings {
	origin: string;
	mailFrom: string;
	secret: Uint8Array;
}

/** Whether an address is a (not removed) recipient of a ticket in a project with the portal on. */
export async function hasPortalTickets(db: Db, email: string): Promise<boolean> {
	const row = await db
		.selectFrom('ticket_recipients as r')
		.innerJoin('tickets as t', 't.id', 'r.ticket_id')
		.innerJoin('projects as p', 'p.id', 't.project_id')
		.select('r.id')
		.where(sql<string>`lower(r.email)`, '=', email)
		.where('r.revoked_at', 'is', null)
		.where('r.channel', '=', 'email')
		.where('p.portal_enabled', '=', 1)
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * The sign-in mail of an outbox row, built at send time (the link and code are derived from the
 * secret, never stored). Null, so the row is cancelled, when the sign-in was used or expired
 * meanwhile, or when the address is not a recipient of any ticket: the form never mails strangers.
 */
export async function composeSignIn(
	db: Db,
	row: OutboundEmail,
	s: SignInMailSettings,
	now = Date.now()
): Promise<MailMessage | null> {
	const { signIn, locale: asked } = JSON.parse(row.payload) as { signIn?: string; locale?: string };
	// Written in the language of the page that asked for it (rows queued before: the base).
	const locale = asked && isLocale(asked) ? asked : baseLocale;
	const o = { locale };
	if (!signIn) return null;
	const attempt = await db
		.selectFrom('portal_sign_ins')
		.select(['public_id', 'email', 'expires_at', 'used_at'])
		.where('public_id', '=', signIn)
		.executeTakeFirst();
	if (!attempt || attempt.used_at !== null || attempt.expires_at <= now) return null;
	if (!(await hasPortalTickets(db, attempt.email))) return null;
	assertMailable(attempt.email);
	const code = signInCode(s.secret, attempt.public_id);
	const url = `${s.origin}/tickets/login/${signInToken(s.secret, attempt.public_id)}`;
	const { subject, text, html } = render(
		{
			subject: m.mail_signin_subject({}, o),
			paragraphs: [m.mail_signin_intro({}, o), m.mail_signin_code({ code }, o)],
			action: { label: m.mail_signin_action({}, o), url }
		},
		{ reason: m.mail_signin_reason({}, o) },
		false,
		locale
	);
	return {
		from: s.mailFrom,
		to: attempt.email,
		subject,
		text,
		html,
		headers: listHeaders(s.origin)
	};
}
