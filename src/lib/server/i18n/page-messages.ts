import { createHash } from 'node:crypto';
import { locales, type Locale } from '$lib/paraglide/runtime.js';
import type { BrowserMessage } from '$lib/i18n/browser-message';

// The messages files, bundled at build time (the browser fetches its language's from
// `messagesUrl`, see src/routes/i18n/[file]).
const files = import.meta.glob('/messages/*.json', { eager: true, import: 'default' }) as Record<
	string,
	Record<string, unknown>
>;

// Mail and server-only sentences never reach the browser.
const SERVER_ONLY = /^(\$schema$|mail_|form_|limit_|discord_)/;
const cache = new Map<string, string>();

type Variant = { declarations?: string[]; match?: Record<string, string> };

/** One stored message in the browser's simpler shape (see BrowserMessage); null = unsupported. */
export function toBrowser(stored: unknown): BrowserMessage | null {
	if (typeof stored === 'string') return stored.replace(/\\([{}])/g, '$1');
	const v = Array.isArray(stored) ? (stored[0] as Variant) : undefined;
	const plural = v?.declarations
		?.map((d) => /^local\s+(\w+)\s*=\s*(\w+)\s*:\s*plural$/.exec(d.trim()))
		.find(Boolean);
	if (!v?.match || !plural) return null;
	const out: Record<string, string> = { $: plural[2] };
	for (const [when, text] of Object.entries(v.match)) {
		const [name, category] = when.split('=').map((x) => x.trim());
		if (name !== plural[1]) return null;
		out[category === '*' ? 'other' : category] = text;
	}
	return out.other === undefined ? null : (out as BrowserMessage);
}

/**
 * The messages of `locale` the browser may format, as JSON (`<` escaped, so it is safe inside
 * a <script> element too). Built once per language.
 */
export function pageMessages(locale: Locale): string {
	let json = cache.get(locale);
	if (json === undefined) {
		const all = Object.entries(files[`/messages/${locale}.json`] ?? {});
		const used = all
			.filter(([k]) => !SERVER_ONLY.test(k))
			.map(([k, v]) => [k, toBrowser(v)] as const)
			.filter(([, v]) => v !== null);
		json = JSON.stringify(Object.fromEntries(used)).replace(/</g, '\\u003c');
		cache.set(locale, json);
	}
	return json;
}

const urls = new Map<string, string>();

/**
 * Where the browser fetches `locale`'s messages: the address names a hash of their content, so
 * it can be cached for good and changes with every change of a message (after an upgrade).
 */
export function messagesUrl(locale: Locale): string {
	let url = urls.get(locale);
	if (url === undefined) {
		const version = createHash('sha256').update(pageMessages(locale)).digest('hex').slice(0, 16);
		urls.set(locale, (url = `/i18n/${locale}.${version}.json`));
	}
	return url;
}

/** The language of a messages address (`/i18n/de.<hash>.json`) and whether its hash is current. */
export function messagesFile(file: string): { locale: Locale; current: boolean } | undefined {
	const match = /^([a-z]{2}(?:-[A-Za-z]{2,4})?)\.([0-9a-f]{16})\.json$/.exec(file);
	const locale = locales.find((l) => l === match?.[1]);
	if (!match || !locale) return undefined;
	return { locale, current: messagesUrl(locale) === `/i18n/${file}` };
}
