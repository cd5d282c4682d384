import { Marked, type Token } from 'marked';
import sanitizeHtml from 'sanitize-html';

export interface Heading {
	depth: number;
	id: string;
	text: string;
}

export interface Rendered {
	/** Sanitized HTML: safe to inject with {@html}. */
	html: string;
	headings: Heading[];
}

/** "Attaching files & images" → "attaching-files-images". */
export function slugify(text: string): string {
	const slug = text
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60)
		.replace(/-+$/, '');
	return slug || 'section';
}

const escapeAttr = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Where a relative image in a doc points: the project's assets route. */
function assetUrl(href: string, assetBase: string): string {
	if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/')) return href;
	const file = href.replace(/^\.\//, '').replace(/^assets\//, '');
	return file.includes('/') ? href : `${assetBase}/${encodeURIComponent(file)}`;
}

/**
 * Renders a doc's Markdown to sanitized HTML: headings get ids and a "#" anchor link (a
 * Markdown `#` heading becomes h2 — the page's h1 is the doc title), relative images point at
 * `assetBase`, and raw HTML passes through sanitize-html so it cannot run script.
 */
export function renderMarkdown(markdown: string, options: { assetBase: string }): Rendered {
	const headings: Heading[] = [];
	const used = new Map<string, number>();
	const marked = new Marked({
		gfm: true,
		renderer: {
			heading({ tokens, depth }) {
				const inner = this.parser.parseInline(tokens);
				const text = this.parser.parseInline(tokens, this.parser.textRenderer).trim();
				const level = Math.max(2, depth);
				const base = slugify(text);
				const n = used.get(base) ?? 0;
				used.set(base, n + 1);
				const id = n ? `${base}-${n + 1}` : base;
				headings.push({ depth: level, id, text });
				return `<h${level} id="${id}">${inner} <a class="anchor" href="#${id}" aria-label="Link to the section “${escapeAttr(text)}”">#</a></h${level}>\n`;
			},
			image({ href, title, text }) {
				const src = assetUrl(href, options.assetBase);
				const t = title ? ` title="${escapeAttr(title)}"` : '';
				return `<img src="${escapeAttr(src)}" alt="${escapeAttr(text)}"${t} loading="lazy">`;
			}
		}
	});
	const raw = marked.parse(markdown, { async: false });
	return { html: sanitize(raw), headings };
}

const headingAttrs = ['id'];

/** The allow-list every doc's HTML passes through: no script, no handlers, no styles. */
export function sanitize(html: string): string {
	return sanitizeHtml(html, {
		allowedTags: [
			'h2',
			'h3',
			'h4',
			'h5',
			'h6',
			'p',
			'br',
			'hr',
			'ul',
			'ol',
			'li',
			'blockquote',
			'pre',
			'code',
			'em',
			'strong',
			'del',
			'a',
			'img',
			'table',
			'thead',
			'tbody',
			'tr',
			'th',
			'td',
			'kbd',
			'sup',
			'sub',
			'dl',
			'dt',
			'dd',
			'details',
			'summary',
			'span'
		],
		allowedAttributes: {
			a: ['href', 'title', 'aria-label', 'rel'],
			img: ['src', 'alt', 'title', 'loading', 'width', 'height'],
			h2: headingAttrs,
			h3: headingAttrs,
			h4: headingAttrs,
			h5: headingAttrs,
			h6: headingAttrs,
			th: ['align'],
			td: ['align'],
			ol: ['start']
		},
		allowedClasses: { code: ['language-*'], a: ['anchor'] },
		allowedSchemes: ['http', 'https', 'mailto'],
		// Images only from this site (the CSP says the same): relative URLs, no schemes.
		allowedSchemesByTag: { img: [] },
		allowProtocolRelative: false,
		transformTags: {
			a: (tagName, attribs) => {
				const external = /^https?:\/\//i.test(attribs.href ?? '');
				return {
					tagName,
					attribs: external ? { ...attribs, rel: 'noopener noreferrer' } : attribs
				};
			}
		}
	});
}

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	'#39': "'",
	nbsp: ' '
};
const BLOCKS = new Set(['heading', 'paragraph', 'blockquote', 'code', 'hr', 'space']);

function collect(tokens: Token[], out: string[]): void {
	for (const t of tokens) {
		if (t.type === 'html') continue; // raw HTML: its text nodes are separate tokens
		if (t.type === 'table') {
			for (const cell of [...t.header, ...t.rows.flat()]) {
				collect(cell.tokens, out);
				out.push(' ');
			}
		} else if (t.type === 'list') {
			for (const item of t.items) {
				collect(item.tokens, out);
				out.push('\n');
			}
		} else if ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length) {
			collect(t.tokens, out);
		} else if ('text' in t && typeof t.text === 'string') {
			out.push(t.type === 'code' ? t.text : t.text.replace(/\s+/g, ' '));
		}
		if (BLOCKS.has(t.type) || t.type === 'table' || t.type === 'br') out.push('\n');
	}
}

/** The words of a doc's Markdown without markup (for the search index and snippets). */
export function plainText(markdown: string): string {
	const out: string[] = [];
	collect(new Marked({ gfm: true }).lexer(markdown), out);
	return out
		.join('')
		.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e])
		.replace(/[ \t]+/g, ' ')
		.replace(/ ?\n[\s]*/g, '\n')
		.trim();
}
