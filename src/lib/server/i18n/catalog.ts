// Checks shipped message files against the base language (used by messages.spec.ts). Pure: it
// takes parsed JSON, so the spec can also prove that it catches a broken file.

/** A message as the inlang message format stores it: a string, or an array of variants. */
type Stored = unknown;
export type Catalog = Record<string, Stored>;

const PLACEHOLDER = /(?<!\\)\{\s*([A-Za-z_$][\w$]*)\s*\}/g;

const namesIn = (text: string) => [...text.matchAll(PLACEHOLDER)].map((x) => x[1]);

/** The inputs a message takes: `{name}`s of a plain message, `input x` of a complex one. */
export function inputsOf(message: Stored): { inputs: string[]; problems: string[] } {
	if (typeof message === 'string')
		return { inputs: [...new Set(namesIn(message))].sort(), problems: [] };
	if (!Array.isArray(message))
		return { inputs: [], problems: ['is neither a string nor a variant list'] };
	const problems: string[] = [];
	const inputs = new Set<string>();
	const locals = new Set<string>();
	for (const v of message as { declarations?: string[]; match?: Record<string, string> }[]) {
		for (const d of v.declarations ?? []) {
			const input = /^input\s+(\w+)$/.exec(d.trim());
			const local = /^local\s+(\w+)\s*=/.exec(d.trim());
			if (input) inputs.add(input[1]);
			else if (local) locals.add(local[1]);
		}
		const variants = Object.entries(v.match ?? {});
		if (!variants.some(([k]) => /=other$|=\*$/.test(k)))
			problems.push('has no "other" (or "*") variant');
		for (const [, text] of variants) {
			for (const name of namesIn(text))
				if (!inputs.has(name) && !locals.has(name)) problems.push(`uses undeclared {${name}}`);
		}
	}
	return { inputs: [...inputs].sort(), problems };
}

/**
 * Every problem of `catalogs[locale]` against the base: missing keys, extra keys, messages
 * whose inputs differ from the base's, malformed variants. Empty = good.
 */
export function compareCatalogs(base: string, catalogs: Record<string, Catalog>): string[] {
	const keys = (c: Catalog) => Object.keys(c).filter((k) => !k.startsWith('$'));
	const problems: string[] = [];
	const ref = catalogs[base];
	for (const [locale, catalog] of Object.entries(catalogs)) {
		for (const key of keys(ref))
			if (!(key in catalog)) problems.push(`${locale}: missing "${key}"`);
		for (const key of keys(catalog)) {
			if (!(key in ref)) {
				problems.push(`${locale}: extra "${key}" (not in ${base})`);
				continue;
			}
			const mine = inputsOf(catalog[key]);
			for (const p of mine.problems) problems.push(`${locale}: "${key}" ${p}`);
			const theirs = inputsOf(ref[key]).inputs.join(', ');
			if (locale !== base && mine.inputs.join(', ') !== theirs)
				problems.push(
					`${locale}: "${key}" takes {${mine.inputs.join(', ')}}, ${base} takes {${theirs}}`
				);
			if (typeof catalog[key] === 'string' && !(catalog[key] as string).trim())
				problems.push(`${locale}: "${key}" is empty`);
		}
	}
	return problems;
}
