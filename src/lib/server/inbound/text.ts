import EmailReplyParser from 'email-reply-parser';
import { cleanText } from '$lib/shared/clean-text';

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	ndash: '–',
	mdash: '—',
	hellip: '…',
	rsquo: '’',
	lsquo: '‘',
	rdquo: '”',
	ldquo: '“',
	copy: '©'
};

function decodeEntities(s: string): string {
	return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
		if (e[0] === '#') {
			const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
		}
		return ENTITIES[e.toLowerCase()] ?? whole;
	});
}

/**
 * Plain text from an HTML-only mail: scripts, styles and the head dropped, block elements as line
 * breaks, and blockquotes (the quoted history of Apple Mail, Thunderbird and Gmail) as `> `
 * lines, so the reply parser can strip them like plain-text quoting. Tags never reach the text.
 */
export function htmlToText(html: string): string {
	let s = html
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
		.replace(/\r\n?/g, '\n')
		.replace(/\s*\n\s*/g, ' ');
	// Gmail and Outlook keep quoted history in marked containers: quote them as a whole.
	s = s.replace(
		/<div\b[^>]*(?:class="[^"]*gmail_quote|id="divRplyFwdMsg"|id="appendonsend")/gi,
		(m) => m.replace(/^<div/i, '<blockquote')
	);
	s = s
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<hr\b[^>]*>/gi, '\n________________________________\n')
		.replace(/<\/?(p|div|li|tr|h[1-6]|table|ul|ol|pre)\b[^>]*>/gi, '\n')
		.replace(/<blockquote\b[^>]*>/gi, '\n\u0001')
		.replace(/<\/blockquote\s*>/gi, '\u0002\n');
	s = s.replace(/<[^>]*>/g, '');
	s = decodeEntities(s);
	// Walk the markers to prefix each line by its quote depth.
	let depth = 0;
	const out: string[] = [];
	for (const raw of s.split('\n')) {
		let line = '';
		// A line is quoted as deep as the deepest quote its text stood in.
		let deepest = depth;
		for (const ch of raw) {
			if (ch === '\u0001') deepest = Math.max(deepest, ++depth);
			else if (ch === '\u0002') depth = Math.max(0, depth - 1);
			else line += ch;
		}
		line = line.replace(/[ \t]+/g, ' ').trim();
		out.push(deepest > 0 && line ? `${'> '.repeat(deepest)}${line}`.trimEnd() : line);
	}
	return out
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/**
 * The new text of a reply: quoted history (attribution lines, `>` quoting, Outlook's header
 * block) and signatures removed, cleaned like web input. HTML-only mail is converted first.
 */
export function replyText(mail: { text?: string; html?: string }): string {
	const text = mail.text?.trim() ? mail.text : mail.html ? htmlToText(mail.html) : '';
	const normal = cleanText(text);
	const visible = new EmailReplyParser().read(normalizeQuoteHeaders(normal)).getVisibleText();
	return tidy(visible);
}

/**
 * The full text of a new mail (a ticket's description): signature removed, nothing else (a new
 * mail may legitimately quote something).
 */
export function bodyText(mail: { text?: string; html?: string }): string {
	const text = mail.text?.trim() ? mail.text : mail.html ? htmlToText(mail.html) : '';
	const normal = cleanText(text);
	const sig = normal.search(/^-- ?$/m);
	return tidy(sig >= 0 ? normal.slice(0, sig) : normal);
}

/**
 * Outlook's plain-text history starts with a `From:` line whose address is not in brackets when
 * there is no display name, and Apple Mail wraps long attribution lines: join what the parser
 * would miss into one header line it recognises.
 */
function normalizeQuoteHeaders(text: string): string {
	return text
		.replace(/^(On [^\n]{4,200})\n([^\n]{0,200}wrote:)$/gm, '$1 $2')
		.replace(/^(From:\s*)([^\s<>[\]]+@[^\s<>[\]]+)\s*$/gm, '$1<$2>');
}

function tidy(s: string): string {
	return s
		.split('\n')
		.map((l) => l.trimEnd())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
