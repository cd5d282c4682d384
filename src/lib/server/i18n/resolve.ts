import { baseLocale, isLocale, locales, type Locale } from '$lib/paraglide/runtime.js';

export type { Locale };

/** Every language the portal ships (one messages/{locale}.json each). */
export const shipped: readonly Locale[] = locales;

/** A project's language settings as stored (0015). */
export interface ProjectLanguages {
	default_locale: string;
	locales: string | null;
}

/** The languages a project offers, default first; unknown codes in the row are ignored. */
export function offered(project: ProjectLanguages): { fallback: Locale; allowed: Locale[] } {
	const listed = project.locales === null ? [...shipped] : parseList(project.locales);
	const fallback = isLocale(project.default_locale) ? project.default_locale : baseLocale;
	const allowed = [fallback, ...listed.filter((l) => l !== fallback)];
	return { fallback, allowed };
}

/** `de,fr` → the shipped locales among them, in order, without repeats. */
export function parseList(value: string): Locale[] {
	const out: Locale[] = [];
	for (const part of value.split(',')) {
		const code = part.trim().toLowerCase();
		if (isLocale(code) && !out.includes(code)) out.push(code);
	}
	return out;
}

/** The language tags of an Accept-Language header, best first (q=0 dropped, order kept on ties). */
export function preferred(header: string | null | undefined): string[] {
	if (!header) return [];
	return header
		.split(',')
		.map((part, index) => {
			const [tag, ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			const weight = q ? Number(q.slice(2)) : 1;
			return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
		})
		.filter((p) => p.tag && p.tag !== '*' && p.weight > 0)
		.sort((a, b) => b.weight - a.weight || a.index - b.index)
		.map((p) => p.tag);
}

/**
 * The first of `allowed` the header asks for: an exact tag (`de`) or its primary language
 * (`de-DE` → `de`), best-weighted tag first.
 */
export function matchAccept(header: string | null | undefined, allowed: readonly Locale[]) {
	for (const tag of preferred(header)) {
		const primary = tag.split('-')[0];
		const hit = allowed.find((l) => l === tag) ?? allowed.find((l) => l === primary);
		if (hit) return hit;
	}
	return undefined;
}

/**
 * The rule: an explicit choice (the `lang` cookie) among the allowed languages > the allowed
 * languages matched against Accept-Language > the fallback.
 */
export function resolveLocale(input: {
	choice: string | null | undefined;
	acceptLanguage: string | null | undefined;
	allowed: readonly Locale[];
	fallback: Locale;
}): Locale {
	const choice = input.choice?.toLowerCase();
	if (choice && input.allowed.includes(choice as Locale)) return choice as Locale;
	return matchAccept(input.acceptLanguage, input.allowed) ?? input.fallback;
}

/** A stored or Discord-reported locale (`es-ES`, `de`) as a shipped one, if any. */
export function toShipped(value: string | null | undefined): Locale | undefined {
	if (!value) return undefined;
	const tag = value.toLowerCase();
	return shipped.find((l) => l === tag) ?? shipped.find((l) => l === tag.split('-')[0]);
}
