import type { Locale } from '$lib/paraglide/runtime.js';
import type { BrowserMessage } from '$lib/i18n/browser-message';

// The messages files, bundled at build time (the browser's messages come from the HTML).
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
 * The messages of `locale` the browser may format, as JSON safe inside a <script> element
 * (`<` escaped). Built once per language.
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
