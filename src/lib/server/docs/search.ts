// SQLite FTS5 lives in this one module (table doc_search, migration 0006); PostgreSQL's
// tsvector search is its sibling search-postgres.ts. Routes see neither.
import { sql } from 'kysely';
import type { Conn } from '$lib/server/db';
import { dialectOf, takeTurns } from '$lib/server/db/dialect';
import { queryPostgres } from './search-postgres';
import type { Segment, Suggestion } from '$lib/shared/types';
import { listProjectKeys, loadProject } from './library';
import { plainText } from './render';

// Private-use characters mark matches inside SQLite's snippet(); they are removed from indexed
// text, so a doc cannot fake a highlight, and the markers never reach the browser.
import { END, START } from './markers';

export { END, START };
const MARKERS = /[\uE000\uE001]/g;

const STOP_WORDS = new Set(
	'an and are as at be but by can do does for from has have how if in is it its me my no not of on or so that the there this to was we what when where which who why will with you your'.split(
		' '
	)
);

/**
 * The user's words as an FTS5 query: every term quoted and prefix-matched (`"term"*`), so
 * punctuation and FTS syntax (`"`, `*`, `(`, `-`, `:`, AND/OR/NEAR) are only ever text.
 * Single letters and common words are dropped; at most 8 terms. Null when nothing is left.
 */
export function matchQuery(input: string, mode: 'and' | 'or' = 'and'): string | null {
	const terms = searchTerms(input);
	if (!terms.length) return null;
	return terms.map((t) => `"${t.replaceAll('"', '""')}"*`).join(mode === 'and' ? ' AND ' : ' OR ');
}

/** The words searched for: letters, digits and marks only, lower-case, deduplicated, ≤ 8. */
export function searchTerms(input: string): string[] {
	const words =
		input
			.slice(0, 300)
			.toLowerCase()
			.normalize('NFKC')
			.match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
	return [...new Set(words.filter((w) => w.length >= 2 && !STOP_WORDS.has(w)))].slice(0, 8);
}

/** Splits SQLite's marked-up snippet into plain and highlighted pieces. */
export function toSegments(marked: string): Segment[] {
	const out: Segment[] = [];
	let hit = false;
	for (const part of marked.split(/([\uE000\uE001])/)) {
		if (part === START) hit = true;
		else if (part === END) hit = false;
		else if (part) out.push({ text: part, hit });
	}
	return out;
}

/**
 * Rebuilds the search index from the docs folder: every public doc of every project folder.
 * One transaction, so searches see the old or the new index, never half of it.
 */
export async function reindex(
	db: Conn,
	dir: string
): Promise<{ projects: number; docs: number; problems: string[] }> {
	const rows: { project: string; slug: string; title: string; body: string }[] = [];
	const problems: string[] = [];
	let projects = 0;
	for (const key of listProjectKeys(dir)) {
		const project = loadProject(dir, key, true);
		if (!project) continue;
		problems.push(...project.problems);
		if (project.docs.length) projects++;
		for (const d of project.docs) {
			const body = `${d.summary}\n${plainText(d.body)}`;
			rows.push({
				project: key,
				slug: d.slug,
				title: d.title.replace(MARKERS, ''),
				body: body.replace(MARKERS, '')
			});
		}
	}
	const write = async (tx: Conn) => {
		// Instances starting together would each keep the other's rows: one at a time.
		await takeTurns(tx, 'portal:docs-reindex');
		await sql`DELETE FROM doc_search`.execute(tx);
		// Every process's remembered results are of the old index from this commit on.
		await tx
			.updateTable('doc_search_state')
			.set((eb) => ({ generation: eb('generation', '+', 1) }))
			.where('id', '=', 1)
			.execute();
		for (let i = 0; i < rows.length; i += 200) {
			const values = rows
				.slice(i, i + 200)
				.map((r) => sql`(${r.project}, ${r.slug}, ${r.title}, ${r.body})`);
			await sql`INSERT INTO doc_search (project, slug, title, body) VALUES ${sql.join(values)}`.execute(
				tx
			);
		}
	};
	if (db.isTransaction) await write(db);
	else await db.transaction().execute(write);
	return { projects, docs: rows.length, problems };
}

/**
 * Results remembered per database and query: the docs only change by a reindex (at start, or
 * `npm run portal -- docs reindex`), and reporters typing into the form ask the same prefixes
 * again and again. A search reads the index's generation (one row by its key) and answers from
 * memory while it is the one the results were found under, so a reindex by any process or
 * instance shows on the next search. At most REMEMBER_MAX queries per database, least recently
 * used forgotten first.
 */
const REMEMBER_MAX = 500;
const remembered = new WeakMap<object, Map<string, { gen: number; value: Suggestion[] }>>();

async function generationOf(db: Conn): Promise<number> {
	const row = await db
		.selectFrom('doc_search_state')
		.select('generation')
		.where('id', '=', 1)
		.executeTakeFirst();
	return Number(row?.generation ?? 0);
}

function recall(db: Conn, key: string, gen: number): Suggestion[] | undefined {
	const cache = remembered.get(db);
	const hit = cache?.get(key);
	if (!cache || !hit) return undefined;
	cache.delete(key);
	if (hit.gen !== gen) return undefined;
	cache.set(key, hit); // most recently used last
	return structuredClone(hit.value);
}

function remember(db: Conn, key: string, value: Suggestion[], gen: number) {
	let cache = remembered.get(db);
	if (!cache) remembered.set(db, (cache = new Map()));
	if (cache.size >= REMEMBER_MAX) cache.delete(cache.keys().next().value!);
	cache.set(key, { gen, value: structuredClone(value) });
}

async function query(db: Conn, project: string, input: string, mode: 'and' | 'or', limit: number) {
	if (dialectOf(db) === 'postgres')
		return queryPostgres(db, project, searchTerms(input), mode, limit);
	const match = matchQuery(input, mode)!;
	// Rank first, then build snippets for the few winners only: snippet() on every matching row
	// before the sort costs about 3× at 1,000 docs (scripts/bench-suggest.js).
	const ranked = await sql<{ rowid: number }>`
		SELECT rowid FROM doc_search
		WHERE doc_search MATCH ${match} AND project = ${project}
		ORDER BY bm25(doc_search, 0.0, 0.0, 10.0, 1.0)
		LIMIT ${limit}`.execute(db);
	const ids = ranked.rows.map((r) => r.rowid);
	if (!ids.length) return [];
	const result = await sql<{ rowid: number; slug: string; title: string; snip: string }>`
		SELECT rowid, slug, title, snippet(doc_search, 3, ${START}, ${END}, '…', 16) AS snip
		FROM doc_search
		WHERE doc_search MATCH ${match} AND rowid IN (${sql.join(ids)})`.execute(db);
	const byId = new Map(result.rows.map((r) => [r.rowid, r]));
	return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Up to `limit` (≤ 5) public docs of a project for what the reporter typed, best first (bm25,
 * titles weigh 10× the text). Docs with all the words come first, then docs with some of them.
 */
export async function search(
	db: Conn,
	project: string,
	input: string,
	limit = 5
): Promise<Suggestion[]> {
	const n = Math.max(1, Math.min(5, limit));
	const terms = searchTerms(input);
	if (!terms.length) return [];
	const key = JSON.stringify([project, n, terms]);
	const gen = await generationOf(db);
	const known = recall(db, key, gen);
	if (known) return known;
	const rows = await query(db, project, input, 'and', n);
	if (rows.length < n) {
		if (terms.length > 1) {
			const seen = new Set(rows.map((r) => r.slug));
			for (const r of await query(db, project, input, 'or', n + rows.length)) {
				if (rows.length < n && !seen.has(r.slug)) rows.push(r);
			}
		}
	}
	const found = rows.map((r) => ({
		slug: r.slug,
		title: r.title,
		url: `/doc/${project}/${r.slug}`,
		snippet: toSegments(r.snip)
	}));
	remember(db, key, found, gen);
	return found;
}
