import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Project, Recipient, Ticket } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';
import { splitToken } from '$lib/server/tokens';
import type { MailMessage } from './transport';

export interface Links {
	thread: string;
	unsubscribe: string;
	createTicket: string;
	/** `reply+{token}@{INBOUND_DOMAIN}` (Reply-To); null when reply by email is off. */
	replyAddress: string | null;
}

/** The local part of reply addresses before the token: `reply+{token}@{domain}`. */
export const REPLY_PREFIX = 'reply+';

/** A recipient's reply address: a split token with its own purpose, so it never opens a page. */
export function replyAddress(
	secret: Uint8Array,
	r: Pick<Recipient, 'public_id' | 'token_version'>,
	domain: string
): string {
	return `${REPLY_PREFIX}${splitToken(secret, 'reply-mail', r.public_id, r.token_version)}@${domain}`;
}

/**
 * The recipient's own links, rebuilt from ORIGIN and the recipient's current token version, and
 * with `inboundDomain` set their reply address (revoked and re-issued with the links).
 */
export function recipientLinks(
	origin: string,
	secret: Uint8Array,
	project: Pick<Project, 'key'>,
	r: Pick<Recipient, 'public_id' | 'token_version'> & { channel?: Recipient['channel'] },
	inboundDomain: string | null = null
): Links {
	return {
		thread: `${origin}/ticket/thread/${splitToken(secret, 'thread', r.public_id, r.token_version)}`,
		unsubscribe: `${origin}/ticket/unsubscribe/${splitToken(secret, 'unsubscribe', r.public_id, r.token_version)}`,
		createTicket: `${origin}/ticket/${project.key}`,
		replyAddress:
			inboundDomain && r.channel === 'email' ? replyAddress(secret, r, inboundDomain) : null
	};
}

/** Escapes text for HTML mail bodies. */
export function escapeHtml(s: string): string {
	return s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** One line, no control characters, trimmed and bounded: safe for Subject and display names. */
export function headerText(s: string, max = 200): string {
	const flat = s
		.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return flat.length > max ? flat.slice(0, max - 1).trimEnd() + '…' : flat;
}

export interface Content {
	subject: string;
	/** Paragraphs of plain text (the user's text stays text). */
	paragraphs: string[];
	/** Quoted message body, if any; `you`: the reader wrote it ("You wrote:"). */
	quote?: { author: string; body: string; you?: boolean };
	action: { label: string; url: string };
	/** A question with one link per answer ("Did this solve it?" after a resolve). */
	ask?: { question: string; hint: string; links: { label: string; url: string }[] };
}

export interface Footer {
	/** Why the reader gets this mail. */
	reason: string;
	/** The reader's own unsubscribe link, if they can unsubscribe by link. */
	unsubscribe?: string;
}

/**
 * Renders text and HTML parts from one description, so both always say the same, in the
 * reader's language (the parts our template adds; `content` comes already written in it). With
 * `replyByMail` the action line invites a reply to the mail itself.
 */
export function render(
	content: Content,
	footer: Footer,
	replyByMail = false,
	locale: Locale = 'en'
) {
	const o = { locale };
	const wrote = content.quote
		? content.quote.you
			? m.mail_you_wrote({}, o)
			: m.mail_wrote({ author: content.quote.author }, o)
		: '';
	const replyHint = m.mail_reply_hint({}, o);
	const unsubscribeWord = m.mail_unsubscribe({}, o);
	const text = [
		...content.paragraphs,
		...(content.quote ? [wrote, indent(content.quote.body)] : []),
		`${replyByMail ? replyHint : content.action.label}: ${content.action.url}`,
		...(content.ask
			? [
					content.ask.question,
					...content.ask.links.map((l) => `${l.label}: ${l.url}`),
					content.ask.hint
				]
			: []),
		'-- ',
		footer.reason + (footer.unsubscribe ? ` ${unsubscribeWord}: ${footer.unsubscribe}` : '')
	].join('\n\n');
	const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
	const quote = content.quote
		? `<p style="margin:0 0 4px;color:#59636e">${escapeHtml(wrote)}</p><blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d0d7de;white-space:pre-wrap;overflow-wrap:anywhere">${escapeHtml(content.quote.body)}</blockquote>`
		: '';
	const unsubscribe = footer.unsubscribe
		? ` <a href="${escapeHtml(footer.unsubscribe)}">${escapeHtml(unsubscribeWord)}</a>`
		: '';
	const button = (l: { label: string; url: string }, color = '#0b5cad') =>
		`<a href="${escapeHtml(l.url)}" style="background:${color};color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(l.label)}</a>`;
	const ask = content.ask
		? `${p(content.ask.question)}<p style="margin:0 0 16px">${content.ask.links.map((l) => button(l, '#1a7f37')).join(' ')}</p>${p(content.ask.hint)}`
		: '';
	// `lang` on <body>: the head stays byte-for-byte as before (its wrapping is tested).
	const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(headerText(content.subject))}</title></head><body lang="${locale}" style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328;max-width:600px;margin:0 auto;padding:16px">
${content.paragraphs.map(p).join('\n')}
${quote}
${replyByMail ? p(`${replyHint}:`) : ''}<p style="margin:24px 0">${button(content.action)}</p>
${ask}<p style="font-size:12px;color:#59636e">${escapeHtml(footer.reason)}${unsubscribe}</p>
</body></html>`;
	return { subject: headerText(content.subject), text, html };
}

function indent(body: string): string {
	return body
		.split(/\r\n|\r|\n/)
		.map((l) => `> ${l}`)
		.join('\n');
}

const encoder = new TextEncoder();

/**
 * Message-ID / References for one queued mail of a ticket. The thread root is built from the
 * ticket's random thread key, never its id; a mail's own id is an HMAC of its outbox row, so a
 * retried or (after a crash) repeated send keeps the same Message-ID and mail clients fold the
 * duplicate away, while nobody can count rows from it. The ticket's first mail is the root.
 */
export function threadHeaders(
	secret: Uint8Array,
	ticket: Ticket,
	host: string,
	outboxId: number,
	isRoot = false
) {
	const root = `<ticket-${ticket.thread_key}@${host}>`;
	if (isRoot) return { messageId: root };
	const mac = hmac(SHA256, secret, encoder.encode(`message-id|${outboxId}`)).slice(0, 12);
	return {
		messageId: `<ticket-${ticket.thread_key}-${encodeBase32LowerCaseNoPadding(mac)}@${host}>`,
		inReplyTo: root,
		references: root
	};
}

/** The standard headers every notification carries. */
export function listHeaders(origin: string, unsubscribe?: string): MailMessage['headers'] {
	const headers: Record<string, string> = {
		'Auto-Submitted': 'auto-generated',
		'X-Auto-Response-Suppress': 'All'
	};
	if (unsubscribe) {
		headers['List-Unsubscribe'] = `<${unsubscribe}>`;
		// RFC 8058 one-click only over https (mail providers require it).
		if (origin.startsWith('https://'))
			headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
	}
	return headers;
}
