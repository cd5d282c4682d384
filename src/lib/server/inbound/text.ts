import EmailReplyParser from 'email-reply-parser';
import { cleanText } from '$lib/shared/clean-text';

/** How much of a mail's HTML and text is looked at (stored text is far shorter anyway). */
const MAX_HTML = 512 * 1024;
const MAX_TEXT = 40_000;
/** RFC 5322's line limit; longer lines are wrapped before the reply parser sees them. */
const MAX_LINE = 998;

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

/**
 * Removes comments and the given elements with their content, in one pass. An element or comment
 * that is never closed takes the rest of the document with it (as a browser would hide it).
 */
function dropElements(html: string, names: string[]): string {
	const lower = html.toLowerCase();
	const open = new RegExp(`<!--|<(${names.join('|')})\\b`, 'gi');
	let out = '';
	let at = 0;
	for (let m = open.exec(html); m; m = open.exec(html)) {
		out += html.slice(at, m.index);
		const close = m[1] ? lower.indexOf(`</${m[1].toLowerCase()}`, open.lastIndex) : -1;
		const end = m[1]
			? close < 0
				? -1
				: lower.indexOf('>', close)
			: lower.indexOf('-->', open.lastIndex);
		if (end < 0) return out;
		at = end + (m[1] ? 1 : 3);
		open.lastIndex = at;
	}
	return out + html.slice(at);
}

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
	// Bounded input, and only patterns that run in linear time: hostile HTML cannot stall us.
	let s = dropElements(html.slice(0, MAX_HTML), ['head', 'style', 'script', 'title'])
		.split(/\r\n?|\n/)
		.map((l) => l.trim())
		.join(' ');
	// Gmail and Outlook keep quoted history in marked containers: quote them as a whole.
	s = s.replace(/<div\b[^<>]*>/gi, (tag) =>
		/class="[^"]*gmail_quote|id="(divRplyFwdMsg|appendonsend)"/i.test(tag)
			? tag.replace(/^<div/i, '<blockquote')
			: tag
	);
	s = s
		.replace(/<br[^<>]*>/gi, '\n')
		.replace(/<hr\b[^<>]*>/gi, '\n________________________________\n')
		.replace(/<\/?(p|div|li|tr|h[1-6]|table|ul|ol|pre)\b[^<>]*>/gi, '\n')
		.replace(/<blockquote\b[^<>]*>/gi, '\n\u0001')
		.replace(/<\/blockquote\s*>/gi, '\u0002\n');
	s = s.replace(/<[^<>]*>/g, '');
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
	const normal = wrapLong(cleanText(text.slice(0, MAX_TEXT)));
	const visible = new EmailReplyParser().read(normalizeQuoteHeaders(normal)).getVisibleText();
	return tidy(visible);
}

/**
 * The full text of a new mail (a ticket's description): signature removed, nothing else (a new
 * mail may legitimately quote something).
 */
export function bodyText(mail: { text?: string; html?: string }): string {
	const text = mail.text?.trim() ? mail.text : mail.html ? htmlToText(mail.html) : '';
	const normal = cleanText(text.slice(0, MAX_TEXT));
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

/**
 * Wraps lines over 998 characters at a space (or hard): the reply parser's patterns take time
 * growing with the square of a line's length, and no mail client writes such lines.
 */
function wrapLong(text: string): string {
	return text
		.split('\n')
		.flatMap((line) => {
			const parts: string[] = [];
			let rest = line;
			while (rest.length > MAX_LINE) {
				const cut = rest.lastIndexOf(' ', MAX_LINE);
				const at = cut > MAX_LINE / 2 ? cut : MAX_LINE;
				parts.push(rest.slice(0, at));
				rest = rest.slice(at).replace(/^ /, '');
			}
			parts.push(rest);
			return parts;
		})
		.join('\n');
}

function tidy(s: string): string {
	return s
		.split('\n')
		.map((l) => l.trimEnd())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
