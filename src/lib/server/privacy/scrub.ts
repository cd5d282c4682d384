// Replaces a person's address and names inside stored text: plain text as text, JSON documents
// value by value (so a name with quotes is found and the document stays valid JSON).
import { sql } from 'kysely';
import type { Conn } from '$lib/server/db';
import { byHandle, containsLower, rowHandle, type TextColumn } from './columns';

/** What to replace (each ignoring letter case) and with what. */
export interface Replacement {
	/** Lower-case text to find, longest first. */
	find: string;
	with: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The replacements as one case-insensitive pattern (longest first, so a name inside an address goes with it). */
function matcher(replacements: Replacement[]) {
	const sorted = [...replacements].sort((a, b) => b.find.length - a.find.length);
	const re = new RegExp(sorted.map((r) => escape(r.find)).join('|'), 'giu');
	const to = new Map(sorted.map((r) => [r.find.toLowerCase(), r.with]));
	return (text: string) => text.replace(re, (m) => to.get(m.toLowerCase()) ?? m);
}

function deep(value: unknown, replace: (s: string) => string): unknown {
	if (typeof value === 'string') return replace(value);
	if (Array.isArray(value)) return value.map((v) => deep(v, replace));
	if (value && typeof value === 'object')
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [replace(k), deep(v, replace)])
		);
	return value;
}

/** `text` with every replacement applied; JSON objects and arrays stay valid JSON. */
export function scrubText(text: string, replacements: Replacement[]): string {
	if (!replacements.length) return text;
	const replace = matcher(replacements);
	const trimmed = text.trimStart();
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		try {
			return JSON.stringify(deep(JSON.parse(text), replace));
		} catch {
			// Not JSON after all: plain text.
		}
	}
	return replace(text);
}

/**
 * Rewrites the rows of `columns` that contain any of the texts (optionally only rows matching
 * `scope`, e.g. `ticket_id IN (…)`). Returns how many values changed.
 */
export async function scrubColumns(
	db: Conn,
	columns: TextColumn[],
	replacements: Replacement[],
	scope?: (table: string) => ReturnType<typeof sql> | null
): Promise<number> {
	const texts = replacements.map((r) => r.find.toLowerCase()).filter((t) => t.length > 0);
	if (!texts.length) return 0;
	let changed = 0;
	for (const { table, column } of columns) {
		const where = scope ? scope(table) : sql`1 = 1`;
		if (!where) continue;
		const hits = sql.join(
			texts.map((t) => containsLower(db, column, t)),
			sql` OR `
		);
		const { rows } = await sql<{ k: string | number; v: string }>`
			SELECT ${rowHandle(db)} AS k, ${sql.id(column)} AS v FROM ${sql.id(table)}
			WHERE (${hits}) AND ${where}`.execute(db);
		for (const row of rows) {
			const next = scrubText(String(row.v), replacements);
			if (next === row.v) continue;
			await sql`UPDATE ${sql.id(table)} SET ${sql.id(column)} = ${next} WHERE ${byHandle(db, row.k)}`.execute(
				db
			);
			changed++;
		}
	}
	return changed;
}
