import type { Project, Recipient, Ticket } from '$lib/server/db/schema';
import { splitToken } from '$lib/server/tokens';
import type { MailMessage } from './transport';

export interface Links {
	thread: string;
	unsubscribe: string;
	createTicket: string;
}

/** The recipient's own links, rebuilt from ORIGIN and the recipient's current token version. */
export function recipientLinks(origin: string, secret: Uint8Array, project: Project, r: Recipient): Links {
	return {
		thread: `${origin}/ticket/thread/${splitToken(secret, 'thread', r.public_id, r.token_version)}`,
		unsubscribe: `${origin}/ticket/unsubscribe/${splitToken(secret, 'unsubscribe', r.public_id, r.token_version)}`,
		createTicket: `${origin}/ticket/${project.key}`
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
	const flat = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
	return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

export interface Content {
	subject: string;
	/** Paragraphs of plain text (the user's text stays text). */
	paragraphs: string[];
	/** Quoted message body, if any. */
	quote?: { author: string; body: string };
	action: { label: string; url: string };
}

/** Renders text and HTML parts from one description, so both always say the same. */
export function render(content: Content, links: Links, projectName: string) {
	const footer = `You get this because you are on a ticket at ${projectName}. Unsubscribe: ${links.unsubscribe}`;
	const text = [
		...content.paragraphs,
		...(content.quote ? [`${content.quote.author} wrote:`, indent(content.quote.body)] : []),
		`${content.action.label}: ${content.action.url}`,
		'-- ',
		footer
	].join('\n\n');
	const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
	const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328;max-width:600px;margin:0 auto;padding:16px">
${content.paragraphs.map(p).join('\n')}
${content.quote ? `<p style="margin:0 0 4px;color:#59636e">${escapeHtml(content.quote.author)} wrote:</p><blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d0d7de;white-space:pre-wrap;overflow-wrap:anywhere">${escapeHtml(content.quote.body)}</blockquote>` : ''}
<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:#0b5cad;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(content.action.label)}</a></p>
<p style="font-size:12px;color:#59636e">You get this because you are on a ticket at ${escapeHtml(projectName)}. <a href="${escapeHtml(links.unsubscribe)}">Unsubscribe</a></p>
</body></html>`;
	return { subject: headerText(content.subject), text, html };
}

function indent(body: string): string {
	return body
		.split('\n')
		.map((l) => `> ${l}`)
		.join('\n');
}

/** Message-ID / References for a ticket: built from its random thread key, never its id. */
export function threadHeaders(ticket: Ticket, host: string, outboxId: number) {
	const root = `<ticket-${ticket.thread_key}@${host}>`;
	return {
		messageId: `<ticket-${ticket.thread_key}-${outboxId}@${host}>`,
		inReplyTo: root,
		references: root
	};
}

/** The standard headers every notification carries. */
export function listHeaders(origin: string, links: Links): MailMessage['headers'] {
	const headers: Record<string, string> = {
		'Auto-Submitted': 'auto-generated',
		'X-Auto-Response-Suppress': 'All',
		'List-Unsubscribe': `<${links.unsubscribe}>`
	};
	// RFC 8058 one-click only over https (mail providers require it).
	if (origin.startsWith('https://')) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
	return headers;
}
