import { m } from '$lib/paraglide/messages.js';
import { isLocale } from '$lib/paraglide/runtime.js';

// Intl formatters are costly to build (tens of µs each, with locale data lookups) and a thread
// page renders two per message: build each once per locale and reuse it on every render.
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const exactFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function once<T>(cache: Map<string, T>, locale: string, make: () => T): T {
	let f = cache.get(locale);
	if (!f) cache.set(locale, (f = make()));
	return f;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 31536000],
	['month', 2592000],
	['week', 604800],
	['day', 86400],
	['hour', 3600],
	['minute', 60]
];

/** "3 minutes ago", "yesterday", "in 2 hours"; under a minute "just now". */
export function relativeTime(ms: number, now: number, locale = 'en'): string {
	const seconds = Math.round((ms - now) / 1000);
	const rtf = once(
		relativeFormats,
		locale,
		() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
	);
	for (const [unit, size] of UNITS) {
		if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
	}
	return m.time_just_now({}, { locale: isLocale(locale) ? locale : 'en' });
}

// Formatting itself was still the page's top self-time item under load, and a thread renders the
// same few times on every request. The text changes once a minute: remember recent minutes.
const exactTexts = new Map<string, string>();
const EXACT_TEXTS_MAX = 5000;

/** "Nov 26, 2026, 3:04 PM UTC". */
export function exactTime(ms: number, locale = 'en'): string {
	const key = `${locale} ${Math.floor(ms / 60_000)}`;
	let text = exactTexts.get(key);
	if (text === undefined) {
		const f = once(
			exactFormats,
			locale,
			() =>
				new Intl.DateTimeFormat(locale, {
					dateStyle: 'medium',
					timeStyle: 'short',
					timeZone: 'UTC'
				})
		);
		text = `${f.format(ms)} UTC`;
		if (exactTexts.size >= EXACT_TEXTS_MAX) exactTexts.clear();
		exactTexts.set(key, text);
	}
	return text;
}

/** "Nov 26, 2026" (UTC). */
export function day(ms: number, locale = 'en'): string {
	return once(
		dayFormats,
		locale,
		() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
	).format(ms);
}
